"""Which briefing is measured: the venv's command (the working tree), or the ``src/`` of a
commit exported with git archive (``--rev``)."""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .common import ROOT, VENV_BIN
from .terminal import Terminal, bench_env


@dataclass(frozen=True)
class Briefing:
    """How to start briefing: the venv's command (the working tree), or a commit exported by --rev."""

    argv: tuple[str, ...]
    version: str
    pythonpath: str | None = None

    def term(self, library: Path, home: Path) -> Terminal:
        return Terminal([*self.argv, "--library", str(library)], bench_env(home, self.pythonpath))


def installed_briefing() -> Briefing:
    return Briefing((str(VENV_BIN / "briefing"),), git("describe", "--always", "--dirty"))


def exported_briefing(rev: str, folder: Path) -> Briefing:
    """``src/`` of commit ``rev``, exported with git archive, run with the venv's Python."""
    sha = git("rev-parse", "--short", f"{rev}^{{commit}}")
    if sha == "unknown":
        raise RuntimeError(f"no such commit: {rev}")
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", sha, "src"], capture_output=True, check=True, timeout=60
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    # Compile now, as an installed tree would be, so the first start does not pay for it.
    subprocess.run([str(VENV_BIN / "python"), "-m", "compileall", "-q", str(folder / "src")], check=True, timeout=120)
    return Briefing((str(VENV_BIN / "python"), "-c", launch(sha)), sha, str(folder / "src"))


def launch(sha: str) -> str:
    """What the ``briefing`` command of commit ``sha`` does, as code for ``python -c`` with its
    source tree first on PYTHONPATH: call the entry point its pyproject.toml names
    (``briefing.__main__:main`` before the layer folders, ``briefing.cli.main:main`` since)."""
    try:
        text = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{sha}:pyproject.toml"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
        entry = tomllib.loads(text)["project"]["scripts"]["briefing"]
    except (subprocess.SubprocessError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise RuntimeError(f"commit {sha} has no briefing command in its pyproject.toml ({exc!r})") from exc
    found = re.fullmatch(r"([\w.]+):(\w+)", entry.strip())
    if found is None:
        raise RuntimeError(f"commit {sha}: cannot run the entry point {entry!r}")
    module, function = found.groups()
    return f"import sys; from {module} import {function}; sys.exit({function}())"


def git(*args: str) -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def src_folder(app: Briefing) -> Path:
    """The ``briefing`` package being measured: the working tree's, or the exported commit's."""
    return Path(app.pythonpath) / "briefing" if app.pythonpath else ROOT / "src" / "briefing"
