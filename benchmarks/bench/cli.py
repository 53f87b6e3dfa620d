"""Benchmark briefing in a real pseudo-terminal against a bare Textual app (docs/design.md §7).

The command line: its options, the temporary folder, which briefing is measured, and what is
printed and kept.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from .common import VENV_BIN, log
from .report import print_comparison, print_report
from .revision import exported_briefing, installed_briefing
from .run import run_all


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="library sizes")
    parser.add_argument("--runs", type=int, default=3, help="sessions of each kind per size (default 3)")
    parser.add_argument("--keys", type=int, default=30, help="moves per list (default 30)")
    parser.add_argument("--opens", type=int, default=3, help="briefs opened per session (default 3)")
    parser.add_argument("--filter-text", default="brief 00042", help="typed into the filter, a key at a time")
    parser.add_argument("--timeout", type=float, default=300.0, help="longest wait for a first frame, s")
    parser.add_argument("--json", type=Path, help="also write every sample to this file")
    parser.add_argument(
        "--rev",
        action="append",
        default=[],
        help="measure src/ of this commit (exported with git archive) instead of the working tree; "
        "given more than once, each revision in turn in every run, beside one bare app",
    )
    parser.add_argument(
        "--cold-once",
        action="store_true",
        help="cold start and briefing index in the first run only; later runs start warm from its index "
        "(for large libraries, whose cold build takes minutes)",
    )
    parser.add_argument(
        "--cli-repeats",
        type=int,
        default=3,
        help="briefing search and briefing show, each run this many times per run and size (default 3)",
    )
    parser.add_argument(
        "--probe-repeats",
        type=int,
        default=20,
        help="Library.search calls timed per query, per run and size (default 20)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--only",
        choices=("all", "core", "notes", "ssh"),
        default="all",
        help="core: the library sessions only; notes: saving a note and the notebook "
        "only; ssh: first frames without SSH and over a real sshd on loopback only "
        "(default: all)",
    )
    parser.add_argument("--notes", type=int, default=10000, help="notes in the prefilled store (default 10000)")
    parser.add_argument(
        "--note-briefs",
        type=int,
        default=1000,
        help="briefs the notes are spread over, evenly across the library (default 1000)",
    )
    parser.add_argument("--saves", type=int, default=30, help="add_note calls timed per run (default 30)")
    parser.add_argument(
        "--note-saves", type=int, default=3, choices=(1, 2, 3), help="notes saved with ctrl+s per session (default 3)"
    )
    parser.add_argument("--notebook-opens", type=int, default=3, help="notebook opens per session (default 3)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for program in ("python", "briefing"):
        if not (VENV_BIN / program).exists():
            print(f"bench: {VENV_BIN / program} is missing; create the venv first", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        if args.rev:
            apps = [exported_briefing(rev, work / f"rev-{n}") for n, rev in enumerate(args.rev)]
        else:
            apps = [installed_briefing()]
        for app, rev in zip(apps, args.rev or [None], strict=True):
            log(f"measuring briefing {app.version}" + (f" (src/ of {rev})" if rev else " (the working tree)"))
        results = run_all(args, apps, work)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for app, result in zip(apps, results, strict=True):
        print_report(result, args, app.version)
        print()
    if len(apps) > 1:
        print_comparison([app.version for app in apps], results, args)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        kept = results[0] if len(apps) == 1 else {app.version: r for app, r in zip(apps, results, strict=True)}
        args.json.write_text(json.dumps(kept, default=lambda b: b.decode("utf-8", "replace"), indent=1))
    return 0
