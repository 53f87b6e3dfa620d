"""The notes store: notes, bookmarks, drafts, reading state and settings, in one TinyDB file.

This module is the only one that touches the store's files (lock.py its lock file).
It keeps these promises:

1. every save is atomic: the whole state is written to a temporary file in the same
   folder (0600), flushed, fsynced, renamed over the store, and the folder fsynced;
2. every read-modify-write holds an ``flock`` on a separate lock file, and reads the file
   again first if another process changed it, so two instances keep each other's notes;
   records are keyed by our own random ids, never TinyDB's per-instance counters;
3. a method that saves returns only once the data is durable;
4. a store whose *content* is bad is moved aside with a timestamped name and reported
   (:attr:`Store.problems` now, :meth:`Store.asides` at every start until the reader
   acknowledges it); a fresh store starts, never silently emptied;
5. the folder is 0700 and the files 0600 whatever the umask; a symbolic link, FIFO,
   socket, device or folder at the store or lock path is refused at once, never opened;
6. the file carries a schema version; older versions are migrated (the original is kept);
7. what is being typed is kept: a draft per item (:meth:`Store.save_draft`), dropped in
   the same write that saves its note;
8. nothing waits forever and nothing fails in silence: a lock held elsewhere is waited on
   for :data:`LOCK_WAIT` seconds; a store that cannot be read now (EIO, EMFILE, EACCES),
   whose file or folder is read-only, or whose lock stays taken opens read-only
   (:attr:`Store.read_only` says why) and is left as it is.

JSON is read and written with orjson (always UTF-8, whatever the locale): a save with
10,000 notes stored must stay well inside 30 ms.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast

import orjson
from tinydb import Query, TinyDB
from tinydb.queries import QueryLike
from tinydb.storages import Storage
from tinydb.table import Document, Table

from briefing import paths
from briefing.core.enums import Anchor
from briefing.core.marks import Bookmark, Draft, Mark, Note
from briefing.core.safe import clean
from briefing.store.durable import alive, private_folder, write_atomic
from briefing.store.lock import (
    GENERATION_BYTES,
    LockBusy,
    LockError,
    LockFile,
    kind_of,
)
from briefing.store.schema import (
    MIGRATIONS,
    SCHEMA,
    TABLES,
    draft_from_record,
    draft_key,
    draft_record,
    fresh_data,
    mark_from_record,
    mark_record,
    now,
    schema_version,
)

__all__ = ["SCHEMA", "Aside", "Store", "StoreBusy", "StoreError", "login_name", "now"]

# How long a session waits for another briefing's lock (a save takes milliseconds; an
# import of thousands of notes a second or two) before it goes on read-only or gives up.
LOCK_WAIT = 5.0
ASIDES = "asides"  # the state record of files moved aside and which the reader has seen

_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def new_id() -> str:
    """A random id for a note or bookmark (os.urandom: the secrets module would load
    OpenSSL at start-up for nothing)."""
    return os.urandom(8).hex()


class StoreError(Exception):
    """The store cannot be used or a change could not be saved; the message says why."""


class StoreBusy(StoreError):
    """Another briefing held the store's lock for longer than this one would wait."""

    def __init__(self, path: Path, busy: LockBusy) -> None:
        self.who, self.waited, self.pid = busy.who, busy.waited, busy.pid
        super().__init__(
            f"{busy.who} has been using the notes store {path} for more than "
            f"{busy.waited:g} seconds; try again once it has finished"
        )


class StoreUnavailable(StoreError):
    """The store file cannot be read now (EIO, EMFILE, EACCES …): not bad content, so it
    is left as it is."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Aside:
    """A store file that could not be read and was moved aside, and why (if known)."""

    path: Path
    reason: str | None


class _Unreadable(ValueError):
    """The store file exists but holds no readable notes (the reason is the message)."""


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


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


class _Found(Protocol):
    """A document a search found: its id is one of ours."""

    doc_id: str


class _Records(Protocol):
    """A :class:`_StrTable` as this module uses it. TinyDB annotates every document id as an
    int, whatever the table's ``document_id_class``; ours are strings."""

    def get(self, *, doc_id: str) -> dict[str, Any] | None: ...

    def contains(self, *, doc_id: str) -> bool: ...

    def search(self, cond: QueryLike) -> list[_Found]: ...

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[str]: ...

    def update(self, fields: Mapping[str, Any], *, doc_ids: Iterable[str]) -> list[str]: ...

    def upsert(self, document: Mapping[str, Any]) -> list[str]: ...

    def remove(self, *, doc_ids: Iterable[str]) -> list[str]: ...


def _document(record: Mapping[str, Any], key: str) -> Document:
    """``record``, to be stored under our id ``key``."""
    # TinyDB annotates a document's id as an int; a _StrTable's are str (see _Records).
    return Document(record, doc_id=cast(int, key))


class _DB(TinyDB):
    table_class = _StrTable
    default_table_name = "notes"


class _MemoryStorage(Storage):
    """What TinyDB reads and writes: the store's data in memory. Reading and writing the
    file is the store's job, so one transaction can hold the lock and write once."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self.store._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if not self.store._writing:
            raise StoreError("a change was made outside a store transaction")
        self.store._data = data
        self.store._dirty = True


class Store:
    """One user's notes, bookmarks, drafts, reading state and settings.

    Every method that changes something returns once the change is on disk. Reads see
    what other processes saved: the file is stat-ed before each read and read again when
    it changed. A store that cannot be written (a read-only file or folder, a lock held
    elsewhere for longer than ``wait`` seconds, a file that cannot be read now) opens
    *read-only*: :attr:`read_only` says why, the file is left as it is, and every change
    raises :class:`StoreError` with that reason.
    """

    def __init__(
        self,
        path: Path,
        author: str | None = None,
        default_location: bool = False,
        *,
        wait: float = LOCK_WAIT,
        waiting: Callable[[int | None], None] | None = None,
        read_only_when_busy: bool = True,
    ) -> None:
        self.path = Path(path)
        self.lock_path = paths.lock_file(self.path)
        self.author = author or login_name()
        self.problems: list[str] = []
        self.read_only: str | None = None
        self.wait = wait
        self.waiting = waiting  # told the pid of another briefing we wait for, once per wait
        self._mutex = threading.RLock()
        self._data: dict[str, dict[str, Any]] | None = None
        self._seen: tuple[int, int, int, int] | None = None
        self._generation: bytes | None = None
        # Goes up when notes or bookmarks saved elsewhere are read in (not reading places).
        self.marks_generation = 0
        self._dirty = False
        self._writing = False
        self._lock = LockFile(self.lock_path)
        self._db = _DB(self, storage=_MemoryStorage)
        self._open(default_location, read_only_when_busy)

    # -- files --------------------------------------------------------------

    def _open(self, default_location: bool, read_only_when_busy: bool) -> None:
        try:
            private_folder(self.path.parent, enforce=default_location)
        except OSError as exc:
            raise StoreError(f"cannot create the notes folder {self.path.parent}: {exc.strerror}") from exc
        if not self.path.parent.is_dir():
            raise StoreError(f"the notes folder {self.path.parent} is not a folder")
        for path in (self.path, self.lock_path):
            kind = kind_of(path)
            if kind == "a symbolic link":
                raise StoreError(
                    f"{path} is a symbolic link; briefing does not follow links for its "
                    "store. Remove the link, or choose another store with --store."
                )
            if kind is not None:  # a FIFO, a socket, a device, a folder: never opened
                raise StoreError(
                    f"{path} is {kind}, not a file; briefing will not use it. Remove it, "
                    "or choose another store with --store."
                )
        why = self._read_only_reason()
        if why is None:
            try:
                self._lock.open()
            except LockError as exc:
                if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                    raise StoreError(str(exc)) from exc
                why = f"its lock file {self.lock_path} cannot be written ({os.strerror(exc.errno)})"
        if why is not None:
            self._open_read_only(why)
            return
        try:
            with self._transaction():
                self._remove_stale_temp_files()
                if not os.path.lexists(self.path):
                    self._dirty = True  # a first start: write the empty store now
        except StoreBusy as exc:
            if not read_only_when_busy:
                raise
            self._open_read_only(f"{exc.who} was using {self.path} for more than {exc.waited:g} seconds")
        except StoreUnavailable as exc:
            self._open_read_only(f"{self.path} {exc.why}")

    def _read_only_reason(self) -> str | None:
        """Why the store must not be written, if the reader made its file or folder
        read-only (the owner's write bit, so that even root respects it) or cannot write it."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            info = None
        except OSError as exc:
            return f"{self.path} cannot be looked at ({exc.strerror})"
        if info is not None and (not info.st_mode & stat.S_IWUSR or not os.access(self.path, os.W_OK)):
            return f"{self.path} is a read-only file"
        folder = self.path.parent
        if not os.stat(folder).st_mode & stat.S_IWUSR or not os.access(folder, os.W_OK):
            return f"the folder of {self.path} is read-only"
        return None

    def _open_read_only(self, why: str) -> None:
        """Read what can be read, without the lock (saves replace the file whole, so a
        reader sees one state or the next), write nothing, move nothing aside."""
        self._lock.close()
        self.read_only = f"The notes store is read-only this time: {why}. Notes can be read, not saved."
        self._data = fresh_data()
        try:
            data, info = self._read_file()
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            self.problems.append(f"The notes store {self.path} cannot be read ({reason}); it is left as it is.")
            return
        if data is None or info is None:  # no file
            return
        version = schema_version(data) if isinstance(data, dict) else SCHEMA
        if version > SCHEMA:
            raise StoreError(
                f"{self.path} was written by a newer briefing (schema {version}; this "
                f"one knows {SCHEMA}). It is left untouched; upgrade briefing to use it."
            )
        for step in range(version, SCHEMA):  # in memory only
            data = MIGRATIONS[step](data, self.author)
        for name in TABLES:
            data.setdefault(name, {})
        self._data, self._seen = data, _file_key(info)

    def close(self) -> None:
        self._lock.close()

    @contextmanager
    def _locked(self, wait: float | None = None) -> Iterator[None]:
        """Hold the lock file's lock, waiting at most ``wait`` seconds (default: the
        store's) for another briefing to let go: then :class:`StoreBusy`."""
        try:
            with self._lock.held(self.wait if wait is None else wait, self.waiting):
                yield
        except LockBusy as exc:
            raise StoreBusy(self.path, exc) from None
        except LockError as exc:
            raise StoreError(str(exc)) from exc

    def _read_file(self) -> tuple[dict[str, Any], os.stat_result] | tuple[None, None]:
        """The store file's data and stat, or (None, None) when there is no file.
        :class:`_Unreadable` (a ValueError) when its content is bad; OSError when it
        cannot be read now (its content is not in question then)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | _NO_FOLLOW)
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise StoreError(
                    f"{self.path} is a symbolic link; briefing does not follow links for its store."
                ) from exc
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise StoreError(
                    f"{self.path} is {kind_of(self.path) or 'not a file'}, not a file; briefing will not use it."
                )
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
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

    def _load(self) -> None:
        """Read the file into memory (under the lock): recover, migrate, or keep what we have.
        Only bad content moves the file aside; a file that cannot be read now is left alone
        (:class:`StoreUnavailable`)."""
        self._generation = self._lock.generation()
        try:
            data, info = self._read_file()
            version = schema_version(data) if data is not None else SCHEMA
        except ValueError as exc:  # _Unreadable, or a schema version that means nothing
            aside = self._move_aside("unreadable", str(exc))
            # Start again from what this session last read, if anything: a store some
            # other program broke must not cost the notes this session can still see.
            self._data = self._data or fresh_data()
            self._remember_aside(aside, str(exc))
            self._dirty = True
            return
        except OSError as exc:
            raise StoreUnavailable(f"it cannot be read now ({exc.strerror or exc}); it was left as it is") from exc
        if data is None or info is None:
            # No file: a first start, or someone removed it; write what we know.
            self._data = self._data or fresh_data()
            self._dirty = True
            return
        if version > SCHEMA:
            raise StoreError(
                f"{self.path} was written by a newer briefing (schema {version}; this "
                f"one knows {SCHEMA}). It is left untouched; upgrade briefing to use it."
            )
        if version < SCHEMA:
            kept = self._keep_copy(f"v{version}")
            for step in range(version, SCHEMA):
                data = MIGRATIONS[step](data, self.author)
            self.problems.append(
                f"The notes store was upgraded from version {version} to {SCHEMA}; the original is kept as {kept}."
            )
            self._dirty = True
        for name in TABLES:
            data.setdefault(name, {})
        old = self._data
        if old is None or old.get("notes") != data["notes"] or old.get("bookmarks") != data["bookmarks"]:
            self.marks_generation += 1
        self._data = data
        self._seen = _file_key(info)

    def _move_aside(self, why: str, reason: str) -> Path:
        aside = paths.aside_file(self.path, why, _stamp())
        try:
            os.rename(self.path, aside)
        except OSError as exc:
            raise StoreError(
                f"the notes store {self.path} {reason}, and it could not be moved aside: {exc.strerror}"
            ) from exc
        try:  # kept for inspection, and private like everything of the store
            os.chmod(aside, 0o600)
        except OSError:
            pass
        self.problems.append(
            f"The notes store {self.path} {reason}. It was kept as {aside} and a new store was started."
        )
        return aside

    def _remember_aside(self, aside: Path, reason: str) -> None:
        """Note, in the new store, why a file was moved aside (for the report at each start)."""
        assert self._data is not None
        state = self._data.setdefault("state", {})
        record = dict(state.get(ASIDES) or {})
        record["reasons"] = {**(record.get("reasons") or {}), aside.name: reason}
        state[ASIDES] = record

    def _keep_copy(self, why: str) -> Path:
        copy = paths.aside_file(self.path, why, _stamp())
        try:
            with open(self.path, "rb") as src:
                content = src.read()
            write_atomic(copy, content)
        except OSError as exc:
            raise StoreError(f"cannot keep a copy of {self.path} before upgrading it: {exc.strerror or exc}") from exc
        return copy

    def _flush(self) -> None:
        # A new token goes into the lock file before the data is replaced: a file's stat
        # can look unchanged after another process's save (same size, inode numbers reused,
        # several saves within one clock tick), the token cannot. A writer that dies between
        # the two only makes the others read the file again.
        generation = os.urandom(GENERATION_BYTES // 2).hex().encode("ascii")
        self._lock.set_generation(generation)
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
            pid = name[len(prefix) :].split(".", 1)[0]
            if not pid.isdigit() or alive(int(pid)):
                continue
            try:
                os.unlink(self.path.parent / name)
            except OSError:
                pass

    def _changed(self) -> bool:
        """Did another process save since we last read or wrote? (a stat and a 16-byte read)"""
        try:
            if _file_key(os.stat(self.path)) != self._seen:
                return True
            return not self.read_only and self._lock.generation() != self._generation
        except OSError:
            return True

    @contextmanager
    def _transaction(self) -> Iterator[_DB]:
        """Hold the lock, catch up with the file, let TinyDB change the data, write it once."""
        if self.read_only:
            raise StoreError(self.read_only)
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
        session holds stays in memory (and is written by the next save). A lock held
        elsewhere is not waited for: what is in memory is read meanwhile."""
        with self._mutex:
            if self._data is not None and not self._changed():
                return False
            if self.read_only:
                return self._reread()
            try:
                with self._locked(wait=0):
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
            except StoreBusy:
                if self._data is None:
                    raise
                return False  # another briefing is saving: look again at the next read
            return True

    def _reread(self) -> bool:
        """A read-only session catches up with what others saved (never writes, never
        moves a file aside: a file it cannot read leaves what it read before)."""
        try:
            data, info = self._read_file()
            if data is None or info is None or schema_version(data) != SCHEMA:
                return False
        except (OSError, ValueError, StoreError):
            return False
        for name in TABLES:
            data.setdefault(name, {})
        old = self._data or {}
        if old.get("notes") != data["notes"] or old.get("bookmarks") != data["bookmarks"]:
            self.marks_generation += 1
        self._data, self._seen = data, _file_key(info)
        return True

    def _table(self, name: str) -> _Records:
        # TinyDB annotates its tables' ids as int; ours are _StrTables (see _Records).
        return cast(_Records, self._db.table(name, cache_size=0))

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

    def marks(self, brief: str | None = None) -> list[Note | Bookmark]:
        return [*self.notes(brief), *self.bookmarks(brief)]

    def _marks(self, cls: type[Mark], table: str, brief: str | None) -> list[Mark]:
        with self._mutex:
            records = self._records(table)
            return [
                mark_from_record(cls, key, rec)
                for key, rec in records.items()
                if brief is None or rec.get("brief") == brief
            ]

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
        """Save a new note; the draft of its item goes in the same write."""
        stamp = now()
        note = Note(
            id=new_id(),
            brief=brief,
            item=item,
            pane=pane,
            quote=quote,
            author=self.author,
            created=stamp,
            updated=stamp,
            text=clean(text),
        )
        with self._transaction():
            self._replace({note.id: mark_record(note)}, {})
            self._drop_drafts((brief, item))
        return note

    def edit_note(self, note: Note, text: str, quote: str | None = None) -> Note:
        """Change a note's text. Given the item's text as it reads now (``quote``), the
        note counts as checked against it, on the item it showed on (``note.item``): its
        anchor is ok again."""
        change: dict[str, Any] = {"text": clean(text), "updated": now()}
        if quote is not None:  # the reader wrote it seeing this item: it is the note's now
            change.update(quote=quote, anchor=Anchor.OK.value, item=note.item, pane=note.pane)
        with self._transaction():
            table = self._table("notes")
            record = table.get(doc_id=note.id)
            if record is None:  # deleted elsewhere meanwhile: what the reader wrote is kept
                record = mark_record(note)
            # The draft was kept under the item the note showed on (or was saved on).
            self._drop_drafts((note.brief, note.item), (note.brief, record.get("item")))
            record = {**record, **change}
            table.upsert(_document(record, note.id))
        return mark_from_record(Note, note.id, record)  # type: ignore[return-value]

    def put(self, *marks: Mark) -> None:
        """Save these notes and bookmarks (new or changed), in one durable write."""
        with self._transaction():
            self._replace(
                {mark.id: mark_record(mark) for mark in marks if isinstance(mark, Note)},
                {mark.id: mark_record(mark) for mark in marks if not isinstance(mark, Note)},
            )

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
            table.insert_multiple(_document(record, key) for key, record in records.items())

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
            change = {"item": item, "pane": pane, "quote": quote, "anchor": Anchor.OK.value, "updated": now()}
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

    def toggle_bookmark(
        self, brief: str, item: str | None, pane: str | None, quote: str, shown: Bookmark | None = None
    ) -> Bookmark | None:
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
            mark = Bookmark(
                id=new_id(),
                brief=brief,
                item=item,
                pane=pane,
                quote=quote,
                author=self.author,
                created=stamp,
                updated=stamp,
            )
            table.upsert(_document(mark_record(mark), mark.id))
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

    # -- drafts: what is being typed ---------------------------------------

    def drafts(self) -> list[Draft]:
        with self._mutex:
            return [draft_from_record(r) for r in self._records("drafts").values()]

    def draft(self, brief: str, item: str | None) -> Draft | None:
        with self._mutex:
            record = self._records("drafts").get(draft_key(brief, item))
            return draft_from_record(record) if record is not None else None

    def save_draft(
        self, brief: str, item: str | None, pane: str | None, quote: str, text: str, note: str | None = None
    ) -> Draft:
        """Keep what is being typed for this item, durably (one per item: the last wins)."""
        draft = Draft(brief=brief, item=item, pane=pane, quote=quote, text=clean(text), note=note, updated=now())
        with self._transaction():
            table = self._table("drafts")
            key = draft_key(brief, item)
            there = table.get(doc_id=key)
            if there is None or there.get("text") != draft.text or there.get("note") != note:
                table.upsert(_document(draft_record(draft), key))
        return draft

    def drop_draft(self, brief: str, item: str | None) -> bool:
        """Forget the draft of this item (its note was saved, or the text discarded on purpose)."""
        with self._transaction():
            return self._drop_drafts((brief, item))

    def _drop_drafts(self, *where: tuple[str, str | None]) -> bool:
        table = self._table("drafts")
        keys = [key for key in dict.fromkeys(draft_key(b, i) for b, i in where) if table.contains(doc_id=key)]
        if keys:
            table.remove(doc_ids=keys)
        return bool(keys)

    # -- stores moved aside -------------------------------------------------

    def asides(self) -> list[Aside]:
        """Store files beside this one that could not be read and were moved aside, which
        the reader has not acknowledged yet: said at every start until they are (found on
        disk, so a new store that could not be written loses none of them)."""
        prefix = f"{self.path.name}.unreadable-"
        try:
            names = sorted(n for n in os.listdir(self.path.parent) if n.startswith(prefix))
        except OSError:
            return []
        with self._mutex:
            record = self._records("state").get(ASIDES) or {}
        seen = set(record.get("acknowledged") or [])
        reasons = record.get("reasons") or {}
        return [Aside(self.path.parent / name, reasons.get(name)) for name in names if name not in seen]

    def acknowledge(self, asides: Iterable[Aside]) -> None:
        """The reader has seen these: stop reporting them (the files stay where they are)."""
        names = {aside.path.name for aside in asides}
        with self._transaction():
            table = self._table("state")
            record = dict(table.get(doc_id=ASIDES) or {})
            record["acknowledged"] = sorted(set(record.get("acknowledged") or []) | names)
            table.upsert(_document(record, ASIDES))

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

    def save_place(
        self, brief: str | None, pane: str | None = None, item: str | None = None, opened: bool = True
    ) -> None:
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
                    reading.upsert(_document(record, brief))
            if state.get(doc_id="last") != place:
                state.upsert(_document(place, "last"))

    # -- settings -----------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        with self._mutex:
            record = self._records("settings").get(key)
            return record.get("value", default) if isinstance(record, dict) else default

    def set_setting(self, key: str, value: Any) -> None:
        with self._transaction():
            table = self._table("settings")
            if (table.get(doc_id=key) or {}).get("value") != value:
                table.upsert(_document({"value": value}, key))


def open_store(path: Path | None = None, author: str | None = None, *, read_only_when_busy: bool = True) -> Store:
    """The notes store at ``path`` (None: the default one), for the reader and every
    command alike. A store another briefing holds is waited for a few seconds, said on
    stderr as it happens, then opened read-only (the reader) or given up with
    :class:`StoreBusy` (``read_only_when_busy=False``: a command that must write).
    Raises :class:`StoreError` when the store cannot be used."""
    import sys

    from briefing.store.lock import waiting_line

    def waiting(pid: int | None) -> None:
        print(waiting_line(pid), file=sys.stderr, flush=True)

    path = path or paths.store_file()
    return Store(
        path,
        author=author,
        default_location=path == paths.data_dir() / paths.STORE_FILENAME,
        waiting=waiting,
        read_only_when_busy=read_only_when_busy,
    )
