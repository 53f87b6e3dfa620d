"""Building the checkout's wheel as a user gets it, for the packaging and SSH tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .fixtures import ROOT

BUILD_TIMEOUT = 600  # the build and the install fetch from the package index: a hang guard


def private_env(home: Path) -> dict[str, str]:
    """This environment with HOME and the XDG folders moved into ``home``.

    Pip's own settings (``PIP_*``) stay, so the build and the install reach the same index;
    anything that would let the checkout leak into the installed program goes.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "BRIEFING_", "TEXTUAL", "CONDA"))
    }
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env["HOME"] = str(home)
    return env


def run(
    argv: list[str | Path], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``argv``; it must succeed (the failure message holds the end of its output)."""
    proc = subprocess.run(
        [os.fspath(a) for a in argv],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert proc.returncode == 0, (
        f"{' '.join(map(str, argv))} exited {proc.returncode}\n"
        f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
    )
    return proc


def build_wheel(outdir: Path, env: dict[str, str], cwd: Path) -> Path:
    """Build the checkout's wheel into ``outdir``; the one wheel built."""
    run([sys.executable, "-m", "build", "--wheel", "--outdir", outdir, ROOT], env, cwd=cwd, timeout=BUILD_TIMEOUT)
    wheels = sorted(outdir.glob("briefing-*.whl"))
    assert len(wheels) == 1, f"expected one wheel, found {wheels}"
    return wheels[0]
