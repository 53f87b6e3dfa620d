"""Markers for what a reader added: bookmark, note, unread, and a note's anchor state; for
what an author has not accepted yet (a drafted item); and the numbers of a source's sentences.

They are glyphs, never colour alone, so they read in monochrome and under NO_COLOR; a
terminal whose locale is not UTF-8 gets ASCII ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from briefing.core.enums import Anchor

if TYPE_CHECKING:
    from rich.text import Text


class Glyphs(NamedTuple):
    bookmark: str
    note: str
    unread: str
    warning: str


UNICODE = Glyphs(bookmark="★", note="✎", unread="•", warning="⚠")
ASCII = Glyphs(bookmark="*", note="+", unread="o", warning="!")


def utf8_locale(env: Mapping[str, str] | None = None) -> bool:
    """True unless the locale names a charset other than UTF-8 (LANG=C counts as ASCII)."""
    if env is None:
        env = os.environ
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(var, "")
        if value:
            lowered = value.lower().replace("-", "")
            return "utf8" in lowered
    return True


GLYPHS = UNICODE if utf8_locale() else ASCII

# An item still as `briefing draft` proposed it (its `drafted:` line is there): a word, so it
# reads without colour and in any locale.
DRAFTED_TAG = "[drafted]"
# What a drafted item's detail says after what it was drawn from, wherever it is shown.
DRAFTED_HOW = " — remove its “drafted:” line to accept it"

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sentence_number(number: int, glyphs: Glyphs | None = None) -> str:
    """The mark before a source's sentence ``number`` (as citations count them, ``¶3.2``):
    a superscript number (²), or ``^2`` where the terminal's locale is not UTF-8."""
    if (glyphs or GLYPHS) is ASCII:
        return f"^{number}"
    return str(number).translate(_SUPERSCRIPT)


ANCHOR_WORDS: dict[str, str] = {Anchor.MOVED: "moved", Anchor.EDITED: "item edited", Anchor.ORPHANED: "orphaned"}


def anchor_tag(anchor: str) -> str:
    """A short word for a mark whose item changed, or '' when all is well."""
    word = ANCHOR_WORDS.get(anchor)
    return f"{GLYPHS.warning} {word}" if word else ""


def fitted(width: int, *parts: tuple[str, str, bool]) -> Text:
    """One line of ``parts`` (text, style, may be cut) in ``width`` cells: document text is
    what gets cut (with an ellipsis), never a marker such as "(unverified)" or a count.
    Measured as terminals draw it: the text was cleaned of joiners (safe.py), so Rich's
    measure and the terminal's agree."""
    from rich.cells import cell_len
    from rich.text import Text

    fixed = sum(cell_len(text) for text, _, cut in parts if not cut)
    cuttable = [i for i, (_, _, cut) in enumerate(parts) if cut]
    room = max(0, width - fixed)
    line = Text(no_wrap=True, overflow="ellipsis")
    for index, (text, style, cut) in enumerate(parts):
        piece = Text(text, style=style)
        if cut:
            share = (
                room // len(cuttable) if index != cuttable[-1] else room - (room // len(cuttable)) * (len(cuttable) - 1)
            )
            if piece.cell_len > share:
                piece.truncate(max(0, share - 1), overflow="crop")
                piece.rstrip()  # "contract …" reads as a word cut, "contract…" as text cut
                piece.append("…", style=style)
        line.append_text(piece)
    return line
