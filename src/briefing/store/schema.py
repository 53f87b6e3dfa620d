"""The layout of the notes store's file, its versions and how older ones are upgraded.

Version 2 (current): TinyDB tables keyed by our own ids::

    {"meta": {"schema": {"version": 2}},
     "notes": {ID: {brief, item, pane, quote, author, created, updated, anchor, text}},
     "bookmarks": {ID: {brief, item, pane, quote, author, created, updated, anchor}},
     "reading": {BRIEF_ID: {read, pane, item}},
     "state": {"last": {brief, pane, item, open},
               "asides": {reasons: {FILE NAME: why}, acknowledged: [FILE NAME, ...]}},
     "settings": {KEY: {value}},
     "drafts": {KEY: {brief, item, pane, quote, text, note, updated}}}

A table added later (``drafts``) does not change the version: a store without it reads
as having none, and a briefing that does not know a table keeps it as it is.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any, TypedDict

import orjson

from briefing.core.enums import Anchor
from briefing.core.marks import Draft, Mark, Note
from briefing.core.safe import clean, clean_line

SCHEMA = 2
TABLES = ("notes", "bookmarks", "reading", "state", "settings", "drafts")


def now() -> str:
    """A UTC timestamp, to the millisecond, as ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fresh_data() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
    data["meta"] = {"schema": {"version": SCHEMA}}
    return data


def schema_version(data: dict[str, Any]) -> int:
    """The schema a store file was written in; TinyDB's bare layout (no meta) is version 1."""
    try:
        version = data["meta"]["schema"]["version"]
    except (KeyError, TypeError):
        return 1
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"has an unknown schema version {version!r}")
    return version


def _iso(value: Any) -> str:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return str(value) if value else now()


def migrate_v1(old: dict[str, Any], author: str) -> dict[str, Any]:
    """Version 1 kept TinyDB's default layout: one ``_default`` table of records keyed by
    TinyDB's counter, ``type`` note or bookmark, ``brief_id``/``item_id``/``item_text``,
    times as Unix seconds, no author; ``reading`` and ``settings`` tables likewise keyed
    by counters. Version 2 keys every record by a random id, so two instances cannot
    collide, and keeps the author and the anchor state."""
    data = fresh_data()
    for record in (old.get("_default") or {}).values():
        if not isinstance(record, dict) or not record.get("brief_id"):
            continue
        mark = {
            "brief": str(record["brief_id"]),
            "item": record.get("item_id"),
            "pane": record.get("pane"),
            "quote": str(record.get("item_text") or ""),
            "author": str(record.get("author") or author),
            "created": _iso(record.get("created")),
            "updated": _iso(record.get("updated") or record.get("created")),
            "anchor": Anchor.OK.value,
        }
        if record.get("type") == "bookmark":
            data["bookmarks"][os.urandom(8).hex()] = mark
        else:
            mark["text"] = str(record.get("text") or "")
            data["notes"][os.urandom(8).hex()] = mark
    for record in (old.get("reading") or {}).values():
        if isinstance(record, dict) and record.get("brief_id"):
            data["reading"][str(record["brief_id"])] = {
                "read": _iso(record.get("at")),
                "pane": record.get("pane"),
                "item": record.get("item_id"),
            }
    for record in (old.get("settings") or {}).values():
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            data["settings"][record["key"]] = {"value": record.get("value")}
    return data


MIGRATIONS = {1: migrate_v1}


class MarkFields(TypedDict):
    """What every note and bookmark is made with (:class:`~briefing.core.marks.Mark`'s fields)."""

    id: str
    brief: str
    item: str | None
    pane: str | None
    quote: str
    author: str
    created: str
    updated: str
    anchor: str


def mark_record(mark: Mark) -> dict[str, Any]:
    record = {
        "brief": mark.brief,
        "item": mark.item,
        "pane": mark.pane,
        "quote": mark.quote,
        "author": mark.author,
        "created": mark.created,
        "updated": mark.updated,
        "anchor": mark.anchor,
    }
    if isinstance(mark, Note):
        record["text"] = mark.text
    return record


def mark_from_record(cls: type[Mark], mark_id: str, record: dict[str, Any]) -> Mark:
    """A note or bookmark as the store has it, every string cleaned for the terminal: the
    file is the user's, but anything may have written it (an older briefing, an editor)."""
    item, pane = record.get("item"), record.get("pane")
    fields = MarkFields(
        id=clean_line(mark_id),
        brief=clean_line(str(record.get("brief", ""))),
        item=clean_line(str(item)) if item is not None else None,
        pane=clean_line(str(pane)) if pane is not None else None,
        quote=clean(str(record.get("quote", ""))),
        author=clean_line(str(record.get("author", ""))),
        created=clean_line(str(record.get("created", ""))),
        updated=clean_line(str(record.get("updated", ""))),
        anchor=clean_line(str(record.get("anchor", Anchor.OK))),
    )
    if cls is Note:
        return Note(text=clean(str(record.get("text", ""))), **fields)
    return cls(**fields)


def draft_key(brief: str, item: str | None) -> str:
    """The key of the draft for one item (or the whole brief): any ids, unambiguous."""
    return orjson.dumps([brief, item]).decode("utf-8")


def draft_record(draft: Draft) -> dict[str, Any]:
    return {
        "brief": draft.brief,
        "item": draft.item,
        "pane": draft.pane,
        "quote": draft.quote,
        "text": draft.text,
        "note": draft.note,
        "updated": draft.updated,
    }


def draft_from_record(record: dict[str, Any]) -> Draft:
    def optional(key: str) -> str | None:
        value = record.get(key)
        return clean_line(str(value)) if value is not None else None

    return Draft(
        brief=clean_line(str(record.get("brief", ""))),
        item=optional("item"),
        pane=optional("pane"),
        quote=clean(str(record.get("quote", ""))),
        text=clean(str(record.get("text", ""))),
        note=optional("note"),
        updated=clean_line(str(record.get("updated", ""))),
    )
