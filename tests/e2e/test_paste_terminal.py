"""A paste cannot reach the terminal: the installed ``briefing`` in a pty, bracketed pastes
full of escape sequences written into every input it has.

Each paste (``ESC [200~ … ESC [201~``, in one write) holds ESC, OSC, CSI, C1 and DEL
payloads, one of them a long OSC that Textual's own parser gives up on. Into the library's
filter, the notebook's filter, the note editor, the theme picker and the command palette:
none of the payloads' bytes comes back out of the program, and what was pasted is shown,
visibly and in order.
"""

from __future__ import annotations

import pytest

from ..fixtures import CONTRACT
from .reader import DIALOG_HINT, START_TIMEOUT, tab_marker
from .terminal import Terminal

PASTES = {
    "long-osc": "\x1b]" + "x" * 5000 + "c",  # Textual gave up on it: a raw "ESC c" (reset) went out
    "reset": "ab\x1bcdef",
    "osc52": "\x1b]52;c;cHduZWQ=\x07",
    "osc52-unterminated": "\x1b]52;c;cHduZWQ=",
    "title": "\x1b]0;PWNED\x07",
    "csi": "\x1b[7;31;42mPWN\x1b[0m",
    "c1": "ab\u009b2J\u009d52;c;X\u009cz",
    "del": "ab\x7fcd",
    "end-marker": "a\x1b[201~\x1b]52;c;Y\x07",
}
# Bytes of the payloads that must never come back out: Textual writes none of them itself.
FORBIDDEN = [b"\x1bc", b"\x1b]52", b"\x1b]0;PWNED", b"\x1b[7;31;42m", b"\xc2\x9b", b"\xc2\x9d", b"\xc2\x9c", b"\x7f"]


def paste(term: Terminal, text: str) -> bytes:
    """Paste ``text`` (one write, bracketed); what the program wrote in answer."""
    mark = len(term.raw)
    term.send(("\x1b[200~" + text + "\x1b[201~").encode("utf-8"))
    term.settle(quiet=0.4)
    return bytes(term.raw[mark:])


def check(term: Terminal, where: str) -> None:
    for name, text in PASTES.items():
        out = paste(term, text)
        for forbidden in FORBIDDEN:
            assert forbidden not in out, f"{where}, {name}: {forbidden!r} reached the terminal"
    screen = term.screen_text()
    assert "␛" in screen, f"{where}: no visible ESC on screen:\n{term.dump()}"


def open_library_filter(spawn) -> Terminal:
    term = spawn()
    term.wait_for("Library", timeout=START_TIMEOUT)
    term.settle(quiet=0.3)
    term.press("/")
    term.settle(quiet=0.2)
    return term


def test_pastes_into_the_library_filter(spawn) -> None:
    term = open_library_filter(spawn)
    check(term, "the library's filter")


def test_a_paste_keeps_its_order_and_shows_its_escapes(spawn) -> None:
    term = open_library_filter(spawn)
    paste(term, "ab\x1bcdef")
    assert "ab␛cdef" in term.screen_text(), term.dump()


def test_pastes_into_the_note_editor(spawn) -> None:
    term = spawn(CONTRACT)
    term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    term.press("a")
    term.wait_for(DIALOG_HINT)
    term.settle(quiet=0.2)
    check(term, "the note editor")
    paste(term, "line one\n\x1b[31mline two")
    assert "␛[31mline two" in term.screen_text(), term.dump()


def test_pastes_into_the_notebook_filter(spawn) -> None:
    term = spawn()
    term.wait_for("Library", timeout=START_TIMEOUT)
    term.press("n")
    term.wait_for("Notebook")
    term.press("/")
    term.settle(quiet=0.2)
    check(term, "the notebook's filter")


@pytest.mark.parametrize("key, what", [("T", "the theme picker"), ("ctrl+p", "the command palette")])
def test_pastes_into_the_palettes(spawn, key: str, what: str) -> None:
    term = spawn()
    term.wait_for("Library", timeout=START_TIMEOUT)
    term.settle(quiet=0.3)
    term.press(key)
    term.settle(quiet=0.4)
    check(term, what)
