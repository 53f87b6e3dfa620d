"""Finding a note's item again after its brief was edited (no Textual, no I/O).

A note or bookmark keeps the id of its item and the item's text when it was made. When the
brief changes, the item is looked for by id, then by exact text, then by close text; the
mark is then *ok*, *moved* (same text under a new id or in another pane), *edited* (its
item's text changed) or *orphaned* (nothing close enough is left): never dropped.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from typing import Iterable

from .model import Brief, Item, Mark

# How alike two texts must be (difflib's ratio) for an edited item to keep its notes.
# A reworded sentence scores 0.8-0.95; a different sentence on the same subject about 0.3-0.5.
CLOSE = 0.7


def similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < CLOSE or matcher.quick_ratio() < CLOSE:
        return 0.0
    return matcher.ratio()


def find(brief: Brief, mark: Mark) -> tuple[Item | None, str]:
    """The item ``mark`` belongs to in ``brief`` now, and how it was found."""
    if mark.item is None:
        return None, "ok"
    item = brief.item(mark.item)
    if item is not None and item.quote == mark.quote:
        return item, "moved" if mark.pane and item.pane != mark.pane else "ok"
    # The same text elsewhere wins over the same id with other text: two items that begin
    # alike get derived ids X and X-2, and swapping them must not swap their notes.
    items = list(brief.items())
    exact = [i for i in items if i.quote == mark.quote]
    if exact:
        exact.sort(key=lambda i: i.pane != mark.pane)
        return exact[0], "moved"
    if item is not None:
        return item, "edited"
    best, score = None, 0.0
    for candidate in items:
        ratio = similarity(candidate.quote, mark.quote)
        if candidate.pane == mark.pane:
            ratio += 0.01  # between equals, stay in the pane it was written in
        if ratio > score:
            best, score = candidate, ratio
    if best is not None and score >= CLOSE:
        return best, "edited"
    return None, "orphaned"


def reconcile(brief: Brief, marks: Iterable[Mark]) -> list[Mark]:
    """The marks of ``brief`` whose anchor changed, re-pointed at their items.

    The text a mark was written on is kept, so the reader can compare it with the item
    as it reads now; *moved* and *edited* stay until the reader edits or re-attaches it."""
    changed = []
    for mark in marks:
        item, how = find(brief, mark)
        if item is None:
            updated = replace(mark, anchor=how) if mark.anchor != how else mark
        else:
            if how == "ok" and mark.anchor in ("moved", "edited"):
                how = mark.anchor
            updated = replace(mark, item=item.id, pane=item.pane, anchor=how)
        if updated != mark:
            changed.append(updated)
    return changed


def candidates(brief: Brief, mark: Mark) -> list[Item]:
    """Every item of the brief, the likeliest new home of an orphaned mark first."""
    items = list(brief.items())
    scores = {i.id: SequenceMatcher(None, i.quote, mark.quote, autojunk=False).ratio() for i in items}
    return sorted(items, key=lambda i: -scores[i.id])
