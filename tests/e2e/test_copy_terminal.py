"""Copy as citation in a real terminal: ``y`` writes the item, with its brief, pane, citations
and cited passages, to the terminal's clipboard as an OSC 52 sequence (``ESC ] 52 ; c ;
<base64> BEL`` or ``… ESC \\``), which the terminal (or tmux, or the SSH client's terminal)
puts in the system clipboard. The sequence is found in the raw bytes briefing wrote and its
payload decoded and compared with the text expected from the bundled brief."""

from __future__ import annotations

import base64
import re

from briefing.core.citation import citation_text
from briefing.core.library import Library
from briefing.paths import bundled_library

from ..fixtures import CONTRACT
from .reader import START_TIMEOUT, assert_terminal_restored, shown, tab_marker

OSC52 = re.compile(rb"\x1b\]52;([a-z0-9]*);([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")


def clipboard_writes(raw: bytes) -> list[tuple[bytes, str]]:
    """Every OSC 52 write in ``raw``: (selection, decoded text)."""
    return [(m.group(1), base64.b64decode(m.group(2), validate=True).decode("utf-8")) for m in OSC52.finditer(raw)]


def test_y_writes_the_citation_to_the_clipboard_through_osc52(spawn) -> None:
    library = Library([bundled_library()])
    library.scan()
    brief = library.brief(CONTRACT)
    item = brief.pane("concerns")[0]
    passages = [library.passage(brief, c) for c in item.citations]
    assert item.citations and all(p.text for p in passages)

    term = spawn(CONTRACT)
    term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
    term.press("3")
    term.wait_for(tab_marker("concerns"))
    term.wait_for(shown(item.label))
    term.settle()
    assert b"\x1b]52;" not in term.raw, "something was copied before y"

    term.press("y")
    term.wait_for("Copied:")
    term.settle()
    writes = clipboard_writes(bytes(term.raw))
    assert len(writes) == 1, f"expected one OSC 52 write, found {writes!r}"
    [(selection, text)] = writes
    assert selection == b"c"
    assert text == citation_text(brief, item, passages)
    # What a reader pastes, line by line, independently of the formatter.
    lines = text.split("\n")
    assert lines[0] == item.label
    cites = " ".join(str(c) for c in item.citations)
    assert f"— {brief.title}, Concerns {cites}" in lines
    for passage in passages:
        # The source's verification travels with the passage: "(unverified)" is never lost.
        assert (f"{passage.citation} {passage.source.title} ({passage.source.verification}): “{passage.text}”") in lines
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)

    term.press("q", "q")
    assert term.wait_exit() == 0
    assert_terminal_restored(bytes(term.raw))
