"""Export and import of notes and bookmarks (``briefing export``, ``briefing import``).

An export names, for each note and bookmark, its brief's title, the pane, the item's text,
its citations with the cited passage, the note, its author and its times; JSON for
another store, Markdown for people. Importing JSON merges: nothing is duplicated, and a
note that is newer in the file replaces the older copy.
"""

from __future__ import annotations

from typing import Any

import orjson

from . import anchor
from .errors import BriefError
from .library import Library
from .model import ANCHORS, PANE_TITLES, PANES, Bookmark, Brief, Mark, Note
from .safe import clean, clean_line
from .store import Store, now

FORMAT = "briefing-notes"
VERSION = 1


class ExportFileError(ValueError):
    """The file is not a briefing export; the message says what is wrong."""


def _order(mark: Mark, titles: dict[str, str]) -> tuple:
    pane = PANES.index(mark.pane) if mark.pane in PANES else -1
    return (titles.get(mark.brief, mark.brief).casefold(), mark.brief, pane, mark.created, mark.id)


class _Briefs:
    """Briefs of the library, parsed once each, for the items and citations of marks."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.cache: dict[str, Brief | None] = {}

    def get(self, brief_id: str) -> Brief | None:
        if brief_id not in self.cache:
            try:
                self.cache[brief_id] = self.library.brief(brief_id)
            except (BriefError, KeyError, OSError):
                self.cache[brief_id] = None
        return self.cache[brief_id]


def records(store: Store, library: Library, brief: str | None = None) -> list[dict[str, Any]]:
    """Every note and bookmark (of one brief, if named) as export records, in reading order."""
    if not library.entries:
        library.scan()
    marks = store.marks(brief)
    briefs = _Briefs(library)
    known = library.entries_of(m.brief for m in marks)
    titles = {m.brief: known[m.brief].summary.title if m.brief in known else m.brief for m in marks}
    out = []
    for mark in sorted(marks, key=lambda m: _order(m, titles)):
        parsed = briefs.get(mark.brief)
        item, how = anchor.find(parsed, mark) if parsed is not None else (None, mark.anchor)
        citations = []
        if item is not None and parsed is not None:
            for citation in item.citations:
                passage = library.passage(parsed, citation)
                citations.append({
                    "citation": str(citation),
                    "source": passage.source.title if passage.source else citation.source,
                    "passage": passage.text,
                })
        out.append({
            "kind": mark.kind,
            "id": mark.id,
            "brief": mark.brief,
            "brief_title": titles[mark.brief],
            "pane": mark.pane,
            "item": mark.item,
            "item_text": item.quote if item is not None else mark.quote,
            "written_on": mark.quote,
            "citations": citations,
            "note": mark.text if isinstance(mark, Note) else None,
            "author": mark.author,
            "created": mark.created,
            "updated": mark.updated,
            # As anchor.reconcile has it: moved and edited stay until the reader acts on
            # them; an orphan whose item is back is ok again.
            "anchor": mark.anchor if how == "ok" and mark.anchor in ("moved", "edited") else how,
        })
    return out


def export_json(store: Store, library: Library, brief: str | None = None) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported": now(),
        "by": store.author,
        "marks": records(store, library, brief),
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def export_markdown(store: Store, library: Library, brief: str | None = None) -> str:
    rows = records(store, library, brief)
    notes = sum(r["kind"] == "note" for r in rows)
    lines = ["# Notes and bookmarks", "",
             f"Exported {now()} by {store.author}: {notes} notes, {len(rows) - notes} bookmarks.", ""]
    current = None
    for row in rows:
        if row["brief"] != current:
            current = row["brief"]
            lines += [f"## {_md(row['brief_title'])} ({row['brief']})", ""]
        where = PANE_TITLES.get(row["pane"] or "", "Whole brief")
        what = "Note" if row["kind"] == "note" else "Bookmark"
        state = f" ({row['anchor']})" if row["anchor"] != "ok" else ""
        lines.append(f"### {what} · {where}{state}")
        lines.append("")
        if row["item"] is not None:
            lines += [f"> {_md(line)}" for line in row["item_text"].splitlines() or [""]]
            if row["written_on"] != row["item_text"]:
                lines += ["", f"Written on: {_md(row['written_on'])}"]
            lines.append("")
        for cite in row["citations"]:
            passage = f": \u201c{_md(cite['passage'])}\u201d" if cite["passage"] else ""
            lines.append(f"- {cite['citation']} {_md(cite['source'])}{passage}")
        if row["citations"]:
            lines.append("")
        if row["note"]:
            lines += [_md(row["note"]), ""]
        changed = f", edited {row['updated']}" if row["updated"] != row["created"] else ""
        lines += [f"*{_md(row['author'])}, {row['created']}{changed}*", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Brief and note text for a Markdown file: no terminal controls, no HTML."""
    return clean(text).replace("<", "&lt;")


def read_export(raw: bytes) -> list[Mark]:
    """The notes and bookmarks of a JSON export; every field is checked and cleaned."""
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ExportFileError(f"not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportFileError(f"not a briefing export (no \"format\": \"{FORMAT}\")")
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise ExportFileError(f"an export of version {document.get('version')!r}; this briefing reads {VERSION}")
    marks = document.get("marks")
    if not isinstance(marks, list):
        raise ExportFileError("the export has no list of marks")
    out = []
    for number, record in enumerate(marks, start=1):
        if not isinstance(record, dict):
            raise ExportFileError(f"mark {number} is not an object")
        try:
            out.append(mark_from_record(record))
        except ValueError as exc:
            raise ExportFileError(f"mark {number}: {exc}") from exc
    return out


def mark_from_record(record: dict[str, Any]) -> Mark:
    """A note or bookmark from an exported record (untrusted: cleaned and checked)."""
    kind = record.get("kind")
    if kind not in ("note", "bookmark"):
        raise ValueError(f"unknown kind {kind!r}")

    def text(key: str, one_line: bool = True) -> str:
        value = record.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError(f"{key} is not text")
        return clean_line(value) if one_line else clean(value)

    fields = dict(
        id=text("id"),
        brief=text("brief"),
        item=text("item") or None,
        pane=text("pane") or None,
        quote=text("written_on", False) or text("item_text", False),
        author=text("author"),
        created=text("created") or now(),
        updated=text("updated") or text("created") or now(),
        anchor=text("anchor") if text("anchor") in ANCHORS else "ok",
    )
    if not fields["id"]:
        raise ValueError("no id")
    if not fields["brief"]:
        raise ValueError("no brief")
    if fields["pane"] is not None and fields["pane"] not in PANES:
        raise ValueError(f"unknown pane {fields['pane']!r}")
    if kind == "note":
        return Note(text=text("note", False), **fields)
    return Bookmark(**fields)
