"""The reader's search screen (key ``s``): a word typed a key at a time, and the time from
its last key to the results of the whole word drawn. Not part of the main run; run alone:

    python -m benchmarks.bench.search_screen [--sizes 1000 10000] [--runs 3] [--rev REV]

For each size: the library is generated, one unmeasured start builds the reader's index,
then each run is one warm session: ``s`` in the library, then each query typed a key at a
time (each key's answer waited out, and the screen left to settle before the last key), the
last key timed from its write to the chunk after which the screen shows that word's results:
the results area (every line but those holding the typed text) differs from what it showed
for the text before the last key, and does not say "searching". The text before the last
key is chosen so that its results differ (the rare word less its last letter of the brief's
number matches up to 17 briefs' words, the whole word one item). Escape clears the query
between queries. Prints one line per query and size, and the samples as JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from .common import QUIET, ROW_MARK, SETTLE
from .generate import generate_library, unique_word
from .revision import exported_briefing, installed_briefing
from .sessions import all_indexed, check_library_shown, contains, start
from .terminal import AppTimeout, Terminal

LAST_QUIET = 0.25  # the last key's answer ends after this long without a byte (the cursor blinks every 0.5 s)
SEARCH_MARK = "Search briefs, items"  # the query box's placeholder: the screen is up


def queries(size: int) -> list[tuple[str, str, str]]:
    """(label, the text typed before the timed key, the timed key)."""
    word = unique_word(size // 2 + 1)[:-1]  # zorvex + five letters; the closing q left off
    return [
        ("a word in one item (typed as a prefix)", word[:-1], word[-1]),
        ("a common word", "publi", "c"),
    ]


def results_area(screen: str, typed: str) -> list[str]:
    return [line for line in screen.splitlines() if typed not in line]


def wait_quiet(term: Terminal) -> None:
    """Let every search of the keys before finish: settled, and nothing says "searching"."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        term.settle(quiet=0.4)
        if "searching" not in term.text():
            return
    raise AppTimeout(f"the search did not finish:\n{term.text()}")


def session(app, library: Path, size: int, home: Path) -> dict:
    term = app.term(library, home)
    out: dict = {}
    try:
        start(term, ROW_MARK, 120)
        check_library_shown(term, size)
        term.settle()
        term.press(b"s", until=contains(SEARCH_MARK), quiet=SETTLE)
        term.settle()
        for label, before, last in queries(size):
            for ch in before:
                term.press(ch.encode(), quiet=QUIET)
            wait_quiet(term)
            typed = before + last
            shown_before = results_area(term.text(), before)

            def drawn(screen: str, before: str = before, shown_before: list[str] = shown_before) -> bool:
                return "searching" not in screen and results_area(screen, before) != shown_before

            sent = time.monotonic()
            os.write(term.fd, last.encode())
            burst = term.collect(sent, quiet=LAST_QUIET, timeout=5, watch={"drawn": drawn})
            hit = burst.marks.get("drawn")  # None: the results look like those before the last key
            out[label] = {
                "drawn_s": burst.chunks[hit][0] - sent if hit is not None else None,
                "first_s": burst.first,
                "last_s": burst.last,
                "bytes": burst.nbytes,
                "chunks_ms": [(round((t - burst.sent) * 1000, 2), n) for t, n in burst.chunks],
                "header": term.text().splitlines()[0].strip(),
            }
            wait_quiet(term)
            for _ in typed:  # clear the query for the next one
                term.press(b"\x7f", quiet=QUIET)
            wait_quiet(term)
        for _ in range(3):  # back to the library
            if SEARCH_MARK not in term.text():
                break
            term.press(b"\x1b", quiet=SETTLE)
        out["vmhwm_kb"] = term.vmhwm_kb()
        out["clean_exit"] = term.quit(b"q")
    finally:
        term.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rev", help="measure src/ of this commit instead of the working tree")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="briefing-search-screen-"))
    results: dict = {"load_start": os.getloadavg()[0], "sizes": {}}
    try:
        app = exported_briefing(args.rev, work / "rev") if args.rev else installed_briefing()
        for size in args.sizes:
            library = generate_library(work / f"lib-{size}", size)
            home = work / f"home-{size}"
            home.mkdir()
            term = app.term(library, home)  # unmeasured: builds the reader's index
            try:
                term.collect(term.started, until=all_indexed(size), timeout=900)
                term.settle()
                term.quit(b"q")
            finally:
                term.close()
            samples = [session(app, library, size, home) for _ in range(args.runs)]
            results["sizes"][size] = samples
            for label, _, _ in queries(size):
                drawn = [s[label]["drawn_s"] * 1000 for s in samples if s[label]["drawn_s"] is not None]
                lasts = [s[label]["last_s"] * 1000 for s in samples]
                frames = [len(s[label]["chunks_ms"]) for s in samples]
                told = (
                    f"median {statistics.median(drawn):.1f} ms (runs: {', '.join(f'{d:.1f}' for d in drawn)})"
                    if drawn
                    else "not told apart on screen from the results before it"
                )
                print(
                    f"{app.version}, {size:,} briefs, {label}: last key to results drawn {told}; "
                    f"to last byte median {statistics.median(lasts):.1f} ms (runs: {', '.join(f'{d:.1f}' for d in lasts)}; "
                    f"chunks {frames}); header: {samples[-1][label]['header']!r}",
                    flush=True,
                )
        results["load_end"] = os.getloadavg()[0]
        print(f"load average (1 min): {results['load_start']:.2f} at the start, {results['load_end']:.2f} at the end")
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
