"""How many notes and bookmarks of each brief lost their item, for the library's rows.

Working it out means parsing the brief and looking each mark up (anchor.py), so the counts
are kept between starts in a small cache file with what each was worked out from: the
brief file's size and time and a checksum of its marks. A brief is read again only when
one of those changed. The file is a cache (safe to delete); the notes store is never
written from here.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from pathlib import Path

import orjson

from briefing.core.library import Library
from briefing.core.marks import Mark
from briefing.store.durable import private_folder, write_atomic

VERSION = 1


def signature(marks: Iterable[Mark]) -> int:
    """A checksum of what finding these marks depends on (their items, panes and text)."""
    parts = sorted(f"{m.id}\0{m.item}\0{m.pane}\0{m.quote}" for m in marks if m.item is not None)
    return zlib.crc32("\1".join(parts).encode("utf-8", "surrogatepass"))


class OrphanCounts:
    """Orphans per brief id, remembered in ``path`` (None: in memory only)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list[int]] = {}
        self.dirty = False
        if path is not None:
            try:
                data = orjson.loads(path.read_bytes())
                if isinstance(data, dict) and data.get("version") == VERSION and isinstance(data.get("briefs"), dict):
                    self.entries = {
                        k: v
                        for k, v in data["briefs"].items()
                        if isinstance(v, list) and len(v) == 4 and all(isinstance(n, int) for n in v)
                    }
            except (OSError, ValueError):
                pass  # no cache yet, or one that cannot be used: work the counts out again

    def count(self, entry_path: str, brief_id: str, marks: list[Mark]) -> int | None:
        """How many of ``marks`` lost their item in the brief at ``entry_path``; None when
        the file cannot be read or parsed now."""
        from briefing.core.anchor import orphans
        from briefing.core.parse import load_brief

        try:
            info = os.stat(entry_path)
        except OSError:
            return None
        key = [info.st_mtime_ns, info.st_size, signature(marks)]
        known = self.entries.get(brief_id)
        if known is not None and known[:3] == key:
            return known[3]
        try:
            brief = load_brief(Path(entry_path))
        except Exception:  # a brief with errors is listed with its error, not counted
            return None
        found = orphans(brief, marks)
        self.entries[brief_id] = [*key, found]
        self.dirty = True
        return found

    def counts(self, library: Library, marks: Iterable[Mark]) -> dict[str, int]:
        """Orphans of every brief of the library that has marks on items."""
        by_brief: dict[str, list[Mark]] = {}
        for mark in marks:
            if mark.item is not None:
                by_brief.setdefault(mark.brief, []).append(mark)
        entries = library.entries_of(by_brief)
        out: dict[str, int] = {}
        for brief_id, entry in entries.items():
            found = self.count(entry.path, brief_id, by_brief[brief_id])
            if found:
                out[brief_id] = found
        return out

    def save(self) -> None:
        """Keep the counts for the next start (a cache: a failure only costs time then)."""
        if not self.dirty or self.path is None:
            return
        try:
            private_folder(self.path.parent, enforce=False)
            write_atomic(self.path, orjson.dumps({"version": VERSION, "briefs": self.entries}))
            self.dirty = False
        except OSError:
            pass
