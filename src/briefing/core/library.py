"""The library: discover briefs in one or more folders, summarise them, collect errors.

Scanning 10,000 briefs must not delay the first frame, so summaries are kept in an
index file (:mod:`briefing.core.index`, in the cache folder) keyed by path, size and
modification time; only new or changed files are parsed. Full briefs are parsed when opened, and source documents when
first cited.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefing.core.entries import BriefSummary, Entry
from briefing.core.errors import BriefError
from briefing.core.index import read_index, write_index
from briefing.core.safe import clean_line
from briefing.paths import FORMAT_FILENAME

if TYPE_CHECKING:  # the model and the parser load on first use, not on start-up
    from briefing.core.model import Brief, Citation, Source
    from briefing.core.sources import SourceDocument

SKIP_FILES = {FORMAT_FILENAME, "README.md"}


class Passage(NamedTuple):
    """The text a citation points at, or why it cannot be shown."""

    citation: Citation
    source: Source
    text: str | None
    problem: str | None = None


class Library:
    def __init__(self, roots: Iterable[Path], index_file: Path | None = None) -> None:
        self.roots = [Path(r) for r in roots]
        self.index_file = index_file
        self.entries: list[Entry] = []
        self._stamps: dict[str, tuple[int, int]] = {}
        self._raw: list[Entry] = []
        self._haystacks: tuple[list[Entry], list[str]] | None = None
        self._sources: dict[tuple[str, str], SourceDocument | BriefError] = {}
        self._roots: dict[str, Path] = {}

    # -- discovery ------------------------------------------------------------

    def files(self) -> list[tuple[str, str, os.stat_result | None, BriefError | None]]:
        """Every brief file of every root (as paths), with its stat or a problem."""
        out: list[tuple[str, str, os.stat_result | None, BriefError | None]] = []
        for root in self.roots:
            top = str(root)
            try:
                found = sorted(
                    (e for e in os.scandir(root) if e.name.endswith(".md") and e.name not in SKIP_FILES),
                    key=lambda e: e.name,
                )
            except OSError as exc:
                out.append((top, top, None, BriefError(top, 0, f"cannot read the library folder: {exc.strerror}")))
                continue
            real_root = Path(os.path.realpath(root))
            for item in found:
                try:
                    # realpath, not resolve(): a symlink loop must be an error for that file,
                    # and resolve() raises RuntimeError on one.
                    if item.is_symlink() and not Path(os.path.realpath(item.path)).is_relative_to(real_root):
                        out.append(
                            (
                                top,
                                item.path,
                                None,
                                BriefError(item.path, 0, "a link that points outside the library; not read"),
                            )
                        )
                        continue
                    out.append((top, item.path, item.stat(), None))
                except OSError as exc:
                    out.append((top, item.path, None, BriefError(item.path, 0, f"cannot read: {exc.strerror}")))
        return out

    def load_index(self) -> bool:
        """Show what the index knew at the last start, without reading a brief (fast path).

        Returns True if it had entries for these library folders. :meth:`scan` then
        checks every file and brings the entries up to date."""
        self._stamps, self._raw = read_index(self.index_file, self.roots)
        if not self._raw:
            return False
        self._show(self._raw)
        return True

    def scan(self, progress: Callable[[int, int], None] | None = None) -> bool:
        """Load every summary, from the index where the file has not changed.

        ``progress(parsed, files)`` is called every 200 briefs parsed.
        Returns True if the entries differ from what was shown before."""
        if not self._raw:
            self._stamps, self._raw = read_index(self.index_file, self.roots)
        stamps, known = self._stamps, self._raw
        self._sources.clear()  # sources may have changed since the last scan
        by_path = {e.path: e for e in known}
        fresh: dict[str, tuple[int, int]] = {}
        raw: list[Entry] = []
        changed = False
        files = self.files()
        parsed = 0
        for root, key, st, problem in files:
            if problem is not None:
                raw.append(Entry(key, root, error=problem))
                continue
            assert st is not None
            stamp = (st.st_mtime_ns, st.st_size)
            cached = by_path.get(key)
            # An error in the brief itself stays until the file changes; one that comes from
            # a source file (a cited paragraph missing) is checked again at every scan: its
            # stamp is not kept, so it never matches.
            if cached is not None and stamps.get(key) == stamp and cached.library == root:
                raw.append(cached)
            else:
                entry = self.summarise(Path(root), Path(key))
                raw.append(entry)
                changed = changed or entry._replace(recheck=False) != cached
                parsed += 1
                if progress is not None and parsed % 200 == 0:
                    progress(parsed, len(files))
                if entry.recheck:
                    stamp = (0, -1)
            fresh[key] = stamp
        raw.sort(key=lambda e: e.sort_key)
        # Files that cannot be stat'ed are not in the index, so they always count as a change.
        changed = changed or [e.path for e in raw] != [e.path for e in known]
        if changed or not self.entries:
            self._show(raw)
        if changed or stamps != fresh:
            write_index(self.index_file, self.roots, fresh, raw)
        self._stamps, self._raw = fresh, raw
        self._sources.clear()  # a library may cite many sources: keep none after the scan
        return changed

    def _show(self, raw: list[Entry]) -> None:
        """Entries in display order from sorted raw ones: duplicate ids become errors,
        and errors go last."""
        marked = _mark_duplicates(raw)
        self.entries = [e for e in marked if e.summary is not None] + [e for e in marked if e.summary is None]
        self._haystacks = None

    def summarise(self, root: Path, path: Path) -> Entry:
        from briefing.core.parse import load_brief

        try:
            brief = load_brief(path)
        except BriefError as exc:
            return Entry(str(path), str(root), error=exc)
        problems = self.check_citations(brief, root)
        if problems:
            first, *rest = problems
            first.others = rest
            return Entry(str(path), str(root), error=first, recheck=True)
        return Entry(str(path), str(root), summary=BriefSummary.of(brief))

    # -- queries --------------------------------------------------------------

    @property
    def summaries(self) -> list[BriefSummary]:
        return [e.summary for e in self.entries if e.summary is not None]

    @property
    def errors(self) -> list[BriefError]:
        return [e.error for e in self.entries if e.error is not None]

    def filter(self, query: str) -> list[Entry]:
        words = query.casefold().split()
        if not words:
            return list(self.entries)
        # The scanning thread may replace the entries at any time: take them once, and keep
        # the haystacks with the very list they were made from.
        entries, cached = self.entries, self._haystacks
        if cached is None or cached[0] is not entries:
            cached = self._haystacks = (entries, [e.haystack() for e in entries])
        return [e for e, hay in zip(entries, cached[1], strict=True) if all(w in hay for w in words)]

    def entry(self, brief_id: str) -> Entry | None:
        """The entry of a brief that reads well, by id (one walk: for many ids, use
        :meth:`entries_of`; a table of every id would cost memory on every start)."""
        return next((e for e in self.entries if e.summary and e.summary.id == brief_id), None)

    def entries_of(self, brief_ids: Iterable[str]) -> dict[str, Entry]:
        """The entries of these briefs (those that read well), in one walk of the library."""
        wanted = set(brief_ids)
        found: dict[str, Entry] = {}
        for e in self.entries:
            if e.summary is not None and e.summary.id in wanted and e.summary.id not in found:
                found[e.summary.id] = e
        return found

    def brief(self, brief_id: str) -> Brief:
        """The whole brief, parsed from its file now (it may have changed since the scan)."""
        from briefing.core.parse import load_brief

        entry = self.entry(brief_id)
        if entry is None:
            raise KeyError(brief_id)
        self._sources.clear()  # read its sources as they are now
        brief = load_brief(Path(entry.path))
        # brief.path is cleaned for display; remember the real folder its sources are in.
        self._roots[brief.id] = Path(entry.library)
        problems = self.check_citations(brief, Path(entry.library))
        if problems:
            first, *rest = problems
            first.others = rest
            raise first
        return brief

    # -- sources --------------------------------------------------------------

    def source_document(self, brief: Brief, source_id: str, root: Path | None = None) -> SourceDocument:
        source = brief.source(source_id)
        if source is None:
            raise BriefError(brief.path, 0, f"no source {source_id}")
        if source.file is None:
            raise BriefError(brief.path, 0, f"source {source_id} is online only: {source.url}")
        root = root or self._root_of(brief)
        key = (str(root), source.file)
        found = self._sources.get(key)
        if found is None:
            from briefing.core.sources import load_source

            try:
                found = load_source(root, source.file)
            except BriefError as exc:
                found = exc
            self._sources[key] = found
        if isinstance(found, BriefError):
            raise found
        return found

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
        problems: list[BriefError] = []
        for item in brief.items():
            for citation in item.citations:
                source = brief.source(citation.source)
                if source is None or source.file is None:
                    continue
                try:
                    document = self.source_document(brief, citation.source, root)
                except BriefError as exc:
                    problems.append(BriefError(brief.path, item.line, f"{citation}: {exc.message}"))
                    continue
                if not document.has(citation):
                    problems.append(
                        BriefError(
                            brief.path,
                            item.line,
                            f"{citation}: source {citation.source} has {len(document.paragraphs)} "
                            f"paragraph{'s' * (len(document.paragraphs) != 1)}"
                            + (" (or that paragraph has fewer sentences)" if citation.sentence else ""),
                        )
                    )
        return problems

    def _root_of(self, brief: Brief) -> Path:
        if brief.id in self._roots:
            return self._roots[brief.id]
        path = Path(brief.path)
        for root in self.roots:
            if path.parent == root:
                return root
        return path.parent


def _mark_duplicates(entries: list[Entry]) -> list[Entry]:
    seen: dict[str, str] = {}
    out = []
    for entry in entries:
        if entry.summary is not None:
            brief_id = entry.summary.id
            other = seen.get(brief_id)
            if other is not None:
                message = f"brief id '{brief_id}' is also used by {clean_line(other)}"
                entry = Entry(entry.path, entry.library, error=BriefError(entry.path, 0, message))
            else:
                seen[brief_id] = entry.path
        out.append(entry)
    return out
