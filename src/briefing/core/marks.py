"""What a reader adds to a brief: notes and bookmarks (frozen dataclasses, no I/O).

Kept apart from the brief model so the notes store, which the library screen needs for its
first frame, loads without it. ``briefing.core.model`` exports these names too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from briefing.core.enums import Anchor

# The longest note briefing writes or accepts (UTF-8 bytes): far more than any note a
# reader types, small enough that the notebook, exports and the store stay quick.
NOTE_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Mark:
    """What a note and a bookmark share: where it is anchored and what it was written on.

    ``item`` is None for a mark on the whole brief. ``quote`` is the item's text when the
    mark was made; with the item's id it finds the item again after the brief is edited.
    ``anchor`` says how it was last found: ok, moved (same text, new id or pane), edited
    (close text) or orphaned (its item is gone)."""

    id: str
    brief: str
    item: str | None
    pane: str | None
    quote: str
    author: str
    created: str
    updated: str
    anchor: str = Anchor.OK

    kind: ClassVar[str] = "mark"  # "note" or "bookmark" in the kinds a store holds


@dataclass(frozen=True)
class Note(Mark):
    text: str = ""

    kind: ClassVar[str] = "note"


@dataclass(frozen=True)
class Bookmark(Mark):
    kind: ClassVar[str] = "bookmark"


@dataclass(frozen=True)
class Draft:
    """What the reader was typing in a note dialog, kept until the note is saved or the
    text is discarded on purpose: one per item (``item`` None: the whole brief).
    ``note`` is the id of the note being edited, None for a new one."""

    brief: str
    item: str | None
    pane: str | None
    quote: str
    text: str
    note: str | None
    updated: str

    kind: ClassVar[str] = "draft"
