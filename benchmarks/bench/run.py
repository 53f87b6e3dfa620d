"""Running everything: the libraries generated, then each run's sessions interleaved, so
that a change in the machine's load falls on every program alike."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .common import log
from .generate import generate_library, write_bare_app
from .notes import notes_run, prepare_notes
from .revision import Briefing
from .sessions import bare_session, cold_session, warm_session
from .ssh import SshSite, load_sshd_module, ssh_run
from .terminal import bench_env


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


def _run_all(
    args: argparse.Namespace, app: Briefing, work: Path, core: bool, notes: bool, site: SshSite | None
) -> dict:
    libraries = {}
    for size in args.sizes:
        t = time.monotonic()
        libraries[size] = generate_library(work / f"library-{size}", size)
        log(f"generated {size} synthetic briefs in {time.monotonic() - t:.1f}s")
    bare = write_bare_app(work)
    results: dict = {"bare": [], **{size: {"cold": [], "warm": []} for size in args.sizes}}
    caches: dict[int, Path] = {}
    if site is not None:
        results["ssh"] = {
            "na": None,
            "connect": [],
            "bare": {"local": [], "ssh": []},
            **{size: {"local": [], "ssh": []} for size in args.sizes},
        }
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
                notes_run(app, libraries[size], size, work, caches.get(size, work), run, args, results[size]["notes"])
        if site is not None:
            ssh_run(site, app, libraries, caches, bare, work, run, args, results["ssh"])
    return results
