"""The notes store's lock file: the lock every writer holds, who holds it, the save token.

Writers serialise on an ``flock`` of a file beside the store (never the data file, which
every save replaces). The lock file also carries, at fixed offsets:

* bytes 0-16: the token of the last save (see ``Store._flush``): a save that leaves the
  data file's stat unchanged is still seen by the other sessions;
* bytes 16-32: the process id of the session holding the lock, so that one which has to
  wait can say for whom ("waiting for another briefing (pid 4242)").

Nothing waits forever: a lock held elsewhere is waited on for a few seconds, then
:class:`LockBusy` says so (the caller goes on read-only, or gives up with that message).
Those seconds count from the last save seen: several sessions saving in turn are progress,
not a session stuck, and are waited for (up to PROGRESS_WAITS times as long).
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.store.durable import alive

GENERATION_BYTES = 16
PID_AT, PID_BYTES = 16, 16
POLL = 0.05  # how often a lock held elsewhere is tried again
PROGRESS_WAITS = 12  # while others keep saving, wait up to this many times the usual wait

_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


class LockError(OSError):
    """The lock file cannot be opened (the message says why; ``errno`` is kept)."""


def holder_name(pid: int | None) -> str:
    """How messages name the session holding the lock: "another briefing (pid 4242)"."""
    return f"another briefing (pid {pid})" if pid else "another briefing"


def waiting_line(pid: int | None) -> str:
    """What a session says, on the terminal, while it waits for the lock."""
    return f"briefing: waiting for {holder_name(pid)} to finish with the notes store…"


class LockBusy(Exception):
    """Another process held the lock for longer than we were willing to wait."""

    def __init__(self, pid: int | None, waited: float) -> None:
        super().__init__(pid, waited)
        self.pid = pid
        self.waited = waited

    @property
    def who(self) -> str:
        return holder_name(self.pid)


def kind_of(path: Path) -> str | None:
    """What is at ``path`` when it is not a regular file ("a FIFO", "a folder" …), else None.
    Looked at with lstat: nothing is opened, so a FIFO cannot block."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    for test, name in (
        (stat.S_ISREG, None),
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


class LockFile:
    """The lock file of one store, opened once and held around every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def open(self) -> None:
        """Open (creating it 0600) the lock file; never through a link, never blocking on a
        FIFO, and only a regular file."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | _NO_FOLLOW, 0o600)
        except OSError as exc:
            why = "it is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
            raise LockError(exc.errno, f"cannot open the lock file {self.path}: {why}") from exc
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise LockError(errno.EINVAL, f"the lock file {self.path} is {kind_of(self.path) or 'not a file'}")
            if stat.S_IMODE(info.st_mode) != 0o600 and info.st_uid == os.getuid():
                os.fchmod(fd, 0o600)
        except BaseException:
            os.close(fd)
            raise
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    # -- what it carries --------------------------------------------------------

    def generation(self) -> bytes:
        assert self.fd is not None
        return os.pread(self.fd, GENERATION_BYTES, 0)

    def set_generation(self, token: bytes) -> None:
        assert self.fd is not None
        os.pwrite(self.fd, token, 0)

    def holder(self) -> int | None:
        """The process that took the lock last, if it is still alive."""
        if self.fd is None:
            return None
        raw = os.pread(self.fd, PID_BYTES, PID_AT).strip(b"\0 ")
        try:
            pid = int(raw)
        except ValueError:
            return None
        return pid if pid > 0 and pid != os.getpid() and alive(pid) else None

    def _progress(self) -> tuple[bytes, bytes]:
        """What changes while other sessions use the lock: the last save's token and the
        holder's pid."""
        assert self.fd is not None
        try:
            return os.pread(self.fd, GENERATION_BYTES, 0), os.pread(self.fd, PID_BYTES, PID_AT)
        except OSError:
            return b"", b""

    # -- holding it -------------------------------------------------------------

    @contextmanager
    def held(self, wait: float, waiting: Callable[[int | None], None] | None = None) -> Iterator[None]:
        """Hold the lock; wait at most ``wait`` seconds for it (``waiting(pid)`` is told
        once, when it turns out to be held elsewhere), then raise :class:`LockBusy`.

        If the lock file was removed or replaced since it was opened (someone cleaning
        up), the lock is taken again on the file now there: two processes must never hold
        locks on different files."""
        for _ in range(20):
            if self.fd is None:
                raise LockError(errno.EBADF, "the store is closed")
            self._acquire(wait, waiting)
            mine = os.fstat(self.fd)
            try:
                there = os.lstat(self.path)
            except FileNotFoundError:
                there = None
            if there is not None and (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino):
                break
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.close()
            self.open()
        else:
            raise LockError(errno.EAGAIN, f"the lock file {self.path} keeps being replaced")
        try:
            try:
                os.pwrite(self.fd, f"{os.getpid():<{PID_BYTES}}".encode("ascii"), PID_AT)
            except OSError:
                pass  # only for the message of a session that waits
            yield
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    def _acquire(self, wait: float, waiting: Callable[[int | None], None] | None) -> None:
        """Take the lock, waiting while others make progress with it: ``wait`` seconds
        from the last save seen (the token changes with every save, the holder's pid with
        every session that takes it), at most PROGRESS_WAITS times ``wait`` in all. Several
        sessions saving in turn keep each other waiting a little each time, never for
        nothing; one that holds it without saving (stopped with ctrl-z) is given up on."""
        assert self.fd is not None
        started = time.monotonic()
        deadline = started + wait
        told = False
        seen = self._progress()
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            now = time.monotonic()
            now_seen = self._progress()
            if now_seen != seen:
                seen = now_seen
                deadline = min(now + wait, started + wait * PROGRESS_WAITS)
            if now >= deadline:
                raise LockBusy(self.holder(), wait)
            if not told and waiting is not None:
                told = True
                waiting(self.holder())
            time.sleep(min(POLL, deadline - now))
