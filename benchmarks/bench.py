#!/usr/bin/env python3
"""Benchmark briefing in a real pseudo-terminal against a bare Textual app (DESIGN.md §7).

    .venv/bin/python benchmarks/bench.py [--sizes 1000 10000] [--runs 3]

Generates synthetic libraries into a temporary folder, runs ``briefing --library DIR`` and
a bare Textual app (one ``Static``) in an 80x24 pty with TERM=xterm-256color, reads the raw
bytes they write with timestamps, renders them with pyte to see what is on screen, and
prints a table (plain text, then Markdown) of medians over the runs. With a store of 10,000
notes (written by notes_store.py), it also times saving a note (the store's API, and ctrl+s in
the app) and opening the notebook. See benchmarks/README.md.

Standard library and pyte only. Every XDG folder and HOME point into the temporary folder.
"""

from __future__ import annotations

import argparse
import datetime
import fcntl
import functools
import importlib.util
import io
import json
import os
import re
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyte

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
COLS, ROWS = 80, 24
QUIET = 0.10            # output has "gone quiet" after this long without a byte
SETTLE = 0.30           # quiet period before a measured key, after start-up and screen changes
KEY_TIMEOUT = 3.0       # longest wait for the answer to one key
FRAME_GAP = 0.008       # chunks closer than this belong to one frame (Textual draws ≤ 60 frames/s)
MOVE_BYTES = 800        # DESIGN §7: bytes per item-move key
ROW_MARK = "Synthetic brief"
BARE_MARK = "Bare Textual app ready"
PANE_MARK = "Key facts"
NOTES_HELPER = Path(__file__).resolve().parent / "notes_store.py"
NOTE_GLYPH = "✎"          # the note marker (UTF-8 locale)
SAVED_MARK = "Note saved."
DIALOG_MARK = "ctrl+s save"
NOTE_TEXT = "Seen; matches p. 14."   # typed into the note dialog, a key at a time
NOTES_TIMEOUT = 30.0      # longest wait for the notebook or a saved note to show

# ---------------------------------------------------------------------------------------
# Synthetic libraries
# ---------------------------------------------------------------------------------------

SOURCE_FILE = "synthetic-source.txt"
SOURCE_PARAGRAPHS = 40
STATUSES = ("draft", "review", "published", "archived")
TAGS = ("synthetic", "benchmark", "policing", "procurement", "privacy", "health", "housing", "ai")
KINDS = ("government", "police", "vendor", "public", "civil society")
STANCES = ("supports", "opposes", "neutral", "unknown")
CATEGORIES = ("ethics", "privacy", "value for money", "bias", "surveillance")
ITEMS_PER_PANE = 5


def source_text() -> str:
    """A synthetic source: paragraphs of three sentences, separated by blank lines."""
    paragraphs = []
    for p in range(1, SOURCE_PARAGRAPHS + 1):
        paragraphs.append(
            f"Synthetic source paragraph {p}, written only to benchmark the reader. "
            f"It stands in for a passage of a real report and says nothing true about anyone. "
            f"Its third sentence makes the paragraph long enough to wrap across a few lines "
            f"of an eighty-column terminal, as a real cited passage would."
        )
    return "\n\n".join(paragraphs) + "\n"


def _cite(i: int, k: int) -> str:
    """A citation for item ``k`` of brief ``i``; every third one cites a sentence."""
    paragraph = (i * 7 + k * 3) % SOURCE_PARAGRAPHS + 1
    return f"[S1 ¶{paragraph}.{k % 3 + 1}]" if k % 3 == 0 else f"[S1 ¶{paragraph}]"


def brief_text(i: int) -> str:
    """Synthetic brief number ``i``: valid per briefs/FORMAT.md, five items in each pane."""
    n = f"{i:05d}"
    date = f"{2020 + i % 6}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
    tags = ", ".join(TAGS[(i + j) % len(TAGS)] for j in range(3))
    lines = [
        "---",
        f"id: synthetic-{n}",
        f"title: Synthetic brief {n}",
        f"date: {date}",
        f"status: {STATUSES[i % len(STATUSES)]}",
        f"tags: [{tags}]",
        "summary: >",
        f"  Synthetic brief {n}, generated to benchmark the reader. It describes no real",
        "  event, person or organisation.",
        "sources:",
        "  - id: S1",
        "    title: Synthetic source document (generated for benchmarks)",
        f"    file: {SOURCE_FILE}",
        "    kind: synthetic",
        "    verified: false",
        "---",
        "",
        f"# Synthetic brief {n}",
        "",
        "## Key facts",
        "",
    ]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines += [f"- Synthetic fact {k} of brief {n}, a generated statement. {_cite(i, k)}",
                  f"  figure: £{k * 10}m"]
    lines += ["", "## Stakeholders", ""]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines += [f"- Synthetic stakeholder {k} of brief {n}",
                  f"  kind: {KINDS[(i + k) % len(KINDS)]}",
                  f"  stance: {STANCES[(i + k) % len(STANCES)]}",
                  f"  Did or said something generated for the benchmark. {_cite(i, k + 5)}"]
    lines += ["", "## Concerns", ""]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines += [f"- Synthetic concern {k} of brief {n}",
                  f"  category: {CATEGORIES[(i + k) % len(CATEGORIES)]}",
                  f"  raised by: synthetic stakeholder {k}",
                  f"  A line of generated detail about the concern. {_cite(i, k + 10)}"]
    lines += ["", "## Timeline", ""]
    for k in range(1, ITEMS_PER_PANE):
        lines += [f"- {2015 + k}-{k + 2:02d}",
                  f"  Synthetic event {k} of brief {n} took place. {_cite(i, k + 15)}"]
    lines += ["- undated", f"  Synthetic event {ITEMS_PER_PANE} of brief {n}, with no date. {_cite(i, 20)}"]
    return "\n".join(lines) + "\n"


def generate_library(folder: Path, size: int) -> Path:
    """Write ``size`` synthetic briefs and their one source into ``folder``."""
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / SOURCE_FILE).write_text(source_text(), encoding="utf-8")
    for i in range(1, size + 1):
        (folder / f"synthetic-{i:05d}.md").write_text(brief_text(i), encoding="utf-8")
    return folder


BARE_APP = f'''\
"""The bare Textual app of the benchmark: one Static, nothing else."""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARK}")


if __name__ == "__main__":
    Bare().run()
'''


def write_bare_app(folder: Path) -> Path:
    path = folder / "bare_app.py"
    path.write_text(BARE_APP, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------
# A program in a pseudo-terminal
# ---------------------------------------------------------------------------------------


class AppTimeout(RuntimeError):
    pass


@dataclass
class Burst:
    """What the program wrote in answer to one action (a key, or starting up)."""

    sent: float                                   # when the key was written (or the fork)
    chunks: list[tuple[float, int]] = field(default_factory=list)  # (arrival, bytes)
    hit: int | None = None                        # index of the chunk after which `until` held
    raw: bytearray = field(default_factory=bytearray)

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

    def collect(self, sent: float, until: Callable[[str], bool] | None = None,
                quiet: float = QUIET, timeout: float = KEY_TIMEOUT) -> Burst:
        """Output from ``sent`` on, until ``until`` holds on screen (if given) and then
        nothing more arrives for ``quiet`` seconds. Without ``until``, a key that draws
        nothing gives an empty burst after ``timeout``."""
        burst = Burst(sent)
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
                if burst.hit is None and until is not None and until(self.text()):
                    burst.hit = len(burst.chunks) - 1

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

    def press(self, key: bytes, until: Callable[[str], bool] | None = None,
              quiet: float = QUIET, timeout: float = KEY_TIMEOUT) -> Burst:
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


# ---------------------------------------------------------------------------------------
# Sessions: one run of a program, measured
# ---------------------------------------------------------------------------------------


def contains(mark: str) -> Callable[[str], bool]:
    return lambda screen: mark in screen


def start(term: Terminal, mark: str, timeout: float) -> dict:
    """Wait for the first frame that shows ``mark``: the time from the fork to the chunk that
    put ``mark`` on screen, and every byte written from the fork until the screen settled
    (no output for QUIET seconds after ``mark`` appeared)."""
    burst = term.collect(term.started, until=contains(mark), timeout=timeout)
    assert burst.hit is not None
    term.settle()
    return {
        "first_output_s": burst.first,
        "first_frame_s": burst.chunks[burst.hit][0] - term.started,
        "first_frame_bytes": burst.nbytes,
    }


def panes_drawn(screen: str) -> bool:
    """The brief is on screen: its tab strip, a fact of the first pane and the cited passage."""
    return PANE_MARK in screen and "Synthetic fact" in screen and "Synthetic source paragraph" in screen


def key_samples(term: Terminal, keys: list[bytes], until: Callable[[str], bool] | None = None,
                quiet: float = QUIET) -> list[dict]:
    """Press each key, one at a time, and record its answer (until ``quiet`` s without output)."""
    samples = []
    for key in keys:
        burst = term.press(key, until=until, quiet=quiet)
        samples.append({
            "key": key.decode(), "bytes": burst.nbytes, "first_s": burst.first, "last_s": burst.last,
            "drawn_s": burst.drawn,
            "raw": bytes(burst.raw),
            "chunks_ms": [(round((t - burst.sent) * 1000, 2), n) for t, n in burst.chunks],
        })
    return samples


def session(term: Terminal, mark: str, timeout: float,
            act: Callable[[Terminal, dict], None] | None = None) -> dict:
    """Start-up until ``mark`` shows, then ``act``, then peak memory just before quitting."""
    try:
        result = start(term, mark, timeout)
        if act is not None:
            act(term, result)
        term.settle()
        result["vmhwm_kb"] = term.vmhwm_kb()
        result["clean_exit"] = term.quit(b"q")
        return result
    finally:
        term.close()


def bare_session(script: Path, home: Path, timeout: float) -> dict:
    term = Terminal([str(VENV_BIN / "python"), str(script)], bench_env(home))
    return session(term, BARE_MARK, timeout)


@dataclass(frozen=True)
class Briefing:
    """How to start briefing: the venv's command (the working tree), or a commit exported by --rev."""

    argv: tuple[str, ...]
    version: str
    pythonpath: str | None = None

    def term(self, library: Path, home: Path) -> Terminal:
        return Terminal([*self.argv, "--library", str(library)], bench_env(home, self.pythonpath))


# What the console script does, for a source tree put first on PYTHONPATH.
LAUNCH = "import sys; from briefing.cli.main import main; sys.exit(main())"


def installed_briefing() -> Briefing:
    return Briefing((str(VENV_BIN / "briefing"),), git("describe", "--always", "--dirty"))


def exported_briefing(rev: str, folder: Path) -> Briefing:
    """``src/`` of commit ``rev``, exported with git archive, run with the venv's Python."""
    sha = git("rev-parse", "--short", f"{rev}^{{commit}}")
    if sha == "unknown":
        raise RuntimeError(f"no such commit: {rev}")
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", sha, "src"],
                             capture_output=True, check=True, timeout=60).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    # Compile now, as an installed tree would be, so the first start does not pay for it.
    subprocess.run([str(VENV_BIN / "python"), "-m", "compileall", "-q", str(folder / "src")],
                   check=True, timeout=120)
    return Briefing((str(VENV_BIN / "python"), "-c", LAUNCH), sha, str(folder / "src"))


def git(*args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def check_library_shown(term: Terminal, size: int) -> None:
    """The header must count every synthetic brief, and none may have an error."""
    screen = term.text()
    counts = {int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) briefs\b", screen)}
    if size not in counts or "with errors" in screen:
        raise RuntimeError(f"the library does not show {size} valid briefs:\n{screen}")


def cold_session(app: Briefing, library: Path, size: int, home: Path, timeout: float) -> dict:
    """Start with an empty cache folder: the index must be built before the list shows."""
    folder = Path(bench_env(home)["XDG_CACHE_HOME"]) / "briefing"
    if list(folder.glob("library-index*.json")):
        raise RuntimeError(f"a library index exists in {folder} before a cold start")
    result = session(app.term(library, home), ROW_MARK, timeout,
                     lambda term, _: check_library_shown(term, size))
    if not list(folder.glob("library-index*.json")):
        raise RuntimeError(f"no library index was written in {folder}; a warm start would not be warm")
    return result


def warm_session(app: Briefing, library: Path, size: int, home: Path, timeout: float,
                 args: argparse.Namespace) -> dict:
    """Start with the index in place, then move, open briefs, move in a pane, and filter."""

    def act(term: Terminal, result: dict) -> None:
        check_library_shown(term, size)
        result["library_moves"] = key_samples(term, [b"j"] * args.keys)
        result["opens"], result["pane_moves"] = [], []
        for n in range(args.opens):
            term.settle()
            # An open draws in frames that can be more than QUIET apart: wait for SETTLE.
            result["opens"] += key_samples(term, [b"\r"], until=panes_drawn, quiet=SETTLE)
            if n == 0:  # five items a pane: go down four and up four, so every key moves
                term.settle()
                cycle = [b"j"] * (ITEMS_PER_PANE - 1) + [b"k"] * (ITEMS_PER_PANE - 1)
                result["pane_moves"] = key_samples(term, (cycle * args.keys)[: args.keys])
            term.press(b"q", until=contains(ROW_MARK))  # back to the library
            term.press(b"j")                           # another brief for the next open
        term.settle()
        term.press(b"/")
        term.settle()
        result["filter_keys"] = key_samples(term, [c.encode() for c in args.filter_text])
        term.settle()
        term.press(b"\x1b", quiet=0.3)  # close the filter (escape waits out the escape delay)

    return session(app.term(library, home), ROW_MARK, timeout, act)


# ---------------------------------------------------------------------------------------
# Notes: saving a note and opening the notebook with 10,000 notes stored
# ---------------------------------------------------------------------------------------


def src_folder(app: Briefing) -> Path:
    """The ``briefing`` package being measured: the working tree's, or the exported commit's."""
    return Path(app.pythonpath) / "briefing" if app.pythonpath else ROOT / "src" / "briefing"


def notes_support(app: Briefing) -> dict[str, str | None]:
    """Why each part of the notes benchmark cannot run at this revision (None: it can)."""
    package = src_folder(app)

    def has(relative: str, *needles: str) -> bool:
        try:
            text = (package / relative).read_text(encoding="utf-8")
        except OSError:
            return False
        return all(n in text for n in needles)

    store = None if has("store.py", "def add_note", "def put") else "n/a at this revision (no notes store)"
    return {
        "api": store,
        "notebook": store or (None if has("screens/notebook.py", "class NotebookScreen")
                              else "n/a at this revision (no notebook)"),
        "save": store or (None if has("screens/dialogs.py", "class NoteDialog")
                          and has("screens/brief.py", '"note"') else "n/a at this revision (no note dialog)"),
    }


def notes_helper(app: Briefing, home: Path, *args: str) -> dict:
    """Run notes_store.py with the measured ``briefing`` and a clean environment; its JSON."""
    out = subprocess.run([str(VENV_BIN / "python"), str(NOTES_HELPER), *args],
                         env=bench_env(home, app.pythonpath), capture_output=True, text=True, timeout=900,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"notes_store.py {args[0]} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def copy_store(template: Path, target: Path) -> Path:
    """A private copy of the prefilled store, so every session starts from the same 10,000 notes."""
    for folder in reversed([target.parent, *target.parent.parents]):
        if not folder.exists():
            os.mkdir(folder, 0o700)
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)
    return target


def prepare_notes(app: Briefing, library: Path, size: int, work: Path, args: argparse.Namespace) -> dict:
    """The store every notes session copies: ``args.notes`` notes spread over the library's
    briefs, written by the measured store with one put(). Parts the revision lacks are n/a."""
    setup: dict = {"na": notes_support(app), "store": None, "template": None,
                   "api": [], "notebook": [], "save": []}
    if setup["na"]["api"]:
        return setup
    template = work / f"notes-{size}" / "notes.json"
    info = notes_helper(app, work / "home-notes-prefill", "prefill", "--library", str(library),
                        "--store", str(template), "--notes", str(args.notes),
                        "--briefs", str(min(args.note_briefs, size)))
    if "na" in info:
        setup["na"] = {part: f"n/a at this revision ({info['na']})" for part in setup["na"]}
        return setup
    setup["store"], setup["template"] = info, str(template)
    log(f"{size} briefs: {info['notes']:,} notes over {info['briefs']:,} briefs, "
        f"{info['bytes'] / 1e6:.1f} MB, written with one put() in {info['put_s']:.1f}s")
    return setup


def cpu_ticks(pid: int) -> int | None:
    """User and system CPU time of a process so far, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def wait_idle(term: Terminal, window: float = 0.3, ticks: int = 2, timeout: float = 60.0) -> None:
    """Let background work end (the library scan, the notebook's re-anchoring in a thread):
    wait until the program uses at most ``ticks`` clock ticks of CPU in ``window`` seconds,
    reading (and showing) its output meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not term.eof:
        before = cpu_ticks(term.pid)
        until = time.monotonic() + window
        while (left := until - time.monotonic()) > 0:
            for _, data in term._read_ready(left):
                term.stream.feed(data)
                term.total += len(data)
        after = cpu_ticks(term.pid)
        if before is None or after is None or after - before <= ticks:
            return
    term.settle()


def press_marks(term: Terminal, key: bytes, marks: dict[str, Callable[[str], bool]],
                quiet: float = SETTLE, timeout: float = NOTES_TIMEOUT) -> dict:
    """Press ``key``; wait until every one of ``marks`` has shown, then for ``quiet`` s of
    quiet. The sample has the time to each mark's first showing (``<name>_s``)."""
    hits: dict[str, int] = {}
    calls = [0]

    def until(screen: str) -> bool:  # called once per chunk until it returns True
        for name, shown in marks.items():
            if name not in hits and shown(screen):
                hits[name] = calls[0]
        calls[0] += 1
        return len(hits) == len(marks)

    burst = term.press(key, until=until, quiet=quiet, timeout=timeout)
    sample = {
        "key": key.decode(), "bytes": burst.nbytes, "first_s": burst.first, "last_s": burst.last,
        "drawn_s": burst.drawn, "raw": bytes(burst.raw),
        "chunks_ms": [(round((t - burst.sent) * 1000, 2), n) for t, n in burst.chunks],
    }
    for name, index in hits.items():
        sample[f"{name}_s"] = burst.chunks[index][0] - burst.sent
    return sample


def notebook_drawn(notes: int) -> Callable[[str], bool]:
    """The notebook is on screen: its header counts every note, and note rows show."""
    header = f"Notebook  {notes:,} note"
    row = re.compile(rf"{NOTE_GLYPH} (Key facts|Stakeholders|Concerns|Timeline|Brief) ")
    return lambda screen: header in screen and row.search(screen) is not None


def note_marker(k: int) -> Callable[[str], bool]:
    """Fact ``k`` of the open brief shows the note marker in its row."""
    label = f"Synthetic fact {k} of brief"
    return lambda screen: any(label in line and NOTE_GLYPH in line for line in screen.split("\n"))


def notes_term(app: Briefing, library: Path, home: Path, cache: Path, template: str) -> Terminal:
    """briefing with the prefilled store in its default place ($XDG_DATA_HOME/briefing/notes.json)
    and the library index already built (the cache folder of a finished start)."""
    env = bench_env(home, app.pythonpath)
    copy_store(Path(template), Path(env["XDG_DATA_HOME"]) / "briefing" / "notes.json")
    env["XDG_CACHE_HOME"] = str(cache)
    return Terminal([*app.argv, "--library", str(library)], env)


def notebook_session(app: Briefing, library: Path, size: int, home: Path, cache: Path,
                     args: argparse.Namespace, template: str) -> dict:
    """From the library, n opens the notebook (``args.notebook_opens`` times, q back between)."""

    def act(term: Terminal, result: dict) -> None:
        check_library_shown(term, size)
        result["opens"] = []
        for _ in range(args.notebook_opens):
            wait_idle(term)  # the library's scan, or the last notebook's re-anchoring, is over
            term.settle()
            result["opens"].append(press_marks(term, b"n", {"drawn": notebook_drawn(args.notes)}))
            wait_idle(term)
            term.press(b"q", until=contains(ROW_MARK), timeout=NOTES_TIMEOUT)

    return session(notes_term(app, library, home, cache, template), ROW_MARK, args.timeout, act)


def save_session(app: Briefing, library: Path, size: int, home: Path, cache: Path,
                 args: argparse.Namespace, template: str) -> dict:
    """Open the first brief; on each of its first facts (which have no note yet): a, type a
    short note, ctrl+s, and time the marker and "Note saved." showing."""

    def act(term: Terminal, result: dict) -> None:
        check_library_shown(term, size)
        wait_idle(term)
        term.settle()
        term.press(b"\r", until=panes_drawn, quiet=SETTLE, timeout=NOTES_TIMEOUT)
        wait_idle(term)
        result["saves"] = []
        for k in range(1, args.note_saves + 1):
            if k > 1:
                term.press(b"j")
            term.settle()
            if note_marker(k)(term.text()):
                raise RuntimeError(f"fact {k} has a note before the benchmark wrote one:\n{term.text()}")
            term.press(b"a", until=contains(DIALOG_MARK), quiet=SETTLE, timeout=NOTES_TIMEOUT)
            for char in NOTE_TEXT:
                term.press(char.encode())
            term.settle()
            deadline = time.monotonic() + 10  # the last "Note saved." must be gone first
            while SAVED_MARK in term.text() and time.monotonic() < deadline:
                term.settle(quiet=0.1, timeout=0.5)
            wait_idle(term, ticks=5)  # (the note dialog's cursor blinks)
            result["saves"].append(press_marks(term, b"\x13", {"marker": note_marker(k),
                                                              "saved": contains(SAVED_MARK)}))
        term.settle()
        term.press(b"q", until=contains(ROW_MARK), timeout=NOTES_TIMEOUT)  # back to the library

    return session(notes_term(app, library, home, cache, template), ROW_MARK, args.timeout, act)


def notes_run(app: Briefing, library: Path, size: int, work: Path, cache: Path, run: int,
              args: argparse.Namespace, setup: dict) -> None:
    """One run of the notes benchmark for one library size; samples go into ``setup``."""
    na, template = setup["na"], setup["template"]
    if not na["api"]:
        api_store = copy_store(Path(template), work / f"notes-api-{size}-{run}" / "notes.json")
        api = notes_helper(app, work / "home-notes-prefill", "saves", "--store", str(api_store),
                           "--saves", str(args.saves))
        setup["api"].append(api)
        log(f"run {run}: {size} briefs, add_note with {api['notes_before']:,} notes: median "
            f"{statistics.median(api['save_s']) * 1000:.1f} ms over {len(api['save_s'])} saves")
    if not na["notebook"]:
        result = notebook_session(app, library, size, work / f"home-notebook-{size}-{run}", cache, args, template)
        setup["notebook"].append(result)
        log(f"run {run}: {size} briefs, notebook opened in "
            + ", ".join(f"{o['drawn_s'] * 1000:.0f}" for o in result["opens"]) + " ms")
    if not na["save"]:
        result = save_session(app, library, size, work / f"home-save-{size}-{run}", cache, args, template)
        setup["save"].append(result)
        log(f"run {run}: {size} briefs, ctrl+s to "
            + ", ".join(f"{s['marker_s'] * 1000:.0f}" for s in result["saves"]) + " ms (marker), "
            + ", ".join(f"{s['saved_s'] * 1000:.0f}" for s in result["saves"]) + ' ms ("Note saved.")')


# ---------------------------------------------------------------------------------------
# Over SSH: the same starts through a real sshd on loopback
# ---------------------------------------------------------------------------------------

E2E = ROOT / "tests" / "e2e"
SSH_READY = "ssh-connected"      # printed by the command that times the connection alone
SSH_MOVES = 10                   # library moves timed in each session of the SSH rows


@functools.cache
def load_sshd_module():
    """tests/e2e/sshd.py: the end-to-end tests' own sshd, config and client options."""
    spec = importlib.util.spec_from_file_location("briefing_bench_sshd", E2E / "sshd.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@dataclass
class SshSite:
    """``sshd`` on 127.0.0.1 that lets the user running the benchmark log in with a key made
    for this run. The remote command is given the same clean environment as a local run
    (``env -i``), so the one difference between the two is SSH itself."""

    module: object
    sshd: object
    account: object

    @classmethod
    def start(cls, work: Path) -> SshSite:
        module = load_sshd_module()
        base = work / "ssh"
        base.mkdir(mode=0o700)
        sshd = module.Sshd(base, users=["root"], root_login=True)
        key = base / "client-key"
        module.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "briefing benchmark", "-f", key])
        sshd.authorize("root", key.with_name(key.name + ".pub").read_text())
        sshd.start()
        account = module.Account("root", Path("/root"), 0, 0, key)
        return cls(module, sshd, account)

    def argv(self, program: list[str], env: dict[str, str]) -> list[str]:
        """``ssh -tt`` running ``program`` with exactly ``env`` on the other side."""
        remote = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *program])
        return self.module.ssh_argv(self.account, self.sshd.port, remote)

    def stop(self) -> None:
        self.sshd.stop()


def wire_bytes(port: int) -> int | None:
    """Bytes sshd has sent on its one open connection so far (the handshake included), as
    the kernel counts them (``ss``, from iproute2); None without ``ss`` or a connection."""
    try:
        out = subprocess.run(["ss", "-tinH", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = [int(n) for n in re.findall(r"\bbytes_sent:(\d+)", out)]
    return found[0] if len(found) == 1 else None


def ssh_connect_session(site: SshSite, home: Path, timeout: float) -> dict:
    """The connection alone: ``ssh -tt`` running ``echo``, to its output on screen; the
    command then waits for a key, so the bytes on the wire can be read while it is open."""
    script = f"echo {SSH_READY}; head -c 1 >/dev/null"
    term = Terminal(site.argv(["sh", "-c", script], bench_env(home)), bench_env(home))
    try:
        burst = term.collect(term.started, until=contains(SSH_READY), timeout=timeout)
        assert burst.hit is not None
        term.settle()
        return {"first_frame_s": burst.chunks[burst.hit][0] - term.started, "first_frame_bytes": burst.nbytes,
                "wire_bytes": wire_bytes(site.sshd.port),
                "clean_exit": term.quit(b"\r", timeout=10.0)}  # the remote pty hands head a line
    finally:
        term.close()


def first_frame_session(argv: list[str], env: dict[str, str], mark: str, size: int | None,
                        timeout: float, port: int | None = None) -> dict:
    """Start, wait for ``mark`` (over SSH: read the bytes on the wire once the first screen
    has settled), then (briefing) a few library moves; quit with q."""

    def act(term: Terminal, result: dict) -> None:
        if port is not None:
            result["wire_bytes"] = wire_bytes(port)
        if size is not None:
            check_library_shown(term, size)
            term.settle()
            result["library_moves"] = key_samples(term, [b"j"] * SSH_MOVES)

    result = session(Terminal(argv, env), mark, timeout, act)
    result.pop("vmhwm_kb")  # over SSH it would be the ssh client's: not kept on either side
    return result


def ssh_pair(site: SshSite, program: list[str], env: dict[str, str], client_home: Path, mark: str,
             size: int | None, timeout: float, ssh_first: bool) -> tuple[dict, dict]:
    """The same program started without SSH and over SSH, one after the other."""
    def local() -> dict:
        return first_frame_session(program, env, mark, size, timeout)

    def remote() -> dict:
        return first_frame_session(site.argv(program, env), bench_env(client_home), mark, size, timeout,
                                   port=site.sshd.port)

    if ssh_first:
        over = remote()
        return local(), over
    here = local()
    return here, remote()


def ssh_run(site: SshSite, app: Briefing, libraries: dict[int, Path], caches: dict[int, Path], bare: Path,
            work: Path, run: int, args: argparse.Namespace, results: dict) -> None:
    """One run of the SSH rows: the connection alone, then the bare app and briefing (warm)
    at every size, each without SSH and over SSH (which goes first alternates by run)."""
    ssh_first = run % 2 == 0
    client = work / f"home-ssh-client-{run}"
    connect = ssh_connect_session(site, client, args.timeout)
    results["connect"].append(connect)
    local, over = ssh_pair(site, [str(VENV_BIN / "python"), str(bare)], bench_env(work / f"home-ssh-bare-{run}"),
                           client, BARE_MARK, None, args.timeout, ssh_first)
    results["bare"]["local"].append(local)
    results["bare"]["ssh"].append(over)
    parts = [f"connection {connect['first_frame_s']:.3f}s",
             f"bare {local['first_frame_s']:.3f}s / {over['first_frame_s']:.3f}s"]
    for size in args.sizes:
        # A returning user: one home for the size, its store made by an unmeasured first start.
        env = bench_env(work / f"home-ssh-{size}", app.pythonpath)
        env["XDG_CACHE_HOME"] = str(caches[size])  # the library index is built: a warm start
        program = [*app.argv, "--library", str(libraries[size])]
        if run == 1:
            first_frame_session(program, env, ROW_MARK, size, args.timeout)
        local, over = ssh_pair(site, program, env, client, ROW_MARK, size, args.timeout, ssh_first)
        results[size]["local"].append(local)
        results[size]["ssh"].append(over)
        parts.append(f"{size} briefs {local['first_frame_s']:.3f}s / {over['first_frame_s']:.3f}s")
    log(f"run {run}: without SSH / over SSH: " + ", ".join(parts))


# ---------------------------------------------------------------------------------------
# Running everything
# ---------------------------------------------------------------------------------------


def run_all(args: argparse.Namespace, app: Briefing, work: Path) -> dict:
    core, notes = args.only in ("all", "core"), args.only in ("all", "notes")
    site, why = None, f"not asked for (--only {args.only})"
    if args.only in ("all", "ssh"):
        why = load_sshd_module().openssh_missing("the SSH rows of the benchmark")
        if why is None:
            site = SshSite.start(work)
            log(f"sshd on 127.0.0.1 port {site.sshd.port}")
        else:
            log(f"the SSH rows are not measured: {why}")
    try:
        results = _run_all(args, app, work, core, notes, site)
    finally:
        if site is not None:
            site.stop()
    results["ssh"] = results.get("ssh") or {"na": why}
    return results


def _run_all(args: argparse.Namespace, app: Briefing, work: Path, core: bool, notes: bool,
             site: SshSite | None) -> dict:
    libraries = {}
    for size in args.sizes:
        t = time.monotonic()
        libraries[size] = generate_library(work / f"library-{size}", size)
        log(f"generated {size} synthetic briefs in {time.monotonic() - t:.1f}s")
    bare = write_bare_app(work)
    results: dict = {"bare": [], **{size: {"cold": [], "warm": []} for size in args.sizes}}
    caches: dict[int, Path] = {}
    if site is not None:
        results["ssh"] = {"na": None, "connect": [], "bare": {"local": [], "ssh": []},
                          **{size: {"local": [], "ssh": []} for size in args.sizes}}
    for size in args.sizes:
        if notes:
            results[size]["notes"] = prepare_notes(app, libraries[size], size, work, args)
            na = results[size]["notes"]["na"]
            notes_warm = not (na["notebook"] and na["save"])
        else:
            notes_warm = False
        if not core and (notes_warm or site is not None):
            # The notes and SSH sessions start warm: build the library index once, unmeasured.
            home = work / f"home-index-{size}"
            cold_session(app, libraries[size], size, home, args.timeout)
            caches[size] = Path(bench_env(home)["XDG_CACHE_HOME"])
            log(f"built the library index of {size} briefs for the warm sessions")
    for run in range(1, args.runs + 1):
        # Interleaved, so that a change in the machine's load falls on every program alike.
        if core:
            results["bare"].append(bare_session(bare, work / f"home-bare-{run}", args.timeout))
            log(f"run {run}: bare app {results['bare'][-1]['first_frame_s']:.3f}s")
        for size in args.sizes:
            home = work / f"home-{size}-{run}"  # a fresh, empty cache folder
            if core:
                cold = cold_session(app, libraries[size], size, home, args.timeout)
                warm = warm_session(app, libraries[size], size, home, args.timeout, args)
                results[size]["cold"].append(cold)
                results[size]["warm"].append(warm)
                log(f"run {run}: {size} briefs cold {cold['first_frame_s']:.3f}s, warm {warm['first_frame_s']:.3f}s")
                caches[size] = Path(bench_env(home)["XDG_CACHE_HOME"])  # the index this run built
            if notes:
                notes_run(app, libraries[size], size, work, caches.get(size, work), run, args,
                          results[size]["notes"])
        if site is not None:
            ssh_run(site, app, libraries, caches, bare, work, run, args, results["ssh"])
    return results


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Figures and the table
# ---------------------------------------------------------------------------------------


def median(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def session_values(sessions: list[dict], key: str) -> list:
    return [s[key] for s in sessions]


def key_values(sessions: list[dict], group: str, key: str) -> list:
    """One value per key press, pooled over every run."""
    return [sample[key] for s in sessions for sample in s[group]]


@dataclass
class Metric:
    name: str
    unit: str                       # "s", "ms", "B", "kB" (1000 B), "MiB"
    values: Callable[[dict], list]  # the samples of one program's results
    bare: bool = False              # also measured for the bare app
    ratio: dict[int, float] | None = None  # target as a ratio to the bare app, per size
    limit: float | None = None      # target as an absolute bound, in the metric's unit
    sizes: tuple[int, ...] | None = None    # sizes the target applies to (None: all)
    note: str = ""
    group: str = "core"             # "core": the library sessions; "notes": the notes sessions
    part: str = ""                  # which notes part ("api", "notebook", "save"), for "n/a"
    stat: str = "median"            # "median", or "p90" (the 90th percentile)


def _ms(values: list) -> list:
    return [v * 1000 if v is not None else None for v in values]


def _notes(r: dict, part: str) -> list[dict]:
    """The notes samples of one size: store API runs, notebook or save sessions."""
    return r.get("notes", {}).get(part, [])


def _api_saves(r: dict) -> list:
    return _ms([t for run in _notes(r, "api") for t in run["save_s"]])


METRICS = [
    Metric("start to first frame, warm (index present)", "s",
           lambda r: session_values(r["warm"], "first_frame_s"), bare=True, ratio={1000: 1.3, 10000: 1.6}),
    Metric("start to first output (any byte), warm", "s",
           lambda r: session_values(r["warm"], "first_output_s"), bare=True),
    Metric("start to first frame, cold (index built)", "s",
           lambda r: session_values(r["cold"], "first_frame_s"), bare=True,
           note="reported; the target is for the warm start"),
    Metric("bytes until the first screen settles, warm", "kB",
           lambda r: [b / 1000 for b in session_values(r["warm"], "first_frame_bytes")], bare=True),
    Metric("bytes until the first screen settles, cold", "kB",
           lambda r: [b / 1000 for b in session_values(r["cold"], "first_frame_bytes")], bare=True),
    Metric("library move (j): bytes per key, median", "B",
           lambda r: key_values(r["warm"], "library_moves", "bytes"), limit=MOVE_BYTES),
    Metric("library move (j): key to first byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "library_moves", "first_s")), limit=10),
    Metric("library move (j): key to last byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "library_moves", "last_s"))),
    Metric("pane move (j/k): bytes per key, median", "B",
           lambda r: key_values(r["warm"], "pane_moves", "bytes"), limit=MOVE_BYTES),
    Metric("pane move (j/k): key to first byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "pane_moves", "first_s")), limit=10),
    Metric("pane move (j/k): key to last byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "pane_moves", "last_s"))),
    Metric("open a brief: Enter to panes drawn, median", "ms",
           lambda r: _ms(key_values(r["warm"], "opens", "drawn_s")), limit=50,
           note="the tab strip and the first pane on screen"),
    Metric("open a brief: Enter to last byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "opens", "last_s"))),
    Metric("open a brief: Enter to first byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "opens", "first_s"))),
    Metric("filter: key to first byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "filter_keys", "first_s"))),
    Metric("filter: key to last byte, median", "ms",
           lambda r: _ms(key_values(r["warm"], "filter_keys", "last_s")), limit=30, sizes=(10000,)),
    Metric("peak memory (VmHWM), warm", "MiB",
           lambda r: [kb / 1024 for kb in session_values(r["warm"], "vmhwm_kb")], bare=True,
           ratio={1000: 1.5, 10000: 2.0}),
    Metric("peak memory (VmHWM), cold", "MiB",
           lambda r: [kb / 1024 for kb in session_values(r["cold"], "vmhwm_kb")], bare=True,
           note="reported; the target is for the warm start"),
]

NOTES_METRICS = [
    Metric("save a note, 10,000 notes stored (durable): store API add_note, median", "ms",
           _api_saves, limit=30, group="notes", part="api",
           note="one Store.add_note(), fsync included"),
    Metric("save a note, 10,000 notes stored (durable): store API add_note, p90", "ms",
           _api_saves, group="notes", part="api", stat="p90", note="informative"),
    Metric("save a note in the app: ctrl+s to the note's marker shown, median", "ms",
           lambda r: _ms(key_values(_notes(r, "save"), "saves", "marker_s")), group="notes", part="save",
           note="informative (the ≤ 30 ms target is for the store API)"),
    Metric("save a note in the app: ctrl+s to \"Note saved.\" shown, median", "ms",
           lambda r: _ms(key_values(_notes(r, "save"), "saves", "saved_s")), group="notes", part="save",
           note="informative"),
    Metric("save a note in the app: ctrl+s to first byte, median", "ms",
           lambda r: _ms(key_values(_notes(r, "save"), "saves", "first_s")), group="notes", part="save",
           note="informative"),
    Metric("open the notebook, 10,000 notes: n to notebook drawn, median", "ms",
           lambda r: _ms(key_values(_notes(r, "notebook"), "opens", "drawn_s")), group="notes",
           part="notebook", note="— (informative; cf. open a brief ≤ 50 ms)"),
    Metric("open the notebook, 10,000 notes: first open of a session, n to drawn, median", "ms",
           lambda r: _ms([s["opens"][0]["drawn_s"] for s in _notes(r, "notebook")]), group="notes",
           part="notebook", note="informative (includes loading the notebook's code)"),
    Metric("open the notebook, 10,000 notes: n to last byte, median", "ms",
           lambda r: _ms(key_values(_notes(r, "notebook"), "opens", "last_s")), group="notes",
           part="notebook", note="informative"),
    Metric("open the notebook, 10,000 notes: bytes written, median", "kB",
           lambda r: [b / 1000 for b in key_values(_notes(r, "notebook"), "opens", "bytes")],
           group="notes", part="notebook", note="informative"),
    Metric("start to first frame, warm, 10,000 notes stored", "s",
           lambda r: session_values(_notes(r, "notebook") + _notes(r, "save"), "first_frame_s"),
           bare=True, group="notes", part="notebook", note="informative"),
    Metric("peak memory (VmHWM), 10,000 notes stored, notebook opened", "MiB",
           lambda r: [kb / 1024 for kb in session_values(_notes(r, "notebook"), "vmhwm_kb")], bare=True,
           group="notes", part="notebook", note="informative (the memory target is for the library alone)"),
]
METRICS += NOTES_METRICS

NOT_MEASURED = [
    ("full-text search, 10,000 briefs and notes", "≤ 100 ms"),
]


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.3f} s"
    if unit in ("ms", "kB", "MiB"):
        return f"{value:.1f} {unit}"
    return f"{value:.0f} {unit}"


def target_text(metric: Metric, sizes: list[int]) -> str:
    if metric.ratio:
        return " / ".join(f"≤ {metric.ratio[s]:g}× bare ({s:,})" for s in sizes if s in metric.ratio) or "—"
    if metric.limit is not None:
        where = f" ({', '.join(f'{s:,}' for s in metric.sizes)})" if metric.sizes else ""
        return f"≤ {metric.limit:g} {metric.unit}{where}"
    return metric.note or "—"


def percentile(values: list[float | None], q: float) -> float | None:
    values = sorted(v for v in values if v is not None)
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def aggregate(metric: Metric, values: list) -> float | None:
    return percentile(values, 90) if metric.stat == "p90" else median(values)


def build_table(results: dict, sizes: list[int], groups: tuple[str, ...] = ("core", "notes"),
                ) -> tuple[list[str], list[list[str]]]:
    header = ["metric", *(f"{s:,} briefs" for s in sizes), "bare app", "target (DESIGN §7)", "met?"]
    bare_results = {"warm": results["bare"], "cold": results["bare"],
                    "notes": {"notebook": results["bare"]}}
    rows = []
    for metric in METRICS:
        if metric.group not in groups:
            continue
        bare = median(metric.values(bare_results)) if metric.bare else None
        cells, verdicts = [], []
        for size in sizes:
            na = results[size].get("notes", {}).get("na", {}).get(metric.part) if metric.group == "notes" else None
            if na:
                cells.append(na)
                continue
            value = aggregate(metric, metric.values(results[size]))
            cell = fmt(value, metric.unit)
            if value is not None and bare and metric.bare:
                cell += f" ({value / bare:.2f}×)"
            cells.append(cell)
            verdict = judge(metric, size, value, bare)
            if verdict is not None:
                verdicts.append(f"{size:,}: {'yes' if verdict else 'NO'}")
        rows.append([metric.name, *cells, fmt(bare, metric.unit) if metric.bare else "—",
                     target_text(metric, sizes), "; ".join(verdicts) or "—"])
    for name, target in NOT_MEASURED if "core" in groups else ():
        rows.append([name, *("not measured" for _ in sizes), "—", target, "no such feature yet"])
    return header, rows


def judge(metric: Metric, size: int, value: float | None, bare: float | None) -> bool | None:
    if value is None:
        return None
    if metric.ratio and size in metric.ratio and bare:
        return value / bare <= metric.ratio[size]
    if metric.limit is not None and (metric.sizes is None or size in metric.sizes):
        return value <= metric.limit
    return None


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([line(header), "-+-".join("-" * w for w in widths), *map(line, rows)])


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def ssh_table(ssh: dict, sizes: list[int]) -> tuple[list[str], list[list[str]]]:
    """The SSH rows: each start without SSH and over SSH in the same run, and what SSH adds
    (the median of the per-run differences, since the two of a pair ran side by side)."""
    header = ["metric", "without SSH", "over SSH", "SSH adds", "target (DESIGN §7)", "met?"]
    first = METRICS[0]  # start to first frame, warm: its ratios to the bare app are the targets

    def pairs(group: dict, pick: Callable[[list[dict]], list]) -> tuple[list, list]:
        return pick(group["local"]), pick(group["ssh"])

    def added(here: list, over: list) -> float | None:
        return median([b - a for a, b in zip(here, over) if a is not None and b is not None])

    def signed(value: float | None, unit: str) -> str:
        return "—" if value is None else ("+" if value >= 0 else "−") + fmt(abs(value), unit)

    def frame(sessions: list[dict]) -> list:
        return session_values(sessions, "first_frame_s")

    def nbytes(sessions: list[dict]) -> list:
        return [b / 1000 for b in session_values(sessions, "first_frame_bytes")]

    def wire(sessions: list[dict]) -> float | None:
        return median([s["wire_bytes"] / 1000 if s.get("wire_bytes") is not None else None for s in sessions])

    def wire_added(sessions: list[dict]) -> str:
        """Bytes on the wire less the bytes the terminal got, per session, median."""
        return signed(median([(s["wire_bytes"] - s["first_frame_bytes"]) / 1000 for s in sessions
                              if s.get("wire_bytes") is not None]), "kB")

    # Library moves: (label, value of a key, unit, bound); median over every key of every run.
    moves = (("key to first byte", lambda sessions: _ms(key_values(sessions, "library_moves", "first_s")), "ms", 10),
             ("bytes per key", lambda sessions: key_values(sessions, "library_moves", "bytes"), "B", MOVE_BYTES))

    connect = median(frame(ssh["connect"]))
    handshake = wire(ssh["connect"])
    rows = [["the connection alone: ssh -tt … echo, to its output", "—", fmt(connect, "s"), fmt(connect, "s"),
             "informative", "—"],
            ["the connection alone: bytes on the wire from sshd (ss)", "—", fmt(handshake, "kB"),
             fmt(handshake, "kB"), "informative", "—"]]
    bare_here, bare_over = pairs(ssh["bare"], frame)
    bare = (median(bare_here), median(bare_over))
    rows.append(["bare app: start to first frame", fmt(bare[0], "s"), fmt(bare[1], "s"),
                 signed(added(bare_here, bare_over), "s"), "informative", "—"])
    here, over = pairs(ssh["bare"], nbytes)
    rows.append(["bare app: bytes until the first screen settles", fmt(median(here), "kB"),
                 fmt(median(over), "kB"), signed(added(here, over), "kB"), "informative", "—"])
    rows.append(["bare app: bytes on the wire from sshd until then (ss)", "—", fmt(wire(ssh["bare"]["ssh"]), "kB"),
                 wire_added(ssh["bare"]["ssh"]), "informative", "—"])
    for size in sizes:
        group = ssh[size]
        here, over = pairs(group, frame)
        cells, verdicts = [], []
        for side, values, base in (("without", here, bare[0]), ("over SSH", over, bare[1])):
            value = median(values)
            cells.append(fmt(value, "s") + (f" ({value / base:.2f}×)" if value and base else ""))
            verdict = judge(first, size, value, base)
            if verdict is not None:
                verdicts.append(f"{side}: {'yes' if verdict else 'NO'}")
        target = f"≤ {first.ratio[size]:g}× bare, each side" if size in first.ratio else "informative"
        rows.append([f"{size:,} briefs, warm: start to first frame", *cells, signed(added(here, over), "s"),
                     target, "; ".join(verdicts) or "—"])
        here, over = pairs(group, nbytes)
        rows.append([f"{size:,} briefs, warm: bytes until the first screen settles", fmt(median(here), "kB"),
                     fmt(median(over), "kB"), signed(added(here, over), "kB"), "informative", "—"])
        rows.append([f"{size:,} briefs, warm: bytes on the wire from sshd until then (ss)", "—",
                     fmt(wire(group["ssh"]), "kB"), wire_added(group["ssh"]), "informative", "—"])
        for label, pick, unit, bound in moves:
            here, over = (median(values) for values in pairs(group, pick))
            verdicts = [f"{side}: {'yes' if v <= bound else 'NO'}"
                        for side, v in (("without", here), ("over SSH", over)) if v is not None]
            rows.append([f"{size:,} briefs, library move (j): {label}, median", fmt(here, unit), fmt(over, unit),
                         signed(over - here if here is not None and over is not None else None, unit),
                         f"≤ {bound:g} {unit}", "; ".join(verdicts) or "—"])
    return header, rows


# ---------------------------------------------------------------------------------------
# What the bytes of an answer are made of
# ---------------------------------------------------------------------------------------

_CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")
_CSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]")
_SGR = re.compile(rb"\x1b\[[0-9;:]*m")
ANATOMY_GROUPS = (("library_moves", "library move"), ("pane_moves", "pane move"),
                  ("opens", "open a brief"), ("filter_keys", "filter key"))
NOTES_ANATOMY_GROUPS = (("notebook", "opens", "open the notebook (n), 10,000 notes"),
                        ("save", "saves", "save a note (ctrl+s), 10,000 notes"))


def frames(chunks: list[tuple[float, int]]) -> list[list[int]]:
    """Chunk indexes grouped into frames: a new frame starts after a pause of FRAME_GAP."""
    groups: list[list[int]] = []
    for i, (arrival, _) in enumerate(chunks):
        if groups and arrival - chunks[i - 1][0] < FRAME_GAP:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def spans(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> '2–4, 7'."""
    out: list[str] = []
    last = -2
    for n in sorted(set(numbers)):
        if n == last + 1:
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
        last = n
    return ", ".join(out)


def describe_frame(raw: bytes) -> str:
    """Bytes of one frame, the screen rows it writes, and where on those rows it starts."""
    # A cursor move followed by another, or by nothing, draws nothing (Textual parks the cursor).
    cups = [(int(m.group(1)), int(m.group(2))) for m in _CUP.finditer(raw)
            if m.end() < len(raw) and not _CUP.match(raw, m.end())]
    where = f"rows {spans([r for r, _ in cups])}" if cups else "no cursor move"
    columns = {c for _, c in cups}
    if cups and min(columns) >= COLS - 2:
        where += f" at column {spans(sorted(columns))} only (the scrollbar)"
    return f"{len(raw)} B, {where}"


def anatomy(sample: dict) -> str:
    """One answer: its frames (time after the key, bytes, rows) and its share of style codes."""
    raw, chunks = sample["raw"], sample["chunks_ms"]
    offsets = [0]
    for _, n in chunks:
        offsets.append(offsets[-1] + n)
    parts = []
    for group in frames([(t / 1000, n) for t, n in chunks]):
        frame = raw[offsets[group[0]]: offsets[group[-1] + 1]]
        parts.append(f"+{chunks[group[0]][0]:.0f} ms: {describe_frame(frame)}")
    sgr = sum(len(m) for m in _SGR.findall(raw))
    other = sum(len(m) for m in _CSI.findall(raw)) - sgr
    return (f"{len(raw)} B in {len(parts)} frame(s) [{'; '.join(parts)}]; "
            f"{sgr} B colour/style codes, {other} B cursor moves and other escapes, "
            f"{len(raw) - sgr - other} B text")


def anatomy_report(results: dict, sizes: list[int]) -> str:
    """For each kind of key, its median answer taken apart, and the range over all keys."""
    lines = []
    for size in sizes:
        for group, label in ANATOMY_GROUPS:
            samples = sorted((s for run in results[size]["warm"] for s in run[group]), key=lambda s: s["bytes"])
            if not samples:
                continue
            middle = samples[(len(samples) - 1) // 2]
            over = sum(s["bytes"] > MOVE_BYTES for s in samples)
            lines.append(f"- {size:,} briefs, {label}: {len(samples)} keys, {samples[0]['bytes']}–"
                         f"{samples[-1]['bytes']} B, {over} over {MOVE_BYTES} B; "
                         f"the median one: {anatomy(middle)}")
        for part, group, label in NOTES_ANATOMY_GROUPS:
            samples = sorted((s for run in _notes(results[size], part) for s in run[group]),
                             key=lambda s: s["bytes"])
            if not samples:
                continue
            middle = samples[(len(samples) - 1) // 2]
            lines.append(f"- {size:,} briefs, {label}: {len(samples)} keys, {samples[0]['bytes']}–"
                         f"{samples[-1]['bytes']} B; the median one: {anatomy(middle)}")
    return "\n".join(lines)


def notes_store_text(results: dict, sizes: list[int]) -> str:
    """What the prefilled store of the notes rows holds, per library size."""
    lines = []
    for size in sizes:
        info = results[size].get("notes", {}).get("store")
        if info is None:
            lines.append(f"notes store, {size:,} briefs: n/a at this revision")
            continue
        (q0, qm, q1), (t0, tm, t1) = info["quote_chars"], info["text_chars"]
        opened = [run["open_s"] * 1000 for run in _notes(results[size], "api")]
        lines.append(
            f"notes store, {size:,} briefs: {info['notes']:,} notes over {info['briefs']:,} briefs, "
            f"{info['bytes'] / 1e6:.1f} MB; quotes {q0}–{q1} chars (mean {qm:.0f}), notes {t0}–{t1} "
            f"(mean {tm:.0f}), {info['multiline']:,} on several lines, {info['non_ascii']:,} with "
            f"non-ASCII text; one put() of them took {info['put_s']:.1f} s"
            + (f"; Store() opens it in {median(opened):.0f} ms" if opened else ""))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="library sizes")
    parser.add_argument("--runs", type=int, default=3, help="sessions of each kind per size (default 3)")
    parser.add_argument("--keys", type=int, default=30, help="moves per list (default 30)")
    parser.add_argument("--opens", type=int, default=3, help="briefs opened per session (default 3)")
    parser.add_argument("--filter-text", default="brief 00042", help="typed into the filter, a key at a time")
    parser.add_argument("--timeout", type=float, default=300.0, help="longest wait for a first frame, s")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument("--rev", help="measure src/ of this commit (exported with git archive) "
                        "instead of the working tree")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--only", choices=("all", "core", "notes", "ssh"), default="all",
                        help="core: the library sessions only; notes: saving a note and the notebook "
                        "only; ssh: first frames without SSH and over a real sshd on loopback only "
                        "(default: all)")
    parser.add_argument("--notes", type=int, default=10000, help="notes in the prefilled store (default 10000)")
    parser.add_argument("--note-briefs", type=int, default=1000,
                        help="briefs the notes are spread over, evenly across the library (default 1000)")
    parser.add_argument("--saves", type=int, default=30, help="add_note calls timed per run (default 30)")
    parser.add_argument("--note-saves", type=int, default=3, choices=(1, 2, 3),
                        help="notes saved with ctrl+s per session (default 3)")
    parser.add_argument("--notebook-opens", type=int, default=3,
                        help="notebook opens per session (default 3)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for program in ("python", "briefing"):
        if not (VENV_BIN / program).exists():
            print(f"bench: {VENV_BIN / program} is missing; create the venv first", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        app = exported_briefing(args.rev, work / "rev") if args.rev else installed_briefing()
        log(f"measuring briefing {app.version}" + (f" (src/ of {args.rev})" if args.rev else " (the working tree)"))
        results = run_all(args, app, work)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    groups = {"all": ("core", "notes"), "core": ("core",), "notes": ("notes",), "ssh": ()}[args.only]
    header, rows = build_table(results, args.sizes, groups)
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    print(f"briefing benchmark, {when}, briefing {app.version}, {os.cpu_count()} CPUs, {args.runs} runs, "
          f"{COLS}x{ROWS} pty, TERM=xterm-256color\n")
    if "notes" in groups:
        print(notes_store_text(results, args.sizes) + "\n")
    if groups:
        print(plain_table(header, rows))
        print("\nMarkdown:\n")
        print(markdown_table(header, rows))
        print("\nWhat the bytes of one answer are made of:\n")
        print(anatomy_report(results, args.sizes))
    ssh = results["ssh"]
    if args.only in ("all", "ssh"):
        if ssh["na"]:
            print(f"\nOver SSH: not measured: {ssh['na']}")
        else:
            header, rows = ssh_table(ssh, args.sizes)
            print(f"\nOver SSH (OpenSSH on 127.0.0.1, ssh -tt, the same program and environment on both "
                  f"sides; medians over {args.runs} runs):\n")
            print(plain_table(header, rows))
            print("\nMarkdown:\n")
            print(markdown_table(header, rows))
    sessions = [s for k, v in results.items() if k != "ssh"
                for s in (v if k == "bare" else v["cold"] + v["warm"] + _notes(v, "notebook") + _notes(v, "save"))]
    if not ssh["na"]:
        sessions += ssh["connect"] + [s for group in ssh.values() if isinstance(group, dict)
                                      for s in group["local"] + group["ssh"]]
    unclean = [s for s in sessions if not s["clean_exit"]]
    if unclean:
        print(f"\nnote: {len(unclean)} session(s) did not quit on their key and were ended by signal")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, default=lambda b: b.decode("utf-8", "replace"), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
