"""Sessions: one run of a program in the pty, measured. The bare app; briefing cold (the
library index built) and warm (moves, opens, a pane, the filter)."""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from .common import BARE_MARK, PANE_MARK, QUIET, ROW_MARK, SETTLE, VENV_BIN
from .generate import ITEMS_PER_PANE
from .revision import Briefing
from .terminal import Terminal, bench_env


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


def key_samples(
    term: Terminal, keys: list[bytes], until: Callable[[str], bool] | None = None, quiet: float = QUIET
) -> list[dict]:
    """Press each key, one at a time, and record its answer (until ``quiet`` s without output)."""
    samples = []
    for key in keys:
        burst = term.press(key, until=until, quiet=quiet)
        samples.append(
            {
                "key": key.decode(),
                "bytes": burst.nbytes,
                "first_s": burst.first,
                "last_s": burst.last,
                "drawn_s": burst.drawn,
                "raw": bytes(burst.raw),
                "chunks_ms": [(round((t - burst.sent) * 1000, 2), n) for t, n in burst.chunks],
            }
        )
    return samples


def session(term: Terminal, mark: str, timeout: float, act: Callable[[Terminal, dict], None] | None = None) -> dict:
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


def check_library_shown(term: Terminal, size: int) -> None:
    """The header must count every synthetic brief, and none may have an error."""
    screen = term.text()
    counts = {int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) briefs\b", screen)}
    if size not in counts or "with errors" in screen:
        raise RuntimeError(f"the library does not show {size} valid briefs:\n{screen}")


def all_indexed(size: int) -> Callable[[str], bool]:
    """The library is whole: its header counts every brief, and says no more that it is
    indexing (a revision that indexes before its first frame shows the count only then)."""
    count = f"{size:,} briefs"
    return lambda screen: count in screen and "indexing" not in screen and "Reading the library" not in screen


def index_files(folder: Path) -> list[Path]:
    """The reader's own library index in its cache folder: JSON before the SQLite index, SQLite since."""
    return [p for p in folder.glob("library-index*") if p.suffix in (".json", ".sqlite")]


def cold_session(app: Briefing, library: Path, size: int, home: Path, timeout: float) -> dict:
    """Start with an empty cache folder: the index is built. The first frame is the first
    library row (a revision that shows rows while it indexes shows one before the rest are
    read); then the wait goes on until every brief is indexed and counted."""
    folder = Path(bench_env(home)["XDG_CACHE_HOME"]) / "briefing"
    if index_files(folder) or (library / ".briefing").exists():
        raise RuntimeError(f"a library index exists in {folder} or {library} before a cold start")
    term = app.term(library, home)
    whole = all_indexed(size)
    try:
        burst = term.collect(term.started, until=contains(ROW_MARK), timeout=timeout, watch={"all": whole})
        assert burst.hit is not None
        result = {
            "first_output_s": burst.first,
            "first_frame_s": burst.chunks[burst.hit][0] - term.started,
            "first_frame_bytes": burst.nbytes,
        }
        if "all" in burst.marks:
            result["all_rows_s"] = burst.chunks[burst.marks["all"]][0] - term.started
        else:
            rest = term.collect(time.monotonic(), until=whole, timeout=timeout)
            assert rest.hit is not None
            result["all_rows_s"] = rest.chunks[rest.hit][0] - term.started
        term.settle()
        check_library_shown(term, size)
        result["vmhwm_kb"] = term.vmhwm_kb()
        result["clean_exit"] = term.quit(b"q")
    finally:
        term.close()
    if not index_files(folder):
        raise RuntimeError(f"no library index was written in {folder}; a warm start would not be warm")
    return result


def warm_session(app: Briefing, library: Path, size: int, home: Path, timeout: float, args: argparse.Namespace) -> dict:
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
            term.press(b"j")  # another brief for the next open
        term.settle()
        term.press(b"/")
        term.settle()
        result["filter_keys"] = key_samples(term, [c.encode() for c in args.filter_text])
        term.settle()
        term.press(b"\x1b", quiet=0.3)  # close the filter (escape waits out the escape delay)

    return session(app.term(library, home), ROW_MARK, timeout, act)
