"""The installed ``briefing`` command in a real 80×24 pseudo-terminal, driven by keys.

What the tests expect on screen is taken from the bundled brief itself (its title and the
first item of each pane), so editing the brief's wording does not break them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.core.enums import PANE_TITLES, PANES
from briefing.core.model import Brief
from briefing.core.parse import load_brief
from briefing.paths import bundled_library

from .terminal import Terminal

BRIEF_ID = "met-palantir-contract"
START_TIMEOUT = 30.0  # the first start imports Textual and scans the library: be generous
LIBRARY_HEADER = re.compile(r"Library\s+\d+ briefs?")


@pytest.fixture(scope="module")
def brief() -> Brief:
    return load_brief(bundled_library() / f"{BRIEF_ID}.md")


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
    term.wait_for(shown(brief.title, 30), timeout=START_TIMEOUT)
    highlight(term, shown(brief.title, 30))
    term.press("enter")
    term.wait_for(tab_marker("facts"))


def assert_terminal_restored(raw: bytes) -> None:
    """The program left the alternate screen, showed the cursor and undid its modes, last."""
    def last(seq: bytes) -> int:
        return raw.rfind(seq)

    assert b"\x1b[?1049h" in raw, "the program never entered the alternate screen"
    assert last(b"\x1b[?1049l") > last(b"\x1b[?1049h"), "the alternate screen was not left"
    assert last(b"\x1b[?25h") > last(b"\x1b[?25l"), "the cursor was left hidden"
    # Every private mode it switched on (mouse reporting, focus events, bracketed paste,
    # autowrap off) is switched back, after the last time it was switched on.
    for mode, on, off in ((b"1000", b"h", b"l"), (b"1003", b"h", b"l"), (b"1006", b"h", b"l"),
                          (b"1004", b"h", b"l"), (b"2004", b"h", b"l"), (b"7", b"l", b"h")):
        switched_on = last(b"\x1b[?" + mode + on)
        if switched_on >= 0:
            assert last(b"\x1b[?" + mode + off) > switched_on, f"mode ?{mode.decode()} was left as set"
    # The kitty keyboard flags it pushed are popped.
    pushes = [m.start() for m in re.finditer(rb"\x1b\[>\d+u", raw)]
    if pushes:
        assert last(b"\x1b[<u") > pushes[-1], "the kitty keyboard flags were not popped"
    # After leaving the alternate screen nothing is drawn: only mode changes follow, and
    # they include showing the cursor.
    tail = raw[last(b"\x1b[?1049l"):]
    assert re.fullmatch(rb"(?:\x1b\[[?<>=]?[0-9;]*[A-Za-z])+", tail), f"output after leaving: {tail!r}"
    assert b"\x1b[?25h" in tail


def test_library_lists_the_bundled_briefs(spawn, brief: Brief) -> None:
    term = spawn()
    term.wait_for(shown(brief.title, 30), timeout=START_TIMEOUT)
    text = term.wait_for(LIBRARY_HEADER)
    for name in sorted(bundled_library().glob("*.md")):
        if name.name == "FORMAT.md":
            continue
        assert shown(load_brief(name).title, 30) in text
    # Exactly the 80×24 screen the pty was given.
    assert len(term.lines()) == 24 and all(len(line) == 80 for line in term.lines())


def test_enter_opens_the_highlighted_brief(spawn, brief: Brief) -> None:
    term = spawn()
    open_brief_from_library(term, brief)
    text = term.wait_for(shown(brief.facts[0].label))
    assert shown(brief.title, 40) in text
    for pane in PANES:
        assert PANE_TITLES[pane] in text  # the tab strip names all four panes
    assert not LIBRARY_HEADER.search(text)


def test_number_keys_switch_panes(spawn, brief: Brief) -> None:
    term = spawn()
    open_brief_from_library(term, brief)
    firsts = {pane: shown(brief.pane(pane)[0].label) for pane in PANES}
    assert len(set(firsts.values())) == len(PANES), "the panes' first items must differ to tell them apart"
    term.wait_for(firsts["facts"])
    for key, pane in (("2", "stakeholders"), ("3", "concerns"), ("4", "timeline"), ("1", "facts")):
        term.press(key)
        term.wait_for(tab_marker(pane))
        term.wait_for(firsts[pane])
        term.settle()  # a frame may arrive in several writes: judge the finished one
        text = term.screen_text()
        others = [p for p in PANES if p != pane]
        assert not any(tab_marker(p) in text for p in others), f"more than one active tab:\n{term.dump()}"
        assert not any(firsts[p] in text for p in others), f"another pane's items show:\n{term.dump()}"


def test_q_goes_back_then_quits_and_restores_the_terminal(spawn, brief: Brief, home: Path) -> None:
    term = spawn()
    open_brief_from_library(term, brief)
    term.press("q")
    term.wait_for(LIBRARY_HEADER)
    term.settle()  # the library may be drawn in several writes: judge the finished frame
    text = term.screen_text()
    assert tab_marker("facts") not in text
    term.press("q")
    assert term.wait_exit() == 0
    assert term.signalstatus is None
    assert_terminal_restored(bytes(term.raw))
    # Its store went to the private XDG cache, and nowhere else in the private home.
    assert len(list((home / "cache" / "briefing").glob("library-index-*.json"))) == 1
    strays = [p for p in home.iterdir() if p.name not in ("data", "cache", "config")]
    assert strays == []


def test_a_brief_id_opens_straight_into_the_brief(spawn, brief: Brief) -> None:
    term = spawn(BRIEF_ID)
    text = term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    text = term.wait_for(shown(brief.facts[0].label))
    assert shown(brief.title, 40) in text
    assert not LIBRARY_HEADER.search(text)
    term.press("2")
    term.wait_for(tab_marker("stakeholders"))
    # The brief sits on top of the library: escape goes back to it, q then quits.
    term.press("escape")
    term.wait_for(LIBRARY_HEADER)
    term.press("q")
    assert term.wait_exit() == 0
    assert_terminal_restored(bytes(term.raw))
