"""The notes store: notes, bookmarks, reading state and settings, in one TinyDB file.

This module is the only one that touches the store's files. It keeps the promises of
DESIGN §4:

1. every save is atomic: the whole state is written to a temporary file in the same
   folder (0600), flushed, fsynced, renamed over the store, and the folder fsynced;
2. every read-modify-write holds an ``flock`` on a separate lock file, and reads the file
   again first if another process changed it, so two instances keep each other's notes;
   records are keyed by our own random ids, never TinyDB's per-instance counters;
3. a method that saves returns only once the data is durable;
4. a store that cannot be read is moved aside with a timestamped name and reported
   (:attr:`Store.problems`); a fresh store starts, never silently emptied;
5. the folder is 0700 and the files 0600 whatever the umask; a symbolic link at the store
   or lock path is refused;
6. the file carries a schema version; older versions are migrated (the original is kept).

JSON is read and written with orjson (always UTF-8, whatever the locale): a save with
10,000 notes stored must stay well inside 30 ms.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from . import paths
from .durable import alive, private_folder, write_atomic
from .marks import Bookmark, Mark, Note
from .safe import clean
from .store_schema import (
    MIGRATIONS,
    SCHEMA,
    TABLES,
    fresh_data,
    mark_from_record,
    mark_record,
    now,
    schema_version,
)

__all__ = ["SCHEMA", "Store", "StoreError", "login_name", "now"]

GENERATION_BYTES = 16  # the save token kept in the lock file

_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def new_id() -> str:
    """A random id for a note or bookmark (os.urandom: the secrets module would load
    OpenSSL at start-up for nothing)."""
    return os.urandom(8).hex()


class StoreError(Exception):
    """The store cannot be used or a change could not be saved; the message says why."""


class _Unreadable(ValueError):
    """The store file exists but holds no readable notes (the reason is the message)."""


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def login_name() -> str:
    """The user's login name, written on every note as its author."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # no name for this uid at all
            return str(os.getuid())


def _file_key(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class _StrTable(Table):
    """Documents keyed by our own string ids."""

    document_id_class = str  # type: ignore[assignment]


class _DB(TinyDB):
    table_class = _StrTable
    default_table_name = "notes"


class _MemoryStorage(Storage):
    """What TinyDB reads and writes: the store's data in memory. Reading and writing the
    file is the store's job, so one transaction can hold the lock and write once."""

    def __init__(self, store: "Store") -> None:
        self.store = store

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self.store._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if not self.store._writing:
            raise StoreError("a change was made outside a store transaction")
        self.store._data = data
        self.store._dirty = True


class Store:
    """One user's notes, bookmarks, reading state and settings.

    Every method that changes something returns once the change is on disk. Reads see
    what other processes saved: the file is stat-ed before each read and read again when
    it changed.
    """

    def __init__(self, path: Path, author: str | None = None, default_location: bool = False) -> None:
        self.path = Path(path)
        self.lock_path = paths.lock_file(self.path)
        self.author = author or login_name()
        self.problems: list[str] = []
        self._mutex = threading.RLock()
        self._data: dict[str, dict[str, Any]] | None = None
        self._seen: tuple[int, int, int, int] | None = None
        self._generation: bytes | None = None
        # Goes up when notes or bookmarks saved elsewhere are read in (not reading places).
        self.marks_generation = 0
        self._dirty = False
        self._writing = False
        self._lock_fd: int | None = None
        self._db = _DB(self, storage=_MemoryStorage)
        self._open(default_location)

    # -- files --------------------------------------------------------------

    def _open(self, default_location: bool) -> None:
        try:
            private_folder(self.path.parent, enforce=default_location)
        except OSError as exc:
            raise StoreError(f"cannot create the notes folder {self.path.parent}: {exc.strerror}") from exc
        for path in (self.path, self.lock_path):
            if path.is_symlink():
                raise StoreError(f"{path} is a symbolic link; briefing does not follow links for its "
                                 "store. Remove the link, or choose another store with --store.")
        self._lock_fd = self._open_lock()
        with self._transaction():
            self._remove_stale_temp_files()
            if not os.path.lexists(self.path):
                self._dirty = True  # a first start: write the empty store now

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _open_lock(self) -> int:
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | _NO_FOLLOW, 0o600)
            os.fchmod(fd, 0o600)
            return fd
        except OSError as exc:
            why = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
            raise StoreError(f"cannot open the lock file {self.lock_path}: {why}") from exc

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the lock file's flock. If the lock file was removed or replaced since we
        opened it (someone cleaning up), the lock is taken again on the file now there:
        two processes must never hold locks on different files."""
        for _ in range(20):
            if self._lock_fd is None:
                raise StoreError("the store is closed")
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            mine = os.fstat(self._lock_fd)
            try:
                there = os.lstat(self.lock_path)
            except FileNotFoundError:
                there = None
            if there is not None and (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino):
                break
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None
            self._lock_fd = self._open_lock()
        else:
            raise StoreError(f"the lock file {self.lock_path} keeps being replaced")
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    def _read_file(self) -> tuple[dict[str, Any] | None, os.stat_result | None]:
        """The store file's data and stat, or (None, None) when there is no file."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _NO_FOLLOW)
        except FileNotFoundError:
            return None, None
        except PermissionError as exc:
            raise _Unreadable("cannot be read (permission denied)") from exc
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(f"{self.path} is a symbolic link; briefing does not follow links "
                                 "for its store.") from exc
            raise _Unreadable(f"cannot be opened ({exc.strerror})") from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise _Unreadable("is not a file")
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        except OSError as exc:
            raise _Unreadable(f"cannot be read ({exc.strerror})") from exc
        finally:
            os.close(fd)
        raw = b"".join(chunks)
        if not raw.strip():
            raise _Unreadable("is empty")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise _Unreadable(f"is not valid JSON ({exc})") from exc
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise _Unreadable("does not hold briefing notes")
        if not all(isinstance(record, dict) for table in data.values() for record in table.values()):
            raise _Unreadable("holds a record that is not an object")
        return data, info

    def _read_generation(self) -> bytes:
        """The token of the last save, kept in the lock file (see :meth:`_flush`)."""
        assert self._lock_fd is not None
        return os.pread(self._lock_fd, GENERATION_BYTES, 0)

    def _load(self) -> None:
        """Read the file into memory (under the lock): recover, migrate, or keep what we have."""
        self._generation = self._read_generation()
        try:
            data, info = self._read_file()
            version = schema_version(data) if data is not None else SCHEMA
        except ValueError as exc:  # _Unreadable, or a schema version that means nothing
            self._move_aside("unreadable", str(exc))
            # Start again from what this session last read, if anything: a store some
            # other program broke must not cost the notes this session can still see.
            self._data = self._data or fresh_data()
            self._dirty = True
            return
        if data is None:
            # No file: a first start, or someone removed it; write what we know.
            self._data = self._data or fresh_data()
            self._dirty = True
            return
        if version > SCHEMA:
            raise StoreError(f"{self.path} was written by a newer briefing (schema {version}; this "
                             f"one knows {SCHEMA}). It is left untouched; upgrade briefing to use it.")
        if version < SCHEMA:
            kept = self._keep_copy(f"v{version}")
            for step in range(version, SCHEMA):
                data = MIGRATIONS[step](data, self.author)
            self.problems.append(f"The notes store was upgraded from version {version} to {SCHEMA}; "
                                 f"the original is kept as {kept}.")
            self._dirty = True
        for name in TABLES:
            data.setdefault(name, {})
        old = self._data
        if old is None or old.get("notes") != data["notes"] or old.get("bookmarks") != data["bookmarks"]:
            self.marks_generation += 1
        self._data = data
        self._seen = _file_key(info)

    def _move_aside(self, why: str, reason: str) -> None:
        aside = paths.aside_file(self.path, why, _stamp())
        try:
            os.rename(self.path, aside)
        except OSError as exc:
            raise StoreError(f"the notes store {self.path} {reason}, and it could not be moved "
                             f"aside: {exc.strerror}") from exc
        try:  # kept for inspection, and private like everything of the store
            os.chmod(aside, 0o700 if aside.is_dir() else 0o600)
        except OSError:
            pass
        self.problems.append(f"The notes store {self.path} {reason}. It was kept as {aside} "
                             "and a new store was started.")

    def _keep_copy(self, why: str) -> Path:
        copy = paths.aside_file(self.path, why, _stamp())
        try:
            with open(self.path, "rb") as src:
                content = src.read()
            write_atomic(copy, content)
        except OSError as exc:
            raise StoreError(f"cannot keep a copy of {self.path} before upgrading it: "
                             f"{exc.strerror or exc}") from exc
        return copy

    def _flush(self) -> None:
        # A new token goes into the lock file before the data is replaced: a file's stat
        # can look unchanged after another process's save (same size, inode numbers reused,
        # several saves within one clock tick), the token cannot. A writer that dies between
        # the two only makes the others read the file again.
        generation = os.urandom(GENERATION_BYTES // 2).hex().encode("ascii")
        assert self._lock_fd is not None
        os.pwrite(self._lock_fd, generation, 0)
        self._generation = generation
        write_atomic(self.path, orjson.dumps(self._data))
        self._seen = _file_key(os.stat(self.path))
        self._dirty = False

    def _remove_stale_temp_files(self) -> None:
        """Temporary files of writers that died before their rename."""
        prefix, suffix = f".{self.path.name}.", ".tmp"
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            pid = name[len(prefix):].split(".", 1)[0]
            if not pid.isdigit() or alive(int(pid)):
                continue
            try:
                os.unlink(self.path.parent / name)
            except OSError:
                pass

    def _changed(self) -> bool:
        """Did another process save since we last read or wrote? (a stat and a 16-byte read)"""
        try:
            return (_file_key(os.stat(self.path)) != self._seen
                    or self._read_generation() != self._generation)
        except OSError:
            return True

    @contextmanager
    def _transaction(self) -> Iterator[_DB]:
        """Hold the lock, catch up with the file, let TinyDB change the data, write it once."""
        with self._mutex, self._locked():
            if self._data is None or self._changed():
                self._load()
            self._writing = True
            try:
                yield self._db
                if self._dirty:
                    self._flush()
            except OSError as exc:
                self._data, self._seen, self._dirty = None, None, False
                raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from exc
            except BaseException:
                self._data, self._seen, self._dirty = None, None, False
                raise
            finally:
                self._writing = False

    def refresh(self) -> bool:
        """Read the file again if another process changed it; True when it did. A store
        that had to be started again is written at once; if that fails, what this
        session holds stays in memory (and is written by the next save)."""
        with self._mutex:
            if self._data is not None and not self._changed():
                return False
            with self._locked():
                if self._data is None or self._changed():
                    self._load()
                    if self._dirty:
                        self._writing = True
                        try:
                            self._flush()
                        except OSError as exc:
                            self._seen = None  # not written: look at the file again next time
                            raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from exc
                        finally:
                            self._writing = False
            return True

    def _table(self, name: str) -> Table:
        return self._db.table(name, cache_size=0)

    def _records(self, name: str) -> dict[str, Any]:
        """A table's raw records, up to date (read-only: do not change them). If a store
        started again cannot be written yet, reading goes on from memory (refresh says why)."""
        try:
            self.refresh()
        except StoreError:
            if self._data is None:
                raise
        assert self._data is not None
        return self._data.get(name, {})

    # -- notes and bookmarks ------------------------------------------------

    def notes(self, brief: str | None = None) -> list[Note]:
        return self._marks(Note, "notes", brief)  # type: ignore[return-value]

    def bookmarks(self, brief: str | None = None) -> list[Bookmark]:
        return self._marks(Bookmark, "bookmarks", brief)  # type: ignore[return-value]

    def marks(self, brief: str | None = None) -> list[Mark]:
        return [*self.notes(brief), *self.bookmarks(brief)]

    def _marks(self, cls: type[Mark], table: str, brief: str | None) -> list[Mark]:
        with self._mutex:
            records = self._records(table)
            return [mark_from_record(cls, key, rec) for key, rec in records.items()
                    if brief is None or rec.get("brief") == brief]

    def note_counts(self) -> dict[str, int]:
        """Notes per brief id, for the library."""
        counts: dict[str, int] = {}
        with self._mutex:
            for record in self._records("notes").values():
                counts[record.get("brief", "")] = counts.get(record.get("brief", ""), 0) + 1
        return counts

    def bookmarked_briefs(self) -> set[str]:
        with self._mutex:
            return {r.get("brief", "") for r in self._records("bookmarks").values() if r.get("item") is None}

    def add_note(self, brief: str, item: str | None, pane: str | None, quote: str, text: str) -> Note:
        stamp = now()
        note = Note(id=new_id(), brief=brief, item=item, pane=pane, quote=quote,
                    author=self.author, created=stamp, updated=stamp, text=clean(text))
        self.put(note)
        return note

    def edit_note(self, note: Note, text: str, quote: str | None = None) -> Note:
        """Change a note's text. Given the item's text as it reads now (``quote``), the
        note counts as checked against it, on the item it showed on (``note.item``): its
        anchor is ok again."""
        change: dict[str, Any] = {"text": clean(text), "updated": now()}
        if quote is not None:  # the reader wrote it seeing this item: it is the note's now
            change.update(quote=quote, anchor="ok", item=note.item, pane=note.pane)
        with self._transaction():
            table = self._table("notes")
            record = table.get(doc_id=note.id)
            if record is None:  # deleted elsewhere meanwhile: what the reader wrote is kept
                record = mark_record(note)
            record = {**record, **change}
            table.upsert(Document(record, doc_id=note.id))
        return mark_from_record(Note, note.id, record)  # type: ignore[return-value]

    def put(self, *marks: Mark) -> None:
        """Save these notes and bookmarks (new or changed), in one durable write."""
        with self._transaction():
            self._replace({mark.id: mark_record(mark) for mark in marks if isinstance(mark, Note)},
                          {mark.id: mark_record(mark) for mark in marks if not isinstance(mark, Note)})

    def _replace(self, notes: dict[str, dict[str, Any]], bookmarks: dict[str, dict[str, Any]]) -> None:
        """Write whole records (new or replacing), in a transaction. TinyDB rebuilds a table
        on every change, so many records go in two changes (remove, insert), not one each:
        importing or re-anchoring 10,000 notes stays linear."""
        for name, records in (("notes", notes), ("bookmarks", bookmarks)):
            if not records:
                continue
            table = self._table(name)
            there = [key for key in records if table.contains(doc_id=key)]
            if there:
                table.remove(doc_ids=there)
            table.insert_multiple(Document(record, doc_id=key) for key, record in records.items())

    def reanchor(self, marks: Iterable[Mark]) -> int:
        """Save where re-found marks point now (item, pane, anchor) and nothing else, and
        only for marks unchanged since they were read: a note edited, deleted or saved by
        another instance meanwhile is left as it is. Returns how many were updated."""
        changed: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        with self._transaction():
            assert self._data is not None
            for mark in marks:
                name, into = ("notes", changed[0]) if isinstance(mark, Note) else ("bookmarks", changed[1])
                record = self._data[name].get(mark.id)
                if record is None or record.get("updated") != mark.updated:
                    continue
                change = {"item": mark.item, "pane": mark.pane, "anchor": mark.anchor}
                if any(record.get(k) != v for k, v in change.items()):
                    into[mark.id] = {**record, **change}
            self._replace(*changed)
        return len(changed[0]) + len(changed[1])

    def attach(self, mark: Mark, item: str, pane: str, quote: str) -> Mark | None:
        """Point a note or bookmark at another item (the reader chose it); None if it was
        deleted meanwhile. Its text and author are kept as they are in the store."""
        with self._transaction():
            table = self._table("notes" if isinstance(mark, Note) else "bookmarks")
            record = table.get(doc_id=mark.id)
            if record is None:
                return None
            change = {"item": item, "pane": pane, "quote": quote, "anchor": "ok", "updated": now()}
            table.update(change, doc_ids=[mark.id])
            return mark_from_record(type(mark), mark.id, {**record, **change})

    def delete(self, mark: Mark) -> bool:
        """Remove a note or bookmark; False if it was gone already."""
        with self._transaction():
            table = self._table("notes" if isinstance(mark, Note) else "bookmarks")
            if table.get(doc_id=mark.id) is None:
                return False
            table.remove(doc_ids=[mark.id])
            return True

    def toggle_bookmark(self, brief: str, item: str | None, pane: str | None, quote: str,
                        shown: Bookmark | None = None) -> Bookmark | None:
        """Bookmark the item (or the brief, when ``item`` is None), or remove its bookmark:
        the one saved on it, or ``shown``, the one the reader sees there (a bookmark
        whose item was edited shows on it while still saved under the old id). Returns
        the new bookmark, or None when one was removed."""
        with self._transaction():
            table = self._table("bookmarks")
            found = [doc.doc_id for doc in table.search((Query().brief == brief) & (Query().item == item))]
            if shown is not None and table.contains(doc_id=shown.id):
                found.append(shown.id)
            if found:
                table.remove(doc_ids=list(dict.fromkeys(found)))
                return None
            stamp = now()
            mark = Bookmark(id=new_id(), brief=brief, item=item, pane=pane, quote=quote,
                            author=self.author, created=stamp, updated=stamp)
            table.upsert(Document(mark_record(mark), doc_id=mark.id))
            return mark

    def import_marks(self, marks: Iterable[Mark]) -> tuple[int, int, int]:
        """Merge notes and bookmarks from an export: new ones are added, a newer copy of one
        we have replaces it, the rest are skipped. Returns (added, updated, skipped)."""
        added = updated = skipped = 0
        write: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        with self._transaction():
            assert self._data is not None
            have = self._data["notes"], self._data["bookmarks"]
            kept = {(d.get("brief"), d.get("item")) for d in have[1].values()}
            for mark in marks:
                side = 0 if isinstance(mark, Note) else 1
                mine = write[side].get(mark.id) or have[side].get(mark.id)
                if mine is None and side == 1 and (mark.brief, mark.item) in kept:
                    skipped += 1
                    continue
                if mine is None:
                    added += 1
                elif str(mine.get("updated", "")) < mark.updated:
                    updated += 1
                else:
                    skipped += 1
                    continue
                write[side][mark.id] = mark_record(mark)
                if side == 1:
                    kept.add((mark.brief, mark.item))
            self._replace(*write)
        return added, updated, skipped

    # -- reading state ------------------------------------------------------

    def read_briefs(self) -> set[str]:
        with self._mutex:
            return set(self._records("reading"))

    def reading(self, brief: str) -> dict[str, Any] | None:
        with self._mutex:
            record = self._records("reading").get(brief)
            return dict(record) if record else None

    def last_place(self) -> dict[str, Any] | None:
        """Where the user was when briefing last ended: ``brief`` (the brief open, or the one
        highlighted in the library), ``open`` (whether it was open), ``pane`` and ``item``."""
        with self._mutex:
            record = self._records("state").get("last")
            return dict(record) if record else None

    def save_place(self, brief: str | None, pane: str | None = None, item: str | None = None,
                   opened: bool = True) -> None:
        """Remember where the user is; an opened brief counts as read (its first reading is
        kept, with the pane and item reached last)."""
        with self._transaction():
            state = self._table("state")
            place = {"brief": brief, "pane": pane, "item": item, "open": opened and brief is not None}
            if brief is not None and opened:
                reading = self._table("reading")
                mine = reading.get(doc_id=brief)
                record = {"read": (mine or {}).get("read") or now(), "pane": pane, "item": item}
                if mine != record:
                    reading.upsert(Document(record, doc_id=brief))
            if state.get(doc_id="last") != place:
                state.upsert(Document(place, doc_id="last"))

    # -- settings -----------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        with self._mutex:
            record = self._records("settings").get(key)
            return record.get("value", default) if isinstance(record, dict) else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._transaction():
            table = self._table("settings")
            if (table.get(doc_id=key) or {}).get("value") != value:
                table.upsert(Document({"value": value}, doc_id=key))
