"""Keys typed ahead act on what the reader sees, in the installed ``briefing``.

Each sequence is written to the terminal in one ``write()``, as a paste or typeahead over a
slow SSH link delivers it: pane keys, moves, ``a``, the note's text and ctrl+s all at once.
The note must land on the item the keys lead to, whatever the timing: the store is read
back afterwards, as the next start would.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing.core.model import Brief
from briefing.core.parse import load_brief
from briefing.paths import bundled_library

from ..fixtures import CONTRACT
from .reader import START_TIMEOUT, store_of, tab_marker
from .terminal import Terminal

FIRST_IN_LIBRARY = "ai-policing-oversight"  # the library lists it first (by date, then title)
TAB = "\t"
CTRL_S = "\x13"


def load(brief_id: str) -> Brief:
    return load_brief(bundled_library() / f"{brief_id}.md")


def item_at(brief: Brief, pane: str, index: int) -> str:
    return list(brief.pane(pane))[index].id


def notes_by_text(home: Path) -> dict[str, tuple[str, str | None, str | None]]:
    store = store_of(home)
    try:
        return {note.text: (note.brief, note.pane, note.item) for note in store.notes()}
    finally:
        store.close()


def start_in_brief(spawn, columns: int = 80, rows: int = 24) -> Terminal:
    term = spawn(CONTRACT, columns=columns, rows=rows)
    term.wait_for(tab_marker("facts") if columns < 120 else "Key facts (", timeout=START_TIMEOUT)
    term.settle(quiet=0.3)
    return term


def write_note_ahead(term: Terminal, home: Path, keys: str, text: str, timeout: float = 15.0) -> None:
    """Everything in one write: the keys, ``a``, the note, ctrl+s; then wait until the note
    is in the store and its dialog has closed."""
    term.send(keys + "a" + text + CTRL_S)
    deadline = time.monotonic() + timeout
    while text not in notes_by_text(home):
        if time.monotonic() > deadline:
            raise AssertionError(f"no note {text!r} in the store after {keys!r}; the screen:\n{term.dump()}")
        term.pump(0.1)
    term.wait_gone("ctrl+s save", timeout=timeout)


CASES = [
    # keys, pane, index of the item in that pane
    ("3j", "concerns", 1),
    (TAB + "j", "stakeholders", 1),
    ("2jj", "stakeholders", 2),
    ("234", "timeline", 0),
    ("4kk2j3", "concerns", 0),
    ("jjj1", "facts", 3),
    ("2jjj" + TAB + "j" + "l" + "h", "concerns", 1),
]


@pytest.mark.parametrize("columns, rows", [(80, 24), (160, 48)])
@pytest.mark.parametrize("keys, pane, index", CASES)
def test_a_note_typed_ahead_lands_on_the_item_the_keys_reach(
    spawn, home: Path, keys: str, pane: str, index: int, columns: int, rows: int
) -> None:
    brief = load(CONTRACT)
    term = start_in_brief(spawn, columns, rows)
    write_note_ahead(term, home, keys, "typed ahead")
    assert notes_by_text(home)["typed ahead"] == (CONTRACT, pane, item_at(brief, pane, index)), keys


def test_pane_keys_typed_together_end_on_the_last_pane_every_time(spawn, home: Path) -> None:
    brief = load(CONTRACT)
    term = start_in_brief(spawn)
    for round_ in range(6):
        term.send("1" if round_ % 2 else "4")  # start from another pane each time
        term.settle(quiet=0.2)
        # then to the last pane of three, and down to an item no other round wrote on
        write_note_ahead(term, home, ("234" if round_ % 2 else "123") + "g" + "j" * round_, f"round {round_}")
    notes = notes_by_text(home)
    for round_ in range(6):
        pane = "timeline" if round_ % 2 else "concerns"
        assert notes[f"round {round_}"] == (CONTRACT, pane, item_at(brief, pane, round_)), round_


def test_tab_seven_times_at_30ms_ends_on_the_pane_it_counts_to(spawn, home: Path) -> None:
    brief = load(CONTRACT)
    term = start_in_brief(spawn)
    for _ in range(7):
        term.send(TAB)
        time.sleep(0.03)
    write_note_ahead(term, home, "j", "after seven tabs")
    # facts -> stakeholders -> concerns -> timeline -> facts -> ... : seven steps end on timeline
    assert notes_by_text(home)["after seven tabs"] == (CONTRACT, "timeline", item_at(brief, "timeline", 1))


def test_keys_typed_with_enter_in_the_library_act_on_the_brief_it_opens(spawn, home: Path) -> None:
    brief = load(FIRST_IN_LIBRARY)
    term = spawn()
    term.wait_for("Library", timeout=START_TIMEOUT)
    term.wait_for(brief.title[:30], timeout=START_TIMEOUT)
    term.settle(quiet=0.3)
    write_note_ahead(term, home, "\r" + "jj", "from the library")
    assert notes_by_text(home)["from the library"] == (FIRST_IN_LIBRARY, "facts", item_at(brief, "facts", 2))


def test_keys_typed_after_the_notebook_go_to_the_brief_it_opens(spawn, home: Path) -> None:
    brief = load(CONTRACT)
    term = start_in_brief(spawn)
    write_note_ahead(term, home, "3j", "first")  # something for the notebook to list
    term.send("n" + "\r" + "j")  # the notebook, enter on the note, then down one item
    term.wait_for(tab_marker("concerns"), timeout=15)
    write_note_ahead(term, home, "", "second")
    assert notes_by_text(home)["second"] == (CONTRACT, "concerns", item_at(brief, "concerns", 2))
    # And the screens were not stacked up: escape goes to the notebook, then the library.
    term.send("\x1b")
    term.wait_for("Notebook", timeout=10)
    time.sleep(0.4)
    term.send("\x1b")
    term.wait_for("Library", timeout=10)


def test_a_filter_typed_ahead_goes_into_the_filter(spawn, home: Path) -> None:
    term = spawn()
    term.wait_for("Library", timeout=START_TIMEOUT)
    term.settle(quiet=0.3)
    # "/" opens the filter box: "a", "n" and the rest are filter text, not the note and
    # notebook keys of the list they were typed over.
    term.send("/" + "palantir record")
    term.settle(quiet=0.5)
    screen = term.screen_text()
    assert "palantir record" in screen
    assert "ctrl+s save" not in screen and not screen.startswith(" Notebook")
    assert load("palantir-public-sector-record").title[:30] in screen
    assert load(FIRST_IN_LIBRARY).title[:30] not in screen
