"""Store faults are said out loud in the installed reader, and nothing waits for ever.

* Another briefing holds the store's lock: the reader says it is waiting for it (with its
  pid) before it starts, then starts read-only and says so; a note cannot be saved, and
  the dialog keeps the text.
* A read-only store file is respected: said once, notes shown, the file not replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..fixtures import CONTRACT, lock_held
from .reader import DIALOG_HINT, START_TIMEOUT, store_of, tab_marker


@pytest.fixture
def holder(home: Path):
    """Another briefing holding the lock of this HOME's store."""
    path = home / "data" / "briefing" / "notes.json"
    store_of(home).close()  # create it where the reader will look
    with lock_held(path) as pid:
        yield pid


def test_a_lock_held_elsewhere_is_waited_for_said_then_the_reader_runs_read_only(spawn, holder: int) -> None:
    term = spawn(CONTRACT)
    term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    raw = bytes(term.raw).decode("utf-8", "replace")
    assert f"waiting for another briefing (pid {holder})" in raw
    term.wait_for("read-only")
    term.press("a")
    term.wait_for(DIALOG_HINT)
    term.settle(quiet=0.15)
    term.send("kept while the store is busy")
    term.wait_for("kept while the store")
    term.press("ctrl+s")
    term.wait_for("Not saved")
    assert DIALOG_HINT in term.screen_text()  # the dialog stays, with the text
    assert "kept while the store" in term.screen_text()


def test_a_read_only_store_file_is_said_once_and_left_as_it_is(spawn, home: Path) -> None:
    store = store_of(home)
    store.add_note(CONTRACT, None, None, "", "written before")
    store.close()
    path = home / "data" / "briefing" / "notes.json"
    os.chmod(path, 0o400)
    before = path.read_bytes(), path.stat().st_ino
    term = spawn(CONTRACT)
    term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    term.wait_for("read-only")
    term.wait_for("✎ The Mayor of London")  # the brief's own note, read from the store
    term.press("b")
    term.wait_for("Not saved")
    term.press("q", "q")
    assert term.wait_exit() == 0
    assert (path.read_bytes(), path.stat().st_ino) == before
    assert (path.stat().st_mode & 0o777) == 0o400
