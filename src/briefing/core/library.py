"""The library: the briefs of one or more folders, their summaries, errors and sources.

Everything the list, search and the views show comes from the index (an SQLite cache,
:mod:`briefing.core.index`), kept up to date by :mod:`briefing.core.indexing`; a brief is
parsed whole only when it is opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefing.core.entries import BriefSummary, Entry
from briefing.core.errors import BriefError
from briefing.core.index import Hit, Index, IndexUnavailable, Rows
from briefing.core.query import Query, parse_query

if TYPE_CHECKING:  # the model and the parser load on first use, not on start-up
    from briefing.core.model import Brief, Citation, Source
    from briefing.core.sources import SourceDocument


class Passage(NamedTuple):
    """The text a citation points at, or why it cannot be shown."""

    citation: Citation
    source: Source
    text: str | None
    problem: str | None = None


def damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether an SQLite error says the database file is damaged (not merely busy)."""
    text = str(exc)
    return "malformed" in text or "not a database" in text or "corrupt" in text


class Library:
    """The briefs of one or more folders, through the index (docs/design.md §10).

    ``index_file`` is the reader's own index (None: one in memory, for ``check``);
    ``shared_file`` a library's shared index, read when it is fresh."""

    def __init__(self, roots: Iterable[Path], index_file: Path | None = None, shared_file: Path | None = None) -> None:
        self.roots = [Path(r) for r in roots]
        self.index_file = index_file
        self.shared_file = shared_file
        self.order = "date"
        self._own: Index | None = None
        self._index: Index | None = None
        self._entries: Rows = Rows(None, [])
        self._roots: dict[str, Path] = {}

    @classmethod
    def of(cls, roots: list[Path]) -> Library:
        """The library of these folders with the reader's own index, and the folder's shared
        index when there is one folder."""
        from briefing import paths

        shared = paths.shared_index_file(roots[0]) if len(roots) == 1 else None
        return cls(roots, paths.library_cache_file(roots), shared)

    # -- the index --------------------------------------------------------------

    @property
    def index(self) -> Index:
        """The index in use: the shared one while it is fresh, else the reader's own."""
        if self._index is None:
            self._index = self._open_own()
        return self._index

    def _open_own(self) -> Index:
        if self._own is None:
            own = Index(self.index_file) if self.index_file is not None else Index.in_memory()
            try:
                own.open(self.roots)
            except IndexUnavailable:
                if self.index_file is None:
                    raise
                own = Index.in_memory()  # a cache folder that cannot be written: work without it
                own.open(self.roots)
            self._own = own
        return self._own

    def _open_shared(self) -> Index | None:
        if self.shared_file is None or not self.shared_file.is_file():
            return None
        shared = Index(self.shared_file, read_only=True)
        try:
            shared.open(self.roots)
        except (IndexUnavailable, sqlite3.DatabaseError):
            shared.close()
            return None
        return shared

    def load_index(self) -> bool:
        """Show what the index knew at the last start, without reading a brief (fast path).

        Returns True if it had entries for these library folders. :meth:`scan` then
        checks every file and brings the entries up to date."""
        if self._index is None:
            self._index = self._open_shared() or self._open_own()
        if self._index.count_all() == 0:
            return False
        self._show()
        return True

    def scan(
        self, progress: Callable[[int, int], None] | None = None, committed: Callable[[], None] | None = None
    ) -> bool:
        """Bring the index up to date with the files, and show it.

        ``progress(read, to_read)`` is called as briefs are read; ``committed()`` each time
        more rows can be shown (the first reading of a large library). Returns True if the
        entries differ from what was shown before."""
        from briefing.core.indexing import is_fresh, update

        index = self.index
        if index.read_only:
            if is_fresh(index, self.roots):
                first = not self._entries.ids
                self._show()
                return first
            own = self._open_own()
            if own.count_all() == 0:
                index.copy_to(own)  # start from the shared index: only what changed is read
            index.close()
            self._index = index = own
        before = list(self._entries.ids) if self._entries.db_index is not None else []
        try:
            result = update(index, self.roots, progress=progress, committed=committed)
        except sqlite3.DatabaseError as exc:
            if not damaged(exc) or index.read_only:
                raise
            # Damaged inside (opening reads only a little of it): it is a cache; start again.
            index.rebuild(self.roots)
            result = update(index, self.roots, progress=progress, committed=committed)
        self._show()
        return result.changed or self._entries.ids != before

    def _show(self) -> None:
        index = self.index
        self._entries = Rows(index, None, order=self.order, total=index.count_all())

    @property
    def entries(self) -> Rows:
        """Every file in display order: the briefs that read well, then those with errors."""
        return self._entries

    def refresh(self) -> None:
        """Show what the index holds now (after a commit of a scan under way)."""
        self._show()

    # -- queries --------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many briefs read well, and how many files have errors."""
        return self.index.counts()

    @property
    def summaries(self) -> list[BriefSummary]:
        return [e.summary for e in self.entries if e.summary is not None]

    @property
    def errors(self) -> list[BriefError]:
        return [e.error for e in self.entries if e.error is not None]

    def filter(self, query: str) -> Rows:
        words = query.casefold().split()
        if not words:
            return self._entries
        return Rows(self.index, self.index.ordered(self.order, words), order=self.order)

    def entry(self, brief_id: str) -> Entry | None:
        """The entry of the brief with this id that reads well."""
        return self.index.entry(brief_id)

    def entries_of(self, brief_ids: Iterable[str]) -> dict[str, Entry]:
        """The entries of these briefs (those that read well)."""
        return self.index.entries_of(brief_ids)

    def position(self, rows: Rows, brief_id: str | None = None, path: str | None = None) -> int | None:
        """Where in ``rows`` the brief with this id (or the file at ``path``) is."""
        rowid = self.index.rowid(brief_id, path)
        return None if rowid is None else rows.position(rowid)

    def search(self, text: str, limit: int = 200, typing: bool = False) -> tuple[Query, list[Hit]]:
        """The query read from ``text`` and its best hits (see :mod:`briefing.core.query`);
        ``typing``: its last word is still being typed (a prefix)."""
        query = parse_query(text, typing)
        try:
            return query, self.index.search(query, limit)
        except sqlite3.DatabaseError as exc:
            if not damaged(exc):
                raise
        self._repair()
        return query, self.index.search(query, limit)

    def _repair(self) -> None:
        """The index in use is damaged inside: build the reader's own again from the briefs."""
        from briefing.core.indexing import update

        index = self.index
        if index.read_only:  # a damaged shared index: leave it, and use the reader's own
            index.close()
            self._index = index = self._open_own()
        index.rebuild(self.roots)
        update(index, self.roots)
        self._show()

    def brief(self, brief_id: str) -> Brief:
        """The whole brief, parsed from its file now (it may have changed since the scan)."""
        from briefing.core.parse import load_brief

        entry = self.entry(brief_id)
        if entry is None:
            raise KeyError(brief_id)
        brief = load_brief(Path(entry.path))
        # brief.path is cleaned for display; remember the real folder its sources are in.
        self._roots[brief.id] = Path(entry.library)
        problems = self.check_citations(brief, Path(entry.library))
        if problems:
            first, *rest = problems
            first.others = rest
            raise first
        return brief

    def summarise(self, root: Path, path: Path) -> Entry:
        """One brief file read now: its summary, or its errors."""
        from briefing.core.indexing import read_brief

        record = read_brief(str(root), str(path))
        summary = record.get("summary")
        if summary is None:
            first, *rest = [BriefError(str(path), line, message) for line, message in record["errors"]]
            first.others = rest
            return Entry(str(path), str(root), error=first)
        brief_id, title, date, status, tags, counts = summary
        return Entry(str(path), str(root), BriefSummary(brief_id, title, date, status, tuple(tags), tuple(counts)))

    # -- sources --------------------------------------------------------------

    def source_document(self, brief: Brief, source_id: str, root: Path | None = None) -> SourceDocument:
        from briefing.core.indexing import source_document

        source = brief.source(source_id)
        if source is None:
            raise BriefError(brief.path, 0, f"no source {source_id}")
        if source.file is None:
            raise BriefError(brief.path, 0, f"source {source_id} is online only: {source.url}")
        return source_document(str(root or self._root_of(brief)), source.file)

    def passage(self, brief: Brief, citation: Citation) -> Passage:
        source = brief.source(citation.source)
        assert source is not None  # the parser refuses a citation of an unlisted source
        try:
            document = self.source_document(brief, citation.source)
            return Passage(citation, source, document.passage(citation))
        except BriefError as exc:
            return Passage(citation, source, None, exc.message)
        except KeyError:
            return Passage(citation, source, None, f"{citation} is not in the source")

    def check_citations(self, brief: Brief, root: Path) -> list[BriefError]:
        """Every citation whose source file is missing or has no such paragraph."""
        from briefing.core.indexing import citation_problems

        return citation_problems(brief, str(root))

    def _root_of(self, brief: Brief) -> Path:
        if brief.id in self._roots:
            return self._roots[brief.id]
        path = Path(brief.path)
        for root in self.roots:
            if path.parent == root:
                return root
        return path.parent
