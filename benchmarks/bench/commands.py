"""The index rows: ``briefing index``, ``briefing search`` and ``briefing show``, each timed
from the fork to its exit (wall time) in the reader's clean environment; and the search
alone in process (search_probe.py, in a subprocess), on the index a warm start left."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from .common import VENV_BIN
from .generate import brief_id, unique_item, unique_word
from .revision import Briefing, src_folder
from .terminal import bench_env

PROBE = Path(__file__).resolve().parent / "search_probe.py"
COMMON_WORD = "public"  # in about two items of three (generate.py)


def probe_brief(size: int) -> int:
    """The brief whose unique word is searched for, and which ``show`` prints: the middle one."""
    return size // 2 + 1


def search_queries(size: int) -> list[tuple[str, str]]:
    """What the in-process table times: (label, the query as a reader would type it)."""
    return [
        ("a word in one item", unique_word(probe_brief(size))),
        ("a phrase", '"live facial recognition"'),
        ("a name, as words", "zoe martinez"),
        ("a name, as a filter", 'stakeholder:"Zoë Martínez"'),
        ("two words", "police contract"),
        ("a common word", COMMON_WORD),
        ("a prefix", "procure*"),
    ]


def command_support(app: Briefing) -> dict[str, str | None]:
    """Why each command cannot be timed at this revision (None: it can)."""
    package = src_folder(app)
    text = ""
    for relative in ("cli/main.py", "__main__.py"):
        try:
            text = (package / relative).read_text(encoding="utf-8")
            break
        except OSError:
            continue
    commands = next((line for line in text.splitlines() if line.startswith("COMMANDS")), "")
    return {
        name: None if f'"{name}"' in commands else f"n/a at this revision (no briefing {name})"
        for name in ("index", "search", "show")
    }


def new_commands(app: Briefing) -> dict:
    na = command_support(app)
    return {
        "na": {
            "index": na["index"],
            "search": na["search"],
            "show": na["show"],
            "probe": na["search"],
        },
        "index": [],
        "search_unique": [],
        "search_common": [],
        "show": [],
        "probe": [],
    }


def timed(app: Briefing, home: Path, *argv: str, timeout: float = 900) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``briefing ARGV`` to its end: the wall time from the fork to its exit."""
    env = bench_env(home, app.pythonpath)
    os.sync()  # what the sessions before wrote is on disk, as before each start in the pty
    started = time.monotonic()
    out = subprocess.run(
        [*app.argv, *argv], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
    )
    return time.monotonic() - started, out


def _fail(what: str, out: subprocess.CompletedProcess) -> RuntimeError:
    return RuntimeError(f"{what} exited {out.returncode}:\n{out.stderr.decode(errors='replace')[-2000:]}")


def commands_run(
    app: Briefing, library: Path, size: int, home: Path, args: argparse.Namespace, into: dict, build: bool = True
) -> None:
    """One run of the command rows, with the index a warm start left in ``home``; then (if
    ``build``) ``briefing index``, whose shared index is removed after it (the next cold
    start must be cold)."""
    na = into["na"]
    number = probe_brief(size)
    wanted, pane, _ = unique_item(number)
    lib = str(library)
    for _ in range(args.cli_repeats):
        if not na["search"]:
            seconds, out = timed(app, home, "search", unique_word(number), "--library", lib, "--format", "json")
            if out.returncode != 0:
                raise _fail("briefing search", out)
            hits = json.loads(out.stdout)
            if [(h["brief"], h["pane"]) for h in hits] != [(wanted, pane)]:
                raise RuntimeError(f"briefing search {unique_word(number)} found {hits}, not one item of {wanted}")
            into["search_unique"].append(seconds)
            seconds, out = timed(app, home, "search", COMMON_WORD, "--library", lib, "--format", "json")
            if out.returncode != 0 or len(json.loads(out.stdout)) != 50:
                raise _fail(f"briefing search {COMMON_WORD} (50 hits expected)", out)
            into["search_common"].append(seconds)
        if not na["show"]:
            seconds, out = timed(app, home, "show", brief_id(number), "--library", lib)
            if out.returncode != 0 or f"Synthetic brief {number:05d}".encode() not in out.stdout:
                raise _fail("briefing show", out)
            into["show"].append(seconds)
    if not na["probe"]:
        into["probe"].append(search_probe(app, library, size, home, args.probe_repeats))
    if build and not na["index"]:
        shared = library / ".briefing"
        if shared.exists():
            raise RuntimeError(f"{shared} exists before briefing index")
        seconds, out = timed(app, home, "index", "--library", lib)
        try:
            if out.returncode != 0 or not (shared / "index.sqlite").is_file():
                raise _fail("briefing index", out)
            if f"{size:,} briefs, 0 with errors".encode() not in out.stdout:
                raise RuntimeError(f"briefing index did not index {size:,} briefs: {out.stdout!r}")
        finally:
            shutil.rmtree(shared, ignore_errors=True)  # readers would use it: the next cold start must be cold
        into["index"].append(seconds)


def search_probe(app: Briefing, library: Path, size: int, home: Path, repeats: int) -> dict:
    """search_probe.py in a subprocess with the measured briefing and the warm index of ``home``."""
    argv = [str(VENV_BIN / "python"), "-P", str(PROBE), "--library", str(library), "--repeats", str(repeats)]
    for label, text in search_queries(size):
        argv += ["--query", f"{label}={text}"]
    out = subprocess.run(argv, env=bench_env(home, app.pythonpath), capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        raise RuntimeError(f"search_probe.py failed:\n{out.stderr}{out.stdout}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if "na" in result:
        return result
    first = result["queries"][0]
    if first["hits"] != 1 or first["briefs"] != [brief_id(probe_brief(size))]:
        raise RuntimeError(f"Library.search found {first}, not the one item of {brief_id(probe_brief(size))}")
    return result
