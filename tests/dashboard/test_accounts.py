"""Accounts file, password hashing and login throttling — on real files in tmp_path."""

from __future__ import annotations

import json
import os
import stat

import pytest
from argon2 import PasswordHasher

from dashboard.access import accounts as acc
from dashboard.access.accounts import AccountError, add_user, verify_login
from dashboard.access.throttle import LoginThrottle, format_wait, login

# Cheap argon2 parameters keep the suite fast; the default hasher is exercised by the CLI tests.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "conf" / "accounts.json"


def add(path, username="haidong", password=PASSWORD, role="editor", units=("海东市总工会",), **kw):
    return add_user(username, password, role, units, path=path, hasher=FAST, **kw)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_round_trip_and_file_shape(path):
    account = add(path, display_name="海东市总联络员", email="HD@Example.org")
    assert account.units == ("海东市总工会",)
    loaded = acc.load_accounts(path)
    assert list(loaded) == ["haidong"]
    again = loaded["haidong"]
    assert again == account
    assert again.email == "hd@example.org"
    assert again.created_at.endswith("Z")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["accounts"][0]["role"] == "editor"


def test_password_is_stored_only_as_argon2_hash(path):
    add(path)
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text
    stored = acc.load_accounts(path)["haidong"].password_hash
    assert stored.startswith("$argon2id$")
    assert "password_hash" not in acc.load_accounts(path)["haidong"].public()
    assert PASSWORD not in repr(acc.load_accounts(path)["haidong"])


def test_file_mode_0600_and_no_temporary_files_left(path):
    add(path)
    add(path, "viewer1", role="viewer", units=())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_path_from_environment_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(tmp_path / "env.json"))
    assert acc.accounts_path() == tmp_path / "env.json"
    add(None, "envuser", role="viewer", units=())
    assert "envuser" in json.loads((tmp_path / "env.json").read_text(encoding="utf-8"))["accounts"][0]["username"]
    monkeypatch.delenv("DUBAN_ACCOUNTS")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert acc.accounts_path() == tmp_path / "home" / ".config" / "duban" / "accounts.json"
    assert acc.accounts_path(tmp_path / "x.json") == tmp_path / "x.json"


def test_missing_file_is_no_accounts(path):
    assert acc.load_accounts(path) == {}
    assert acc.list_users(path) == []


@pytest.mark.parametrize("content", ["{bad json", "[]", '{"accounts": [{"username": "x"}]}'])
def test_malformed_file_is_a_chinese_error(path, content):
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AccountError, match="账号文件"):
        acc.load_accounts(path)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"username": "a"}, "用户名须为 2–32 个字符"),
    ({"username": "x" * 33}, "用户名须为 2–32 个字符"),
    ({"username": "bad name"}, "用户名须为"),
    ({"username": "-opt"}, "用户名须为"),
    ({"password": "short"}, "密码至少需要 8 个字符"),
    ({"password": " " * 10}, "密码不能全是空白"),
    ({"role": "root"}, "未知角色「root」"),
    ({"role": "editor", "units": ()}, "至少需要绑定一个单位"),
    ({"units": ("各市（州）总工会",)}, "是单位分组，不能绑定"),
    ({"units": ("海东市总公会",)}, "不在单位登记表中，是否指「海东市总工会」"),
    ({"email": "not-an-email"}, "邮箱地址"),
])
def test_invalid_accounts_are_refused_and_nothing_written(path, kwargs, message):
    with pytest.raises(AccountError, match=message):
        add(path, **kwargs)
    assert not path.exists()


def test_units_are_stored_canonical_and_chinese_usernames_allowed(path):
    account = add(path, "海东联络员", units=("海东市总", "海东市总工会"))
    assert account.units == ("海东市总工会",)
    assert acc.load_accounts(path)["海东联络员"].units == ("海东市总工会",)


def test_duplicate_username_refused_case_insensitively(path):
    add(path, "Alice", role="viewer", units=())
    with pytest.raises(AccountError, match="已存在"):
        add(path, "alice", role="viewer", units=())


def test_set_password_and_remove(path):
    add(path)
    acc.set_password("haidong", "a new passphrase", path=path, hasher=FAST)
    assert verify_login("haidong", PASSWORD, path=path, hasher=FAST) is None
    assert verify_login("haidong", "a new passphrase", path=path, hasher=FAST).username == "haidong"
    with pytest.raises(AccountError, match="密码至少"):
        acc.set_password("haidong", "short", path=path, hasher=FAST)
    with pytest.raises(AccountError, match="「nobody」不存在"):
        acc.set_password("nobody", "long enough", path=path, hasher=FAST)
    removed = acc.remove_user("haidong", path=path)
    assert removed.username == "haidong"
    assert acc.load_accounts(path) == {}
    with pytest.raises(AccountError, match="不存在"):
        acc.remove_user("haidong", path=path)


def test_verify_login(path):
    add(path)
    assert verify_login("haidong", PASSWORD, path=path, hasher=FAST).role == "editor"
    assert verify_login("haidong", "wrong password", path=path, hasher=FAST) is None
    assert verify_login("nobody", PASSWORD, path=path, hasher=FAST) is None
    assert verify_login("haidong", "", path=path, hasher=FAST) is None


def test_outdated_hash_is_renewed_on_login(path):
    add(path)
    old = acc.load_accounts(path)["haidong"].password_hash
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    assert stronger.check_needs_rehash(old)
    account = verify_login("haidong", PASSWORD, path=path, hasher=stronger)
    new = acc.load_accounts(path)["haidong"].password_hash
    assert account.password_hash == new != old
    assert not stronger.check_needs_rehash(new)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_five_wrong_passwords_lock_out_even_the_right_one(path):
    add(path)
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for attempt in range(4):
        result = login("haidong", "wrong password", throttle, path=path, hasher=FAST)
        assert not result.ok and "用户名或密码不正确" in result.message
    fifth = login("haidong", "wrong password", throttle, path=path, hasher=FAST)
    assert not fifth.ok and "1 分钟" in fifth.message

    refused = login("haidong", PASSWORD, throttle, path=path, hasher=FAST)
    assert not refused.ok and refused.account is None
    assert "失败次数过多" in refused.message and "1 分钟" in refused.message
    clock.now += 59
    refused = login("haidong", PASSWORD, throttle, path=path, hasher=FAST)
    assert not refused.ok and "1 秒" in refused.message

    clock.now += 2
    ok = login("haidong", PASSWORD, throttle, path=path, hasher=FAST)
    assert ok.ok and ok.account.username == "haidong"


def test_lockout_grows_and_success_clears(path):
    add(path)
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(5):
        login("haidong", "wrong password", throttle, path=path, hasher=FAST)
    clock.now += 61
    for _ in range(4):
        login("haidong", "wrong password", throttle, path=path, hasher=FAST)
    second = login("haidong", "wrong password", throttle, path=path, hasher=FAST)
    assert "2 分钟" in second.message
    clock.now += 119
    assert not login("haidong", PASSWORD, throttle, path=path, hasher=FAST).ok
    clock.now += 2
    assert login("haidong", PASSWORD, throttle, path=path, hasher=FAST).ok
    assert throttle.wait("user:haidong") == 0
    assert throttle.remaining("user:haidong") == 5


def test_lockout_also_counts_per_session_and_unknown_users(path):
    add(path)
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for name in ("ghost1", "ghost2", "ghost3", "ghost4", "ghost5"):
        assert not login(name, "wrong password", throttle, session_key="s1", path=path, hasher=FAST).ok
    # This browser session is locked out, even for a real account with its right password …
    blocked = login("haidong", PASSWORD, throttle, session_key="s1", path=path, hasher=FAST)
    assert not blocked.ok and "失败次数过多" in blocked.message
    # … while another session is not.
    assert login("haidong", PASSWORD, throttle, session_key="s2", path=path, hasher=FAST).ok


def test_old_failures_are_forgotten():
    clock = Clock()
    throttle = LoginThrottle(clock=clock, window=900)
    for _ in range(4):
        throttle.failure("user:x")
    clock.now += 901
    assert throttle.failure("user:x") == 0
    assert not throttle.locked("user:x")
    assert throttle.remaining("user:x") == 4


def test_wait_is_never_negative():
    clock = Clock()
    throttle = LoginThrottle(clock=clock, max_failures=1)
    assert throttle.failure("k") == 60
    clock.now += 1000
    assert throttle.wait("k") == 0 and not throttle.locked("k")


def test_login_messages_for_empty_input_and_bad_file(path):
    throttle = LoginThrottle(clock=Clock())
    assert login("", "", throttle, path=path).message == "请输入用户名和密码"
    path.parent.mkdir(parents=True)
    path.write_text("{bad", encoding="utf-8")
    result = login("haidong", PASSWORD, throttle, path=path, hasher=FAST)
    assert not result.ok and "暂时无法登录" in result.message


@pytest.mark.parametrize(("seconds", "words"), [(0.2, "1 秒"), (60, "1 分钟"), (61, "2 分钟"), (3600, "1 小时"),
                                                (3900, "1 小时 5 分钟")])
def test_format_wait(seconds, words):
    assert format_wait(seconds) == words


def test_concurrent_writers_lose_nothing(path):
    import threading

    names = [f"user{i}" for i in range(8)]
    threads = [threading.Thread(target=add, args=(path, name), kwargs={"role": "viewer", "units": ()})
               for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(acc.load_accounts(path)) == names


# ── password spraying: per address, overall, and a known name never locked out for good ──


class Sleeps:
    """The throttle's pause, recorded instead of slept (the clock moves by it, as a real sleep would)."""

    def __init__(self, clock: Clock) -> None:
        self.clock, self.calls = clock, []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.clock.now += seconds


def sprayer_throttle():
    clock = Clock()
    sleeps = Sleeps(clock)
    return LoginThrottle(clock=clock, sleep=sleeps), clock, sleeps


def test_spraying_many_names_from_one_address_locks_the_address(path):
    """40 names, a new browser session every 4 tries, one address: the trial's spray gets nowhere."""
    add(path)
    throttle, clock, _ = sprayer_throttle()
    results = []
    for i in range(40):
        results.append(login(f"ghost{i}", "Winter2022!", throttle, session_key=f"s{i // 4}",
                             client="203.0.113.9", path=path, hasher=FAST))
    assert sum("失败次数过多" in r.message for r in results) >= 20
    # From that address even a right password is refused now, in a fresh session …
    blocked = login("haidong", PASSWORD, throttle, session_key="fresh", client="203.0.113.9", path=path,
                    hasher=FAST)
    assert not blocked.ok and "失败次数过多" in blocked.message
    # … while the same user from another address logs in.
    assert login("haidong", PASSWORD, throttle, session_key="other", client="198.51.100.4", path=path,
                 hasher=FAST).ok


def test_a_name_locked_by_an_attacker_still_lets_its_owner_in_after_a_pause(path):
    add(path)
    throttle, clock, sleeps = sprayer_throttle()
    for i in range(12):   # the attacker fails on haidong from one address, over several sessions
        login("haidong", f"guess{i}", throttle, session_key=f"a{i // 3}", client="203.0.113.9", path=path,
              hasher=FAST)
    assert throttle.locked("user:haidong")
    # The attacker's own fresh session at its address is refused without a try …
    refused = login("haidong", PASSWORD, throttle, session_key="a-new", client="203.0.113.9", path=path, hasher=FAST)
    assert not refused.ok and "失败次数过多" in refused.message
    # … the owner, from a clean address and session, gets in after the pause.
    before = len(sleeps.calls)
    ok = login("haidong", PASSWORD, throttle, session_key="owner", client="198.51.100.4", path=path, hasher=FAST)
    assert ok.ok and sleeps.calls[before:] == [throttle.pause]
    # A client without an address or a session (nothing to tell it is clean) is refused while locked.
    for i in range(5):
        login("haidong", f"again{i}", throttle, session_key=f"b{i}", client=None, path=path, hasher=FAST)
    assert not login("haidong", PASSWORD, throttle, path=path, hasher=FAST).ok


def test_spraying_from_many_addresses_trips_the_overall_limit(path):
    """Each address fails only twice, so no address or session lock: the overall count is what holds."""
    add(path)
    throttle, clock, sleeps = sprayer_throttle()
    for i in range(100):
        login(f"ghost{i}", "Winter2022!", throttle, session_key=f"s{i}", client=f"10.0.{i // 2}.1", path=path,
              hasher=FAST)
    assert throttle.locked("all:")
    # A sprayer's next attempt from one of its addresses is refused outright.
    assert "失败次数过多" in login("ghost7", "x" * 9, throttle, session_key="s999", client="10.0.3.1", path=path,
                               hasher=FAST).message
    # A clean client still gets in, after the pause; the pauses pass one at a time.
    before = len(sleeps.calls)
    assert login("haidong", PASSWORD, throttle, session_key="owner", client="198.51.100.4", path=path,
                 hasher=FAST).ok
    assert sleeps.calls[before:] == [throttle.pause]
    # A new address guessing during the guarded mode pays the pause for every try.
    before = len(sleeps.calls)
    for i in range(3):
        login("haidong", f"guess{i}", throttle, session_key=f"n{i}", client=f"192.0.2.{i}", path=path, hasher=FAST)
    assert sleeps.calls[before:] == [throttle.pause] * 3


def test_a_right_password_does_not_wash_an_address_clean(path):
    """An insider with one good password must not reset the spraying count of the address."""
    add(path)
    throttle, clock, _ = sprayer_throttle()
    for round_ in range(3):
        for i in range(8):
            login(f"ghost{round_}{i}", "Winter2022!", throttle, session_key=f"r{round_}{i}", client="203.0.113.9",
                  path=path, hasher=FAST)
        login("haidong", PASSWORD, throttle, session_key=f"ok{round_}", client="203.0.113.9", path=path,
              hasher=FAST)
    assert throttle.locked("addr:203.0.113.9")


def test_a_refused_write_names_the_file_it_guards(tmp_path):
    from dashboard.access import screens

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the accounts folder should be")
    accounts_file = blocker / "accounts.json"
    with pytest.raises(AccountError) as for_accounts:
        add(accounts_file)
    with pytest.raises(AccountError) as for_screens:
        screens.create("会议室大屏", 1, "office", accounts_file=accounts_file)
    assert str(for_accounts.value).startswith(f"无法创建账号文件所在的文件夹 {blocker}：")
    assert str(for_screens.value).startswith(f"无法创建放映链接文件所在的文件夹 {blocker}：")
