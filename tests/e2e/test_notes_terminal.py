"""Notes in a real terminal: they survive the end of the session, and two sessions share them.

* A note acknowledged on screen ("Note saved.") is on disk: SIGHUP or SIGTERM straight
  after it, or the terminal itself going away (a dropped SSH connection), ends briefing
  through its normal exit: exit status 0, not killed by the signal, the note in the store,
  the reading place saved on the way out.
* Two briefing processes on one store (one HOME) see each other's notes and bookmarks
  within a few seconds without a key press (the store is polled every 2 s), and when
  both quit the store holds every note of both.

The store is read back with :class:`briefing.store.notes.Store`, as the next start would.
"""

from __future__ import annotations

import re
import signal
from pathlib import Path

import pytest

from briefing.core.model import Brief, Item
from briefing.core.parse import load_brief
from briefing.paths import bundled_library
from briefing.store.notes import Store

from .terminal import Terminal
from .test_terminal import (
    BRIEF_ID,
    LIBRARY_HEADER,
    assert_terminal_restored,
    open_brief_from_library,
    shown,
    tab_marker,
)

# The store's poll runs every 2 s; on a loaded machine a redraw may take a while more.
POLL_TIMEOUT = 8.0
EXIT_TIMEOUT = 5.0
DIALOG_HINT = "ctrl+s save · esc cancel"
SAVED = "Note saved."

# Non-ASCII on purpose: accents, a dash, a check mark, CJK (two columns wide).
NOTE_TEXT = "Zürich café — naïve ✓ 東京: ask the Met who signs off"


@pytest.fixture(scope="module")
def brief() -> Brief:
    return load_brief(bundled_library() / f"{BRIEF_ID}.md")


def store_of(home: Path) -> Store:
    """The default store of a briefing run with this HOME ($XDG_DATA_HOME/briefing/notes.json)."""
    return Store(home / "data" / "briefing" / "notes.json")


def row_marks(screen: str, item: Item) -> str | None:
    """The two marker columns before ``item``'s row in a pane list: "★✎", " ✎", "★ ",
    or "  " when it has none; None when its row is not on screen. A row is
    ``C MM label`` (C the cursor ▶ or a blank, MM the markers)."""
    label = shown(item.label, 30)
    for line in screen.splitlines():
        if line[5:].startswith(label) and line[:2] in ("▶ ", "  ") and line[4:5] == " ":
            return line[2:4]
    return None


def cursor_row(screen: str, item: Item) -> bool:
    label = shown(item.label, 30)
    return any(line.startswith("▶ ") and line[5:].startswith(label) for line in screen.splitlines())


def wait_marks(term: Terminal, item: Item, marks: str, timeout: float = 10.0) -> str:
    return term.wait_until(lambda s: row_marks(s, item) == marks, timeout,
                           f"the row of {item.id!r} marked {marks!r}")


def header_noted(screen: str, brief: Brief) -> bool:
    """The brief header puts ✎ before the title once the brief itself has a note."""
    return f"✎ {shown(brief.title, 30)}" in screen.splitlines()[0]


def move_to(term: Terminal, item: Item, tries: int = 12) -> None:
    """Move the pane's cursor (j) down to ``item``."""
    for _ in range(tries):
        term.settle(quiet=0.15)
        if cursor_row(term.screen_text(), item):
            return
        term.press("j")
    raise AssertionError(f"the cursor never reached {item.id!r}:\n{term.dump()}")


def write_note(term: Terminal, key: str, text: str, probe: str) -> None:
    """Open the note dialog with ``key``, type ``text``, save it with ctrl+s. ``probe`` is a
    piece of ``text`` to see on screen before saving (what was typed has arrived)."""
    term.press(key)
    term.wait_for(DIALOG_HINT)
    term.settle(quiet=0.15)
    term.send(text)
    term.wait_for(probe)
    term.press("ctrl+s")
    term.wait_gone(DIALOG_HINT)


def quit_from_brief(term: Terminal) -> int | None:
    term.press("q")
    term.wait_for(LIBRARY_HEADER)
    term.settle(quiet=0.15)
    term.press("q")
    return term.wait_exit(timeout=10.0)


def leftovers(home: Path, cwd: Path) -> list[str]:
    """Files a run left that a clean run does not: no traceback dump, no core, no
    temporary store file of an interrupted save, nothing in the working folder."""
    expected = re.compile(r"(data/briefing/notes\.json(\.lock)?|cache/briefing/library-index-\w+\.json)")
    found = [p.relative_to(home).as_posix() for p in home.rglob("*") if not p.is_dir()]
    strays = [p for p in found if not expected.fullmatch(p)]
    return strays + [f"cwd/{p.name}" for p in cwd.iterdir()]


def note_written_on_the_second_stakeholder(spawn, brief: Brief) -> tuple[Terminal, Item]:
    """briefing with the brief open, Stakeholders pane, the cursor on its second item, and
    a note on that item saved (acknowledged on screen). The reading place stored so far is
    the one the brief opened at (Key facts, first item): only the exit saves the new one."""
    term = spawn()
    open_brief_from_library(term, brief)
    item = brief.stakeholders[1]
    term.press("2")
    term.wait_for(tab_marker("stakeholders"))
    move_to(term, item)
    write_note(term, "a", NOTE_TEXT, "Zürich café")
    term.wait_for(SAVED)
    wait_marks(term, item, " ✎")
    return term, item


def assert_note_and_place_saved(home: Path, item: Item) -> None:
    store = store_of(home)
    notes = store.notes()
    assert [(n.brief, n.item, n.text) for n in notes] == [(BRIEF_ID, item.id, NOTE_TEXT)]
    # Saved only by the exit (see note_written_on_the_second_stakeholder): the exit ran.
    assert store.last_place() == {"brief": BRIEF_ID, "pane": "stakeholders", "item": item.id, "open": True}


@pytest.mark.parametrize("number", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_right_after_a_note_ends_briefing_normally_with_the_note_kept(
        spawn, brief: Brief, home: Path, tmp_path: Path, number: int) -> None:
    term, item = note_written_on_the_second_stakeholder(spawn, brief)
    term.send_signal(number)  # at once: the note was acknowledged, it must be on disk
    status = term.wait_exit(timeout=EXIT_TIMEOUT)
    assert term.signalstatus is None, f"killed by signal {term.signalstatus}, not a normal exit"
    assert status == 0
    raw = bytes(term.raw)
    assert b"Traceback" not in raw
    assert_terminal_restored(raw)  # the terminal is still there: it is left as it was found
    assert_note_and_place_saved(home, item)
    assert leftovers(home, tmp_path / "cwd") == []


def test_the_terminal_going_away_after_a_note_ends_briefing_normally(
        spawn, brief: Brief, home: Path, tmp_path: Path) -> None:
    term, item = note_written_on_the_second_stakeholder(spawn, brief)
    status = term.hang_up(timeout=EXIT_TIMEOUT)  # the pty master closed: SIGHUP, and EIO on writes
    assert term.signalstatus is None, f"killed by signal {term.signalstatus}, not a normal exit"
    # 120 is Python failing to flush its standard streams at the end: an error exit.
    assert status == 0, f"exit status {status} after the hang-up"
    assert_note_and_place_saved(home, item)
    assert leftovers(home, tmp_path / "cwd") == []


def test_two_terminals_on_one_store_see_each_others_notes_and_lose_none(
        spawn, brief: Brief, home: Path) -> None:
    first, second = brief.facts[0], brief.facts[1]
    a, b = spawn(), spawn()  # one HOME: one store
    open_brief_from_library(a, brief)
    open_brief_from_library(b, brief)
    a.wait_for(shown(first.label))
    b.wait_for(shown(first.label))

    # A bookmarks and annotates the first item; B, untouched, shows both marks by itself.
    a.press("b")
    wait_marks(a, first, "★ ")
    write_note(a, "a", "A: check the £50m figure", "A: check")
    wait_marks(a, first, "★✎")
    wait_marks(b, first, "★✎", timeout=POLL_TIMEOUT)
    assert row_marks(b.screen_text(), second) == "  "

    # B annotates the second item and the brief itself; A, untouched, shows both.
    move_to(b, second)
    write_note(b, "a", "B: five years — from when?", "B: five")
    wait_marks(b, second, " ✎")
    write_note(b, "A", "B: ask the Mayor's office ✓", "B: ask")
    b.wait_until(lambda s: header_noted(s, brief), what="✎ before the title in B")
    a.wait_until(lambda s: row_marks(s, second) == " ✎" and header_noted(s, brief), POLL_TIMEOUT,
                 "B's notes (item and brief) shown in A")
    a.settle()
    assert row_marks(a.screen_text(), first) == "★✎", a.dump()  # A's own marks are still there
    assert row_marks(b.screen_text(), first) == "★✎", b.dump()

    assert quit_from_brief(a) == 0
    assert quit_from_brief(b) == 0
    store = store_of(home)
    notes = sorted((n.item or "", n.text) for n in store.notes())
    assert notes == sorted([(first.id, "A: check the £50m figure"), (second.id, "B: five years — from when?"),
                            ("", "B: ask the Mayor's office ✓")])
    assert all(n.brief == BRIEF_ID for n in store.notes())
    assert [(m.brief, m.item) for m in store.bookmarks()] == [(BRIEF_ID, first.id)]


def test_the_notebook_lists_the_notes_of_both_terminals(spawn, brief: Brief, home: Path) -> None:
    first, second = brief.facts[0], brief.facts[1]
    a, b = spawn(), spawn()
    open_brief_from_library(a, brief)
    open_brief_from_library(b, brief)
    write_note(a, "a", "A: notebook ✓ one", "A: notebook")
    wait_marks(a, first, " ✎")
    a.press("n")
    a.wait_for(re.compile(r"Notebook\s+1 note · 0 bookmarks"))
    a.wait_for("A: notebook ✓ one")

    # B writes while A's notebook is open: the notebook takes it in by itself.
    b.wait_for(shown(first.label))
    move_to(b, second)
    write_note(b, "a", "B: notebook ✓ two", "B: notebook")
    wait_marks(b, second, " ✎")
    text = a.wait_for(re.compile(r"Notebook\s+2 notes · 0 bookmarks"), timeout=POLL_TIMEOUT)
    a.settle()
    text = a.screen_text()
    assert "A: notebook ✓ one" in text and "B: notebook ✓ two" in text, a.dump()
    assert shown(brief.title, 30) in text  # grouped under their brief

    a.press("q")
    a.wait_for(tab_marker("facts"))  # back where it was: the brief
    assert quit_from_brief(a) == 0
    assert quit_from_brief(b) == 0
    assert sorted(n.text for n in store_of(home).notes()) == ["A: notebook ✓ one", "B: notebook ✓ two"]
