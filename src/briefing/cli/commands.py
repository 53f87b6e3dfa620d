"""The subcommands that work without the reader: show, search, index, export and import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from briefing.core.enums import PANE_TITLES, PANES
from briefing.core.library import Library
from briefing.core.model import Brief, Concern, Fact, Item, When
from briefing.core.parse import BriefError
from briefing.core.safe import clean_line


def show(libraries: list[Path], brief_id: str, pane: str | None, fmt: str) -> int:
    """Print one brief. The library's index (the reader's, in the cache folder) says where
    it is: only files changed since are read again, not the whole library."""
    library = Library.of(libraries)
    library.load_index()
    library.scan(progress=progress_on_stderr())
    try:
        brief = library.brief(brief_id)
    except KeyError:
        known = library.index.brief_ids()
        listed = ", ".join(known[:20]) + (f", … ({len(known):,} in all)" if len(known) > 20 else "")
        print(f"briefing: no brief {clean_line(brief_id)!r} (briefs: {listed or 'none'})", file=sys.stderr)
        return 1
    except BriefError as exc:
        for problem in exc.all:
            print(problem, file=sys.stderr)
        return 1
    panes: list[str] = [pane] if pane else list(PANES)
    if fmt == "json":
        json.dump(brief_json(library, brief, panes), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        sys.stdout.write(brief_text(library, brief, panes))
    return 0


def progress_on_stderr(every: float = 0.5):
    """A progress callback that says on stderr how far a long reading of the library got
    (nothing when it takes under ``every`` seconds)."""
    import time

    started = time.monotonic()
    said = [started]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - said[-1] >= every or (done == total and len(said) > 1):
            said.append(now)
            print(f"briefing: indexing the library: {done:,} of {total:,} briefs read", file=sys.stderr)

    return progress


def build_index(libraries: list[Path]) -> int:
    """``briefing index``: build each library folder's shared index (LIBRARY/.briefing/
    index.sqlite) for every reader of it: built beside the old one, then put in its place,
    so a reader never sees half of one."""
    import os
    import time

    from briefing import paths
    from briefing.core.index import Index, IndexUnavailable
    from briefing.core.indexing import update

    status = 0
    for root in libraries:
        if not root.is_dir():
            print(f"briefing: no such library folder: {clean_line(str(root))}", file=sys.stderr)
            status = 2
            continue
        target = paths.shared_index_file(root)
        temp = paths.shared_index_temp(root, os.getpid())
        started = time.monotonic()
        try:
            if not target.parent.is_dir():
                target.parent.mkdir()
                os.chmod(target.parent, 0o755)  # every reader of the library reads the index
            index = Index(temp)
            if target.is_file():
                old = Index(target, read_only=True)
                try:
                    old.open([root])
                    old.copy_to(index)  # only what changed is read again
                except (IndexUnavailable, Exception):  # noqa: BLE001 - a bad old index is rebuilt
                    pass
                finally:
                    old.close()
            index.open([root])
            result = update(index, [root], progress=progress_on_stderr())
            good, bad = index.counts()
            # Readers open it read-only: no write-ahead log beside it for them to need.
            index.db.execute("PRAGMA journal_mode = DELETE")
            index.close()
            os.chmod(temp, 0o644)
            os.replace(temp, target)
            paths.index_lock_file(temp).unlink(missing_ok=True)
        except (OSError, IndexUnavailable) as exc:
            for suffix in ("", "-wal", "-shm", ".lock"):
                try:
                    os.unlink(f"{temp}{suffix}")
                except OSError:
                    pass
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"briefing: cannot write {clean_line(str(target))}: {clean_line(why)}", file=sys.stderr)
            status = 2
            continue
        seconds = time.monotonic() - started
        print(
            f"{clean_line(str(target))}: {good:,} brief{'s' * (good != 1)}, {bad:,} with errors; "
            f"{result.read:,} read in {seconds:.1f} s"
        )
    return status


def search(libraries: list[Path], words: list[str], fmt: str, limit: int, store_path: Path | None) -> int:
    """``briefing search QUERY``: every hit with its brief, pane, item (or source paragraph,
    or note) and a snippet; exit status 1 when nothing matches."""
    from briefing.core.index import MARK_OFF, MARK_ON, fts5_available

    if not fts5_available():
        print("briefing: search needs SQLite with FTS5, which this Python's sqlite3 lacks", file=sys.stderr)
        return 2
    library = Library.of(libraries)
    library.load_index()
    library.scan(progress=progress_on_stderr())
    if store_path is not None and store_path.is_file():
        load_notes(library, store_path)
    query, hits = library.search(" ".join(words), limit)
    for problem in query.problems:
        print(f"briefing: {problem}", file=sys.stderr)
    if query.empty:
        print("briefing: the query has no word to search for", file=sys.stderr)
        return 2
    if fmt == "json":
        out = []
        for hit in hits:
            record: dict[str, object] = {
                "brief": hit.brief,
                "title": hit.title,
                "kind": hit.kind,
                "pane": hit.pane,
                "snippet": hit.snippet.replace(MARK_ON, "").replace(MARK_OFF, ""),
                "marked": hit.snippet.replace(MARK_ON, "«").replace(MARK_OFF, "»"),
            }
            if hit.kind == "item":
                record["item"] = hit.ref
            elif hit.kind == "para":
                record |= {"source": hit.source, "paragraph": hit.paragraph, "also_cited_by": hit.others}
            elif hit.kind in ("note", "bookmark"):
                record |= {hit.kind: hit.ref, "item": hit.item or None}
            out.append(record)
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for hit in hits:
            where = {
                "item": hit.ref,
                "para": hit.ref,
                "note": f"note {hit.ref}",
                "bookmark": f"bookmark {hit.ref}",
            }.get(hit.kind, "")
            head = f"{hit.brief}  {hit.pane}" + (f"  {where}" if where else "")
            snippet = " ".join(hit.snippet.replace(MARK_ON, "«").replace(MARK_OFF, "»").split())
            print(f"{head}\n    {snippet}")
    if not hits:
        print(f"briefing: nothing matches {clean_line(query.text)!r}", file=sys.stderr)
        return 1
    return 0


def load_notes(library: Library, store_path: Path) -> None:
    """Make the reader's notes searchable too (read without taking the store's lock)."""
    from briefing.store.notes import StoreError, open_store

    try:
        store = open_store(store_path, None, read_only_when_busy=True)
    except StoreError:
        return
    marks = store.marks()
    titles = {e.summary.id: e.summary.title for e in library.entries_of(m.brief for m in marks).values() if e.summary}
    library.index.load_notes(marks, titles, 0)


def item_json(item: Item) -> dict:
    """Every field of an item as written in the brief (not as the reader words it: a claim's
    statement and who makes it are kept apart), and the line it starts at."""
    fields: dict = {"line": item.line}
    for name, value in vars(item).items():
        if name in ("id", "line", "citations"):
            continue
        if isinstance(value, When):
            fields["when"] = value.text
            continue
        fields[name] = value
    # The names these had before, kept for the scripts that read them.
    if isinstance(item, Fact):
        fields["fact"] = item.statement
    elif isinstance(item, Concern):
        fields["concern"] = item.title
    return fields


def brief_json(library: Library, brief: Brief, panes: list[str]) -> dict:
    out: dict = {
        "id": brief.id,
        "title": brief.title,
        "date": brief.date,
        "status": brief.status,
        "tags": list(brief.tags),
        "summary": brief.summary,
        "sources": [vars(s) | {} for s in brief.sources],
    }
    for pane in panes:
        out[pane] = [
            {
                "id": item.id,
                **item_json(item),
                "citations": [
                    {
                        "source": c.source,
                        "paragraph": c.paragraph,
                        "sentence": c.sentence,
                        "passage": library.passage(brief, c).text,
                    }
                    for c in item.citations
                ],
            }
            for item in brief.pane(pane)
        ]
    return out


def brief_text(library: Library, brief: Brief, panes: list[str]) -> str:
    lines = [brief.title, f"{brief.date} · {brief.status} · {', '.join(brief.tags)}"]
    for source in brief.sources:
        lines.append(f"[{source.id}] {source.title} ({source.verification})")
    lines += ["", brief.summary]
    for pane in panes:
        lines += ["", f"## {PANE_TITLES[pane]}"]
        for item in brief.pane(pane):
            cites = " ".join(str(c) for c in item.citations)
            lines.append(f"- {item.label} {cites}  {{#{item.id}}}")
            for name, value in item.fields():
                if value and name not in item.label_fields:  # the label shows those already
                    lines.append(f"    {name}: {value}")
            if item.drafted:
                lines.append(f"    Drafted: {item.drafted} (not yet read against its passage by an author)")
    return "\n".join(lines) + "\n"


# The exit status of export and import when the store they used had a file moved aside
# that the reader has not acknowledged: the work is done, and the news is not lost in a log.
MOVED_ASIDE = 3


def open_store(store_path: Path, author: str | None = None):
    """The notes store, or None after saying on stderr why it cannot be used. A store
    another briefing holds is waited for a few seconds (said on stderr), then given up."""
    from briefing.store.notes import StoreError, open_store

    try:
        store = open_store(store_path, author, read_only_when_busy=False)
    except StoreError as exc:
        print(f"briefing: {clean_line(str(exc))}", file=sys.stderr)
        return None
    for problem in store.problems:
        print(f"briefing: {clean_line(problem)}", file=sys.stderr)
    if store.read_only:
        print(f"briefing: {clean_line(store.read_only)}", file=sys.stderr)
    return store


def tell_asides(store) -> int:
    """Say on stderr every store file moved aside that the reader has not acknowledged;
    the exit status to end with (0, or MOVED_ASIDE)."""
    asides = store.asides()
    for aside in asides:
        if any(str(aside.path) in problem for problem in store.problems):
            continue  # moved aside just now: said already, in those words
        why = f" (it {aside.reason})" if aside.reason else ""
        print(
            f"briefing: the notes store {clean_line(str(store.path))} could not be read and was kept as "
            f"{clean_line(str(aside.path))}{clean_line(why)}; notes saved since are in a new store. "
            "'briefing acknowledge' (or the reader) stops this message.",
            file=sys.stderr,
        )
    return MOVED_ASIDE if asides else 0


def acknowledge(store_path: Path, author: str | None = None) -> int:
    """``briefing acknowledge``: list the store files moved aside, and stop reporting them."""
    from briefing.store.notes import StoreError

    store = open_store(store_path, author)
    if store is None:
        return 2
    asides = store.asides()
    if not asides:
        print("nothing to acknowledge: no notes store was moved aside")
        return 0
    try:
        store.acknowledge(asides)
    except StoreError as exc:
        print(f"briefing: {clean_line(str(exc))}", file=sys.stderr)
        return 2
    for aside in asides:
        print(f"acknowledged {clean_line(str(aside.path))} (kept where it is)")
    return 0


def export_notes(
    libraries: list[Path], store_path: Path, fmt: str, brief: str | None, output: str | None, author: str | None = None
) -> int:
    """``briefing export``: every note and bookmark, to stdout or a file."""
    from briefing.store.durable import write_atomic
    from briefing.store.exchange import (
        export_json,
        export_markdown,
        export_target_problem,
        shown,
    )

    store = open_store(store_path, author)
    if store is None:
        return 2
    library = Library.of(libraries)
    library.load_index()
    library.scan(progress=progress_on_stderr())
    if brief is not None and library.entry(brief) is None and not store.marks(brief):
        print(f"briefing: no brief with the id {shown(brief)} and no notes on one", file=sys.stderr)
        return 2
    text = (export_json if fmt == "json" else export_markdown)(store, library, brief)
    if output is None:
        sys.stdout.write(text)
        return tell_asides(store)
    problem = export_target_problem(Path(output))
    if problem is not None:
        print(f"briefing: cannot write {clean_line(output)}: {problem}", file=sys.stderr)
        return 2
    try:
        # 0600 whatever the umask, atomically: a temporary file in the same folder,
        # fsynced, renamed over the target (a rename replaces a link put there since the
        # check above; it never writes through it).
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as exc:
        print(f"briefing: cannot write {clean_line(output)}: {clean_line(exc.strerror or str(exc))}", file=sys.stderr)
        return 2
    print(f"wrote {clean_line(output)}", file=sys.stderr)
    return tell_asides(store)


def import_notes(store_path: Path, file: Path, author: str | None = None) -> int:
    """``briefing import FILE.json``: merge an export into the store, without duplicates.
    The whole file is checked before the store is opened: a bad file changes nothing."""
    from briefing.store.exchange import (
        ExportFileError,
        read_export,
        read_export_file,
    )
    from briefing.store.notes import StoreError

    name = clean_line(str(file))
    try:
        marks = read_export(read_export_file(file))
    except OSError as exc:
        print(f"briefing: cannot read {name}: {clean_line(exc.strerror or str(exc))}", file=sys.stderr)
        return 2
    except ExportFileError as exc:
        print(f"briefing: {name}: {exc}", file=sys.stderr)
        return 2
    store = open_store(store_path, author)
    if store is None:
        return 2
    try:
        added, updated, skipped = store.import_marks(marks)
    except StoreError as exc:
        print(f"briefing: {clean_line(str(exc))}", file=sys.stderr)
        return 2
    print(f"imported {added} new, {updated} updated, {skipped} already there")
    return tell_asides(store)
