"""Durable, private files: atomic replacement with fsync, folders only the user can read.

Used by the notes store (notes.py); nothing here knows what is being written.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from briefing import paths

_NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def private_folder(folder: Path, enforce: bool) -> None:
    """Create ``folder`` (and missing parents) 0700 whatever the umask; with ``enforce``,
    also take group and others' access off an existing folder of ours (the default data
    folder is ours alone). The owner's own bits are left as they are: a folder the reader
    made read-only stays read-only."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)
    if enforce and not missing:
        info = os.stat(folder)
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(folder, stat.S_IMODE(info.st_mode) & 0o700)


def write_atomic(target: Path, payload: bytes) -> None:
    """Write ``payload`` to ``target`` atomically and durably, 0600."""
    tmp = paths.temp_file(target, os.getpid(), os.urandom(4).hex())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_FOLLOW, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
