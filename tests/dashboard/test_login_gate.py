"""DUBAN_READ_REQUIRES_LOGIN under AppTest: a visitor sees the login alone; an account or a screen
link's token sees the board; a revoked or unknown token sees the login again."""

from __future__ import annotations

from dashboard.access import screens
from dashboard.access.accounts import add_user
from tests.dashboard.apptest import FAST, open_app


def everything_shown(at) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [s.label for s in at.selectbox]
    parts += [c.value for c in at.caption] + [h.value for h in at.subheader] + [h.value for h in at.title]
    return "\n".join(str(p) for p in parts)


def test_a_visitor_sees_the_login_and_nothing_of_the_board(monkeypatch, store_files, tmp_path):
    monkeypatch.setenv("DUBAN_READ_REQUIRES_LOGIN", "1")
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(tmp_path / "accounts.json"))
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}")
    text = everything_shown(at)
    assert "请先登录后查看" in text
    assert "五一" not in text and "2022" not in text and not at.selectbox and not at.date_input
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert not at.sidebar.selectbox and not at.sidebar.multiselect


def test_an_account_and_a_screen_link_read_the_board(monkeypatch, store_files, tmp_path):
    accounts = tmp_path / "accounts.json"
    monkeypatch.setenv("DUBAN_READ_REQUIRES_LOGIN", "1")
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(accounts))
    viewer = add_user("leader", "password-123", "viewer", (), path=accounts, hasher=FAST)
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", account=viewer)
    assert "五一" in everything_shown(at)

    link, token = screens.create("会议室大屏", 1, "office", accounts_file=accounts)
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"present": "1", "token": token})
    assert "五一" in everything_shown(at) and "请先登录" not in everything_shown(at)

    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "short"):
        at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"present": "1", "token": wrong})
        assert "请先登录后查看" in everything_shown(at)
    screens.revoke(link.id, accounts_file=accounts)
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"present": "1", "token": token})
    assert "请先登录后查看" in everything_shown(at) and "五一" not in everything_shown(at)


def test_an_expired_screen_link_opens_nothing(tmp_path):
    import datetime as dt

    accounts = tmp_path / "accounts.json"
    link, token = screens.create("会议室", 0.5, "office", accounts_file=accounts)
    assert screens.account_for(token, accounts_file=accounts).role == "viewer"
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert screens.account_for(token, accounts_file=accounts, now=later) is None
    assert screens.list_links(accounts)[0].state(later) == "已过期"
    assert token not in (tmp_path / "screens.json").read_text()   # only its hash is kept


def test_a_screen_run_reads_the_links_file_once_and_a_revocation_stops_the_next_run(
        monkeypatch, store_files, tmp_path):
    accounts = tmp_path / "accounts.json"
    monkeypatch.setenv("DUBAN_READ_REQUIRES_LOGIN", "1")
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(accounts))
    link, token = screens.create("会议室大屏", 1, "office", accounts_file=accounts)
    reads: list[object] = []
    real_read = screens._read

    def counted(file):
        reads.append(file)
        return real_read(file)

    monkeypatch.setattr(screens, "_read", counted)  # the real reader, counted: each call reads screens.json
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", params={"token": token})
    assert "五一" in everything_shown(at)
    assert len(reads) == 1   # gate, login box and the page asked; the file was read once

    screens.revoke(link.id, accounts_file=accounts)   # reads it too, under its lock
    reads.clear()
    at.run()   # the same browser session, its next run
    assert "请先登录后查看" in everything_shown(at) and "五一" not in everything_shown(at)
    assert len(reads) == 1
