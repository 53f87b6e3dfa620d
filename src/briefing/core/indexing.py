"""Bringing the index up to date with the library folders (docs/design.md §10).

A brief is read again when its file changed (size or modification time; when only the time
changed, its content hash decides) or when a source file it cites changed. Briefs are parsed
in worker processes, one per core, when there are many; each batch is committed as it comes,
so the reader's list fills and search works while the index is built.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from briefing.core.enums import Pane
from briefing.core.errors import BriefError
from briefing.core.index import Index, joined_tags
from briefing.core.parse import MAX_FILE_BYTES
from briefing.core.query import fold
from briefing.core.safe import clean_line
from briefing.paths import FORMAT_FILENAME, sources_dir

if TYPE_CHECKING:
    from briefing.core.model import Brief
    from briefing.core.sources import SourceDocument

SKIP_FILES = {FORMAT_FILENAME, "README.md"}
BATCH = 64  # briefs a worker parses per task, and per commit
COMMIT_EVERY = 0.5  # seconds between commits while many briefs are read
POOL_FROM = 200  # fewer briefs than this to read are parsed in this process

Progress = Callable[[int, int], None]


# -- discovery -------------------------------------------------------------------


class FileStat(NamedTuple):
    """What the index needs of a file's stat (an os.stat_result is ten times the size, and
    the check of a library holds one per brief)."""

    st_mtime_ns: int
    st_size: int


def library_files(roots: Iterable[Path]) -> list[tuple[str, str, FileStat | None, BriefError | None]]:
    """Every brief file of every root (as paths), with its stat or a problem."""
    out: list[tuple[str, str, FileStat | None, BriefError | None]] = []
    for root in roots:
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
                    problem = BriefError(item.path, 0, "a link that points outside the library; not read")
                    out.append((top, item.path, None, problem))
                    continue
                st = item.stat()
                out.append((top, item.path, FileStat(st.st_mtime_ns, st.st_size), None))
            except OSError as exc:
                out.append((top, item.path, None, BriefError(item.path, 0, f"cannot read: {exc.strerror}")))
    return out


def file_hash(path: str) -> str | None:
    """A digest of a regular file's content (None for anything else: a FIFO named like a
    brief must not block the reading of the library, so it is opened without waiting)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return hashlib.blake2b(handle.read(MAX_FILE_BYTES + 1), digest_size=16).hexdigest()
    except OSError:
        return None


_SOURCE_DIRS: dict[str, str] = {}


def source_path(root: str, name: str) -> str:
    folder = _SOURCE_DIRS.get(root)
    if folder is None:
        folder = _SOURCE_DIRS[root] = str(sources_dir(Path(root)))
    return os.path.join(folder, name)


# -- reading one brief (in a worker process or here) ------------------------------

_DOCUMENTS: dict[tuple[str, int, int], SourceDocument | BriefError] = {}


def source_document(root: str, name: str) -> SourceDocument:
    """A source file, read once per process while it does not change."""
    from briefing.core.sources import load_source

    path = source_path(root, name)
    try:
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
    except OSError:
        key = (path, -1, -1)
    found = _DOCUMENTS.get(key)
    if found is None:
        try:
            found = load_source(Path(root), name)
        except BriefError as exc:
            found = exc
        if len(_DOCUMENTS) > 256:
            _DOCUMENTS.clear()
        _DOCUMENTS[key] = found
    if isinstance(found, BriefError):
        raise found
    return found


def citation_problems(brief: Brief, root: str) -> list[BriefError]:
    """Every citation whose source file is missing or has no such paragraph."""
    problems: list[BriefError] = []
    documents: dict[str, SourceDocument | BriefError | None] = {}
    for item in brief.items():
        for citation in item.citations:
            if citation.source not in documents:
                source = brief.source(citation.source)
                if source is None or source.file is None:
                    documents[citation.source] = None
                else:
                    try:
                        documents[citation.source] = source_document(root, source.file)
                    except BriefError as exc:
                        documents[citation.source] = exc
            document = documents[citation.source]
            if document is None:
                continue
            if isinstance(document, BriefError):
                problems.append(BriefError(brief.path, item.line, f"{citation}: {document.message}"))
                continue
            problem = document.problem(citation)
            if problem is not None:
                problems.append(BriefError(brief.path, item.line, problem))
    return problems


def read_brief(root: str, path: str) -> dict[str, Any]:
    """What the index keeps of one brief file: its summary and searchable text, or its errors."""
    from briefing.core.parse import load_brief

    record: dict[str, Any] = {"path": path, "root": root, "hash": file_hash(path), "cites": [], "items": [], "docs": []}
    try:
        brief = load_brief(Path(path))
    except BriefError as exc:
        record["errors"] = [[e.line, e.message] for e in exc.all]
        return record
    record["cites"] = [(s.id, source_path(root, s.file) if s.file else None, s.title, s.file) for s in brief.sources]
    problems = citation_problems(brief, root)
    if problems:
        record["errors"] = [[e.line, e.message] for e in problems]
        return record
    record["summary"] = (
        brief.id,
        brief.title,
        brief.date,
        brief.status,
        list(brief.tags),
        list(brief.counts().values()),
    )
    record["items"], record["docs"] = _contents(brief)
    return record


def read_briefs(batch: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [read_brief(root, path) for root, path in batch]


def _text(*parts: str | None) -> str:
    # No need to take out the snippet markers: parse cleans every control character of a
    # brief (they become visible symbols), so they cannot be in its text.
    return " ".join(p for p in parts if p)


# Plain strings, not the enum: the records cross to the parent process pickled.
_FACTS, _STAKEHOLDERS, _CONCERNS, _TIMELINE = (str(p.value) for p in Pane)


def _contents(brief: Brief) -> tuple[list[tuple], list[tuple]]:
    from briefing.core.model import chronological

    items: list[tuple] = []
    docs: list[tuple] = [("brief", "brief", "", None, _text(brief.title), _text(brief.summary, *brief.tags, brief.id))]
    for ord_, fact in enumerate(brief.facts):
        items.append(
            (_FACTS, fact.id, ord_, fact.statement, None, None, 0, None, None, None, None, None, None, fact.drafted)
        )
        docs.append(("item", _FACTS, fact.id, None, _text(fact.statement), _text(fact.figure)))
    for ord_, person in enumerate(brief.stakeholders):
        norm = fold(person.name)
        items.append(
            (
                _STAKEHOLDERS,
                person.id,
                ord_,
                person.role,
                person.name,
                norm,
                int(person.explicit),
                person.kind,
                person.stance,
                None,
                None,
                None,
                None,
                person.drafted,
            )
        )
        docs.append(
            (
                "item",
                _STAKEHOLDERS,
                person.id,
                norm,
                _text(person.name),
                _text(person.kind, person.stance, person.role),
            )
        )
    for ord_, concern in enumerate(brief.concerns):
        items.append(
            (
                _CONCERNS,
                concern.id,
                ord_,
                concern.title,
                None,
                None,
                0,
                None,
                None,
                concern.category,
                concern.raised_by,
            )
            + (None, None, concern.drafted)
        )
        docs.append(
            (
                "item",
                _CONCERNS,
                concern.id,
                None,
                _text(concern.title),
                _text(concern.category, concern.raised_by, concern.detail),
            )
        )
    events = chronological(brief.timeline)
    keys = [_date_key(e) for e in events]
    for ord_, event in enumerate(events):
        # A fuzzy date sorts with the entry before it in its brief (or the first dated one).
        key = next((k for k in reversed(keys[: ord_ + 1]) if k), None) or next((k for k in keys if k), "")
        items.append(
            (_TIMELINE, event.id, ord_, event.event, None, None, 0, None, None, None, None, event.when.text, key)
            + (event.drafted,)
        )
        docs.append(("item", _TIMELINE, event.id, None, _text(event.event), _text(event.when.text)))
    return items, docs


def _date_key(event: Any) -> str:
    key = event.when.key
    if key is None:
        return ""
    year, month, day = key
    return f"{year:04d}-{month:02d}-{day:02d}"


# -- bringing the index up to date ------------------------------------------------


class Update:
    """What one pass over the library changed."""

    def __init__(self) -> None:
        self.read = 0  # briefs parsed
        self.removed = 0  # files gone, or newly unreadable
        self.files = 0

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed)


def is_fresh(index: Index, roots: list[Path]) -> bool:
    """Whether ``index`` holds every file of ``roots`` as it is now, and every source they
    cite (checked by stamps only: it writes nothing, so it works on a read-only index)."""
    known = index.stamps()
    files = library_files(roots)
    if len(files) != len(known):
        return False
    for root, path, st, problem in files:
        old = known.get(path)
        if old is None or old[2] != root:
            return False
        if problem is not None:
            continue  # kept as an error row; whether it is the same error is checked on update
        assert st is not None
        if (old[1].mtime_ns, old[1].size) != (st.st_mtime_ns, st.st_size):
            return False
    for spath, (_, mtime, size) in index.source_stamps().items():
        try:
            sst = os.stat(spath)
            now = (sst.st_mtime_ns, sst.st_size)
        except OSError:
            now = (-1, -1)
        if now != (mtime, size):
            return False
    return True


def update(
    index: Index,
    roots: list[Path],
    progress: Progress | None = None,
    processes: int | None = None,
    committed: Callable[[], None] | None = None,
) -> Update:
    """Bring ``index`` up to date with the files of ``roots``.

    ``progress(read, to_read)`` is called after each batch; ``committed()`` after each commit
    (the reader then shows the rows so far). ``processes``: worker processes to parse in
    (default: one per core when there are many briefs to read; 0 parses here).

    One session updates an index at a time: a second waits for the first (whose commits
    it shows meanwhile), then finds little or nothing left to read."""
    with index.writing():
        return _update(index, roots, progress, processes, committed)


def _update(
    index: Index,
    roots: list[Path],
    progress: Progress | None,
    processes: int | None,
    committed: Callable[[], None] | None,
) -> Update:
    result = Update()
    db = index.db
    known = index.stamps()
    files = library_files(roots)
    result.files = len(files)
    todo: list[tuple[str, str]] = []
    errors: list[tuple[str, str, BriefError]] = []
    retimed: list[tuple[int, int, int]] = []
    seen: set[str] = set()
    for root, path, st, problem in files:
        seen.add(path)
        old = known.get(path)
        if problem is not None:
            errors.append((root, path, problem))
            continue
        assert st is not None
        if old is None or old[2] != root:
            todo.append((root, path))
            continue
        rowid, stamp, _ = old
        if (stamp.mtime_ns, stamp.size) == (st.st_mtime_ns, st.st_size):
            continue
        if stamp.size == st.st_size and stamp.hash is not None and file_hash(path) == stamp.hash:
            retimed.append((st.st_mtime_ns, st.st_size, rowid))  # touched, not changed
            continue
        todo.append((root, path))
    # Briefs whose cited source files changed (or appeared, or went).
    changed_sources: list[int] = []
    for spath, (sid, mtime, size) in index.source_stamps().items():
        try:
            sst = os.stat(spath)
            now = (sst.st_mtime_ns, sst.st_size)
        except OSError:
            now = (-1, -1)
        if now != (mtime, size):
            changed_sources.append(sid)
    if changed_sources:
        queued = {p for _, p in todo}
        for path in index.citing(changed_sources):
            if path in seen and path not in queued and path in known:
                todo.append((known[path][2], path))
        with db:
            for sid in changed_sources:
                # Its briefs are stamped unread in the same commit: an update cut short
                # before it has read them again leaves them to the next one.
                db.execute(
                    "UPDATE files SET mtime_ns = 0, size = -1 WHERE id IN (SELECT file FROM cites WHERE source = ?)",
                    (sid,),
                )
                _drop_source(db, sid)
    gone = [(rowid, path) for path, (rowid, _, _) in known.items() if path not in seen]
    with db:
        for mtime, size, rowid in retimed:
            db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE id = ?", (mtime, size, rowid))
        for _, path in gone:
            _drop_path(db, path)
        for root, path, problem in errors:
            text = json.dumps([[e.line, e.message] for e in problem.all], ensure_ascii=False)
            if db.execute("SELECT errors FROM files WHERE path = ?", (os.fsencode(path),)).fetchone() == (text,):
                continue
            _put_error(db, root, path, text)
            result.removed += 1
    result.removed += len(gone)
    stats = {path: st for _, path, st, _ in files if st is not None}
    total = len(todo)
    if total:
        # The first batch is committed at once (the list shows rows), then at most every
        # COMMIT_EVERY seconds: each commit costs a write of the log.
        last = 0.0
        for records in _parse(todo, processes):
            if not db.in_transaction:
                db.execute("BEGIN")
            try:
                for record in records:
                    _put(db, record, stats.get(record["path"]))
                    result.read += 1
                _index_sources(db, records)
            except BaseException:
                db.rollback()
                raise
            if progress is not None:
                progress(result.read, total)
            clock = time.monotonic()
            if clock - last >= COMMIT_EVERY or result.read == total:
                db.commit()
                last = clock
                if committed is not None:
                    committed()
        if db.in_transaction:
            db.commit()
    # Not only when this update read something: one cut short after its last commit left
    # the duplicates it read unmarked, and the next reads nothing.
    if result.changed or _duplicates_out_of_date(db):
        with db:
            _mark_duplicates(db)
    return result


def _parse(todo: list[tuple[str, str]], processes: int | None) -> Iterable[list[dict[str, Any]]]:
    """Records of the briefs in ``todo``, a batch at a time, as they are read."""
    batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
    workers = processes if processes is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(todo) < POOL_FROM:
        for batch in batches:
            yield read_briefs(batch)
        return
    import multiprocessing

    # spawn: the reader has threads running, which a forked child must not inherit.
    queue = list(reversed(batches))
    pending: set[Future] = set()
    with _stderr_with_a_file():  # the pool's queues and workers start here
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        pending.add(pool.submit(read_briefs, queue.pop()))
    with pool:
        while queue or pending:
            while queue and len(pending) < workers * 2:
                pending.add(pool.submit(read_briefs, queue.pop()))
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


@contextmanager
def _stderr_with_a_file() -> Iterator[None]:
    """multiprocessing passes ``sys.stderr.fileno()`` to the process it starts to track its
    workers; in the reader, Textual has replaced sys.stderr with an object without a file.
    Lend it one on /dev/null while the workers start (they write nothing: a worker's error
    comes back as an exception)."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        yield
        return
    saved = sys.stderr
    with open(os.devnull, "w") as devnull:
        sys.stderr = devnull
        try:
            yield
        finally:
            sys.stderr = saved


def _drop_file(db: sqlite3.Connection, rowid: int) -> None:
    db.execute(
        "INSERT INTO fts(fts, rowid, head, body, para) SELECT 'delete', id, head, body, para FROM docs WHERE file = ?",
        (rowid,),
    )
    for table in ("docs", "items", "cites"):
        db.execute(f"DELETE FROM {table} WHERE file = ?", (rowid,))
    db.execute("DELETE FROM files WHERE id = ?", (rowid,))


def _drop_source(db: sqlite3.Connection, sid: int) -> None:
    db.execute(
        "INSERT INTO fts(fts, rowid, head, body, para) SELECT 'delete', id, head, body, para FROM docs WHERE source = ?",
        (sid,),
    )
    db.execute("DELETE FROM docs WHERE source = ?", (sid,))
    db.execute("DELETE FROM sources WHERE id = ?", (sid,))


def _drop_path(db: sqlite3.Connection, path: str) -> None:
    """Remove the row of the file at ``path``, as the index holds it now (another session
    may have written it since this one read the stamps)."""
    row = db.execute("SELECT id FROM files WHERE path = ?", (os.fsencode(path),)).fetchone()
    if row is not None:
        _drop_file(db, row[0])


def _put_error(db: sqlite3.Connection, root: str, path: str, text: str) -> None:
    _drop_path(db, path)
    hay = f"{clean_line(path)} {' '.join(m for _, m in json.loads(text))}".casefold()
    db.execute(
        "INSERT INTO files(path, root, mtime_ns, size, hash, errors, hay) VALUES (?, ?, 0, -1, NULL, ?, ?)",
        (os.fsencode(path), os.fsencode(root), text, hay),
    )


def _put(db: sqlite3.Connection, record: dict[str, Any], st: FileStat | None) -> None:
    path, root = record["path"], record["root"]
    _drop_path(db, path)
    mtime, size = (st.st_mtime_ns, st.st_size) if st is not None else (0, -1)
    summary = record.get("summary")
    if summary is None:
        errors = record.get("errors") or [[0, "unknown error"]]
        text = json.dumps(errors, ensure_ascii=False)
        hay = f"{clean_line(path)} {' '.join(m for _, m in errors)}".casefold()
        cur = db.execute(
            "INSERT INTO files(path, root, mtime_ns, size, hash, errors, hay) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (os.fsencode(path), os.fsencode(root), mtime, size, record["hash"], text, hay),
        )
    else:
        brief_id, title, date, status, tags, counts = summary
        hay = " ".join((brief_id, title, date, status, *tags)).casefold()
        cur = db.execute(
            "INSERT INTO files(path, root, mtime_ns, size, hash, brief, title, fold, date, status, tags, counts, hay)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                os.fsencode(path),
                os.fsencode(root),
                mtime,
                size,
                record["hash"],
                brief_id,
                title,
                title.casefold(),
                date,
                status,
                joined_tags(tags),
                " ".join(str(n) for n in counts),
                hay,
            ),
        )
    rowid = cur.lastrowid
    for sid, spath, title, name in record["cites"]:
        source = None
        if spath is not None:
            source = _source_row(db, spath)
        db.execute("INSERT INTO cites VALUES (?, ?, ?, ?, ?)", (rowid, source, sid, title, name))
    if summary is not None:
        brief_id = summary[0]
        db.executemany(
            "INSERT INTO items(file, brief, pane, item, ord, text, name, norm, explicit, kind, stance, category,"
            " raised_by, when_text, when_sort, drafted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rowid, brief_id, *row) for row in record["items"]],
        )
        db.executemany(
            "INSERT INTO docs(file, kind, pane, ref, norm, head, body, para) VALUES (?, ?, ?, ?, ?, ?, ?, '')",
            [(rowid, *doc) for doc in record["docs"]],
        )
        db.execute(
            "INSERT INTO fts(rowid, head, body, para) SELECT id, head, body, para FROM docs WHERE file = ?", (rowid,)
        )


def _source_row(db: sqlite3.Connection, spath: str) -> int:
    blob = os.fsencode(spath)
    row = db.execute("SELECT id FROM sources WHERE path = ?", (blob,)).fetchone()
    if row is not None:
        return row[0]
    # Stamped -2 until its paragraphs are indexed (below, in the same transaction).
    return db.execute("INSERT INTO sources(path, mtime_ns, size) VALUES (?, -2, -2)", (blob,)).lastrowid or 0


def _index_sources(db: sqlite3.Connection, records: list[dict[str, Any]]) -> None:
    """Index the paragraphs of every source these briefs cite that is not indexed yet."""

    wanted = {(r["root"], name) for r in records for _, spath, _, name in r["cites"] if spath is not None}
    for root, name in sorted(wanted):
        spath = source_path(root, name)
        row = db.execute("SELECT id, mtime_ns FROM sources WHERE path = ?", (os.fsencode(spath),)).fetchone()
        if row is None or row[1] != -2:
            continue
        sid = row[0]
        try:
            st = os.stat(spath)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = (-1, -1)
        document: SourceDocument | None
        try:
            document = source_document(root, name)
        except BriefError:
            document = None
        paragraphs = document.paragraphs if document is not None else ()
        db.execute(
            "UPDATE sources SET mtime_ns = ?, size = ?, paragraphs = ? WHERE id = ?",
            (*stamp, len(paragraphs) if document is not None else None, sid),
        )
        for number, text in enumerate(paragraphs, 1):
            text = _text(text)
            cur = db.execute(
                "INSERT INTO docs(source, kind, pane, ref, head, body, para) VALUES (?, 'para', 'source', ?, '', '', ?)",
                (sid, str(number), text),
            )
            db.execute("INSERT INTO fts(rowid, head, body, para) VALUES (?, '', '', ?)", (cur.lastrowid, text))


def _duplicates_out_of_date(db: sqlite3.Connection) -> bool:
    """Whether two files that read well have one id, or a file is marked the duplicate of an
    id no file keeps (read only: an update with nothing to do writes nothing)."""
    return db.execute(
        "SELECT EXISTS (SELECT 1 FROM files WHERE errors IS NULL AND dup IS NULL AND brief IS NOT NULL"
        " GROUP BY brief HAVING count(*) > 1) OR EXISTS (SELECT 1 FROM files f WHERE f.dup IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM files g WHERE g.brief = f.brief AND g.errors IS NULL AND g.dup IS NULL))"
    ).fetchone() == (1,)


def _mark_duplicates(db: sqlite3.Connection) -> None:
    """A brief id used by two files: the first in display order keeps it, the others become
    errors that name it."""
    db.execute("UPDATE files SET dup = NULL WHERE dup IS NOT NULL")
    twice = [
        row[0]
        for row in db.execute(
            "SELECT brief FROM files WHERE errors IS NULL AND brief IS NOT NULL GROUP BY brief HAVING count(*) > 1"
        )
    ]
    for brief in twice:
        rows = db.execute(
            "SELECT id, path FROM files WHERE brief = ? AND errors IS NULL ORDER BY date DESC, fold, path", (brief,)
        ).fetchall()
        first = os.fsdecode(rows[0][1])
        db.executemany("UPDATE files SET dup = ? WHERE id = ?", [(first, rowid) for rowid, _ in rows[1:]])
