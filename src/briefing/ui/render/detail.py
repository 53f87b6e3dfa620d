"""The selected item in full: its fields, its id, and the passage of the source it cites."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from briefing.core.enums import PANE_TITLES, Anchor
from briefing.core.library import Passage
from briefing.core.marks import Mark, Note
from briefing.core.model import Item
from briefing.ui.render.markers import DRAFTED_HOW, GLYPHS, anchor_tag

# How much of a note the detail areas show: a note imported or written long ago may be
# far longer than any screen, and laying out a megabyte of text would stall every move.
SHOWN_CHARS = 4000
SHOWN_LINES = 40


def shortened(text: str) -> str:
    """The first lines of ``text`` (at most SHOWN_LINES lines, SHOWN_CHARS characters),
    saying how much more there is."""
    head = text[:SHOWN_CHARS]
    lines = head.split("\n")
    if len(lines) > SHOWN_LINES:
        head = "\n".join(lines[:SHOWN_LINES])
    rest = len(text) - len(head)
    if rest <= 0:
        return text
    return f"{head}… ({rest:,} more characters: e or a opens the whole note)"


def marks_detail(marks: Iterable[Mark], out: Text | None = None) -> Text:
    """A bookmark line and every note, with who wrote it, when, and whether its item changed."""
    out = Text() if out is None else out
    for mark in marks:
        tag = anchor_tag(mark.anchor)
        if not isinstance(mark, Note):
            out.append(f"{GLYPHS.bookmark} Bookmarked", style="bold")
            out.append(f" {mark.created[:10]}", style="dim")
            if tag:
                out.append(f" {tag}", style="bold")
            out.append("\n")
            continue
        out.append(f"{GLYPHS.note} Note", style="bold")
        when = mark.updated[:16].replace("T", " ")
        out.append(f" · {mark.author} · {when}", style="dim")
        if tag:
            out.append(f" · {tag}", style="bold")
        out.append("\n")
        out.append(shortened(mark.text) or "(empty)")
        out.append("\n")
        if mark.anchor in (Anchor.EDITED, Anchor.ORPHANED) and mark.quote:
            out.append("Written on: ", style="dim")
            out.append(shortened(mark.quote), style="dim italic")
            out.append("\n")
    return out


def item_detail(
    item: Item | None, passages: Iterable[Passage], marks: Iterable[Mark] = (), editable: bool = False
) -> Text:
    """Rich text of an item's detail, built from plain strings only (no markup parsing).
    A claim's first line names who makes it ("X says: ..."), and "According to: X" follows;
    a drafted item says so, and how an author accepts it. ``editable``: e can edit the brief."""
    if item is None:
        return Text("This pane has no items.", style="italic dim")
    out = Text()
    fields = [(name, value) for name, value in item.fields() if value] or [("", "(no text)")]
    (_, main), rest = fields[0], fields[1:]
    out.append(main, style="bold")
    out.append("\n")
    if item.drafted is not None:
        out.append("Drafted: ", style="bold")
        out.append(item.drafted or "(nothing said)")
        out.append(DRAFTED_HOW + "\n", style="dim")
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
    marks = list(marks)
    if marks:
        out.append("\n")
        marks_detail(marks, out)
    for passage in passages:
        out.append("\n")
        out.append(str(passage.citation), style="bold")
        out.append(f" {passage.source.title}")
        out.append(f" ({passage.source.verification})", style="italic")
        out.append("\n")
        if passage.text is None and passage.source.file is None:
            # Not a fault: briefing does not fetch online sources (o says so too).
            out.append(f"Online only, not fetched: {passage.source.url or '(no address given)'}\n", style="dim")
        elif passage.text is None:
            out.append(f"{GLYPHS.warning} {passage.problem}\n", style="bold")
        else:
            out.append("▌ ", style="bold")
            out.append(passage.text, style="italic")
            out.append("\n")
    out.append(
        "\no source · b bookmark · a note"
        + (" · d delete note" if any(isinstance(m, Note) for m in marks) else "")
        + (" · e edit the brief" if editable else ""),
        style="dim",
    )
    return out
