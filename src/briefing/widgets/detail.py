"""The selected item in full: its fields, its id, and the passage of the source it cites."""

from __future__ import annotations

from typing import Iterable

from rich.text import Text

from ..library import Passage
from ..model import PANE_TITLES, Item


def item_detail(item: Item | None, passages: Iterable[Passage]) -> Text:
    """Rich text of an item's detail, built from plain strings only (no markup parsing)."""
    if item is None:
        return Text("This pane has no items.", style="italic dim")
    out = Text()
    fields = [(name, value) for name, value in item.fields() if value] or [("", "(no text)")]
    (_, main), rest = fields[0], fields[1:]
    out.append(main, style="bold")
    out.append("\n")
    long = [(n, v) for n, v in rest if len(v) > 30]
    short = [(n, v) for n, v in rest if len(v) <= 30]
    for name, value in long:
        out.append(f"{name}: ", style="bold")
        out.append(value)
        out.append("\n")
    for name, value in short:
        out.append(f"{name}: ", style="bold")
        out.append(value)
        out.append(" · ")
    out.append(f"{PANE_TITLES[item.pane]} · id {item.id}\n", style="dim")
    for passage in passages:
        out.append("\n")
        out.append(str(passage.citation), style="bold")
        out.append(f" {passage.source.title}")
        out.append(f" ({passage.source.verification})", style="italic")
        out.append("\n")
        if passage.text is None:
            out.append(f"⚠ {passage.problem}\n", style="bold red")
        else:
            out.append("▌ ", style="bold")
            out.append(passage.text, style="italic")
            out.append("\n")
    out.append("\no: open the source at this passage", style="dim")
    return out
