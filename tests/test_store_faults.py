"""The notes store says its faults out loud, waits for nothing for ever, and keeps drafts.

* A store moved aside (bad content) is reported at the next start and every start after,
  until the reader acknowledges it, even when the new store could not be written.
* Only bad content moves a store aside: a file that cannot be read now (EMFILE, EIO,
  EACCES), a read-only file or folder, or a lock another briefing holds gives a read-only
  session that says why and leaves the file as it is.
* A FIFO, a socket or a folder at the store or lock path is refused at once.
* Drafts: one per item, durable, dropped in the same write that saves the note.
"""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefing import paths
from briefing.store import notes as store_module
from briefing.store.notes import Store, StoreBusy, StoreError

from .fixtures import lock_held

HANG_GUARD = 30.0  # seconds: only a hang gets near it (a FIFO opened for reading blocks forever)


def fingerprint(path: Path) -> tuple[bytes, int, int]:
    info = path.stat()
    return path.read_bytes(), info.st_ino, info.st_mtime_ns


def run_guarded(function, *args, **kwargs):
    """Run ``function`` in a thread; fail (rather than hang the suite) if it never returns."""
    result: dict = {}

    def target() -> None:
        try:
            result["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 (handed back to the test)
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), f"{function.__name__} did not return: it hangs"
    if "error" in result:
        raise result["error"]
    return result["value"]


# -- a store moved aside is said until acknowledged ------------------------------------


def test_a_store_moved_aside_is_reported_at_every_start_until_acknowledged(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    stores(path).add_note("b", None, None, "", "lost with the file")
    path.write_bytes(b"{ this is not json")
    first = stores(path)
    [aside] = first.asides()
    assert aside.path.is_file() and aside.path.read_bytes() == b"{ this is not json"
    assert "not valid JSON" in (aside.reason or "")
    for _ in range(2):  # the next starts, and the ones after
        assert [a.path for a in stores(path).asides()] == [aside.path]
    stores(path).acknowledge([aside])
    assert stores(path).asides() == []
    assert aside.path.is_file()  # acknowledged, never deleted


def test_a_failed_save_after_the_move_still_reports_it_next_time(tmp_path: Path, stores, monkeypatch):
    """Today's bug: the file is moved aside, the new store cannot be written, and the next
    run showed 0 notes without a word."""
    path = tmp_path / "notes.json"
    stores(path).add_note("b", None, None, "", "a note")
    path.write_bytes(b"garbage")

    def disk_full(target, payload):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "write_atomic", disk_full)
    with pytest.raises(StoreError, match="No space left"):
        stores(path)
    monkeypatch.undo()
    assert not path.exists()  # moved aside; nothing written in its place
    again = stores(path)
    [aside] = again.asides()
    assert aside.path.read_bytes() == b"garbage"


# -- only bad content moves a store ----------------------------------------------------


@pytest.mark.parametrize("code", [errno.EMFILE, errno.EIO, errno.EACCES])
def test_an_error_opening_a_healthy_store_leaves_it_alone(tmp_path: Path, stores, monkeypatch, code):
    path = tmp_path / "notes.json"
    stores(path).add_note("b", None, None, "", "healthy")
    before = fingerprint(path)
    real_open = os.open

    def failing_open(target, flags, *args, **kwargs):
        if Path(target) == path:
            raise OSError(code, os.strerror(code))
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr(store_module.os, "open", failing_open)
    store = stores(path)
    assert store.read_only and os.strerror(code) in store.read_only and str(path) in store.read_only
    with pytest.raises(StoreError, match="read-only"):
        store.add_note("b", None, None, "", "not saved")
    monkeypatch.undo()
    assert fingerprint(path) == before
    assert list(tmp_path.glob("notes.json.unreadable-*")) == []
    assert [n.text for n in stores(path).notes()] == ["healthy"]


def test_a_read_only_store_file_is_respected(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    stores(path).add_note("b", None, None, "", "keep me")
    os.chmod(path, 0o400)
    before = fingerprint(path)
    store = stores(path)
    assert store.read_only and "read-only" in store.read_only
    assert [n.text for n in store.notes()] == ["keep me"]  # still read
    with pytest.raises(StoreError, match="read-only"):
        store.add_note("b", None, None, "", "not saved")
    with pytest.raises(StoreError, match="read-only"):
        store.save_place("b")
    assert fingerprint(path) == before and stat.S_IMODE(path.stat().st_mode) == 0o400


def test_a_read_only_store_folder_is_respected(tmp_path: Path, stores):
    folder = tmp_path / "data"
    path = folder / "notes.json"
    stores(path, default_location=True).add_note("b", None, None, "", "keep me")
    os.chmod(folder, 0o500)
    try:
        before = fingerprint(path)
        store = stores(path, default_location=True)
        assert store.read_only and "folder" in store.read_only
        assert [n.text for n in store.notes()] == ["keep me"]
        with pytest.raises(StoreError, match="read-only"):
            store.add_note("b", None, None, "", "not saved")
        assert fingerprint(path) == before
        assert stat.S_IMODE(folder.stat().st_mode) == 0o500  # not "made private" back to 0700
    finally:
        os.chmod(folder, 0o700)


# -- a lock held elsewhere -------------------------------------------------------------


@pytest.fixture
def lock_holder(tmp_path: Path):
    """Another briefing process that takes the store's lock and keeps it."""
    path = tmp_path / "notes.json"
    Store(path).close()
    with lock_held(path) as pid:
        yield path, pid


def test_a_lock_held_by_another_briefing_gives_a_read_only_session_saying_who(lock_holder, stores):
    path, pid = lock_holder
    told: list[int | None] = []
    store = run_guarded(stores, path, wait=1.0, waiting=told.append)
    assert told == [pid]  # "waiting for another briefing (pid N)", said once
    assert store.read_only and f"pid {pid}" in store.read_only
    with pytest.raises(StoreError, match="read-only"):
        store.add_note("b", None, None, "", "not saved")


def test_a_lock_held_elsewhere_fails_with_the_pid_when_asked_to(lock_holder, stores):
    path, pid = lock_holder
    with pytest.raises(StoreBusy, match=f"pid {pid}") as raised:
        run_guarded(stores, path, wait=0.5, read_only_when_busy=False)
    assert raised.value.pid == pid


def test_a_save_while_another_briefing_holds_the_lock_gives_up_and_says_so(tmp_path: Path):
    path = tmp_path / "notes.json"
    store = Store(path, wait=0.5)  # open first, as a second SSH session would be
    with lock_held(path) as pid:
        with pytest.raises(StoreBusy, match=f"pid {pid}"):
            run_guarded(store.add_note, "b", None, None, "", "waits, then gives up")
        assert store.notes() == []  # reading goes on meanwhile, from what was read
    note = store.add_note("b", None, None, "", "once the other one is done")
    assert [n.id for n in Store(path).notes()] == [note.id]
    store.close()


# -- things that are not files ---------------------------------------------------------


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()


@pytest.mark.parametrize("where", ["store", "lock"])
@pytest.mark.parametrize("make, word", [(make_fifo, "FIFO"), (make_socket, "socket")], ids=["fifo", "socket"])
def test_a_fifo_or_socket_at_the_store_path_is_refused_at_once(tmp_path: Path, stores, where, make, word):
    path = tmp_path / "notes.json"
    target = path if where == "store" else paths.lock_file(path)
    make(target)
    with pytest.raises(StoreError, match=word):
        run_guarded(stores, path)
    assert stat.S_ISFIFO(target.lstat().st_mode) or stat.S_ISSOCK(target.lstat().st_mode)


def test_a_fifo_swapped_in_mid_session_does_not_block(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    store = stores(path)
    store.add_note("b", None, None, "", "before")
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(StoreError, match="FIFO"):
        run_guarded(store.add_note, "b", None, None, "", "after")
    assert stat.S_ISFIFO(path.lstat().st_mode)


# -- drafts ----------------------------------------------------------------------------


def test_a_draft_is_kept_per_item_and_survives_a_new_session(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    store = stores(path)
    store.save_draft("b", "i", "facts", "The item.", "half a thought")
    store.save_draft("b", "i", "facts", "The item.", "half a thought, and more")  # the last wins
    store.save_draft("b", None, None, "The brief", "on the whole brief\x1b[31m")
    again = stores(path)
    assert again.draft("b", "i").text == "half a thought, and more"
    assert again.draft("b", None).text == "on the whole brief␛[31m"  # cleaned like notes
    assert sorted((d.brief, d.item or "") for d in again.drafts()) == [("b", ""), ("b", "i")]
    assert again.draft("b", "other") is None


def test_saving_the_note_drops_its_draft_in_the_same_write(tmp_path: Path, stores):
    path = tmp_path / "notes.json"
    store = stores(path)
    store.save_draft("b", "i", "facts", "The item.", "typed")
    note = store.add_note("b", "i", "facts", "The item.", "typed")
    assert store.draft("b", "i") is None and stores(path).draft("b", "i") is None
    store.save_draft("b", "i", "facts", "The item.", "typed, edited", note=note.id)
    store.edit_note(note, "typed, edited")
    assert stores(path).draft("b", "i") is None
    store.save_draft("b", "i", "facts", "The item.", "thrown away")
    assert store.drop_draft("b", "i") and stores(path).draft("b", "i") is None


def test_a_store_without_a_drafts_table_reads_as_having_none(tmp_path: Path, stores):
    import orjson

    path = tmp_path / "notes.json"
    stores(path).add_note("b", None, None, "", "old")
    data = orjson.loads(path.read_bytes())
    del data["drafts"]
    path.write_bytes(orjson.dumps(data))
    store = stores(path)
    assert store.drafts() == [] and [n.text for n in store.notes()] == ["old"]
    store.save_draft("b", None, None, "", "new")
    assert [d.text for d in stores(path).drafts()] == ["new"]


def test_timing_of_the_lock_wait_is_bounded(lock_holder):
    """A store told to wait 0.5 s does not wait much longer (a hang guard, wide margin)."""
    path, _ = lock_holder
    start = time.monotonic()
    store = run_guarded(Store, path, wait=0.5)
    store.close()
    assert time.monotonic() - start < HANG_GUARD


def test_a_session_waits_while_others_keep_saving_and_gives_up_only_on_one_that_does_not(tmp_path: Path):
    """Several sessions saving in turn can hold the lock, between them, for longer than a
    session waits for one: that is progress, not a session stuck (stopped with ctrl-z), and
    the one waiting must not give up on it. Here another session takes the lock again and
    again, saving each time, for two and a half times the wait; a store told to wait 1 s
    still saves. Then it holds the lock without saving: the store gives up, saying so."""
    from briefing import paths as app_paths
    from briefing.store.lock import LockFile

    path = tmp_path / "notes.json"
    Store(path).close()
    other = LockFile(app_paths.lock_file(path))
    other.open()
    stop = threading.Event()

    def saving_in_turn() -> None:
        n = 0
        while not stop.is_set():
            with other.held(5.0):
                n += 1
                other.set_generation(f"{n:<16}".encode())
                time.sleep(0.02)

    worker = threading.Thread(target=saving_in_turn, daemon=True)
    worker.start()
    try:
        started = time.monotonic()
        threading.Timer(2.5, stop.set).start()  # longer than the wait, then it lets go
        store = Store(path, wait=1.0)
        store.add_note("b", None, None, "", "written while others saved")
        assert time.monotonic() - started < HANG_GUARD
        store.close()
    finally:
        stop.set()
        worker.join(HANG_GUARD)
    assert [n.text for n in Store(path).notes()] == ["written while others saved"]
    with other.held(5.0):  # held, and nothing saved: given up on after the wait
        store = Store(path, wait=0.3)
        assert store.read_only is not None and "more than 0.3 seconds" in store.read_only
        store.close()
    other.close()


# -- the command line says it, and exits non-zero --------------------------------------


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """The installed briefing command, as a user runs it (its own process: the lock is real)."""
    command = Path(sys.executable).parent / "briefing"
    return subprocess.run([str(command), *argv], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_export_and_import_say_a_store_moved_aside_and_exit_non_zero_until_acknowledged(tmp_path: Path):
    import json

    path = tmp_path / "notes.json"
    path.write_bytes(b"{ broken")
    export = cli("--store", str(path), "export", "--format", "json")
    assert export.returncode != 0 and "unreadable-" in export.stderr and "not valid JSON" in export.stderr
    assert json.loads(export.stdout)["marks"] == []  # the export itself was written
    again = cli("export", "--store", str(path))
    assert again.returncode != 0 and "could not be read and was kept as" in again.stderr
    dump = tmp_path / "dump.json"
    dump.write_text(export.stdout)
    imported = cli("import", str(dump), "--store", str(path))
    assert imported.returncode != 0 and "kept as" in imported.stderr
    ack = cli("acknowledge", "--store", str(path))
    assert ack.returncode == 0 and "acknowledged" in ack.stdout
    [aside] = tmp_path.glob("notes.json.unreadable-*")
    assert str(aside) in ack.stdout and aside.read_bytes() == b"{ broken"
    quiet = cli("export", "--store", str(path))
    assert quiet.returncode == 0 and "kept as" not in quiet.stderr


@pytest.mark.slow  # the installed command waits out the lock: five seconds by design
def test_the_cli_waits_for_a_lock_a_few_seconds_then_exits_2_saying_who(lock_holder):
    path, pid = lock_holder
    done = cli("export", "--store", str(path))
    assert done.returncode == 2
    assert f"waiting for another briefing (pid {pid})" in done.stderr
    assert f"another briefing (pid {pid}) has been using the notes store" in done.stderr


@pytest.mark.parametrize("make", [make_fifo, make_socket], ids=["fifo", "socket"])
def test_the_cli_refuses_a_fifo_or_socket_store_at_once(tmp_path: Path, make):
    path = tmp_path / "notes.json"
    make(path)
    done = cli("export", "--store", str(path))
    assert done.returncode == 2 and "not a file" in done.stderr


def test_a_read_only_store_exports_but_does_not_import(tmp_path: Path):
    import json

    path = tmp_path / "notes.json"
    Store(path).add_note("b", None, None, "", "kept")
    os.chmod(path, 0o400)
    export = cli("export", "--format", "json", "--store", str(path))
    assert export.returncode == 0 and "read-only" in export.stderr
    assert [m["note"] for m in json.loads(export.stdout)["marks"]] == ["kept"]
    dump = tmp_path / "dump.json"
    dump.write_text(export.stdout)
    imported = cli("import", str(dump), "--store", str(path))
    assert imported.returncode == 2 and "read-only" in imported.stderr
