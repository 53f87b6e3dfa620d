"""A program in a pseudo-terminal: started with os.forkpty in an 80x24 window and a clean
environment, its output read raw and timestamped on arrival, then rendered by pyte."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyte

from .common import COLS, KEY_TIMEOUT, QUIET, ROWS, SETTLE, VENV_BIN


class AppTimeout(RuntimeError):
    pass


@dataclass
class Burst:
    """What the program wrote in answer to one action (a key, or starting up)."""

    sent: float  # when the key was written (or the fork)
    chunks: list[tuple[float, int]] = field(default_factory=list)  # (arrival, bytes)
    hit: int | None = None  # index of the chunk after which `until` held
    raw: bytearray = field(default_factory=bytearray)
    marks: dict[str, int] = field(default_factory=dict)  # each of `watch` -> its first chunk

    @property
    def nbytes(self) -> int:
        return sum(n for _, n in self.chunks)

    @property
    def first(self) -> float | None:
        return self.chunks[0][0] - self.sent if self.chunks else None

    @property
    def last(self) -> float | None:
        return self.chunks[-1][0] - self.sent if self.chunks else None

    @property
    def drawn(self) -> float | None:
        """When what was waited for (``until``) first showed on screen."""
        return self.chunks[self.hit][0] - self.sent if self.hit is not None else None


def bench_env(home: Path, pythonpath: str | None = None) -> dict[str, str]:
    """A clean environment: temp HOME and XDG folders, xterm-256color, UTF-8, no colour overrides."""
    env = {
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    for kind in ("CACHE", "DATA", "CONFIG"):
        env[f"XDG_{kind}_HOME"] = str(home / kind.lower())
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return env


class Terminal:
    """A program running in an 80x24 pty; its output is timestamped and rendered by pyte."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.total = 0
        self.eof = False
        self.status: int | None = None
        # What the programs before wrote (a cold start writes the library index) goes to the
        # disk now, so its writeback does not compete with this start.
        os.sync()
        self.started = time.monotonic()
        pid, fd = os.forkpty()
        if pid == 0:  # the child: size the terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    # -- reading --------------------------------------------------------------------

    def _read_ready(self, timeout: float) -> list[tuple[float, bytes]]:
        """Wait up to ``timeout`` for output, then take everything that is ready now.

        Chunks are timestamped as they are read; nothing slow (pyte) runs in between.
        """
        chunks: list[tuple[float, bytes]] = []
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        while ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the program closed the terminal
                data = b""
            if not data:
                self.eof = True
                break
            chunks.append((time.monotonic(), data))
            ready, _, _ = select.select([self.fd], [], [], 0)
        return chunks

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def collect(
        self,
        sent: float,
        until: Callable[[str], bool] | None = None,
        quiet: float = QUIET,
        timeout: float = KEY_TIMEOUT,
        watch: dict[str, Callable[[str], bool]] | None = None,
    ) -> Burst:
        """Output from ``sent`` on, until ``until`` holds on screen (if given) and then
        nothing more arrives for ``quiet`` seconds. Without ``until``, a key that draws
        nothing gives an empty burst after ``timeout``. Each of ``watch`` is checked after
        every chunk too, and the first chunk after which it held is kept in ``marks``."""
        burst = Burst(sent)
        watch = dict(watch or {})
        deadline = sent + timeout
        while True:
            now = time.monotonic()
            done = until is None or burst.hit is not None
            if done and burst.chunks and now - burst.chunks[-1][0] >= quiet:
                return burst
            if now >= deadline or self.eof:
                if done:
                    return burst
                raise AppTimeout(f"timed out after {timeout:.0f}s; the screen shows:\n{self.text()}")
            wait = deadline - now
            if done and burst.chunks:
                wait = min(wait, burst.chunks[-1][0] + quiet - now)
            for arrival, data in self._read_ready(wait):
                self.stream.feed(data)
                self.total += len(data)
                burst.chunks.append((arrival, len(data)))
                burst.raw += data
                if (burst.hit is None and until is not None) or watch:
                    screen = self.text()
                    if burst.hit is None and until is not None and until(screen):
                        burst.hit = len(burst.chunks) - 1
                    for name, shown in list(watch.items()):
                        if shown(screen):
                            burst.marks[name] = len(burst.chunks) - 1
                            del watch[name]

    def settle(self, quiet: float = SETTLE, timeout: float = 10.0) -> None:
        """Let the program finish drawing: wait for ``quiet`` seconds without output."""
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        while not self.eof and time.monotonic() < deadline:
            chunks = self._read_ready(min(quiet, deadline - time.monotonic()))
            for _, data in chunks:
                self.stream.feed(data)
                self.total += len(data)
            if chunks:
                last = chunks[-1][0]
            elif time.monotonic() - last >= quiet:
                return

    # -- acting ---------------------------------------------------------------------

    def press(
        self, key: bytes, until: Callable[[str], bool] | None = None, quiet: float = QUIET, timeout: float = KEY_TIMEOUT
    ) -> Burst:
        """Write one key and collect the program's answer to it."""
        sent = time.monotonic()
        os.write(self.fd, key)
        return self.collect(sent, until=until, quiet=quiet, timeout=timeout)

    def vmhwm_kb(self) -> int | None:
        """Peak resident memory of the program (VmHWM), in kB."""
        try:
            with open(f"/proc/{self.pid}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def quit(self, keys: bytes, timeout: float = 5.0) -> bool:
        """Ask the program to quit with ``keys``; end it by signal if it does not. True if it quit."""
        os.write(self.fd, keys)
        if self._wait(timeout):
            return True
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            if self._wait(timeout):
                break
        return False

    def _wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return True
            self._read_ready(0.05)  # keep draining, or a full pty would block the program
        return False

    def close(self) -> None:
        if self.status is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.kill(self.pid, sig)
                except ProcessLookupError:
                    break
                if self._wait(3.0):
                    break
        try:
            os.close(self.fd)
        except OSError:
            pass
