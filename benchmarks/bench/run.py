"""Running everything: the libraries generated, then each run's sessions interleaved, so
that a change in the machine's load falls on every program alike. With several revisions
(``--rev A --rev B``), each run measures each of them in turn, in an order that alternates
from run to run, beside one bare app."""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from .commands import commands_run, new_commands
from .common import log
from .generate import generate_library, write_bare_app
from .notes import notes_run, prepare_notes
from .revision import Briefing
from .sessions import bare_session, cold_session, warm_session
from .ssh import SshSite, load_sshd_module, ssh_run
from .terminal import bench_env


def keep_after_cold(home: Path, snapshot: Path) -> None:
    """--cold-once: what a cold start left in its home besides the index (the store, the
    settings), for the later runs' warm starts to start from the same."""
    env = bench_env(home)
    for kind in ("DATA", "CONFIG"):
        folder = Path(env[f"XDG_{kind}_HOME"])
        if folder.exists():
            shutil.copytree(folder, snapshot / kind.lower(), symlinks=True)


def as_after_cold(snapshot: Path, home: Path, first: Path) -> None:
    """--cold-once, a later run: a fresh home as the first run's cold start left it, whose
    cache folder (the index) is the first run's."""
    env = bench_env(home)
    home.mkdir()
    for kind in ("DATA", "CONFIG"):
        if (snapshot / kind.lower()).exists():
            shutil.copytree(snapshot / kind.lower(), Path(env[f"XDG_{kind}_HOME"]), symlinks=True)
    Path(env["XDG_CACHE_HOME"]).symlink_to(Path(bench_env(first)["XDG_CACHE_HOME"]), target_is_directory=True)


def run_all(args: argparse.Namespace, apps: list[Briefing], work: Path) -> list[dict]:
    """The results of each of ``apps``, in their order; they share the bare app's sessions."""
    core, notes = args.only in ("all", "core"), args.only in ("all", "notes")
    site, why = None, f"not asked for (--only {args.only})"
    if args.only in ("all", "ssh") and len(apps) > 1:
        why = "not measured with several revisions in one run (run each with --only ssh)"
        log(f"the SSH rows are {why}")
    elif args.only in ("all", "ssh"):
        why = load_sshd_module().openssh_missing("the SSH rows of the benchmark")
        if why is None:
            site = SshSite.start(work)
            log(f"sshd on 127.0.0.1 port {site.sshd.port}")
        else:
            log(f"the SSH rows are not measured: {why}")
    try:
        results = _run_all(args, apps, work, core, notes, site)
    finally:
        if site is not None:
            site.stop()
    for one in results:
        one["ssh"] = one.get("ssh") or {"na": why}
    return results


def _run_all(
    args: argparse.Namespace, apps: list[Briefing], work: Path, core: bool, notes: bool, site: SshSite | None
) -> list[dict]:
    libraries = {}
    for size in args.sizes:
        t = time.monotonic()
        libraries[size] = generate_library(work / f"library-{size}", size)
        log(f"generated {size} synthetic briefs in {time.monotonic() - t:.1f}s")
    bare = write_bare_app(work)
    bare_runs: list[dict] = []
    results: list[dict] = [
        {"bare": bare_runs, **{size: {"cold": [], "warm": [], "commands": new_commands(app)} for size in args.sizes}}
        for app in apps
    ]
    caches: dict[tuple[int, int], Path] = {}  # (app, size): the cache folder of a built index
    if site is not None:
        results[0]["ssh"] = {
            "na": None,
            "connect": [],
            "bare": {"local": [], "ssh": []},
            **{size: {"local": [], "ssh": []} for size in args.sizes},
        }
    own = [work / f"notes-{a}" for a in range(len(apps))]  # each revision's notes stores and homes
    for a, app in enumerate(apps):
        own[a].mkdir()
        tag = f"{app.version}: " if len(apps) > 1 else ""
        for size in args.sizes:
            if notes:
                results[a][size]["notes"] = prepare_notes(app, libraries[size], size, own[a], args)
                na = results[a][size]["notes"]["na"]
                notes_warm = not (na["notebook"] and na["save"])
            else:
                notes_warm = False
            if not core and (notes_warm or site is not None):
                # The notes and SSH sessions start warm: build the library index once, unmeasured.
                home = work / f"home-index-{a}-{size}"
                cold_session(app, libraries[size], size, home, args.timeout)
                caches[a, size] = Path(bench_env(home)["XDG_CACHE_HOME"])
                log(f"{tag}built the library index of {size} briefs for the warm sessions")
    for run in range(1, args.runs + 1):
        # Interleaved, so that a change in the machine's load falls on every program alike.
        if core:
            load = os.getloadavg()
            bare_runs.append(bare_session(bare, work / f"home-bare-{run}", args.timeout))
            bare_runs[-1]["load"] = load
            log(f"run {run}: bare app {bare_runs[-1]['first_frame_s']:.3f}s")
        order = list(enumerate(apps)) if run % 2 else list(reversed(list(enumerate(apps))))
        for size in args.sizes:
            for a, app in order:
                tag = f"{app.version}, " if len(apps) > 1 else ""
                mine = results[a][size]
                cold_now = run == 1 or not args.cold_once
                home = work / f"home-{a}-{size}-{run}"  # a fresh, empty cache folder
                if core:
                    if cold_now:
                        cold = cold_session(app, libraries[size], size, home, args.timeout)
                        mine["cold"].append(cold)
                        built = f"cold {cold['first_frame_s']:.3f}s (all rows {cold['all_rows_s']:.3f}s), "
                        if args.cold_once:
                            keep_after_cold(home, work / f"home-after-cold-{a}-{size}")
                    else:
                        as_after_cold(work / f"home-after-cold-{a}-{size}", home, work / f"home-{a}-{size}-1")
                        built = "index of run 1, "
                    # A bare app right before each warm start: the pair meets the same load.
                    load = os.getloadavg()
                    pair = bare_session(bare, work / f"home-bare-{run}-{a}-{size}", args.timeout)
                    pair["load"] = load
                    bare_runs.append(pair)
                    warm = warm_session(app, libraries[size], size, home, args.timeout, args)
                    warm["bare_pair_s"] = pair["first_frame_s"]
                    mine["warm"].append(warm)
                    log(f"run {run}: {tag}{size} briefs {built}warm {warm['first_frame_s']:.3f}s")
                    commands_run(app, libraries[size], size, home, args, mine["commands"], build=cold_now)
                    caches[a, size] = Path(bench_env(home)["XDG_CACHE_HOME"])  # the index this run built
                if notes:
                    cache = caches.get((a, size), work)
                    notes_run(app, libraries[size], size, own[a], cache, run, args, mine["notes"])
        if site is not None:
            ssh_caches = {size: caches[0, size] for size in args.sizes}
            ssh_run(site, apps[0], libraries, ssh_caches, bare, work, run, args, results[0]["ssh"])
    return results
