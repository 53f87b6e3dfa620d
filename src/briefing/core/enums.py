"""The fixed vocabularies of the model: a brief's panes and how a mark was found again.

Each is a ``StrEnum``: a member equals its value (``Pane.FACTS == "facts"``), which is
what the brief files, the notes store and exports hold, so no conversion is needed at the
edges. Kept in a module of its own so that the notes store and the library screen (loaded
before the first frame) use them without loading the brief model.
"""

from __future__ import annotations

from enum import StrEnum


class Pane(StrEnum):
    """The four panes of a brief, in the order the reader shows them. A member equals its
    value ("facts" == Pane.FACTS), which is what the store and the brief files hold."""

    FACTS = "facts"
    STAKEHOLDERS = "stakeholders"
    CONCERNS = "concerns"
    TIMELINE = "timeline"


PANES: tuple[Pane, ...] = tuple(Pane)
PANE_TITLES: dict[str, str] = {
    Pane.FACTS: "Key facts",
    Pane.STAKEHOLDERS: "Stakeholders",
    Pane.CONCERNS: "Concerns",
    Pane.TIMELINE: "Timeline",
}


class Anchor(StrEnum):
    """How a mark was last found in its brief (see core/anchor.py). A member equals its
    value, which is what the store holds."""

    OK = "ok"  # on its item, as written
    MOVED = "moved"  # the same text under another id or pane
    EDITED = "edited"  # on an item whose text is close to what it was written on
    ORPHANED = "orphaned"  # its item is gone


ANCHORS: tuple[Anchor, ...] = tuple(Anchor)
