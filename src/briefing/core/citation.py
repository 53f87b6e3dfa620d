"""An item as plain text to paste elsewhere, with where it came from (``y`` on a brief).

No Textual here: the brief screen hands the text to the terminal's clipboard (OSC 52).
The text is cleaned once more (docs/design.md §5) so that no escape or other control character
can ever end up in the clipboard sequence, whatever a caller passes in::

    Ethics of AI in law enforcement [ethics]
    Raised by: the Mayor's office
    Detail: Ethical questions about deploying AI in policing were among the reasons…
    — The Mayor of London blocks the Met's proposed Palantir AI contract, Concerns [S1 ¶3.2]
    [S1 ¶3.2] News report: Mayor of London blocks … (unverified): “His office cited …”
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefing.core.enums import PANE_TITLES
from briefing.core.model import Brief, Item
from briefing.core.safe import clean, clean_line

if TYPE_CHECKING:
    from briefing.core.library import Passage


_SPACE = re.compile(r"[ \t\r\n]+")


def one_line(text: str) -> str:
    """``text`` on one line: runs of spaces, tabs and newlines as one space, controls shown."""
    return clean_line(_SPACE.sub(" ", text).strip(" "))


def citation_text(brief: Brief, item: Item, passages: Iterable[Passage] = ()) -> str:
    """``item`` as plain text: its label and other fields, a line naming the brief, the pane
    and the citations, then each cited passage, quoted, with its source's title and whether
    it is verified (or why the passage cannot be given)."""
    lines = [one_line(item.label)]
    lines += [
        f"{name}: {one_line(value)}" for name, value in item.fields() if value and name not in item.label_fields
    ]  # the label shows those already
    citations = list(dict.fromkeys(item.citations))
    where = f"— {one_line(brief.title)}, {PANE_TITLES.get(item.pane, item.pane)}"
    lines.append(" ".join([where, *(one_line(str(c)) for c in citations)]))
    for passage in dict.fromkeys(passages):
        source = passage.source or brief.source(passage.citation.source)
        # The verification travels with the quote: pasted elsewhere, an unchecked source
        # must still read as unchecked (as it does on screen).
        named = f"{one_line(source.title)} ({source.verification})" if source else "(unknown source)"
        head = f"{one_line(str(passage.citation))} {named}"
        if passage.text is None:
            lines.append(f"{head} (passage not available: {one_line(passage.problem or 'not found')})")
        else:
            lines.append(f"{head}: “{one_line(passage.text)}”")
    return clean("\n".join(lines))
