"""The reader in a real terminal, as the end-to-end tests see it: what its screens show and
the moves every test makes (open a brief from the library, move to an item, write a note,
quit), shared by the tests run locally and over SSH.

What the tests expect on screen is taken from the bundled brief itself (its title and the
first item of each pane), so editing the brief's wording does not break them.
"""

from __future__ import annotations

import re
from pathlib import Path

from briefing.core.enums import PANE_TITLES, PANES
from briefing.core.model import Brief, Item
from briefing.store.notes import Store

from .terminal import Terminal

START_TIMEOUT = 30.0  # the first start imports Textual and scans the library: be generous
EXIT_TIMEOUT = 5.0
LIBRARY_HEADER = re.compile(r"Library\s+\d+ briefs?")
DIALOG_HINT = "ctrl+s save · esc cancel"
SAVED = "Note saved."


def shown(text: str, width: int = 36) -> str:
    """The start of a label, short enough never to be cut by an 80-column row."""
    return text[:width]


def tab_marker(pane: str) -> str:
    """How the tab strip marks the active pane: ``▸2 Stakeholders (10)◂``."""
    return f"▸{PANES.index(pane) + 1} {PANE_TITLES[pane]}"


def highlight(term: Terminal, text: str, tries: int = 20) -> None:
    """Move the library's highlight (j) down to the row containing ``text``."""
    for _ in range(tries):
        row = term.line_with(text)
        if row is not None and row.lstrip().startswith("▶"):
            return
        term.press("j")
        term.settle(quiet=0.15)
    raise AssertionError(f"no library row with {text!r} could be highlighted:\n{term.dump()}")


def open_brief_from_library(term: Terminal, brief: Brief) -> None:
    """Highlight ``brief`` in the library and open it with Enter. Its title is matched by
    its first 15 characters: at 60 columns the library cuts titles at about 17."""
    title = brief.title[:15]
    term.wait_for(title, timeout=START_TIMEOUT)
    highlight(term, title)
    term.press("enter")
    term.wait_for(tab_marker("facts"))


def quit_from_brief(term: Terminal, library_header: re.Pattern[str] = LIBRARY_HEADER) -> int | None:
    """q back to the library, q to leave; the exit status (None if a signal ended it)."""
    term.press("q")
    term.wait_for(library_header)
    term.settle(quiet=0.2)
    term.press("q")
    return term.wait_exit(timeout=10.0)


def assert_terminal_restored(raw: bytes) -> None:
    """The program left the alternate screen, showed the cursor and undid its modes, last."""

    def last(seq: bytes) -> int:
        return raw.rfind(seq)

    assert b"\x1b[?1049h" in raw, "the program never entered the alternate screen"
    assert last(b"\x1b[?1049l") > last(b"\x1b[?1049h"), "the alternate screen was not left"
    assert last(b"\x1b[?25h") > last(b"\x1b[?25l"), "the cursor was left hidden"
    # Every private mode it switched on (mouse reporting, focus events, bracketed paste,
    # autowrap off) is switched back, after the last time it was switched on.
    for mode, on, off in (
        (b"1000", b"h", b"l"),
        (b"1003", b"h", b"l"),
        (b"1006", b"h", b"l"),
        (b"1004", b"h", b"l"),
        (b"2004", b"h", b"l"),
        (b"7", b"l", b"h"),
    ):
        switched_on = last(b"\x1b[?" + mode + on)
        if switched_on >= 0:
            assert last(b"\x1b[?" + mode + off) > switched_on, f"mode ?{mode.decode()} was left as set"
    # The kitty keyboard flags it pushed are popped.
    pushes = [m.start() for m in re.finditer(rb"\x1b\[>\d+u", raw)]
    if pushes:
        assert last(b"\x1b[<u") > pushes[-1], "the kitty keyboard flags were not popped"
    # After leaving the alternate screen nothing is drawn: only mode changes follow, and
    # they include showing the cursor.
    tail = raw[last(b"\x1b[?1049l") :]
    assert re.fullmatch(rb"(?:\x1b\[[?<>=]?[0-9;]*[A-Za-z])+", tail), f"output after leaving: {tail!r}"
    assert b"\x1b[?25h" in tail


# -- notes ------------------------------------------------------------------------------------


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
    return term.wait_until(lambda s: row_marks(s, item) == marks, timeout, f"the row of {item.id!r} marked {marks!r}")


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
