"""What a user notices in a real browser on the entry pages: Chinese words where Streamlit would
say "Upload", "200MB per file" or "Select all"; a typed date that applies on Enter; and a save
that keeps the user on the tab they were filling in."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Server, demo_with_editor, log_in_editor, wait_ready

ENGLISH = ("Upload", "200MB", "per file", "Choose an option", "No options to select", "Select all",
           "Drag and drop", "None", "True", "False")

# The text a reader sees: text nodes that are drawn (not display:none, font-size above 0) and the
# words CSS puts after an element.
VISIBLE_TEXT = """(root) => {
  const seen = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || !node.textContent.trim()) continue;
    const style = getComputedStyle(parent);
    if (style.display === "none" || style.visibility === "hidden" || parseFloat(style.fontSize) === 0) continue;
    if (parent.closest('[data-testid="stIconMaterial"]')) continue;   // icon ligatures ("upload") draw a glyph
    seen.push(node.textContent.trim());
  }
  for (const element of root.querySelectorAll("*")) {
    const after = getComputedStyle(element, "::after").content;
    if (after && after !== "none" && after !== "normal") seen.push(after.replace(/^"|"$/g, ""));
  }
  return seen.join("\\n");
}"""


@pytest.fixture(scope="module")
def server(store_files, tmp_path_factory, chromium):
    url, accounts = demo_with_editor(store_files, tmp_path_factory.mktemp("words"))
    running = Server(url, env={"DUBAN_ACCOUNTS": str(accounts)})
    yield running
    running.stop()


def english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text)]


def test_a_typed_date_in_the_sidebar_applies_on_enter(page, server):
    page.goto(f"{server.base}/?as_of=2022-09-28")
    wait_ready(page)
    # The Enter handler arrives with the sidebar (components.date_enter_applies); on a loaded CI machine
    # wait_ready could return before it ran, and a user typing that soon would not see Enter apply.
    page.wait_for_function("window.dubanDateEnter === true", timeout=30_000)
    field = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').first
    field.get_by_role("spinbutton", name="month").click()
    page.keyboard.type("05", delay=80)   # as fast as a person types, not faster than the field's segments move
    page.keyboard.type("20", delay=80)
    page.keyboard.press("Enter")   # focus stays in the field: only Enter can have applied it
    page.wait_for_url(re.compile(r"as_of=2022-05-20"), timeout=30_000)
    wait_ready(page)
    assert "截至 2022-05-20" in page.locator('[data-testid="stMainBlockContainer"]').inner_text() \
        or "2022-05-20" in page.url


def test_the_entry_page_speaks_chinese_and_stays_on_its_tab_after_a_save(page, server):
    page.goto(f"{server.base}/selfcheck?as_of=2022-09-28&self_unit=海东市总工会")
    wait_ready(page)
    log_in_editor(page)
    page.get_by_role("tab", name="批量导入").click()
    wait_ready(page)   # the click reruns the script (on_change="rerun"): fill the form after that run
    uploader = page.locator('[data-testid="stFileUploader"]').first
    uploader.wait_for(timeout=30_000)
    words = uploader.evaluate(VISIBLE_TEXT)
    assert english_in(words) == [], words
    assert "选择文件" in words and "不超过 5 MB" in words
    main = page.locator('[data-testid="stMain"]').evaluate(VISIBLE_TEXT)
    assert english_in(main) == [], english_in(main)

    page.get_by_role("tab", name="参与情况").click()
    wait_ready(page)   # the click reruns the script (on_change="rerun"): fill the form after that run
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("参与人数"))
    form.get_by_label("参与人数").fill("66")
    note = form.get_by_label("说明")
    note.fill("标签页测试")
    assert "/2000" in form.inner_text()   # the note's limit shows while typing
    form.get_by_role("button", name="提交").click()
    page.get_by_text("已保存").wait_for(timeout=30_000)
    wait_ready(page)
    assert page.get_by_role("tab", name="参与情况").get_attribute("aria-selected") == "true"
    assert page.get_by_role("tab", name="进展").get_attribute("aria-selected") == "false"


def test_the_sidebar_unit_list_offers_no_english_select_all(page, server):
    page.goto(f"{server.base}/?as_of=2022-09-28")
    wait_ready(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    words = sidebar.evaluate(VISIBLE_TEXT)
    assert english_in(words) == [], english_in(words)
    sidebar.locator('[data-testid="stMultiSelect"]').first.click()
    listbox = page.get_by_role("listbox").first
    listbox.wait_for(timeout=10_000)
    options = listbox.inner_text()
    assert "省总办公室" in options
    assert english_in(options) == [], options
