"""Markers for what a reader added: bookmark, note, unread, and a note's anchor state.

They are glyphs, never colour alone, so they read in monochrome and under NO_COLOR; a
terminal whose locale is not UTF-8 gets ASCII ones.
"""

from __future__ import annotations

import os
from typing import NamedTuple


class Glyphs(NamedTuple):
    bookmark: str
    note: str
    unread: str
    warning: str


UNICODE = Glyphs(bookmark="★", note="✎", unread="•", warning="⚠")
ASCII = Glyphs(bookmark="*", note="+", unread="o", warning="!")


def utf8_locale(env: dict[str, str] | None = None) -> bool:
    """True unless the locale names a charset other than UTF-8 (LANG=C counts as ASCII)."""
    env = os.environ if env is None else env
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(var, "")
        if value:
            lowered = value.lower().replace("-", "")
            return "utf8" in lowered
    return True


GLYPHS = UNICODE if utf8_locale() else ASCII

ANCHOR_WORDS = {"moved": "moved", "edited": "item edited", "orphaned": "orphaned"}


def anchor_tag(anchor: str) -> str:
    """A short word for a mark whose item changed, or '' when all is well."""
    word = ANCHOR_WORDS.get(anchor)
    return f"{GLYPHS.warning} {word}" if word else ""
