"""The library's index: an SQLite database that is a cache of every brief, item and cited
source paragraph, with a full-text index over them (docs/design.md §10).

It is only a cache: always rebuilt from the briefs, rebuilt when its schema version
(``PRAGMA user_version``) is not this module's, and rebuilt when it cannot be read. It runs
in WAL mode with a busy timeout so that several sessions of one user share it; a shared
index (``LIBRARY/.briefing/index.sqlite``) is read without writing a byte.

Tables:

- ``files``: one row per brief file: its stamp (mtime, size, content hash), its summary or
  its errors, and ``dup`` (the path of the brief that owns its id, if another does);
- ``sources``: every source file a brief cites, with its stamp, so that a changed source
  re-reads the briefs that cite it (``cites`` links the two);
- ``items``: every item of every pane, with the fields the views across briefs need;
- ``docs`` and ``fts``: the searchable text (a brief's title and summary, each item, each
  source paragraph) and its FTS5 index (porter stemming over unicode61 without diacritics).

Every connection is made in the thread that uses it; writes happen in one thread (the
scan's) or one process (``briefing index``) at a time per user, and a second writer waits.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, overload

from briefing.core.entries import BriefSummary, Entry
from briefing.core.errors import BriefError
from briefing.core.query import Query, fold
from briefing.core.safe import clean_line

SCHEMA_VERSION = 5
LOCK_WAIT = 60.0  # seconds a session waits for another that is updating the index
BUSY_MS = 30_000  # a second writer waits this long for the first (a cold build commits often)
MARK_ON, MARK_OFF = "\x02", "\x03"  # around a match in a snippet (control characters never
# reach the index: document text is cleaned first, so these can only be the markers)
TAGSEP = "\x1f"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY,
    path BLOB UNIQUE NOT NULL,
    root BLOB NOT NULL,
    mtime_ns INTEGER, size INTEGER, hash TEXT,
    brief TEXT, title TEXT, fold TEXT, date TEXT, status TEXT, tags TEXT, counts TEXT,
    errors TEXT,
    dup TEXT,
    hay TEXT
);
CREATE INDEX IF NOT EXISTS files_order ON files((errors IS NOT NULL OR dup IS NOT NULL), date DESC, fold, path);
CREATE INDEX IF NOT EXISTS files_brief ON files(brief);
CREATE TABLE IF NOT EXISTS sources(
    id INTEGER PRIMARY KEY,
    path BLOB UNIQUE NOT NULL,
    mtime_ns INTEGER, size INTEGER,
    paragraphs INTEGER
);
CREATE TABLE IF NOT EXISTS cites(
    file INTEGER NOT NULL, source INTEGER, sid TEXT NOT NULL, title TEXT, name TEXT
);
CREATE INDEX IF NOT EXISTS cites_file ON cites(file);
CREATE INDEX IF NOT EXISTS cites_source ON cites(source);
CREATE TABLE IF NOT EXISTS items(
    id INTEGER PRIMARY KEY,
    file INTEGER NOT NULL, brief TEXT, pane TEXT, item TEXT, ord INTEGER,
    text TEXT, name TEXT, norm TEXT, explicit INTEGER, kind TEXT, stance TEXT,
    category TEXT, raised_by TEXT, when_text TEXT, when_sort TEXT,
    drafted TEXT
);
CREATE INDEX IF NOT EXISTS items_file ON items(file);
CREATE INDEX IF NOT EXISTS items_pane ON items(pane);
CREATE TABLE IF NOT EXISTS docs(
    id INTEGER PRIMARY KEY,
    file INTEGER, source INTEGER,
    kind TEXT NOT NULL, pane TEXT, ref TEXT, norm TEXT,
    head TEXT, body TEXT, para TEXT
);
CREATE INDEX IF NOT EXISTS docs_file ON docs(file);
CREATE INDEX IF NOT EXISTS docs_source ON docs(source);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    head, body, para, content='docs', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
INSERT OR IGNORE INTO meta VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');
PRAGMA user_version = {SCHEMA_VERSION};
"""
# bm25 weights: a match in a title or an item's first line counts most, then the rest of the
# item, then a source paragraph (docs/design.md §10).
RANK = "bm25(fts, 10.0, 4.0, 1.0)"
CANDIDATES = 20_000  # matches ranked at most, per query (see Index.search)
NOTES_RANK = "bm25(notes, 10.0, 4.0, 1.0)"

GOOD = "f.errors IS NULL AND f.dup IS NULL"
ORDERS = {
    "date": "(errors IS NOT NULL OR dup IS NOT NULL), date DESC, fold, path",
    "title": "(errors IS NOT NULL OR dup IS NOT NULL), fold, date DESC, path",
    "status": "(errors IS NOT NULL OR dup IS NOT NULL), "
    "CASE status WHEN 'draft' THEN 0 WHEN 'review' THEN 1 WHEN 'published' THEN 2 ELSE 3 END, "
    "date DESC, fold, path",
}
ENTRY_COLUMNS = "id, path, root, brief, title, date, status, tags, counts, errors, dup"


def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 (CPython's builds do; a few distributions'
    do not, and search then says so)."""
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        return True
    except sqlite3.OperationalError:
        return False


class IndexUnavailable(Exception):
    """The index cannot be opened or made (a read-only cache folder, no FTS5)."""


class Hit(NamedTuple):
    """One search result."""

    kind: str  # "brief" (its title, summary or tags), "item", "para" (a source paragraph),
    # or the reader's own "note" or "bookmark"
    brief: str  # the brief's id
    title: str  # the brief's title
    pane: str  # a pane, "brief", "source" or "notes"
    ref: str  # the item's id; for a paragraph "S1 ¶3"; for a note its id; "" for the brief
    snippet: str  # text with MARK_ON … MARK_OFF around each match
    rank: float
    source: str = ""  # a paragraph's source id (S1)
    paragraph: int = 0  # a paragraph's number
    item: str = ""  # a note's item ("" for a note on the whole brief)
    others: int = 0  # a paragraph: how many more briefs cite the same source
    drafted: str | None = None  # an item as `briefing draft` proposed it: its `drafted:`


class Stamp(NamedTuple):
    """What says whether a file changed since it was indexed (a tuple: 10,000 of them are
    held at once while the library is checked)."""

    mtime_ns: int
    size: int
    hash: str | None


def _encode(path: str) -> bytes:
    return os.fsencode(path)


def _decode(blob: bytes) -> str:
    return os.fsdecode(blob)


class Index:
    """One index database. ``read_only`` opens it without writing anything (a shared index)."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._local = threading.local()  # each thread's connection, and the notes it loaded
        self._memory: str | None = None
        self._keeper: sqlite3.Connection | None = None

    @classmethod
    def in_memory(cls) -> Index:
        """An index that lives only as long as this object (``check`` of a folder, a cache
        folder that cannot be written): shared by this process's threads."""
        index = cls(Path(":memory:"))
        index._memory = f"file:briefing-index-{id(index):x}-{os.getpid()}?mode=memory&cache=shared"
        index._keeper = index._connect()
        return index

    # -- connections ------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _connect(self) -> sqlite3.Connection:
        if self._memory is not None:
            conn = sqlite3.connect(self._memory, uri=True, check_same_thread=False)
        elif self.read_only:
            uri = self.path.absolute().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_MS / 1000, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        if not self.read_only:
            conn.execute("PRAGMA synchronous = NORMAL")  # a cache: a lost last commit is rebuilt
        # SQLite's lower() folds only ASCII: the filters compare with Python's casefold.
        conn.create_function("casefold", 1, _casefold, deterministic=True)
        return conn

    @contextmanager
    def writing(self, done: Callable[[], bool] | None = None) -> Iterator[None]:
        """Hold the index's writer lock (a lock file beside it, taken with flock) while the
        block runs; wait for another session that holds it. ``done`` is asked while waiting:
        once what the block is for has been done by the other session, it runs at once."""
        if self._memory is not None or self.read_only:
            yield
            return
        from briefing.paths import index_lock_file

        lock = index_lock_file(self.path)
        lock.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # Wait for the other session, but not for ever: one stopped with ctrl-z holds the
            # lock until it is resumed. Past LOCK_WAIT this one writes anyway: every row is
            # replaced by its path in one transaction, so two writers only repeat work.
            deadline = time.monotonic() + LOCK_WAIT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline or (done is not None and done()):
                        break
                    time.sleep(0.1)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def rebuild(self, roots: Sequence[Path]) -> None:
        """Start again from an empty index (this one is damaged inside)."""
        self.close()
        self._remove()
        self.open(roots)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        self._local.notes_version = -1  # the notes were in that connection's temporary table

    def open(self, roots: Sequence[Path]) -> bool:
        """Make the database ready for ``roots``: create it, or start again when it is of
        another schema, for other folders or unreadable. Returns True if it had rows."""
        if self._memory is None and not self.read_only and not self._writable():
            # Opening it reads only, but bringing it up to date would fail on the first write.
            raise IndexUnavailable(f"the index {self.path} cannot be written")
        try:
            return self._open(roots)
        except sqlite3.DatabaseError as exc:
            if self.read_only:
                raise IndexUnavailable(f"the index {self.path} cannot be read") from None
            if (getattr(exc, "sqlite_errorname", None) or "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
                # Another session holds it, longer than BUSY_MS: in use, not broken.
                self.close()
                raise IndexUnavailable(f"the index {self.path} is busy") from None
            self.close()
            try:
                with self.writing():
                    self._remove()
                return self._open(roots)
            except sqlite3.DatabaseError as exc:
                raise IndexUnavailable(f"cannot make the index {self.path}: {exc}") from None
            except OSError as exc:  # a folder that cannot be written, or a folder in its place
                raise IndexUnavailable(f"cannot make the index {self.path}: {exc.strerror or exc}") from None
        except OSError as exc:
            raise IndexUnavailable(f"cannot make the index {self.path}: {exc.strerror or exc}") from None

    def _open(self, roots: Sequence[Path]) -> bool:
        wanted = json.dumps([str(r) for r in roots], ensure_ascii=True)
        db = self.db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if self.read_only:
            if version != SCHEMA_VERSION or self.meta("roots") != wanted:
                raise IndexUnavailable("the shared index is of another version or library")
            return True
        if version == SCHEMA_VERSION and self.meta("roots") == wanted:
            return self.count_all() > 0  # the usual start: nothing to write
        # Two sessions starting at once on a new index would both make it, and SQLite answers
        # one of them "busy" at once rather than wait (each would hold a lock the other needs):
        # one makes it under the writer lock, the other then finds it made (as soon as it is:
        # the first goes on to hold the lock for its whole first reading of the library).
        with self.writing(done=lambda: self._made(wanted)):
            return self._make(roots, wanted)

    def _made(self, wanted: str) -> bool:
        """Whether the index is made, for these roots (by another session, while this one
        waits for the writer lock)."""
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            return bool(version == SCHEMA_VERSION and self.meta("roots") == wanted)
        except sqlite3.Error:
            return False

    def _make(self, roots: Sequence[Path], wanted: str) -> bool:
        db = self.db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION and self.meta("roots") == wanted:
            return self.count_all() > 0  # made by the session this one waited for
        if version not in (0, SCHEMA_VERSION):
            self.close()
            self._remove()
            db = self.db
        if self._memory is None:
            db.execute("PRAGMA journal_mode = WAL")
        with db:
            db.executescript(SCHEMA)
            if self.meta("roots") != wanted:
                for table in ("files", "sources", "cites", "items", "docs"):
                    db.execute(f"DELETE FROM {table}")
                db.execute("INSERT INTO fts(fts) VALUES ('delete-all')")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('roots', ?)", (wanted,))
        # Reading a page is the first thing the reader does: check the file is whole now.
        db.execute("SELECT count(*) FROM files").fetchone()
        return self.count_all() > 0

    def _writable(self) -> bool:
        """Whether this session can write the index file and the folder it is in (its journal
        and lock files go there); a folder not made yet is made when connecting, or said."""
        folder = self.path.parent
        if not folder.is_dir():
            return True
        if not os.access(folder, os.W_OK | os.X_OK):
            return False
        return not os.path.lexists(self.path) or os.access(self.path, os.R_OK | os.W_OK)

    def copy_to(self, other: Index) -> None:
        """Copy this whole index into ``other`` (a reader's own, from a stale shared one)."""
        self.db.backup(other.db)

    def _remove(self) -> None:
        if self._memory is not None:
            return
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    def meta(self, key: str) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- the library list -------------------------------------------------------

    def count_all(self) -> int:
        return self.db.execute("SELECT count(*) FROM files").fetchone()[0]

    def counts(self) -> tuple[int, int]:
        """Briefs that read well, and files with errors (counted on the list's index,
        without reading a row)."""
        found = dict(
            self.db.execute("SELECT (errors IS NOT NULL OR dup IS NOT NULL), count(*) FROM files GROUP BY 1").fetchall()
        )
        return found.get(0, 0), found.get(1, 0)

    def page(self, order: str, offset: int, limit: int) -> list[tuple[int, Entry]]:
        """Rows ``offset`` to ``offset + limit`` of the list in ``order``, read through the
        list's index: the first screen costs the same at 1,000 and 100,000 briefs."""
        rows = self.db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM files ORDER BY {ORDERS.get(order, ORDERS['date'])} LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [(row[0], _entry(row)) for row in rows]

    def ordered(self, order: str = "date", words: Sequence[str] = ()) -> list[int]:
        """The row ids of every file in display order (briefs that read well first), or of
        those whose id, title, date, status, tags (or path and error) hold all ``words``."""
        sql = "SELECT id FROM files"
        args: list[str] = []
        if words:
            sql += " WHERE " + " AND ".join("instr(hay, ?) > 0" for _ in words)
            args = [w.casefold() for w in words]
        sql += f" ORDER BY {ORDERS.get(order, ORDERS['date'])}"
        return [row[0] for row in self.db.execute(sql, args)]

    def entries(self, ids: Sequence[int]) -> dict[int, Entry]:
        """The entries of these rows, by row id."""
        out: dict[int, Entry] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT {ENTRY_COLUMNS} FROM files WHERE id IN ({marks})", chunk):
                out[row[0]] = _entry(row)
        return out

    def entry(self, brief_id: str) -> Entry | None:
        row = self.db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM files f WHERE brief = ? AND {GOOD} LIMIT 1", (brief_id,)
        ).fetchone()
        return _entry(row) if row else None

    def entries_of(self, brief_ids: Iterable[str]) -> dict[str, Entry]:
        wanted = sorted(set(brief_ids))
        found: dict[str, Entry] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT {ENTRY_COLUMNS} FROM files f WHERE brief IN ({marks}) AND {GOOD}", chunk
            ):
                entry = _entry(row)
                assert entry.summary is not None
                found[entry.summary.id] = entry
        return found

    def rowid(self, brief_id: str | None = None, path: str | None = None) -> int | None:
        """The row of the brief with this id that reads well, or of the file at ``path``."""
        if path is not None:
            row = self.db.execute("SELECT id FROM files WHERE path = ?", (_encode(path),)).fetchone()
        else:
            row = self.db.execute(f"SELECT id FROM files f WHERE brief = ? AND {GOOD}", (brief_id,)).fetchone()
        return row[0] if row else None

    def brief_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute(f"SELECT brief FROM files f WHERE {GOOD} ORDER BY {ORDERS['date']}")]

    # -- freshness --------------------------------------------------------------

    def stamps(self) -> dict[str, tuple[int, Stamp, str]]:
        """Every file's row id, stamp and library folder, by path."""
        roots: dict[bytes, str] = {}  # a library folder's name, decoded once for all its files
        return {
            _decode(path): (rowid, Stamp(mtime, size, digest), roots.get(root) or roots.setdefault(root, _decode(root)))
            for rowid, path, root, mtime, size, digest in self.db.execute(
                "SELECT id, path, root, mtime_ns, size, hash FROM files"
            )
        }

    def source_stamps(self) -> dict[str, tuple[int, int, int]]:
        """Every cited source file's row id and stamp (mtime, size; -1 when missing)."""
        return {
            _decode(path): (rowid, mtime, size)
            for rowid, path, mtime, size in self.db.execute("SELECT id, path, mtime_ns, size FROM sources")
        }

    def citing(self, source_ids: Iterable[int]) -> set[str]:
        """Paths of the briefs that cite these source files."""
        out: set[str] = set()
        for sid in source_ids:
            out.update(
                _decode(row[0])
                for row in self.db.execute(
                    "SELECT DISTINCT f.path FROM cites c JOIN files f ON f.id = c.file WHERE c.source = ?", (sid,)
                )
            )
        return out

    # -- search -----------------------------------------------------------------

    def search(self, query: Query, limit: int = 200) -> list[Hit]:
        """The best ``limit`` hits of ``query`` over briefs, items, source paragraphs and the
        reader's notes (when loaded with :meth:`load_notes`), best first."""
        if query.empty:
            return []
        db = self.db
        where, args = _brief_filter(query)
        panes = set(query.panes)
        hits: list[Hit] = []
        want_docs = not panes or bool(panes - {"notes"})
        want_notes = (not panes or "notes" in panes) and self._notes_loaded() >= 0 and not query.stakeholders
        if query.match is None:
            if want_docs:
                hits += self._browse(query, where, args, limit)
            return hits[:limit]
        if want_docs:
            # Candidates first, in the order FTS5 finds them, at most CANDIDATES of them; only
            # those are ranked. A word found in nearly every item of 10,000 briefs would
            # otherwise cost a quarter of a second a keystroke; such a word ranks nothing
            # anyway, and ``truncated`` says the results are the best of the first ones.
            inner = "SELECT fts.rowid AS id, rank AS r FROM fts"
            conds = ["fts MATCH ?"]
            params: list = [query.match]
            if panes or where:
                inner += " JOIN docs d ON d.id = fts.rowid"
            if panes:
                chosen = sorted(panes - {"notes"})
                conds.append(f"d.pane IN ({','.join('?' * len(chosen))})")
                params += chosen
            if where:
                conds.append(
                    f"(d.file IN (SELECT f.id FROM files f WHERE {where})"
                    f" OR d.source IN (SELECT c.source FROM cites c JOIN files f ON f.id = c.file WHERE {where}))"
                )
                params += args + args
            inner += " WHERE " + " AND ".join(conds) + " LIMIT ?"
            params.append(CANDIDATES)
            best = db.execute(f"SELECT id, r FROM ({inner}) ORDER BY r LIMIT ?", [*params, limit]).fetchall()
            # Snippets only for the hits shown: their text is put in a small temporary FTS5
            # table and matched there (asking the index for a snippet by row id runs the
            # whole full-text query again: a quarter of a second for a prefix at 10,000 briefs).
            found: dict[int, tuple] = {}
            ids = [rowid for rowid, _ in best]
            db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snips USING fts5(head, body, para, "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )
            db.execute("DELETE FROM temp.snips")
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for rowid, *rest in db.execute(
                    f"SELECT id, kind, pane, ref, file, source FROM docs WHERE id IN ({marks})", chunk
                ):
                    found[rowid] = tuple(rest)
                db.execute(
                    f"INSERT INTO temp.snips(rowid, head, body, para) SELECT id, head, body, para FROM docs "
                    f"WHERE id IN ({marks})",
                    chunk,
                )
            snippets = dict(
                db.execute(
                    f"SELECT rowid, snippet(snips, -1, '{MARK_ON}', '{MARK_OFF}', '…', 12) FROM temp.snips "
                    "WHERE snips MATCH ?",
                    [query.match],
                )
            )
            db.commit()
            found = {k: (*v, snippets.get(k, "")) for k, v in found.items()}
            rows = [(*found[rowid], rank) for rowid, rank in best if rowid in found]
            hits += self._hits(rows, where, args)
        if want_notes:
            sql = (
                "SELECT n.brief, n.pane, n.ref, n.item, "
                f"snippet(notes, -1, '{MARK_ON}', '{MARK_OFF}', '…', 12), {NOTES_RANK} AS r, n.title, n.kind "
                "FROM temp.notes n WHERE notes MATCH ?"
            )
            params = [query.match]
            if query.has_filters and where:
                sql += f" AND n.brief IN (SELECT f.brief FROM files f WHERE {where})"
                params += args
            sql += " ORDER BY r LIMIT ?"
            params.append(limit)
            for brief, _pane, ref, item, snippet, rank, title, kind in db.execute(sql, params):
                hits.append(Hit(kind, brief, title, "notes", ref, snippet, rank, item=item or "", others=0))
            hits.sort(key=lambda h: h.rank)
        return hits[:limit]

    def _browse(self, query: Query, where: str, args: list, limit: int) -> list[Hit]:
        """A query of only filters (or only left-out words): the briefs, or with
        ``stakeholder:`` the stakeholder items, or with ``pane:`` that pane's items."""
        sql = "SELECT d.kind, d.pane, d.ref, d.file, d.source, d.head, 0.0 FROM docs d JOIN files f ON f.id = d.file"
        conds = [GOOD]
        params: list = []
        if query.stakeholders:
            conds.append("d.pane = 'stakeholders'")
            for name in query.stakeholders:
                conds.append("instr(' ' || d.norm || ' ', ?) > 0")
                params.append(f" {name}")
        elif query.panes:
            chosen = sorted(set(query.panes) - {"notes", "source"})
            if not chosen:
                return []
            conds.append(f"d.pane IN ({','.join('?' * len(chosen))})")
            params += chosen
        else:
            conds.append("d.kind = 'brief'")
        if where:
            conds.append(where)
            params += args
        if query.exclude is not None:
            # (a source paragraph's file is NULL, which would make NOT IN true of no brief)
            conds.append(
                "d.file NOT IN (SELECT x.file FROM fts JOIN docs x ON x.id = fts.rowid"
                " WHERE fts MATCH ? AND x.file IS NOT NULL)"
            )
            params.append(query.exclude)
        sql += " WHERE " + " AND ".join(conds) + f" ORDER BY {ORDERS['date']} LIMIT ?"
        params.append(limit)
        return self._hits(self.db.execute(sql.replace("ORDER BY (errors", "ORDER BY (f.errors"), params).fetchall())

    def _hits(self, rows: list, where: str = "", args: list | None = None) -> list[Hit]:
        db = self.db
        files = {r[3] for r in rows if r[3] is not None}
        titles: dict[int, tuple[str, str]] = {}
        for rowid, brief, title in db.execute(
            f"SELECT id, brief, title FROM files f WHERE id IN ({','.join('?' * len(files))}) AND {GOOD}",
            sorted(files),
        ):
            titles[rowid] = (brief, title)
        citers: dict[int, tuple[str, str, str, int]] = {}
        for source in {r[4] for r in rows if r[4] is not None}:
            # A paragraph is shown under the newest brief (of those the filters keep) that
            # cites its source, with how many others do.
            sql = (
                "SELECT f.brief, f.title, c.sid, count(*) OVER () FROM cites c JOIN files f ON f.id = c.file "
                f"WHERE c.source = ? AND {GOOD}" + (f" AND {where}" if where else "") + " ORDER BY f.date DESC, f.fold"
            )
            row = db.execute(sql + " LIMIT 1", [source, *(args or [])]).fetchone()
            if row is not None:
                citers[source] = (row[0], row[1], row[2], row[3] - 1)
        # Items still as `briefing draft` proposed them: the reader marks them.
        drafted: dict[tuple[int, str], str] = {}
        item_files = sorted({r[3] for r in rows if r[0] == "item" and r[3] in titles})
        if item_files:
            for file, item, said in db.execute(
                f"SELECT file, item, drafted FROM items WHERE drafted IS NOT NULL AND file IN "
                f"({','.join('?' * len(item_files))})",
                item_files,
            ):
                drafted[(file, item)] = said
        hits: list[Hit] = []
        for kind, pane, ref, file, source, snippet, rank in rows:
            if kind == "para":
                if source not in citers:
                    continue
                brief, title, sid, others = citers[source]
                number = int(ref)
                hits.append(
                    Hit(kind, brief, title, "source", f"{sid} ¶{number}", snippet, rank, sid, number, "", others)
                )
            elif file in titles:
                brief, title = titles[file]
                said = drafted.get((file, ref or "")) if kind == "item" else None
                hits.append(Hit(kind, brief, title, pane or "brief", ref or "", snippet or "", rank, drafted=said))
        return hits

    def load_notes(self, marks: Iterable, titles: dict[str, str], version: int) -> None:
        """Make the reader's notes searchable (in this connection's temporary tables; nothing
        is written to the index). ``version`` skips the work when nothing changed."""
        if version == self._notes_loaded():
            return
        db = self.db
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.notes USING fts5("
            "head, body, para, brief UNINDEXED, pane UNINDEXED, ref UNINDEXED, item UNINDEXED, title UNINDEXED, "
            "kind UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"
        )
        with db:
            db.execute("DELETE FROM temp.notes")
            db.executemany(
                "INSERT INTO temp.notes VALUES (?, ?, '', ?, ?, ?, ?, ?, ?)",
                (
                    (
                        _note_text(getattr(m, "text", "")),
                        _note_text(m.quote),
                        m.brief,
                        m.pane or "",
                        m.id,
                        m.item or "",
                        titles.get(m.brief, m.brief),
                        m.kind,
                    )
                    for m in marks
                    if m.kind in ("note", "bookmark")
                ),
            )
        self._local.notes_version = version

    def _notes_loaded(self) -> int:
        """The version of the notes this thread's connection holds (-1: none): the temporary
        table is the connection's, so what one thread loaded another cannot search."""
        return getattr(self._local, "notes_version", -1)

    # -- views across briefs ----------------------------------------------------

    def stakeholders(self) -> list[tuple]:
        """Every stakeholder item of every brief that reads well: (brief, brief title,
        brief date, item id, name, normalised name, explicit id?, kind, stance, its
        ``drafted:`` or None)."""
        return self.db.execute(
            "SELECT i.brief, f.title, f.date, i.item, i.name, i.norm, i.explicit, i.kind, i.stance, i.drafted "
            f"FROM items i JOIN files f ON f.id = i.file WHERE i.pane = 'stakeholders' AND {GOOD} "
            "ORDER BY i.norm, f.date DESC"
        ).fetchall()

    def timeline(self, query: Query | None = None) -> list[tuple]:
        """Every timeline entry of the briefs ``query``'s filters keep, in date order:
        (sort date, when as written, event, brief, brief title, item id, its ``drafted:``
        or None). A fuzzy date takes
        the place its brief gives it (the date of the entry before it)."""
        where, args = _brief_filter(query) if query is not None else ("", [])
        sql = (
            "SELECT i.when_sort, i.when_text, i.text, i.brief, f.title, i.item, i.drafted FROM items i "
            f"JOIN files f ON f.id = i.file WHERE i.pane = 'timeline' AND {GOOD}"
        )
        if where:
            sql += f" AND {where}"
        if query is not None and query.match is not None:
            sql += " AND f.id IN (SELECT d.file FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?)"
            args = [*args, query.match]
        elif query is not None and query.exclude is not None:  # only left-out words (-word)
            sql += (
                " AND f.id NOT IN (SELECT d.file FROM fts JOIN docs d ON d.id = fts.rowid"
                " WHERE fts MATCH ? AND d.file IS NOT NULL)"
            )
            args = [*args, query.exclude]
        sql += " ORDER BY i.when_sort, f.date, f.fold, i.ord"
        return self.db.execute(sql, args).fetchall()

    def concerns(self) -> list[tuple]:
        """Every concern of every brief that reads well: (category, concern, raised by,
        brief, brief title, item id, its ``drafted:`` or None), by category."""
        return self.db.execute(
            "SELECT i.category, i.text, i.raised_by, i.brief, f.title, i.item, i.drafted FROM items i "
            f"JOIN files f ON f.id = i.file WHERE i.pane = 'concerns' AND {GOOD} "
            "ORDER BY lower(i.category), f.date DESC, f.fold, i.ord"
        ).fetchall()

    # -- views (added for the views screens) --------------------------------------

    def arrangement(self) -> dict[int, tuple[str | None, tuple[str, ...], str | None, str]]:
        """What the library list sorts and groups by that ``ordered`` does not: every
        file's (brief id, tags, status, library folder) by row id; a file with errors has
        no id, tags or status."""
        out: dict[int, tuple[str | None, tuple[str, ...], str | None, str]] = {}
        for rowid, brief, tags, status, root, bad in self.db.execute(
            "SELECT id, brief, tags, status, root, errors IS NOT NULL OR dup IS NOT NULL FROM files"
        ):
            if bad:
                out[rowid] = (None, (), None, _decode(root))
            else:
                out[rowid] = (brief, tuple(t for t in (tags or "").split(TAGSEP) if t), status, _decode(root))
        return out

    def stakeholder_roles(self, brief_ids: Iterable[str]) -> dict[tuple[str, str], str]:
        """What each stakeholder of these briefs did or said (its role), by (brief, item)."""
        wanted = sorted(set(brief_ids))
        out: dict[tuple[str, str], str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for brief, item, role in self.db.execute(
                "SELECT i.brief, i.item, i.text FROM files f JOIN items i ON i.file = f.id "
                f"WHERE f.brief IN ({marks}) AND {GOOD} AND i.pane = 'stakeholders'",
                chunk,
            ):
                out[(brief, item)] = role or ""
        return out


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else text


def _note_text(text: str | None) -> str:
    """Text put in the index: without the snippet markers (a note may hold anything)."""
    return (text or "").replace(MARK_ON, " ").replace(MARK_OFF, " ")


def _brief_filter(query: Query) -> tuple[str, list]:
    """SQL (over ``files f``) for the filters of ``query`` that choose briefs."""
    conds: list[str] = []
    args: list = []
    if query.tags:
        conds += ["instr(casefold(f.tags), ?) > 0"] * len(query.tags)
        args += [f"{TAGSEP}{t.casefold()}{TAGSEP}" for t in query.tags]
    if query.statuses:
        conds.append(f"f.status IN ({','.join('?' * len(query.statuses))})")
        args += query.statuses
    if query.after:
        conds.append("f.date >= ?")
        args.append(query.after)
    if query.before:
        conds.append("f.date < ?")
        args.append(query.before)
    for name in query.stakeholders:
        conds.append(
            "f.id IN (SELECT file FROM items WHERE pane = 'stakeholders' AND instr(' ' || norm || ' ', ?) > 0)"
        )
        args.append(f" {name}")
    for source in query.sources:
        conds.append(
            "f.id IN (SELECT file FROM cites WHERE sid = ? COLLATE NOCASE OR instr(casefold(title), ?) > 0"
            " OR instr(casefold(name), ?) > 0)"
        )
        args += [source, source.casefold(), source.casefold()]
    if not conds:
        return "", []
    return " AND ".join([GOOD, *conds]), args


def _entry(row: tuple) -> Entry:
    _rowid, path, root, brief, title, date, status, tags, counts, errors, dup = row
    path, root = _decode(path), _decode(root)
    if errors is not None or dup is not None:
        if errors is not None:
            problems = [BriefError(path, line, message) for line, message in json.loads(errors)]
        else:
            problems = [BriefError(path, 0, f"brief id '{brief}' is also used by {clean_line(dup)}")]
        first, *rest = problems or [BriefError(path, 0, "unknown error")]
        first.others = rest
        return Entry(path, root, error=first)
    tag_tuple = tuple(t for t in tags.split(TAGSEP) if t)
    return Entry(path, root, BriefSummary(brief, title, date, status, tag_tuple, tuple(int(n) for n in counts.split())))


class Rows(Sequence[Entry]):
    """The library list as the reader shows it: each entry read from the index when it is
    first drawn, a page at a time, so that 10,000 briefs cost only the rows on screen.

    Made from the whole list (``ids`` None: ``total`` rows in ``order``), pages are read in
    order through the index, and the row ids are read only when asked for (to find a brief
    in the list); made from ``ids`` (a filter's matches), pages are read by id."""

    PAGE = 128

    def __init__(self, index: Index | None, ids: list[int] | None, *, order: str = "date", total: int = 0) -> None:
        self.db_index = index
        self._ids = ids
        self.order = order
        self._total = len(ids) if ids is not None else total
        self._pages: dict[int, list[Entry]] = {}

    @property
    def ids(self) -> list[int]:
        if self._ids is None:
            assert self.db_index is not None
            self._ids = self.db_index.ordered(self.order)
            self._total = len(self._ids)
        return self._ids

    def __len__(self) -> int:
        return self._total

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entry]: ...
    def __getitem__(self, i: int | slice) -> Entry | Sequence[Entry]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        page = i // self.PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self._read(page)
            if len(self._pages) >= 64:
                self._pages.pop(next(iter(self._pages)))
            self._pages[page] = rows
        if i - page * self.PAGE >= len(rows):
            return Entry("", "", error=BriefError("", 0, "gone from the index"))
        return rows[i - page * self.PAGE]

    def _read(self, page: int) -> list[Entry]:
        assert self.db_index is not None
        start = page * self.PAGE
        if self._ids is None:
            return [entry for _, entry in self.db_index.page(self.order, start, self.PAGE)]
        ids = self._ids[start : start + self.PAGE]
        found = self.db_index.entries(ids)
        return [found.get(k) or Entry("", "", error=BriefError("", 0, "gone from the index")) for k in ids]

    def __iter__(self) -> Iterator[Entry]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, Rows):
            return self.ids == other.ids
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def position(self, rowid: int) -> int | None:
        try:
            return self.ids.index(rowid)
        except ValueError:
            return None


def joined_tags(tags: Iterable[str]) -> str:
    """Tags as the index keeps them: each between two TAGSEP, so a filter finds a whole tag."""
    return TAGSEP + TAGSEP.join(tags) + TAGSEP


__all__ = ["Hit", "Index", "IndexUnavailable", "Rows", "fold", "fts5_available"]
