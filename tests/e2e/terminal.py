"""A real pseudo-terminal for end-to-end tests: spawn a command, read its screen, press keys.

The command runs under :mod:`pexpect` in a pty of a fixed size; everything it writes is kept
as raw bytes (``Terminal.raw``) and fed into a :mod:`pyte` screen of the same size, so tests
assert on what a person would see::

    with Terminal([briefing, "met-palantir-contract"], env=env) as term:
        term.wait_for("Key facts")
        term.press("2")
        term.wait_for("▸2 Stakeholders")
        term.press("q", "q")
        assert term.wait_exit() == 0

Nothing here knows about briefing: hostile-input tests reuse it with any command and bytes.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pexpect
import pyte

# What a terminal sends for a named key (xterm, normal cursor mode).
KEYS: dict[str, str] = {
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "f1": "\x1bOP",
    "ctrl+c": "\x03",
    "ctrl+p": "\x10",
    "ctrl+s": "\x13",
    "space": " ",
}

# Terminals tell a lone ESC from the start of an escape sequence by a pause after it.
ESCAPE_PAUSE = 0.3

TERMINAL_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SYSTEMROOT")


def terminal_env(home: Path, term: str = "xterm-256color", **extra: str) -> dict[str, str]:
    """A small, private environment: HOME and the XDG folders in ``home``, and ``TERM``.

    Only a few harmless variables are kept from the test process, so nothing from the
    developer's own terminal (``COLORTERM``, ``TEXTUAL_*``, ``BRIEFING_LIBRARY`` …) leaks in.
    """
    env = {k: os.environ[k] for k in TERMINAL_ENV_KEEP if k in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["HOME"] = str(home)
    env["TERM"] = term
    env.update(extra)
    return env


class TerminalTimeout(AssertionError):
    """What was awaited never showed; the message carries the screen as it was."""


class Terminal:
    """One command in a pseudo-terminal of ``columns`` × ``rows``, rendered by pyte."""

    def __init__(
        self,
        argv: Sequence[str | os.PathLike[str]],
        env: Mapping[str, str],
        *,
        columns: int = 80,
        rows: int = 24,
        cwd: str | os.PathLike[str] | None = None,
    ) -> None:
        self.argv = [os.fspath(a) for a in argv]
        self.columns, self.rows = columns, rows
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.eof = False
        self.child = pexpect.spawn(
            self.argv[0],
            self.argv[1:],
            env=dict(env),
            cwd=os.fspath(cwd) if cwd else None,
            dimensions=(rows, columns),
            echo=False,
        )

    # -- reading ---------------------------------------------------------------

    def pump(self, timeout: float = 0.05) -> bool:
        """Read what the program wrote within ``timeout`` into the screen; False if nothing."""
        if self.eof:
            return False
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            self.eof = True
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Read until the program has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pump(quiet):
            pass

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def screen_text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def dump(self) -> str:
        """The screen in a frame, for failure messages."""
        edge = "+" + "-" * self.columns + "+"
        body = "\n".join(f"|{line}|" for line in self.screen.display)
        return f"{edge}\n{body}\n{edge}"

    def wait_until(self, predicate: Callable[[str], bool], timeout: float = 10.0, what: str = "") -> str:
        """Pump output until ``predicate(screen_text)`` holds; returns that screen text."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen_text()
            if predicate(text):
                return text
            if self.eof or time.monotonic() >= deadline:
                why = "the program exited" if self.eof else f"nothing for {timeout:g}s"
                raise TerminalTimeout(f"waited for {what or repr(predicate)}, {why}; the screen:\n{self.dump()}")
            self.pump(min(0.05, max(0.0, deadline - time.monotonic())))

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 10.0) -> str:
        """Wait until ``text`` (a string, or a compiled pattern) is on the screen."""
        if isinstance(text, re.Pattern):
            return self.wait_until(lambda s: text.search(s) is not None, timeout, f"/{text.pattern}/")
        return self.wait_until(lambda s: text in s, timeout, repr(text))

    def wait_gone(self, text: str, timeout: float = 10.0) -> str:
        return self.wait_until(lambda s: text not in s, timeout, f"{text!r} to go")

    def line_with(self, text: str) -> str | None:
        """The first screen line containing ``text``."""
        return next((line for line in self.screen.display if text in line), None)

    # -- the window ----------------------------------------------------------------

    def resize(self, columns: int, rows: int) -> None:
        """Resize the terminal, as a user dragging the window does: the pty gets the new
        size (the program gets SIGWINCH) and the screen is resized to match.

        What the program wrote before is read first, at the old size, so that only the
        output written after the change is drawn on the resized screen. The screen keeps
        its cells where they fit (as most terminals do): whatever the program does not
        draw again after the resize stays visible, so tests can see leftovers."""
        while self.pump(0.0):
            pass
        self.screen.resize(rows, columns)
        self.columns, self.rows = columns, rows
        self.child.setwinsize(rows, columns)

    # -- writing ---------------------------------------------------------------

    def send(self, keys: str | bytes) -> None:
        """Write raw characters or bytes to the program, as typed."""
        self.child.send(keys)

    def press(self, *names: str, pause: float = 0.05) -> None:
        """Press keys by name (see :data:`KEYS`) or as literal characters, one after another."""
        for name in names:
            keys = KEYS.get(name, name)
            self.send(keys)
            self.pump(ESCAPE_PAUSE if keys == "\x1b" else pause)

    # -- ending ----------------------------------------------------------------

    def wait_exit(self, timeout: float = 15.0) -> int | None:
        """Read everything until the program exits; its exit status (None if killed by a signal)."""
        deadline = time.monotonic() + timeout
        while not self.eof:
            if time.monotonic() >= deadline:
                raise TerminalTimeout(f"the program did not exit within {timeout:g}s; the screen:\n{self.dump()}")
            self.pump(0.1)
        self.child.close()
        return self.child.exitstatus

    @property
    def signalstatus(self) -> int | None:
        return self.child.signalstatus

    @property
    def pid(self) -> int:
        """The process id of the program (the leader of the terminal's session)."""
        return self.child.pid

    def send_signal(self, number: int = signal.SIGTERM) -> None:
        """Send a signal to the program, as ``kill`` from another shell would."""
        os.kill(self.child.pid, number)

    def hang_up(self, timeout: float = 15.0) -> int | None:
        """Close the terminal under the program, as a dropped SSH connection does: the
        kernel hangs up the pty and sends SIGHUP to the session. Nothing more is read (the
        screen stays as it was) and no signal is sent from here. Waits for the program to
        end; returns its exit status (None if a signal ended it: see ``signalstatus``)."""
        self.child.ptyproc.fileobj.close()  # the master side: the pty is hung up
        self.eof = True
        deadline = time.monotonic() + timeout
        while self.child.isalive():
            if time.monotonic() >= deadline:
                raise TerminalTimeout(
                    f"the program did not end within {timeout:g}s of the hang-up; the screen before it:\n{self.dump()}"
                )
            time.sleep(0.05)
        return self.child.exitstatus

    def close(self) -> None:
        """Stop the program if it still runs (it is ours: pexpect started it)."""
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close(force=True)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
