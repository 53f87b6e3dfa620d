"""The installed ``briefing`` in the terminals our users bring (issue 4, "Terminals").

* **TERM and colour.** With TERM xterm, xterm-256color, screen-256color and tmux-256color,
  each with and without ``COLORTERM=truecolor``, and under ``NO_COLOR``: the library shows,
  Enter opens a brief, ``2`` switches pane, ``q q`` leaves with status 0 and the terminal is
  restored. What is written is checked against what the terminal said it can show:
  no 24-bit colour unless COLORTERM says so, only the 16 basic colours for a plain
  ``xterm``, and nothing but greys under NO_COLOR.
* **Sizes.** 80×24 and 60×20 are readable (the library's titles, a brief's header, its
  first item, the pane tabs); a resize from 60×20 to 160×48 shows the panes side by side,
  and back again shows the tabs, exactly as before the resize (nothing of the wide layout
  left over).
* **Keys.** Every action of briefing is bound to at least one key that survives SSH, tmux
  and screen; the one exception (the note dialog's ctrl+s) has a Save button, which is
  reached and pressed here with tab and Enter.

One pseudo-terminal per case; the whole file runs in well under a minute.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

import briefing.ui.screens
import briefing.ui.widgets
from briefing.core.enums import PANE_TITLES, PANES
from briefing.core.model import Brief
from briefing.core.parse import load_brief
from briefing.paths import bundled_library
from briefing.store.notes import Store
from briefing.ui.app import BriefingApp

from ..fixtures import CONTRACT
from .reader import (
    START_TIMEOUT,
    assert_terminal_restored,
    open_brief_from_library,
    quit_from_brief,
    shown,
    tab_marker,
)
from .terminal import Terminal, TerminalTimeout, terminal_env


@pytest.fixture(scope="module")
def bundled_titles() -> list[str]:
    return [load_brief(p).title for p in sorted(bundled_library().glob("*.md")) if p.name != "FORMAT.md"]


@pytest.fixture(scope="module")
def library_header(bundled_titles: list[str]) -> re.Pattern[str]:
    """``Library  3 briefs`` for the bundled library (its number of briefs, counted)."""
    return re.compile(rf"Library\s+{len(bundled_titles)} briefs\b")


@pytest.fixture
def start(briefing_command: Path, home: Path, tmp_path: Path) -> Iterator:
    """``start(*args, term=..., columns=..., rows=..., **env)``: briefing in a pty with a
    private environment (see ``terminal_env``); every terminal is stopped afterwards."""
    started: list[Terminal] = []
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(*args: str, term: str = "xterm-256color", columns: int = 80, rows: int = 24, **extra: str) -> Terminal:
        env = terminal_env(home, term=term, **extra)
        terminal = Terminal([briefing_command, *args], env, columns=columns, rows=rows, cwd=workdir)
        started.append(terminal)
        return terminal

    yield run
    for terminal in started:
        terminal.close()


def quit_cleanly(term: Terminal, library_header: re.Pattern[str]) -> None:
    """q back to the library, q to leave: exit status 0, not a signal, terminal restored."""
    assert quit_from_brief(term, library_header) == 0
    assert term.signalstatus is None
    assert_terminal_restored(bytes(term.raw))


# -- colours on the wire ---------------------------------------------------------

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
CUBE = (0, 95, 135, 175, 215, 255)
# The 16 basic colours: SGR 30–37 / 90–97 (foreground), 40–47 / 100–107 (background).
# Of them only black (0), white (7) and their bright forms (8, 15) are greys.
GREY_BASIC = {0, 7}


def palette(index: int) -> tuple[int, int, int] | None:
    """The RGB of an xterm 256-colour index; None for 0–15 (the terminal's own palette)."""
    if index < 16:
        return None
    if index < 232:
        n = index - 16
        return CUBE[n // 36], CUBE[n // 6 % 6], CUBE[n % 6]
    level = 8 + 10 * (index - 232)
    return level, level, level


def colours_written(raw: bytes) -> list[tuple[str, tuple[int, ...]]]:
    """Every colour set by an SGR sequence in ``raw``: ("24bit", (r, g, b)),
    ("256", (index,)) or ("16", (basic index 0–7, bright 0/1)). Defaults (39, 49) are not
    colours."""
    found: list[tuple[str, tuple[int, ...]]] = []
    for match in SGR.finditer(raw):
        params = match.group(1).decode()
        assert ":" not in params, f"a colon SGR form this check does not read: {match.group(0)!r}"
        parts = [int(p) if p else 0 for p in params.split(";")]
        i = 0
        while i < len(parts):
            p = parts[i]
            if p in (38, 48) and i + 1 < len(parts):
                if parts[i + 1] == 2:
                    found.append(("24bit", tuple(parts[i + 2 : i + 5])))
                    i += 5
                    continue
                if parts[i + 1] == 5:
                    found.append(("256", (parts[i + 2],)))
                    i += 3
                    continue
            if 30 <= p <= 37 or 40 <= p <= 47:
                found.append(("16", (p % 10, 0)))
            elif 90 <= p <= 97 or 100 <= p <= 107:
                found.append(("16", (p % 10, 1)))
            i += 1
    return found


def is_grey(colour: tuple[str, tuple[int, ...]]) -> bool:
    kind, value = colour
    if kind == "24bit":
        return len(set(value)) == 1
    if kind == "256":
        rgb = palette(value[0])
        return value[0] in (0, 7, 8, 15) if rgb is None else len(set(rgb)) == 1
    return value[0] in GREY_BASIC


def test_the_colour_reader_tells_greys_from_colours() -> None:
    """The checks below rest on this: greys pass, any hue is caught, in every encoding."""
    greys = (
        b"\x1b[38;2;230;230;230;48;2;0;0;0m\x1b[38;5;244m\x1b[48;5;16m\x1b[38;5;231m"
        b"\x1b[38;5;7m\x1b[97;40m\x1b[1;90;107m\x1b[0;39;49m"
    )
    assert all(map(is_grey, colours_written(greys)))
    assert len(colours_written(greys)) == 10
    for hue in (
        b"\x1b[38;2;216;222;233m",
        b"\x1b[48;5;17m",
        b"\x1b[38;5;188;48;5;69m",
        b"\x1b[104m",
        b"\x1b[1;31m",
        b"\x1b[38;5;9m",
    ):
        assert not all(map(is_grey, colours_written(hue))), hue


# -- the TERM × COLORTERM × NO_COLOR matrix ----------------------------------------

TERMINALS = ("xterm", "xterm-256color", "screen-256color", "tmux-256color")
MATRIX = [
    *(pytest.param(term, {}, id=term) for term in TERMINALS),
    *(pytest.param(term, {"COLORTERM": "truecolor"}, id=f"{term}+truecolor") for term in TERMINALS),
    pytest.param("xterm-256color", {"NO_COLOR": "1"}, id="xterm-256color+NO_COLOR"),
    pytest.param("xterm-256color", {"NO_COLOR": "1", "COLORTERM": "truecolor"}, id="xterm-256color+truecolor+NO_COLOR"),
    pytest.param("xterm", {"NO_COLOR": "1"}, id="xterm+NO_COLOR"),
]


@pytest.mark.parametrize(("term_name", "extra"), MATRIX)
def test_every_terminal_reads_a_brief_and_is_restored(
    start,
    brief: Brief,
    bundled_titles: list[str],
    library_header: re.Pattern[str],
    term_name: str,
    extra: dict[str, str],
) -> None:
    term = start(term=term_name, **extra)
    text = term.wait_for(library_header, timeout=START_TIMEOUT)
    for title in bundled_titles:
        term.wait_for(shown(title, 30))
    open_brief_from_library(term, brief)
    text = term.wait_for(shown(brief.facts[0].label))
    assert shown(brief.title, 40) in text
    term.press("2")
    term.wait_for(tab_marker("stakeholders"))
    term.wait_for(shown(brief.stakeholders[0].label))
    quit_cleanly(term, library_header)

    raw = bytes(term.raw)
    colours = colours_written(raw)
    assert colours, "nothing was coloured at all: the colour checks below would prove nothing"
    kinds = {kind for kind, _ in colours}
    if "COLORTERM" not in extra:
        assert "24bit" not in kinds, (
            f"24-bit colour written to TERM={term_name} without COLORTERM: "
            f"{sorted({v for k, v in colours if k == '24bit'})[:10]}"
        )
    if term_name == "xterm" and "COLORTERM" not in extra:
        assert kinds == {"16"}, (
            f"TERM=xterm got more than the 16 basic colours: {sorted({v for k, v in colours if k != '16'})[:10]}"
        )
    if "NO_COLOR" in extra:
        hues = sorted({c for c in colours if not is_grey(c)})
        assert not hues, f"colours other than greys under NO_COLOR: {hues[:12]}"


# -- sizes -----------------------------------------------------------------------


def pane_titles_side_by_side(screen: str) -> bool:
    """One line holds the four pane titles in order, with their counts: the wide layout."""
    pattern = re.compile(".*".join(re.escape(f"{PANE_TITLES[p]} (") for p in PANES))
    return any(pattern.search(line) and "▸" not in line for line in screen.splitlines())


def assert_tab_strip(term: Terminal, active: str) -> None:
    """The narrow layout: one line of tabs naming all four panes, ``active`` marked."""
    line = term.line_with(tab_marker(active))
    assert line is not None, f"no tab strip with {active!r} active:\n{term.dump()}"
    for number, pane in enumerate(PANES, 1):
        assert f"{number} {PANE_TITLES[pane]} (" in line, f"the tab of {pane!r} is missing:\n{term.dump()}"


def test_80x24_library_and_brief_are_readable(
    start, brief: Brief, bundled_titles: list[str], library_header: re.Pattern[str]
) -> None:
    term = start(columns=80, rows=24)
    term.wait_for(library_header, timeout=START_TIMEOUT)
    for title in bundled_titles:
        term.wait_for(shown(title, 30))
    open_brief_from_library(term, brief)
    term.wait_for(shown(brief.facts[0].label))
    term.settle(quiet=0.2)
    text = term.screen_text()
    assert shown(brief.title, 60) in text
    assert_tab_strip(term, "facts")
    assert not pane_titles_side_by_side(text)
    for key, pane in (("2", "stakeholders"), ("3", "concerns"), ("4", "timeline"), ("1", "facts")):
        term.press(key)
        term.wait_for(tab_marker(pane))
        term.wait_for(shown(brief.pane(pane)[0].label))
        term.settle(quiet=0.2)
        assert_tab_strip(term, pane)
    assert len(term.lines()) == 24 and all(len(line) == 80 for line in term.lines())
    quit_cleanly(term, library_header)


def test_60x20_library_and_brief_are_readable(
    start, brief: Brief, bundled_titles: list[str], library_header: re.Pattern[str]
) -> None:
    term = start(columns=60, rows=20)
    term.wait_for(library_header, timeout=START_TIMEOUT)
    term.settle(quiet=0.2)
    # Titles are cut at 60 columns, but each begins on its own row.
    for title in bundled_titles:
        assert term.line_with(title[:15]) is not None, f"no row for {title!r}:\n{term.dump()}"
    open_brief_from_library(term, brief)
    term.wait_for(shown(brief.facts[0].label, 30))
    term.settle(quiet=0.2)
    lines = term.lines()
    assert shown(brief.title, 40) in lines[0], f"the brief's title is not its first line:\n{term.dump()}"
    assert any(line.lstrip().startswith(f"{brief.date} · {brief.status}") for line in lines[:3])
    # The first item: its row in the list, under the cursor, and its text in the detail area.
    row = term.line_with(shown(brief.facts[0].label, 30))
    assert row is not None and row.lstrip().startswith("▶"), f"no cursor on the first item:\n{term.dump()}"
    assert term.line_with(tab_marker("facts")) is not None
    detail = " ".join(term.screen_text().split("─" * 20)[-1].split())  # below the rule, unwrapped
    start_of_text = " ".join(brief.facts[0].statement.split()[:10])
    assert start_of_text in detail, f"the first item's text is not in the detail area:\n{term.dump()}"
    quit_cleanly(term, library_header)


def test_60x20_the_tab_strip_names_the_pane_shown(start, brief: Brief, library_header: re.Pattern[str]) -> None:
    """At 60 columns the tabs do not all fit; whichever pane is shown, its tab must be."""
    term = start(CONTRACT, columns=60, rows=20)
    term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    missing = []
    for key, pane in (("2", "stakeholders"), ("3", "concerns"), ("4", "timeline"), ("1", "facts")):
        term.press(key)
        term.wait_for(shown(brief.pane(pane)[0].label, 30))
        term.settle(quiet=0.2)
        if term.line_with(tab_marker(pane)) is None:
            missing.append(f"pane {key} ({PANE_TITLES[pane]}) shown, no tab marks it:\n{term.dump()}")
    assert not missing, "\n".join(missing)
    quit_cleanly(term, library_header)


def test_resize_narrow_wide_narrow_leaves_nothing_behind(start, brief: Brief, library_header: re.Pattern[str]) -> None:
    """Each screen is compared once it is fully drawn, waited for by what is on it (its own
    footer, and on the library the highlighted brief's line above it, come last), never
    for a quiet spell: on a loaded machine they can come long after the rest."""

    def footer(screen: str, key: str) -> bool:
        """The screen's own footer: the previous screen's can stay a moment after the rest."""
        last = screen.split("\n")[-1]
        return key in last and "^p Commands" in last

    def library_drawn(screen: str) -> bool:
        lines = screen.split("\n")
        return footer(screen, "/ Filter") and shown(brief.title, 15) in screen and lines[-2].strip() != ""

    def brief_drawn(screen: str) -> bool:
        return (
            footer(screen, "tab Next pane")
            and tab_marker("facts") in screen
            and shown(brief.facts[0].label, 30) in screen
        )

    def wide_brief_drawn(screen: str) -> bool:
        return (
            footer(screen, "tab Next pane")
            and pane_titles_side_by_side(screen)
            and all(shown(brief.pane(pane)[0].label, 25) in screen for pane in PANES)
        )

    term = start(columns=60, rows=20)
    term.wait_for(library_header, timeout=START_TIMEOUT)
    term.wait_until(library_drawn, timeout=START_TIMEOUT, what="the library, footer and all")
    term.settle()
    narrow_library = term.screen_text()
    assert library_drawn(narrow_library), f"the library was drawn, then not:\n{term.dump()}"

    # The library: wide (the tags get a column of their own), then narrow as before.
    term.resize(160, 48)
    term.wait_until(
        lambda s: (
            footer(s, "/ Filter") and any(shown(brief.title, 40) in line and "#" in line for line in s.splitlines())
        ),
        what="the wide library, tags beside the titles",
    )
    term.settle()
    assert len(term.lines()) == 48 and all(len(line) == 160 for line in term.lines())
    term.resize(60, 20)
    same_again(term, narrow_library, "the library")

    open_brief_from_library(term, brief)
    term.wait_until(brief_drawn, what="the brief, footer and all")
    term.settle()
    narrow_brief = term.screen_text()
    assert brief_drawn(narrow_brief), f"the brief was drawn, then not:\n{term.dump()}"
    assert not pane_titles_side_by_side(narrow_brief)

    term.resize(160, 48)
    term.wait_until(wide_brief_drawn, what="the four panes side by side, each with its first item")
    term.settle()
    text = term.screen_text()
    assert wide_brief_drawn(text), f"the wide layout did not hold:\n{term.dump()}"
    assert "▸" not in text and "◂" not in text, f"tabs drawn in the wide layout:\n{term.dump()}"

    term.resize(60, 20)
    try:  # the narrow brief again, redrawn in full; then nothing of the wide one may be left
        term.wait_until(lambda s: s == narrow_brief, what="the narrow brief as it was")
    except TerminalTimeout:
        pass  # the assertions below say what differs
    term.settle()
    text = term.screen_text()
    assert tab_marker("facts") in text and not pane_titles_side_by_side(text), term.dump()
    for pane in PANES[1:]:
        assert shown(brief.pane(pane)[0].label, 25) not in text, f"{pane!r} left over:\n{term.dump()}"
    same_again(term, narrow_brief, "the brief")
    quit_cleanly(term, library_header)


def same_again(term: Terminal, before: str, what: str) -> None:
    """After a round trip through another size the screen is, cell for cell, what it was."""
    try:
        term.wait_until(lambda s: s == before, timeout=5.0, what=f"{what} as it was")
    except TerminalTimeout:
        pass
    term.settle()
    assert term.screen_text() == before, (
        f"after 60×20 → 160×48 → 60×20, {what} is not as it was.\nbefore:\n{before}\nafter:\n{term.dump()}"
    )


# -- keys that survive SSH, tmux and screen ---------------------------------------

# Keys a terminal, a multiplexer or the desktop may keep for itself, or that a terminal
# without the kitty keyboard protocol cannot send at all.
RISKY_KEYS = {
    "ctrl+q",
    "ctrl+s",  # XON/XOFF: flow control in screen, in some terminals and ttys
    "ctrl+z",  # suspend, where the terminal is not in raw mode
    "ctrl+backslash",  # SIGQUIT, likewise
    "f11",
    "f12",  # full screen, drop-down terminals
}
RISKY_MODIFIERS = ("super+", "meta+", "hyper+", "alt+")  # the desktop's; Option on a Mac
LEGACY_UNSENDABLE = re.compile(r"^(ctrl\+shift\+.+|shift\+ctrl\+.+|ctrl\+[0-9]|(ctrl|shift|alt)\+enter|ctrl\+tab)$")

# An action bound only to risky keys, with how else it is reached from the keyboard.
# Each one is checked in a terminal below.
OTHER_WAYS = {
    ("NoteDialog", "save"): "the Save button (#note-save): tab from the text, then Enter",
}


def is_risky(key: str) -> bool:
    key = key.strip().lower()
    return key in RISKY_KEYS or any(m in key for m in RISKY_MODIFIERS) or bool(LEGACY_UNSENDABLE.match(key))


def briefing_classes() -> list[type[DOMNode]]:
    """The app, and every screen and widget class defined in briefing.ui.screens / briefing.ui.widgets
    (found by walking the packages, so a new screen is checked without editing this test)."""
    found: dict[str, type[DOMNode]] = {"BriefingApp": BriefingApp}
    for package in (briefing.ui.screens, briefing.ui.widgets):
        for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, (Screen, Widget))
                    and value.__module__ == module.__name__
                ):
                    found[value.__name__] = value
    return list(found.values())


def bindings_of(cls: type[DOMNode]) -> dict[str, set[str]]:
    """Action → keys, over the class's bindings and those it inherits (as Textual merges
    them: a Textual base class's keys, such as App's ctrl+q, count too)."""
    actions: dict[str, set[str]] = {}
    for key, bindings in cls._merge_bindings().key_to_bindings.items():
        for binding in bindings:
            actions.setdefault(binding.action, set()).add(key)
    return actions


def bare(action: str) -> str:
    """``app.quit`` → ``quit``; ``pane('facts')`` stays as it is (the argument matters)."""
    return action.split(".", 1)[1] if action.startswith(("app.", "screen.")) else action


def only_risky(classes: list[type[DOMNode]]) -> list[str]:
    """Each action bound only to risky keys, where no safe key reaches it: for a screen's or
    a widget's action, on that class; for the app's (bound on every screen), on the app or
    on any screen (the app's ctrl+q quit is q on the library)."""
    safe_anywhere = {
        bare(action) for cls in classes for action, keys in bindings_of(cls).items() if not all(map(is_risky, keys))
    }
    problems = []
    for cls in classes:
        app_wide = issubclass(cls, App)
        for action, keys in bindings_of(cls).items():
            if not all(map(is_risky, keys)):
                continue
            if app_wide and bare(action) in safe_anywhere:
                continue
            if (cls.__name__, bare(action)) in OTHER_WAYS:
                continue
            problems.append(f"{cls.__name__}: {action!r} only on {sorted(keys)}")
    return problems


def test_the_key_check_finds_its_targets() -> None:
    names = {cls.__name__ for cls in briefing_classes()}
    assert {"BriefingApp", "LibraryScreen", "BriefScreen", "NoteDialog", "RowList"} <= names
    assert "quit" in bindings_of(BriefingApp) and "ctrl+q" in bindings_of(BriefingApp)["quit"]
    # It would catch a screen action bound only to a risky key.

    class Careless(Screen):
        BINDINGS = [
            Binding("ctrl+q", "close", "Close"),
            Binding("super+r", "reload", "Reload"),
            Binding("ctrl+shift+n,f12", "new", "New"),
            Binding("x,ctrl+z", "fine", "Fine"),
        ]

    problems = only_risky([*briefing_classes(), Careless])
    assert sorted(p.split(":")[1].split()[0] for p in problems if p.startswith("Careless")) == [
        "'close'",
        "'new'",
        "'reload'",
    ]


def test_every_action_has_a_key_that_survives_ssh_tmux_and_screen() -> None:
    problems = only_risky(briefing_classes())
    assert not problems, "actions bound only to keys that SSH, tmux, screen or a desktop may swallow:\n" + "\n".join(
        problems
    )
    for owner, action in OTHER_WAYS:
        cls = next(c for c in briefing_classes() if c.__name__ == owner)
        assert action in {bare(a) for a in bindings_of(cls)}, f"{owner} no longer binds {action!r}: update OTHER_WAYS"


def test_a_note_is_saved_without_ctrl_s(start, brief: Brief, home: Path, library_header: re.Pattern[str]) -> None:
    """The note dialog's Save button, reached with tab and pressed with Enter, saves."""
    term = start(CONTRACT)
    term.wait_for(shown(brief.facts[0].label), timeout=START_TIMEOUT)
    term.settle(quiet=0.2)
    term.press("a")
    term.wait_for("ctrl+s save")
    term.settle(quiet=0.2)
    term.send("saved with tab and enter")
    term.wait_for("saved with tab and enter")
    term.press("tab")
    term.settle(quiet=0.2)
    term.press("enter")
    term.wait_for("Note saved.")
    term.wait_gone("ctrl+s save")
    quit_cleanly(term, library_header)
    notes = Store(home / "data" / "briefing" / "notes.json").notes(brief.id)
    assert [(n.item, n.text) for n in notes] == [(brief.facts[0].id, "saved with tab and enter")]
