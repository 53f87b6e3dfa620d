"""briefing over a real OpenSSH server, as the people on a shared server use it.

One session-wide setup (see :func:`site`): the checkout's wheel installed into a venv every
user can run, a shared library folder that is root's and read-only to users, two ordinary
accounts (alice, bob) and a kiosk account whose key is forced to
``briefing --kiosk --as carol --library <shared>``, and ``sshd`` on 127.0.0.1 with its own
host key and config. Every session goes through the real ``ssh -tt`` client in an 80×24
pseudo-terminal (:class:`Terminal`), so what is checked is what a person would see.

* Each user opens a brief, bookmarks and annotates an item and quits: the store is in their
  own home, folder 0700 and file 0600, theirs, with their login name as the author; the other
  user cannot read it; the shared library is byte for byte as it was.
* Killing the local ``ssh`` client after "Note saved." (a dropped connection): sshd hangs
  up the session, briefing ends through its normal exit, and the note is in the store.
* The kiosk key runs briefing whatever command the client asks for, keeps carol's notes in
  ``people/carol`` with "carol" as author, and gets no port forwarding. Asked for no terminal
  (``ssh -T``, sftp), it hands out no file and leaves nothing running once the client is gone.

Needs root, /usr/sbin/sshd and /usr/bin/ssh: ``.ci/run`` installs OpenSSH. Where they are
missing (a fresh machine, or not root) the tests skip, with one line saying how to include
them, so that the README's test command passes anyway; with ``BRIEFING_REQUIRE_SSH=1``
(``.ci/run`` sets it) they fail instead, so that CI cannot pass without them having run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.core.model import Brief, Item
from briefing.store.notes import Store

from ..building import BUILD_TIMEOUT, build_wheel, private_env
from ..fixtures import CONTRACT, ROOT
from .reader import (
    SAVED,
    START_TIMEOUT,
    move_to,
    open_brief_from_library,
    quit_from_brief,
    tab_marker,
    wait_marks,
    write_note,
)
from .sshd import (
    REQUIRE_SSH,
    Account,
    Accounts,
    Sshd,
    client,
    fingerprint,
    free_port,
    install_for_everyone,
    openssh_missing,
    processes_of,
    read_as,
    run,
    sftp_argv,
    share_library,
    ssh_argv,
    ssh_tests_gate,
    wait_no_processes,
    world_folder,
)
from .terminal import Terminal, terminal_env

HANG_UP_TIMEOUT = 10.0  # from the client's death to the remote briefing's end (about 2 s here)
CLIENT_TIMEOUT = 6.0  # how long a client without a terminal may wait for the kiosk
KIOSK_PERSON = "carol"
LIBRARY_OF_THREE = re.compile(r"Library\s+3 briefs")


@dataclass(frozen=True)
class Site:
    """The shared server: briefing for everyone, the shared library, the accounts, sshd."""

    venv: Path
    python: str  # which interpreter the venv is built on, and why (for the report)
    library: Path
    library_print: dict[str, tuple[str, int, int, str]]
    alice: Account
    bob: Account
    kiosk: Account
    sshd: Sshd

    @property
    def briefing(self) -> Path:
        return self.venv / "bin" / "briefing"

    @property
    def reader_command(self) -> str:
        """What a user types after ``ssh -tt user@host``."""
        return f"{self.briefing} --library {self.library}"

    def account(self, role: str) -> Account:
        return getattr(self, role)


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    verdict, why = ssh_tests_gate(openssh_missing())
    if verdict == "skip":
        pytest.skip(why)
    if verdict == "fail":
        pytest.fail(why, pytrace=False)
    base = world_folder("bf-ssh-")
    accounts: Accounts | None = None
    sshd: Sshd | None = None
    problems: list[str] = []
    try:
        # briefing as users get it: the wheel of this checkout, in a venv anyone can run.
        build = base / "build"
        build.mkdir()
        env = private_env(build / "home")
        wheel = build_wheel(build / "dist", env, cwd=build)
        venv, python = install_for_everyone(wheel, base, env, BUILD_TIMEOUT)
        print(f"briefing for every user: {venv}, on {python}")

        srv = base / "srv"
        srv.mkdir(mode=0o755)
        library = srv / "briefs"
        share_library(ROOT / "briefs", library)
        library_print = fingerprint(library)

        accounts = Accounts(base)
        alice, bob, kiosk = accounts.add("alice"), accounts.add("bob"), accounts.add("kiosk")
        sshd = Sshd(base, [alice.login, bob.login, kiosk.login])
        sshd.authorize(alice.login, alice.public_key)
        sshd.authorize(bob.login, bob.public_key)
        sshd.authorize(
            kiosk.login,
            f'restrict,pty,command="{venv}/bin/briefing --kiosk --as {KIOSK_PERSON} '
            f'--library {library}" {kiosk.public_key}',
        )
        sshd.start()
        yield Site(venv, python, library, library_print, alice, bob, kiosk, sshd)
    finally:
        if sshd is not None:
            sshd.stop()
        if accounts is not None:
            problems = accounts.close()
        shutil.rmtree(base, ignore_errors=True)
    assert not problems, f"accounts left behind: {problems}"


@pytest.fixture
def connect(site: Site, tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """``connect(account, *remote)``: ``ssh -tt account@127.0.0.1 REMOTE`` in an 80×24
    terminal (TERM=xterm-256color, LANG=C.UTF-8, which ssh passes on). Each terminal is
    closed after the test; on failure the sshd log is printed."""
    started: list[Terminal] = []
    env = terminal_env(tmp_path / "client-home")

    def start(account: Account, *remote: str) -> Terminal:
        term = Terminal(ssh_argv(account, site.sshd.port, *remote), env, columns=80, rows=24, cwd=tmp_path)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()
    print(f"--- sshd log (tail)\n{site.sshd.log_text()[-3000:]}")


# -- what is checked --------------------------------------------------------------------------


def default_store(account: Account) -> Path:
    """Where briefing keeps the store of a user with no XDG variables: in their home."""
    return account.home / ".local" / "share" / "briefing" / "notes.json"


def assert_private(account: Account, store: Path) -> None:
    """The store is ``account``'s alone: under their home, the folder 0700, the file (and its
    lock file) 0600, all owned by them, none a link."""
    assert store.is_relative_to(account.home)
    folder = store.parent
    for path, kind, mode in (
        (folder, stat.S_ISDIR, 0o700),
        (store, stat.S_ISREG, 0o600),
        (store.with_name(store.name + ".lock"), stat.S_ISREG, 0o600),
    ):
        info = path.lstat()
        assert kind(info.st_mode), f"{path} is not a {'folder' if kind is stat.S_ISDIR else 'file'}"
        assert (info.st_uid, info.st_gid) == (account.uid, account.gid), f"{path} is not {account.login}'s"
        assert stat.S_IMODE(info.st_mode) == mode, f"{path} is {stat.S_IMODE(info.st_mode):04o}, not {mode:04o}"


def read_store(path: Path, scratch: Path) -> Store:
    """The store as the next start would read it, from a copy in ``scratch`` (nothing of the
    user's is touched: opening a Store takes its lock and may write)."""
    copy = scratch / "store-copy" / "notes.json"
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    json.loads(copy.read_text(encoding="utf-8"))  # plain JSON, whole
    store = Store(copy)
    assert store.problems == [], f"the store of {path} did not read cleanly: {store.problems}"
    return store


def assert_others_cannot_read(other: Account, owner: Account, store: Path) -> None:
    allowed = read_as(owner, store)  # the control: su works and the owner can read it
    assert allowed.returncode == 0, f"{owner.login} cannot read their own store: {allowed.stderr}"
    denied = read_as(other, store)
    assert denied.returncode != 0 and denied.stdout == "", f"{other.login} read {owner.login}'s store"
    assert "Permission denied" in denied.stderr, denied.stderr
    listing = run(["su", "-s", "/bin/sh", other.login, "-c", f"ls '{store.parent}'"], check=False)
    assert listing.returncode != 0 and "Permission denied" in listing.stderr, listing


def assert_library_unchanged(site: Site) -> None:
    now = fingerprint(site.library)
    changed = sorted(k for k in now.keys() | site.library_print.keys() if now.get(k) != site.library_print.get(k))
    assert changed == [], f"the shared library changed: {changed}"


def annotate(term: Terminal, brief: Brief, item: Item, text: str, probe: str, bookmark: bool = True) -> None:
    """In an open brief: move to ``item`` in its pane, bookmark it (b), write ``text`` (a,
    ctrl+s) and wait until "Note saved." and its marks are on screen."""
    move_to(term, item)
    marks = "★✎" if bookmark else " ✎"
    if bookmark:
        term.press("b")
        wait_marks(term, item, "★ ")
    write_note(term, "a", text, probe)
    term.wait_for(SAVED)
    wait_marks(term, item, marks)


# -- whether they run at all ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing, env, verdict",
    [
        (None, {}, "run"),
        (None, {REQUIRE_SSH: "1"}, "run"),
        ("OpenSSH not installed", {}, "skip"),
        ("OpenSSH not installed", {REQUIRE_SSH: ""}, "skip"),
        ("OpenSSH not installed", {REQUIRE_SSH: "0"}, "skip"),
        ("OpenSSH not installed", {REQUIRE_SSH: "1"}, "fail"),
        ("must run as root", {REQUIRE_SSH: "1"}, "fail"),
    ],
)
def test_the_ssh_tests_skip_where_they_cannot_run_unless_required(missing, env, verdict):
    """A fresh machine passes the test command; CI (BRIEFING_REQUIRE_SSH=1) cannot pass
    without having run them."""
    got, why = ssh_tests_gate(missing, env)
    assert got == verdict
    assert (why is None) == (verdict == "run")
    if why is not None:
        assert why.startswith(missing) and "\n" not in why


def test_without_openssh_or_root_the_reason_says_how_to_include_them(monkeypatch, tmp_path: Path):
    from . import sshd

    monkeypatch.setattr(sshd, "SSHD", tmp_path / "no-sshd")
    why = openssh_missing()
    assert why == (
        "OpenSSH not installed (" + str(tmp_path / "no-sshd") + " is missing), so the SSH tests "
        "cannot run: apt-get install openssh-server openssh-client as root, or run .ci/run"
    )
    assert ssh_tests_gate(why, {}) == ("skip", why)
    assert openssh_missing("the SSH rows of the benchmark").startswith("OpenSSH not installed")  # as the benchmark asks
    for tool in ("SSHD", "SSH", "SSH_KEYGEN"):
        monkeypatch.setattr(sshd, tool, Path(sys.executable))  # something that runs
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    why = openssh_missing()
    assert why is not None and "must run as root" in why and "run them as root" in why
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert openssh_missing() is None


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role, other_role", [("alice", "bob"), ("bob", "alice")])
def test_each_user_keeps_private_notes_in_their_own_home(
    site: Site, connect, brief: Brief, tmp_path: Path, role: str, other_role: str
) -> None:
    account, other = site.account(role), site.account(other_role)
    text = f"{role}: Zürich ✓ — who signs off on {role}'s £50m?"
    item = brief.facts[1]

    term = connect(account, site.reader_command)
    open_brief_from_library(term, brief)
    annotate(term, brief, item, text, probe=f"{role}: Zürich")
    assert quit_from_brief(term) == 0
    assert b"Traceback" not in bytes(term.raw)

    store = default_store(account)
    assert_private(account, store)
    saved = read_store(store, tmp_path)
    mine = [n for n in saved.notes() if n.text == text]
    assert [(n.brief, n.item, n.author) for n in mine] == [(CONTRACT, item.id, account.login)]
    assert (CONTRACT, item.id) in [(m.brief, m.item) for m in saved.bookmarks()]
    assert {n.author for n in saved.notes()} == {account.login}  # only this user's notes in it
    assert_others_cannot_read(other, account, store)
    assert not default_store(other).exists() or text not in default_store(other).read_text(encoding="utf-8")
    assert_library_unchanged(site)


def test_killing_the_ssh_client_after_a_note_keeps_the_note(site: Site, connect, brief: Brief, tmp_path: Path) -> None:
    account = site.alice
    text = "dropped: the line went after this ✓"
    item = brief.stakeholders[1]

    term = connect(account, site.reader_command)
    open_brief_from_library(term, brief)
    term.press("2")
    term.wait_for(tab_marker("stakeholders"))
    annotate(term, brief, item, text, probe="dropped: the line", bookmark=False)
    assert processes_of(account.login, "briefing"), "briefing is not running as the user"

    term.send_signal(signal.SIGKILL)  # the local ssh client dies: sshd sees the connection go
    started = time.monotonic()
    left = wait_no_processes(account.login, "briefing", HANG_UP_TIMEOUT)
    assert left == [], (
        f"briefing ({left}) still runs {HANG_UP_TIMEOUT:g}s after its connection went; "
        f"sshd log:\n{site.sshd.log_text()}"
    )
    print(f"the remote briefing ended {time.monotonic() - started:.2f}s after the client was killed")
    assert term.wait_exit(timeout=5) is None and term.signalstatus == signal.SIGKILL

    store = default_store(account)
    assert_private(account, store)
    saved = read_store(store, tmp_path)
    assert [(n.brief, n.item, n.author) for n in saved.notes() if n.text == text] == [
        (CONTRACT, item.id, account.login)
    ]
    # The reading place is written by briefing's exit, not by the note: the hang-up ended
    # briefing through its normal exit, not by killing it.
    assert saved.last_place() == {"brief": CONTRACT, "pane": "stakeholders", "item": item.id, "open": True}
    strays = [p.name for p in store.parent.iterdir() if p.name not in ("notes.json", "notes.json.lock")]
    assert strays == [], f"left in the store's folder: {strays}"
    assert_library_unchanged(site)


def test_the_kiosk_key_runs_briefing_whatever_the_client_asks(
    site: Site, connect, brief: Brief, tmp_path: Path
) -> None:
    kiosk = site.kiosk
    text = "carol: kiosk note ✓"
    item = brief.facts[2]
    command = "/bin/sh -c 'id; echo SHELL-REACHED'"
    # The control: for an ordinary key the same command reaches a shell.
    ordinary = run(ssh_argv(site.alice, site.sshd.port, command, tty=False), timeout=30)
    assert "uid=" in ordinary.stdout and "SHELL-REACHED" in ordinary.stdout, ordinary

    term = connect(kiosk, command)
    term.wait_for(LIBRARY_OF_THREE, timeout=START_TIMEOUT)
    open_brief_from_library(term, brief)
    annotate(term, brief, item, text, probe="carol: kiosk")
    assert quit_from_brief(term) == 0
    raw = bytes(term.raw)
    assert b"uid=" not in raw and b"SHELL-REACHED" not in raw, "the client's command ran"

    store = kiosk.home / ".local" / "share" / "briefing" / "people" / KIOSK_PERSON / "notes.json"
    assert_private(kiosk, store)
    saved = read_store(store, tmp_path)
    assert [(n.brief, n.item, n.text, n.author) for n in saved.notes()] == [(CONTRACT, item.id, text, KIOSK_PERSON)]
    assert not default_store(kiosk).exists(), "the kiosk wrote the account's own store too"
    assert_library_unchanged(site)


@pytest.mark.parametrize(
    "remote",
    [
        pytest.param((), id="login-shell"),
        pytest.param(("cat", "/etc/passwd"), id="cat-passwd"),
        pytest.param(("exec /bin/sh -i",), id="interactive-shell"),
    ],
)
def test_the_kiosk_key_reaches_no_shell_and_no_file(site: Site, connect, remote: tuple[str, ...]) -> None:
    term = connect(site.kiosk, *remote)
    term.wait_for(LIBRARY_OF_THREE, timeout=START_TIMEOUT)
    term.settle(quiet=0.2)
    term.press("q")
    assert term.wait_exit(timeout=10) == 0
    assert b"root:x:0:0" not in bytes(term.raw), "the client's command ran"


@pytest.mark.parametrize("how", ["ssh-T", "sftp"])
def test_the_kiosk_key_without_a_terminal_leaves_nothing_running(site: Site, tmp_path: Path, how: str) -> None:
    """Clients may ask for no terminal: ``ssh -T`` (as ``scp -O`` does) or sftp's subsystem.
    The forced command runs then too; it must neither hand out a file nor outlive the
    connection (a kiosk key must not be a way to leave processes on the server)."""
    kiosk = site.kiosk
    fetched = tmp_path / "fetched"
    if how == "sftp":
        # The control: the server serves sftp, so an ordinary key fetches a file with it.
        run(sftp_argv(site.alice, site.sshd.port), input=f"get /etc/passwd {fetched}\n", timeout=30)
        assert "root:x:0:0" in fetched.read_text()
        fetched.unlink()
        argv, stdin = sftp_argv(kiosk, site.sshd.port), f"get /etc/passwd {fetched}\n"
    else:
        argv, stdin = ssh_argv(kiosk, site.sshd.port, "cat /etc/passwd", tty=False), ""
    out, hung = client(argv, stdin.encode(), CLIENT_TIMEOUT)  # on timeout: killed, as a person gives up
    assert b"root:x:0:0" not in out and not fetched.exists(), "the kiosk key read /etc/passwd"

    left = wait_no_processes(kiosk.login, "briefing", HANG_UP_TIMEOUT)
    if left:
        ps = run(["ps", "-o", "pid,stat,pcpu,etime,args", "-p", ",".join(map(str, left))], check=False).stdout
        for pid in left:  # ours (the test's kiosk account): stop them, they spin
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        ended = f"waited {CLIENT_TIMEOUT:g}s for nothing and was killed" if hung else "ended by itself"
        pytest.fail(
            f"{how} to the kiosk key, without a terminal: the client {ended}, and {HANG_UP_TIMEOUT:g}s "
            f"later briefing still ran as the kiosk account:\n{ps}\nwhat the client got:\n{out[-600:]!r}",
            pytrace=False,
        )


def forward_answer(site: Site, account: Account) -> tuple[bytes, str]:
    """Forward a local port to sshd through ``account`` (``ssh -N -L``), connect to it and
    read: what came back (sshd's banner when the forward works) and ssh's own messages."""
    local = free_port()
    argv = ssh_argv(
        account,
        site.sshd.port,
        tty=False,
        options=["-N", "-L", f"127.0.0.1:{local}:127.0.0.1:{site.sshd.port}", "-o", "LogLevel=INFO"],
    )
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            assert proc.poll() is None, f"ssh -N -L exited {proc.returncode}: {proc.stderr.read().decode()}"
            try:
                sock = socket.create_connection(("127.0.0.1", local), timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, "ssh -N -L never listened"
                time.sleep(0.05)
        with sock:
            sock.settimeout(5)
            try:
                answer = sock.recv(64)
            except (TimeoutError, ConnectionResetError):
                answer = b""
    finally:
        proc.terminate()
        try:
            _, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate(timeout=5)
    return answer, err.decode(errors="replace")


def test_the_kiosk_key_gets_no_port_forwarding(site: Site) -> None:
    # The control: sshd allows forwarding, so an ordinary key reaches sshd through it.
    answer, _ = forward_answer(site, site.alice)
    assert answer.startswith(b"SSH-2.0-"), answer
    # The kiosk key's `restrict` refuses it.
    answer, messages = forward_answer(site, site.kiosk)
    assert answer == b"", answer
    assert "administratively prohibited" in messages, messages
