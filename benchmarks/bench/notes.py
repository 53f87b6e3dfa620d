"""Notes: saving a note (the store's API in notes_store.py, and ctrl+s in the app) and
opening the notebook, with 10,000 notes stored."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from .common import ROW_MARK, SETTLE, VENV_BIN, log
from .revision import Briefing, src_folder
from .sessions import check_library_shown, contains, panes_drawn, session
from .terminal import Terminal, bench_env

NOTES_HELPER = Path(__file__).resolve().parent / "notes_store.py"
NOTE_GLYPH = "✎"  # the note marker (UTF-8 locale)
SAVED_MARK = "Note saved."
DIALOG_MARK = "ctrl+s save"
NOTE_TEXT = "Seen; matches p. 14."  # typed into the note dialog, a key at a time
NOTES_TIMEOUT = 30.0  # longest wait for the notebook or a saved note to show
# The modules the notes rows need, in the layer folders (core/, store/, ui/), and where each
# was before them: a revision from before is measured as well.
LAYERED_FROM = {
    "store/notes.py": "store.py",
    "ui/screens/notebook.py": "screens/notebook.py",
    "ui/screens/dialogs.py": "screens/dialogs.py",
    "ui/screens/brief.py": "screens/brief.py",
}


def notes_support(app: Briefing) -> dict[str, str | None]:
    """Why each part of the notes benchmark cannot run at this revision (None: it can)."""
    package = src_folder(app)

    def has(module: str, *needles: str) -> bool:
        """The module (its path in the layer folders, else where it was before them) holds
        every one of ``needles``."""
        for relative in (module, LAYERED_FROM[module]):
            try:
                text = (package / relative).read_text(encoding="utf-8")
            except OSError:  # not at this revision (whose store/ may be store.py)
                continue
            return all(n in text for n in needles)
        return False

    store = None if has("store/notes.py", "def add_note", "def put") else "n/a at this revision (no notes store)"
    return {
        "api": store,
        "notebook": store
        or (None if has("ui/screens/notebook.py", "class NotebookScreen") else "n/a at this revision (no notebook)"),
        "save": store
        or (
            None
            if has("ui/screens/dialogs.py", "class NoteDialog") and has("ui/screens/brief.py", '"note"')
            else "n/a at this revision (no note dialog)"
        ),
    }


def notes_helper(app: Briefing, home: Path, *args: str) -> dict:
    """Run notes_store.py with the measured ``briefing`` and a clean environment; its JSON."""
    # -P: the package's folder is not put first on sys.path, so none of its modules can stand
    # in for one that briefing imports.
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-P", str(NOTES_HELPER), *args],
        env=bench_env(home, app.pythonpath),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
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
    setup: dict = {"na": notes_support(app), "store": None, "template": None, "api": [], "notebook": [], "save": []}
    if setup["na"]["api"]:
        return setup
    template = work / f"notes-{size}" / "notes.json"
    info = notes_helper(
        app,
        work / "home-notes-prefill",
        "prefill",
        "--library",
        str(library),
        "--store",
        str(template),
        "--notes",
        str(args.notes),
        "--briefs",
        str(min(args.note_briefs, size)),
    )
    if "na" in info:
        setup["na"] = {part: f"n/a at this revision ({info['na']})" for part in setup["na"]}
        return setup
    setup["store"], setup["template"] = info, str(template)
    log(
        f"{size} briefs: {info['notes']:,} notes over {info['briefs']:,} briefs, "
        f"{info['bytes'] / 1e6:.1f} MB, written with one put() in {info['put_s']:.1f}s"
    )
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


def press_marks(
    term: Terminal,
    key: bytes,
    marks: dict[str, Callable[[str], bool]],
    quiet: float = SETTLE,
    timeout: float = NOTES_TIMEOUT,
) -> dict:
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
        "key": key.decode(),
        "bytes": burst.nbytes,
        "first_s": burst.first,
        "last_s": burst.last,
        "drawn_s": burst.drawn,
        "raw": bytes(burst.raw),
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


def notebook_session(
    app: Briefing, library: Path, size: int, home: Path, cache: Path, args: argparse.Namespace, template: str
) -> dict:
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


def save_session(
    app: Briefing, library: Path, size: int, home: Path, cache: Path, args: argparse.Namespace, template: str
) -> dict:
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
            result["saves"].append(
                press_marks(term, b"\x13", {"marker": note_marker(k), "saved": contains(SAVED_MARK)})
            )
        term.settle()
        term.press(b"q", until=contains(ROW_MARK), timeout=NOTES_TIMEOUT)  # back to the library

    return session(notes_term(app, library, home, cache, template), ROW_MARK, args.timeout, act)


def notes_run(
    app: Briefing, library: Path, size: int, work: Path, cache: Path, run: int, args: argparse.Namespace, setup: dict
) -> None:
    """One run of the notes benchmark for one library size; samples go into ``setup``."""
    na, template = setup["na"], setup["template"]
    if not na["api"]:
        api_store = copy_store(Path(template), work / f"notes-api-{size}-{run}" / "notes.json")
        api = notes_helper(
            app, work / "home-notes-prefill", "saves", "--store", str(api_store), "--saves", str(args.saves)
        )
        setup["api"].append(api)
        log(
            f"run {run}: {size} briefs, add_note with {api['notes_before']:,} notes: median "
            f"{statistics.median(api['save_s']) * 1000:.1f} ms over {len(api['save_s'])} saves"
        )
    if not na["notebook"]:
        result = notebook_session(app, library, size, work / f"home-notebook-{size}-{run}", cache, args, template)
        setup["notebook"].append(result)
        log(
            f"run {run}: {size} briefs, notebook opened in "
            + ", ".join(f"{o['drawn_s'] * 1000:.0f}" for o in result["opens"])
            + " ms"
        )
    if not na["save"]:
        result = save_session(app, library, size, work / f"home-save-{size}-{run}", cache, args, template)
        setup["save"].append(result)
        log(
            f"run {run}: {size} briefs, ctrl+s to "
            + ", ".join(f"{s['marker_s'] * 1000:.0f}" for s in result["saves"])
            + " ms (marker), "
            + ", ".join(f"{s['saved_s'] * 1000:.0f}" for s in result["saves"])
            + ' ms ("Note saved.")'
        )
