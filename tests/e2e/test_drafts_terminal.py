"""What is typed is never lost: the installed ``briefing`` keeps a draft of an open note.

Text is typed into the note dialog and never saved; then the session ends as SSH sessions
do (SIGHUP, SIGTERM, the terminal itself going away), at once or after a pause. The next
start offers the text again in that item's dialog, lists it in the notebook, and saving
it (or discarding it on purpose) leaves no draft behind.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from briefing.core.model import Brief

from ..fixtures import CONTRACT
from .reader import (
    DIALOG_HINT,
    EXIT_TIMEOUT,
    START_TIMEOUT,
    move_to,
    store_of,
    tab_marker,
)
from .terminal import Terminal

DRAFT = "Half a thought about the £50m figure — ask the Mayor's office ✓"
RESTORED = "Restored what you were writing"


def open_dialog_on_second_concern(spawn, brief: Brief) -> Terminal:
    term = spawn(CONTRACT)
    term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    term.press("3")
    term.wait_for(tab_marker("concerns"))
    move_to(term, brief.concerns[1])
    term.press("a")
    term.wait_for(DIALOG_HINT)
    term.settle(quiet=0.15)
    return term


def typed(term: Terminal) -> None:
    """Type DRAFT into the dialog and wait until the reader shows all of it: what it has
    shown, it has (keys still on their way through the terminal when the session ends were
    never the reader's to keep)."""
    term.send(DRAFT)
    term.wait_for("Half a thought")
    term.wait_for("office ✓")


def drafts(home: Path) -> list[tuple[str, str | None, str]]:
    store = store_of(home)
    try:
        return [(d.brief, d.item, d.text) for d in store.drafts()]
    finally:
        store.close()


def end(term: Terminal, how: str) -> int | None:
    if how == "hang-up":
        return term.hang_up(timeout=EXIT_TIMEOUT)
    term.send_signal(signal.SIGHUP if how == "SIGHUP" else signal.SIGTERM)
    return term.wait_exit(timeout=EXIT_TIMEOUT)


@pytest.mark.parametrize("pause", [0.0, 1.5], ids=["at-once", "after-a-pause"])
@pytest.mark.parametrize("how", ["SIGHUP", "SIGTERM", "hang-up"])
def test_text_typed_into_the_dialog_survives_the_end_of_the_session(
    spawn, brief: Brief, home: Path, how: str, pause: float
) -> None:
    item = brief.concerns[1]
    term = open_dialog_on_second_concern(spawn, brief)
    typed(term)
    time.sleep(pause)
    status = end(term, how)
    assert term.signalstatus is None and status == 0, (status, term.signalstatus)
    assert drafts(home) == [(CONTRACT, item.id, DRAFT)]
    assert store_of(home).notes() == []  # a draft, not a note: nothing was saved as one

    # The next start: the same item's dialog offers the text again, said so.
    again = open_dialog_on_second_concern(spawn, brief)
    again.wait_for(RESTORED)
    again.wait_for("Half a thought")
    again.press("ctrl+s")
    again.wait_gone(DIALOG_HINT)
    store = store_of(home)
    assert [(n.item, n.text) for n in store.notes()] == [(item.id, DRAFT)]
    assert store.drafts() == []  # saved: the draft went in the same write


def test_the_notebook_lists_a_draft_and_discarding_it_on_purpose_forgets_it(spawn, brief: Brief, home: Path) -> None:
    term = open_dialog_on_second_concern(spawn, brief)
    typed(term)
    assert end(term, "SIGHUP") == 0

    again = spawn(CONTRACT)
    again.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    again.press("n")
    again.wait_for("1 unsaved draft")
    again.wait_for("draft, not saved")
    again.press("d")
    again.wait_for("Discard this draft?")
    again.press("y")
    again.wait_gone("draft, not saved")
    assert drafts(home) == []


def test_escape_keeps_the_draft_unless_the_reader_discards_it(spawn, brief: Brief, home: Path) -> None:
    item = brief.concerns[1]
    term = open_dialog_on_second_concern(spawn, brief)
    typed(term)
    term.press("escape")
    term.wait_for("Discard what you wrote?")
    term.press("n")  # keep writing
    term.wait_gone("Discard what you wrote?")
    deadline = time.monotonic() + 10
    while drafts(home) != [(CONTRACT, item.id, DRAFT)]:  # kept within a moment of typing
        assert time.monotonic() < deadline, drafts(home)
        term.pump(0.1)
    term.press("escape")
    term.wait_for("Discard what you wrote?")
    term.press("y")
    term.wait_gone(DIALOG_HINT)
    assert drafts(home) == []
    assert store_of(home).notes() == []
