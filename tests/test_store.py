"""The notes store keeps the promises of docs/design.md §4 (unit tier: no Textual).

Crash and concurrency tests run real processes against one store file: a child saves,
prints a note's id only once ``add_note`` has returned (its acknowledgement), and the
parent checks that every acknowledged note is still there afterwards.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import select
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from briefing import paths
from briefing.store import notes as store_module
from briefing.store.notes import SCHEMA, Store, StoreError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the store is POSIX-only (flock, O_NOFOLLOW)")


def note_ids(store: Store) -> set[str]:
    return {note.id for note in store.notes()}


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def temp_files(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith(".notes.json.") and n.endswith(".tmp"))


def asides(folder: Path, why: str) -> list[Path]:
    return sorted(folder.glob(f"notes.json.{why}-*"))


def read_until_newline(fd: int, timeout: float) -> bytes:
    """Bytes from a pipe up to and including the first newline (or what came before EOF)."""
    got = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in got:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        got += chunk
    return got


def acknowledged(output: bytes) -> list[str]:
    """The ids a child printed in full (a line cut short by the kill acknowledges nothing)."""
    *complete, _partial = output.split(b"\n")
    ids = [line.decode("ascii") for line in complete]
    assert all(len(i) == 16 and all(c in "0123456789abcdef" for c in i) for i in ids), ids
    return ids


# -- 1. crash: SIGKILL at a random moment loses no acknowledged note ------------------

CRASH_CHILD = r"""
import sys
from pathlib import Path
from briefing.store.notes import Store

store = Store(Path(sys.argv[1]), author="crash")
out = sys.stdout
n = 0
while True:
    note = store.add_note("crash", f"f{n}", "facts", "a quote", f"note {n} " + "x" * (n % 97))
    out.write(note.id + "\n")   # the acknowledgement: only after add_note returned
    out.flush()
    n += 1
"""

CRASH_TRIALS = 30


@pytest.mark.slow  # writer processes killed at random moments, round after round
def test_sigkill_at_a_random_moment_keeps_every_acknowledged_note(tmp_path: Path):
    path = tmp_path / "crash" / "notes.json"
    rng = random.Random()
    acked: set[str] = set()
    kills_after = []
    for trial in range(CRASH_TRIALS):
        child = subprocess.Popen(
            [sys.executable, "-c", CRASH_CHILD, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            out = read_until_newline(child.stdout.fileno(), timeout=15)
            if b"\n" not in out:
                child.kill()
                child.wait()
                pytest.fail(f"trial {trial}: no acknowledgement; stderr: {child.stderr.read().decode()}")
            time.sleep(rng.uniform(0.02, 0.3))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=15)
            out += child.stdout.read()
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
            child.stderr.close()
        assert child.returncode == -signal.SIGKILL, f"trial {trial}: the child ended by itself"
        ids = acknowledged(out)
        kills_after.append(len(ids))
        acked.update(ids)

        orjson.loads(path.read_bytes())  # the file parses: never half written
        fresh = Store(path)
        try:
            assert fresh.problems == []
            missing = acked - note_ids(fresh)
        finally:
            fresh.close()
        assert not missing, f"trial {trial}: {len(missing)} acknowledged notes lost: {sorted(missing)[:5]}"
    assert len(acked) == sum(kills_after)  # ids are distinct, and each trial added some
    assert len(set(kills_after)) > 1, "every kill came at the same point: the delay is not random"


# -- 2. concurrency: processes and instances keep each other's notes ---------------

WRITER_CHILD = r"""
import sys
from pathlib import Path
from briefing.store.notes import Store

path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
store = Store(path, author=name)
sys.stdin.readline()  # start together
ids = [store.add_note("race", f"{name}-{n}", "facts", "q", f"{name} {n}").id for n in range(count)]
sys.stdout.write("\n".join(ids) + "\n")
"""


def release_together(writers: list[subprocess.Popen]) -> list[tuple[bytes, bytes]]:
    """Tell waiting writer processes to go, and collect what they printed; none outlives it."""
    try:
        for writer in writers:
            writer.stdin.write(b"go\n")
            writer.stdin.flush()
        return [writer.communicate(timeout=60) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()


def test_four_processes_writing_at_once_keep_all_800_notes(tmp_path: Path, stores):
    path = tmp_path / "shared" / "notes.json"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_CHILD, str(path), f"w{k}", "200"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for k in range(4)
    ]
    time.sleep(0.3)  # let all four open the store before any of them writes
    results = release_together(writers)
    expected: dict[str, str] = {}
    for k, (writer, (out, err)) in enumerate(zip(writers, results, strict=True)):
        assert writer.returncode == 0, err.decode()
        ids = acknowledged(out)
        assert len(ids) == 200
        expected.update({note_id: f"w{k} {n}" for n, note_id in enumerate(ids)})
    assert len(expected) == 800  # all distinct

    notes = stores(path).notes()
    assert len(notes) == 800
    assert {note.id: note.text for note in notes} == expected
    assert {note.author for note in notes} == {"w0", "w1", "w2", "w3"}


def test_two_instances_in_one_process_see_each_others_notes(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    first, second = stores(path, author="one"), stores(path, author="two")
    saved: list[str] = []
    for n in range(12):
        writer, reader = (first, second) if n % 2 == 0 else (second, first)
        note = writer.add_note("b", f"i{n}", "facts", "q", f"note {n}")
        saved.append(note.id)
        assert note.id in note_ids(reader)  # the other instance reads the change at once
    assert note_ids(first) == note_ids(second) == set(saved)
    assert note_ids(stores(path)) == set(saved)


# -- 3. corruption: moved aside, reported, a fresh store starts --------------------


def check_recovered(path: Path, problems: list[str], original: bytes | None, stores) -> Path:
    """One report naming the store and its aside copy, which keeps the original; a new store works."""
    kept = asides(path.parent, "unreadable")
    assert len(kept) == 1, os.listdir(path.parent)
    aside = kept[0]
    assert len(problems) == 1, problems
    assert str(path) in problems[0] and str(aside) in problems[0]
    if original is not None:
        assert aside.is_file() and aside.read_bytes() == original
    # a fresh store works: save, reopen, the note is there
    assert path.is_file() and not path.is_symlink()
    store = stores(path)
    assert store.problems == []
    note = store.add_note("b", None, None, "", "after the recovery")
    reopened = stores(path)
    assert reopened.problems == [] and note.id in note_ids(reopened)
    assert asides(path.parent, "unreadable") == [aside]
    return aside


def _truncated(path: Path, stores) -> bytes:
    store = stores(path)
    for n in range(5):
        store.add_note("b", f"i{n}", "facts", "q", f"note {n}")
    store.close()
    raw = path.read_bytes()
    os.truncate(path, len(raw) // 2)
    return raw[: len(raw) // 2]


def _empty(path: Path, stores) -> bytes:
    path.write_bytes(b"")
    return b""


def _not_notes(path: Path, stores) -> bytes:
    raw = b'{"notes": [1, 2, 3]}'
    path.write_bytes(raw)
    return raw


def _bad_schema_version(path: Path, stores) -> bytes:
    raw = b'{"meta": {"schema": {"version": "2"}}, "notes": {}}'  # a hand edit: a string
    path.write_bytes(raw)
    return raw


@pytest.mark.parametrize(
    "corrupt",
    [_truncated, _empty, _not_notes, _bad_schema_version],
    ids=["truncated-json", "empty", "not-notes", "bad-schema-version"],
)
def test_an_unreadable_store_file_is_moved_aside_and_reported(tmp_path: Path, stores, corrupt):
    path = tmp_path / "data" / "notes.json"
    path.parent.mkdir()
    original = corrupt(path, stores)
    store = stores(path)  # no exception
    assert note_ids(store) == set()
    check_recovered(path, store.problems, original, stores)


def test_a_folder_in_place_of_the_store_is_refused_and_left_alone(tmp_path: Path, stores):
    """Only bad content moves a store aside: a folder is not a store at all."""
    path = tmp_path / "data" / "notes.json"
    path.mkdir(parents=True)
    (path / "inside.txt").write_bytes(b"keep me")
    with pytest.raises(StoreError, match="is a folder, not a file"):
        stores(path)
    assert (path / "inside.txt").read_bytes() == b"keep me"
    assert asides(path.parent, "unreadable") == []


UNREADABLE_CHILD = r"""
import ctypes, json, os, sys
from pathlib import Path

def drop_dac_override():
    # root reads any file whatever its mode; without CAP_DAC_OVERRIDE and
    # CAP_DAC_READ_SEARCH it is refused like any other user.
    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]
    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for bit in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        for field in ("effective", "permitted", "inheritable"):
            setattr(data[0], field, getattr(data[0], field) & ~(1 << bit))
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")

path = Path(sys.argv[1])
if os.geteuid() == 0:
    drop_dac_override()
try:
    open(path, "rb").close()
    denied = False
except PermissionError:
    denied = True

from briefing.store.notes import Store, StoreError
store = Store(path, author="t")
try:
    store.add_note("b", None, None, "", "after")
    saved = True
except StoreError as exc:
    saved = str(exc)
print(json.dumps({"denied": denied, "read_only": store.read_only, "problems": store.problems,
                  "notes": [n.text for n in store.notes()], "saved": saved}))
"""


@pytest.mark.parametrize("mode_bits", [0o000, 0o200], ids=["no-access", "write-only"])
def test_a_store_that_cannot_be_read_now_is_said_and_left_alone(tmp_path: Path, stores, mode_bits):
    """Run in a child that cannot override file modes (as root: without CAP_DAC_OVERRIDE),
    so opening the store really fails with EACCES. Not bad content: nothing is moved aside,
    nothing is written, the session is read-only and says why."""
    path = tmp_path / "data" / "notes.json"
    store = stores(path)
    store.add_note("b", None, None, "", "before")
    store.close()
    original = path.read_bytes()
    os.chmod(path, mode_bits)
    done = subprocess.run(
        [sys.executable, "-c", UNREADABLE_CHILD, str(path)], check=False, capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["denied"], "the child could still read the file: the check would prove nothing"
    assert report["read_only"] and str(path) in report["read_only"]
    assert isinstance(report["saved"], str) and "read-only" in report["saved"]
    assert asides(path.parent, "unreadable") == []
    os.chmod(path, 0o600)
    assert path.read_bytes() == original
    assert [n.text for n in stores(path).notes()] == ["before"]


@pytest.mark.parametrize("how", ["replaced", "overwritten"])
def test_corruption_mid_session_keeps_the_notes_this_session_read(tmp_path: Path, stores, how):
    path = tmp_path / "notes.json"
    store = stores(path)
    before = {store.add_note("b", f"i{n}", "facts", "q", f"note {n}").id for n in range(3)}
    garbage = b'{"notes": {"0123456789abcdef": {"brief": "b", "te'
    if how == "replaced":  # another program writes a new file over ours
        other = tmp_path / "other.json"
        other.write_bytes(garbage)
        os.replace(other, path)
    else:  # or rewrites ours in place
        path.write_bytes(garbage)

    assert note_ids(store) == before  # still seen, not emptied
    assert len(store.problems) == 1
    [aside] = asides(tmp_path, "unreadable")
    assert str(path) in store.problems[0] and str(aside) in store.problems[0]
    assert aside.read_bytes() == garbage
    after = store.add_note("b", None, None, "", "after")

    fresh = stores(path)
    assert fresh.problems == []
    assert note_ids(fresh) == before | {after.id}


# -- 4. security: private modes whatever the umask, no symlinks followed -----------


def test_folders_and_files_are_private_under_an_open_umask(tmp_path: Path, stores, open_umask):
    path = tmp_path / "a" / "b" / "c" / "notes.json"
    store = stores(path)
    store.add_note("b", None, None, "", "private")
    assert os.umask(0) == 0  # (still open while the store worked)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode(folder) == 0o700, folder
    assert mode(path) == 0o600
    assert mode(paths.lock_file(path)) == 0o600

    # the copy kept aside when the store is unreadable
    store.close()
    os.truncate(path, 10)
    broken = stores(path)
    assert len(broken.problems) == 1
    [aside] = asides(path.parent, "unreadable")
    assert mode(aside) == 0o600
    assert mode(path) == 0o600

    # the copy kept when an old store is migrated
    old = path.parent.parent / "old" / "notes.json"
    old.parent.mkdir()
    old.write_bytes(json.dumps(V1_STORE).encode())
    assert mode(old) == 0o666  # what the umask gave it
    migrated = stores(old)
    [copy] = asides(old.parent, "v1")
    assert mode(copy) == 0o600
    assert mode(old) == 0o600 and mode(paths.lock_file(old)) == 0o600
    assert [str(copy) in problem for problem in migrated.problems] == [True]  # the copy is named


@pytest.mark.parametrize("target_exists", [True, False], ids=["to-a-file", "dangling"])
@pytest.mark.parametrize("at", ["store", "lock"])
def test_a_symlink_at_the_store_or_lock_path_is_refused(tmp_path: Path, at, target_exists):
    path = tmp_path / "data" / "notes.json"
    path.parent.mkdir()
    link = path if at == "store" else paths.lock_file(path)
    target = tmp_path / "elsewhere" / "precious.txt"
    target.parent.mkdir()
    if target_exists:
        target.write_bytes(b"not yours to touch\n")
        os.chmod(target, 0o644)
        before = os.stat(target)
    link.symlink_to(target)

    with pytest.raises(StoreError, match="symbolic link"):
        Store(path)

    assert link.is_symlink() and os.readlink(link) == str(target)
    if target_exists:
        after = os.stat(target)
        assert target.read_bytes() == b"not yours to touch\n"
        assert (after.st_mode, after.st_size, after.st_mtime_ns) == (before.st_mode, before.st_size, before.st_mtime_ns)
    else:
        assert not os.path.lexists(target)
    assert os.listdir(target.parent) == (["precious.txt"] if target_exists else [])


def test_a_relative_xdg_data_home_is_ignored(private_home: Path, monkeypatch, tmp_path: Path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    assert paths.store_file() == private_home / ".local" / "share" / "briefing" / "notes.json"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "absolute"))
    assert paths.store_file() == tmp_path / "absolute" / "briefing" / "notes.json"


# -- 5. LANG=C: notes are UTF-8 whatever the locale --------------------------------

TEXT = "naïve — 日本語 ✎ émigré 📝"

C_LOCALE_CHILD = r"""
import json, locale, sys
from briefing import paths
from briefing.store.notes import Store

text = json.loads(sys.argv[1])
path = paths.store_file()
store = Store(path)
note = store.add_note("brief", "f1", "facts", text, text)
store.close()
back = Store(path).notes()
print(json.dumps({"encoding": locale.getpreferredencoding(False), "path": str(path), "id": note.id,
                  "read": [[n.id, n.text, n.quote] for n in back]}))
"""


def test_notes_survive_a_c_locale(private_home: Path, stores):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG="C", LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [sys.executable, "-c", C_LOCALE_CHILD, json.dumps(TEXT)], env=env, check=False, capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    report = json.loads(done.stdout)
    assert report["encoding"].replace("-", "").lower() != "utf8", "the child was not in the C locale"
    assert report["read"] == [[report["id"], TEXT, TEXT]]

    path = paths.store_file()
    assert report["path"] == str(path)
    assert [(n.id, n.text, n.quote) for n in stores(path).notes()] == [(report["id"], TEXT, TEXT)]
    raw = path.read_bytes()
    raw.decode("utf-8")  # valid UTF-8 (strict)
    assert TEXT.encode("utf-8") in raw


# -- 6. schema: version 1 migrates, a newer version is left alone ------------------

V1_STORE = {
    "_default": {
        "1": {
            "type": "note",
            "brief_id": "met",
            "item_id": "f2",
            "pane": "facts",
            "item_text": "The contract is worth £20m.",
            "text": "check the figure",
            "created": 1700000000,
            "updated": 1700000100,
        },
        "2": {
            "type": "bookmark",
            "brief_id": "met",
            "item_id": None,
            "pane": None,
            "item_text": "",
            "created": 1700000200,
        },
        "3": {
            "type": "note",
            "brief_id": "nhs",
            "item_id": None,
            "pane": None,
            "item_text": "",
            "text": "whole brief",
            "author": "alice",
            "created": 1700000300,
        },
    },
    "reading": {"1": {"brief_id": "met", "at": 1700000400, "pane": "facts", "item_id": "f2"}},
    "settings": {"1": {"key": "theme", "value": "dark"}, "2": {"key": "width", "value": 42}},
}


def test_a_version_1_store_is_migrated_and_the_original_kept(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    original = json.dumps(V1_STORE).encode()  # as TinyDB's JSONStorage wrote it
    path.write_bytes(original)

    store = stores(path, author="bob")
    [copy] = asides(tmp_path, "v1")
    assert copy.read_bytes() == original
    assert len(store.problems) == 1
    assert "version 1" in store.problems[0] and str(copy) in store.problems[0]
    assert orjson.loads(path.read_bytes())["meta"]["schema"]["version"] == SCHEMA

    notes = {n.text: n for n in store.notes()}
    assert set(notes) == {"check the figure", "whole brief"}
    figure = notes["check the figure"]
    assert (figure.brief, figure.item, figure.pane, figure.quote) == (
        "met",
        "f2",
        "facts",
        "The contract is worth £20m.",
    )
    assert (figure.author, figure.created, figure.updated) == (
        "bob",
        "2023-11-14T22:13:20.000Z",
        "2023-11-14T22:15:00.000Z",
    )
    whole = notes["whole brief"]
    assert (whole.brief, whole.item, whole.author) == ("nhs", None, "alice")
    [bookmark] = store.bookmarks()
    assert (bookmark.brief, bookmark.item, bookmark.created) == ("met", None, "2023-11-14T22:16:40.000Z")
    assert store.bookmarked_briefs() == {"met"}
    assert store.read_briefs() == {"met"}
    assert store.reading("met") == {"read": "2023-11-14T22:20:00.000Z", "pane": "facts", "item": "f2"}
    assert store.setting("theme") == "dark" and store.setting("width") == 42

    # migrated once: a reopened store has nothing to report and the same records
    again = stores(path)
    assert again.problems == []
    assert note_ids(again) == note_ids(store)
    assert asides(tmp_path, "v1") == [copy]


def test_a_store_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path):
    path = tmp_path / "notes.json"
    raw = orjson.dumps(
        {
            "meta": {"schema": {"version": SCHEMA + 1}},
            "notes": {"0123456789abcdef": {"brief": "b", "text": "from the future"}},
            "new_table": {"x": {"y": 1}},
        }
    )
    path.write_bytes(raw)
    os.chmod(path, 0o600)
    before = os.stat(path)
    with pytest.raises(StoreError, match="newer"):
        Store(path)
    after = os.stat(path)
    assert path.read_bytes() == raw
    assert (after.st_ino, after.st_mtime_ns, after.st_mode) == (before.st_ino, before.st_mtime_ns, before.st_mode)
    assert sorted(os.listdir(tmp_path)) == ["notes.json", "notes.json.lock"]


# -- 7. durability details ---------------------------------------------------------


def test_no_temp_file_is_left_after_a_save(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    store = stores(path)
    assert temp_files(tmp_path) == []
    note = store.add_note("b", None, None, "", "one")
    assert temp_files(tmp_path) == []
    store.edit_note(note, "two")
    store.toggle_bookmark("b", None, None, "")
    store.set_setting("theme", "light")
    store.delete(note)
    assert temp_files(tmp_path) == []
    assert sorted(os.listdir(tmp_path)) == ["notes.json", "notes.json.lock"]


def test_a_dead_writers_temp_file_is_removed_on_open_and_a_live_ones_kept(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    stores(path).add_note("b", None, None, "", "one")
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(ended.pid, 0)
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead_tmp = paths.temp_file(path, ended.pid, "deadbeef")
        live_tmp = paths.temp_file(path, living.pid, "cafef00d")
        dead_tmp.write_bytes(b'{"half": ')
        live_tmp.write_bytes(b'{"being written": ')
        assert sorted(temp_files(tmp_path)) == sorted([dead_tmp.name, live_tmp.name])
        store = stores(path)
        assert not dead_tmp.exists()
        assert live_tmp.exists()  # another writer may be about to rename it
        assert len(store.notes()) == 1
    finally:
        living.kill()
        living.wait()


def test_the_lock_is_a_separate_file_from_the_data(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    store = stores(path)
    lock = paths.lock_file(path)
    assert lock != path and lock.parent == path.parent
    first = store.add_note("b", None, None, "", "one")
    # The data never goes in the lock file: it holds only the token of the last save and
    # the pid of the process that took the lock last (for a message to whoever waits).
    token = lock.read_bytes()
    assert lock.is_file() and re.fullmatch(rb"[0-9a-f]{16}" + str(os.getpid()).encode() + rb" *", token)

    # holding the lock file blocks a save, and the data file stays as it was meanwhile
    held = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        data_before = path.read_bytes()
        saved: list[str] = []
        writer = threading.Thread(target=lambda: saved.append(store.add_note("b", None, None, "", "two").id))
        writer.start()
        writer.join(0.5)
        assert writer.is_alive(), "a save went ahead while another process held the lock file"
        assert path.read_bytes() == data_before
        fcntl.flock(held, fcntl.LOCK_UN)
        writer.join(10)
        assert not writer.is_alive() and saved
    finally:
        os.close(held)

    # a lock on the data file itself does not stop a save: it is not what the store locks
    data_fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(data_fd, fcntl.LOCK_EX)
        third: list[str] = []
        writer = threading.Thread(target=lambda: third.append(store.add_note("b", None, None, "", "three").id))
        writer.start()
        writer.join(10)
        assert not writer.is_alive() and third
    finally:
        os.close(data_fd)
    assert note_ids(stores(path)) == {first.id, saved[0], third[0]}
    assert re.fullmatch(rb"[0-9a-f]{16}[0-9]+ *", lock.read_bytes()) and lock.read_bytes()[:16] != token[:16]


def test_a_save_that_leaves_the_file_looking_the_same_is_still_seen(tmp_path: Path, stores):
    """Another process's save can leave the file's stat as it was (same size, a reused
    inode number, the same clock tick); the token in the lock file still tells."""
    path = tmp_path / "notes.json"
    mine, theirs = stores(path), stores(path)
    note = mine.add_note("b", "i", "facts", "q", "aaaa")
    assert theirs.notes() == [note]
    # Their save, made to look like nothing happened to the file's stat.
    info = os.stat(path)
    changed = theirs.edit_note(note, "bbbb")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    mine._seen = store_module._file_key(os.stat(path))  # as if stat could not tell
    assert [n.text for n in mine.notes()] == ["bbbb"]
    # And a save of mine after theirs keeps their change.
    mine.add_note("b", "j", "facts", "q2", "cccc")
    assert sorted(n.text for n in stores(path).notes()) == ["bbbb", "cccc"]
    assert changed.id == note.id


def test_a_record_that_is_not_an_object_is_moved_aside(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    raw = b'{"meta": {"schema": {"version": 2}}, "notes": {"abc": "x"}}'
    path.write_bytes(raw)
    store = stores(path)
    [problem] = store.problems
    assert "not an object" in problem and str(path) in problem
    [aside] = tmp_path.glob("notes.json.unreadable-*")
    assert aside.read_bytes() == raw and stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert store.notes() == []


def test_a_lock_file_removed_between_starts_still_serialises_writers(tmp_path: Path, stores):
    """Someone deletes the lock file as 'stale' while briefing runs: the next process
    locks a new file, and every process must move to it, or saves interleave and are lost."""
    path = tmp_path / "shared" / "notes.json"
    lock = paths.lock_file(path)
    writers = []
    try:
        for k in range(4):
            writers.append(
                subprocess.Popen(
                    [sys.executable, "-c", WRITER_CHILD, str(path), f"w{k}", "150"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
            for _ in range(200):  # until this writer has opened the store (and its lock file)
                if lock.exists() and path.exists():
                    break
                time.sleep(0.01)
            time.sleep(0.3)
            if k < 3:
                lock.unlink()
    except BaseException:
        for writer in writers:
            writer.kill()
            writer.wait()
        raise
    results = release_together(writers)
    acked = set()
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err.decode()
        acked |= set(acknowledged(out))
    assert len(acked) == 600
    assert note_ids(stores(path)) == acked


def test_reanchoring_never_undoes_an_edit_or_a_deletion(tmp_path: Path, stores):
    """Marks re-pointed from an old reading must not write back their old text, nor bring
    back a note deleted meanwhile; the reader's re-attach keeps the stored text."""
    from dataclasses import replace

    path = tmp_path / "notes.json"
    mine, theirs = stores(path), stores(path)
    kept = mine.add_note("b", "old-id", "facts", "q", "first text")
    gone = mine.add_note("b", "other-id", "facts", "q2", "to be deleted")
    read_then = mine.notes()  # what a slow re-anchoring started from
    edited = theirs.edit_note(kept, "second text")
    assert theirs.delete(gone)
    moved = [replace(n, item="new-id", anchor="edited") for n in read_then]
    assert mine.reanchor(moved) == 0
    [note] = stores(path).notes()
    assert (note.id, note.text, note.item, note.anchor) == (kept.id, "second text", "old-id", "ok")
    # Unchanged since read: the anchor moves, the text stays.
    assert mine.reanchor([replace(edited, item="new-id", anchor="edited")]) == 1
    [note] = stores(path).notes()
    assert (note.text, note.item, note.anchor) == ("second text", "new-id", "edited")
    # A re-attach by the reader keeps the stored text even if the mark in hand is stale.
    attached = mine.attach(kept, "third-id", "concerns", "new quote")
    assert (attached.text, attached.item, attached.quote, attached.anchor) == (
        "second text",
        "third-id",
        "new quote",
        "ok",
    )
    assert mine.attach(gone, "x", "facts", "y") is None
    assert [n.id for n in stores(path).notes()] == [kept.id]


def test_a_failed_write_after_recovery_is_reported_and_keeps_the_notes(tmp_path: Path, stores, monkeypatch):
    """Another program breaks the file and the disk is full: the store says so (StoreError,
    not a crash), keeps what it had, and writes it once it can."""
    path = tmp_path / "notes.json"
    store = stores(path)
    note = store.add_note("b", "i", "facts", "q", "precious")
    path.write_bytes(b"{ truncated")

    def disk_full(target, payload):
        raise OSError(27, "File too large")

    monkeypatch.setattr(store_module, "write_atomic", disk_full)
    with pytest.raises(StoreError, match="File too large"):
        store.refresh()
    assert store.notes() == [note]  # reading goes on from memory meanwhile
    with pytest.raises(StoreError):
        store.refresh()  # and the failure is still said until the write succeeds
    monkeypatch.undo()
    assert [n.text for n in store.notes()] == ["precious"]
    assert [n.text for n in stores(path).notes()] == ["precious"]
