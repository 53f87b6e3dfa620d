"""The installed ``briefing`` command in a real 80×24 pseudo-terminal, driven by keys."""

from __future__ import annotations

from pathlib import Path

from briefing.core.enums import PANE_TITLES, PANES
from briefing.core.model import Brief
from briefing.core.parse import load_brief
from briefing.paths import bundled_library

from ..fixtures import CONTRACT
from .reader import (
    LIBRARY_HEADER,
    START_TIMEOUT,
    assert_terminal_restored,
    open_brief_from_library,
    shown,
    tab_marker,
)


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
    assert len(list((home / "cache" / "briefing").glob("library-index-*.sqlite"))) == 1
    strays = [p for p in home.iterdir() if p.name not in ("data", "cache", "config")]
    assert strays == []


def test_a_brief_id_opens_straight_into_the_brief(spawn, brief: Brief) -> None:
    term = spawn(CONTRACT)
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
