"""Finding a note's item again after its brief was edited (no Textual, no I/O).

A note or bookmark keeps the id, the pane and the text (quote) of the item it was written
on. When the brief changes, the mark is looked for **in its own pane only**:

* *ok*: the item is there with the same text, under its id or another (items reordered,
  an id renamed). This is the only finding that is ever saved on its own (the new id).
* *edited*: no item of the pane has the same text, but one is close to it (difflib's
  ratio at least :data:`CLOSE`). The mark shows on that item, flagged, and nothing is
  saved: the next reading finds it again, and once the item reads as it did the flag goes.
* *orphaned*: nothing in its pane is close enough. It is kept, with the text it was written
  on, never dropped and never moved: :func:`candidates` offers the likeliest item first
  (the same text in another pane, say) and only the reader's choice re-attaches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from difflib import SequenceMatcher

from briefing.core.enums import Anchor
from briefing.core.marks import Mark
from briefing.core.model import Brief, Item

# How alike an item's text must be to the text a mark was written on (difflib's ratio)
# for the mark to show on it, flagged "edited". A sentence with a word or two changed
# scores 0.85-0.97; a shorter sentence on the same subject ("No equality impact
# assessment" for "No equality impact assessment has been published.") about 0.7.
CLOSE = 0.8


def similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < CLOSE or matcher.quick_ratio() < CLOSE:
        return 0.0
    return matcher.ratio()


def own_pane(brief: Brief, mark: Mark) -> list[Item]:
    """The items a mark may show on by itself: those of the pane it was written in (of
    every pane for a mark whose pane was never recorded)."""
    return [item for item in brief.items() if mark.pane is None or item.pane == mark.pane]


def find(brief: Brief, mark: Mark) -> tuple[Item | None, str]:
    """The item ``mark`` shows on in ``brief`` now, and how it was found: ok, edited or
    orphaned (then no item). A mark on the whole brief is always ok."""
    if mark.item is None:
        return None, Anchor.OK
    items = own_pane(brief, mark)
    same = [item for item in items if item.quote == mark.quote]
    if same:  # its own item first, when several read the same
        same.sort(key=lambda item: item.id != mark.item)
        return same[0], Anchor.OK
    best, score = None, 0.0
    for candidate in items:
        ratio = similarity(candidate.quote, mark.quote)
        if ratio > score or (ratio == score and ratio and candidate.id == mark.item):
            best, score = candidate, ratio
    if best is not None and score >= CLOSE:
        return best, Anchor.EDITED
    return None, Anchor.ORPHANED


def settle(brief: Brief, marks: Iterable[Mark]) -> tuple[list[Mark], list[Mark]]:
    """Every mark of ``brief`` as it shows now (item, pane and anchor as found), and those
    that may be saved: found with their own text under another id, or found as written
    while the store still flags them (from an earlier reading). Nothing else is saved."""
    shown: list[Mark] = []
    save: list[Mark] = []
    for mark in marks:
        item, how = find(brief, mark)
        if item is None:
            now = replace(mark, anchor=how)
        else:
            now = replace(mark, item=item.id, pane=item.pane, anchor=how)
        shown.append(now)
        if how == Anchor.OK and mark.item is not None and now != mark:
            save.append(now)
    return shown, save


def candidates(brief: Brief, mark: Mark) -> list[Item]:
    """Every item of the brief, the likeliest home of the mark first: its text word for
    word (in any pane), then the item that kept its id in its pane (the author's own
    statement that it is the same item), then the closest text, its own pane first
    between equals. The reader chooses; nothing here re-attaches a mark."""
    items = list(brief.items())
    scores = {item.id: SequenceMatcher(None, item.quote, mark.quote, autojunk=False).ratio() for item in items}

    def rank(item: Item) -> tuple:
        kept_id = item.id == mark.item and item.pane == mark.pane
        return (item.quote != mark.quote, not kept_id, -scores[item.id], item.pane != mark.pane)

    return sorted(items, key=rank)


def orphans(brief: Brief, marks: Iterable[Mark]) -> int:
    """How many of these marks lost their item in ``brief``."""
    return sum(find(brief, mark)[1] == Anchor.ORPHANED for mark in marks)
