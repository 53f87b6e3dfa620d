"""The library's index: a cache of every file's summary or errors, keyed by path, size and
modification time, so that a start with 10,000 briefs parses only what changed.

One JSON file in the cache folder: {"version", "roots", "rows"}, a row per file in display
order: [path, root, mtime_ns, size, summary fields or null, errors or null]. It is only a
cache: anything unreadable, of another version or for other library folders counts as empty.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import orjson

from briefing.core.entries import BriefSummary, Entry
from briefing.core.errors import BriefError

INDEX_VERSION = 2


def read_index(index_file: Path | None, roots: list[Path]) -> tuple[dict[str, tuple[int, int]], list[Entry]]:
    """The stamps and entries the index holds for ``roots``; none if it is missing, stale
    (another version or other roots) or unreadable."""
    if index_file is None:
        return {}, []
    try:
        with open(index_file, "rb") as handle:
            raw = handle.read()
        try:
            # orjson reads the bytes as they are: faster, and no decoded copy of the
            # whole file in memory at start-up.
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            # A file name that is not UTF-8 is kept as an escaped lone surrogate,
            # which only the standard json module reads back.
            data = json.loads(raw.decode("utf-8"))
        del raw
        if data.get("version") != INDEX_VERSION or data.get("roots") != [str(r) for r in roots]:
            return {}, []
        stamps: dict[str, tuple[int, int]] = {}
        entries: list[Entry] = []
        rows = data.pop("rows")
        shared: dict = {}  # values many entries have alike, kept once (see _entry_from_row)
        del data
        rows.reverse()
        while rows:
            # Taken off the list one at a time, each row's lists are freed as its entry
            # is made, so the whole file is never held twice.
            path, root, mtime, size, summary, errors = rows.pop()
            stamps[path] = (mtime, size)
            entries.append(_entry_from_row(path, root, summary, errors, shared))
        return stamps, entries
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}, []


def write_index(
    index_file: Path | None, roots: list[Path], stamps: dict[str, tuple[int, int]], entries: list[Entry]
) -> None:
    """Keep ``entries`` (with the stamps of their files) for the next start."""
    if index_file is None:
        return
    rows = [[e.path, e.library, *stamps.get(e.path, (0, -1)), *_entry_to_row(e)] for e in entries if e.path in stamps]
    try:
        index_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = index_file.with_name(f".{index_file.name}.{os.getpid()}.tmp")
        # ensure_ascii: a file name that is not valid UTF-8 holds lone surrogates,
        # which only an ASCII-escaped JSON file can keep.
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(
                {"version": INDEX_VERSION, "roots": [str(r) for r in roots], "rows": rows},
                handle,
                separators=(",", ":"),
            )
        os.replace(tmp, index_file)
    except (OSError, ValueError):
        pass  # the index is only a cache; the next start scans again


def _entry_to_row(entry: Entry) -> list:
    if entry.summary is not None:
        s = entry.summary
        return [[s.id, s.title, s.date, s.status, list(s.tags), list(s.counts)], None]
    assert entry.error is not None
    return [None, [[e.line, e.message] for e in entry.error.all]]


def _entry_from_row(path: str, root: str, summary: list | None, errors: list | None, shared: dict) -> Entry:
    """An entry from a row of the index. Values many briefs have alike (the library folder,
    a status, tags, counts) are kept once in ``shared`` and used by every entry."""
    one = shared.setdefault
    root = one(root, root)
    if summary is not None:
        brief_id, title, date, status, tags, counts = summary
        tags, counts = tuple(one(t, t) for t in tags), tuple(counts)
        return Entry(
            path, root, BriefSummary(brief_id, title, date, one(status, status), one(tags, tags), one(counts, counts))
        )
    problems = [BriefError(path, line, message) for line, message in errors or [[0, "unknown error"]]]
    first, *rest = problems
    first.others = rest
    return Entry(path, root, error=first)
