"""The wheel as a user gets it: built, installed into a fresh venv, run from outside the checkout.

Slow (about a minute: the build and the install fetch from PyPI), and deliberately so: it is
the only test that catches a brief, a source or the stylesheet missing from the wheel, or the
installed command finding its library in the checkout instead of in the package.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing.core.enums import PANES

from .building import BUILD_TIMEOUT, build_wheel, private_env, run
from .fixtures import CONTRACT, ROOT

WHEEL_FILES = (
    "briefing/_data/briefs/met-palantir-contract.md",
    "briefing/_data/briefs/sources/met-police-palantir-report.txt",
    "briefing/_data/briefs/FORMAT.md",
    "briefing/_data/themes/briefing-dark.toml",
    "briefing/_data/themes/briefing-mono.toml",
    "briefing/_data/themes/briefing-ansi.toml",
    "briefing/_data/themes/briefing-light.toml",
    "briefing/_data/themes/briefing-high-contrast.toml",
    "briefing/ui/briefing.tcss",
)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    purelib: Path  # the fresh venv's site-packages

    @property
    def briefing(self) -> Path:
        return self.venv / "bin" / "briefing"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel once, and install it once into a new venv, for the whole module."""
    base = tmp_path_factory.mktemp("packaging")
    env = private_env(base / "home")
    wheel = build_wheel(base / "dist", env, cwd=base)

    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv], env, cwd=base)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--no-input", wheel], env, cwd=base, timeout=BUILD_TIMEOUT)
    purelib = run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env, cwd=base
    ).stdout.strip()
    return Installed(wheel, venv, Path(purelib))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A working folder outside the checkout."""
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    assert not cwd.resolve().is_relative_to(ROOT)
    return cwd


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return private_env(tmp_path / "home")


def test_the_wheel_holds_the_bundled_library_and_the_stylesheet(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    missing = [name for name in WHEEL_FILES if name not in names]
    assert missing == [], f"missing from {installed.wheel.name}: {missing}"
    # Every brief and source of the checkout's library is in it, not just the one named above.
    for path in (ROOT / "briefs").rglob("*"):
        if path.is_file():
            assert f"briefing/_data/briefs/{path.relative_to(ROOT / 'briefs').as_posix()}" in names


def test_installed_show_prints_the_brief(installed: Installed, env, outside: Path, brief) -> None:
    out = run([installed.briefing, "show", CONTRACT], env, cwd=outside).stdout
    assert out.splitlines()[0] == brief.title
    # Every item, with its id, in the brief's order.
    assert re.findall(r"\{#([^}]+)\}", out) == [item.id for item in brief.items()]


def test_installed_show_json(installed: Installed, env, outside: Path, brief) -> None:
    data = json.loads(run([installed.briefing, "show", CONTRACT, "--format", "json"], env, cwd=outside).stdout)
    assert data["id"] == CONTRACT
    assert data["title"] == brief.title
    for pane in PANES:
        assert [item["id"] for item in data[pane]] == [item.id for item in brief.pane(pane)]
    # Each cited passage was read from the source file that ships in the wheel.
    citations = [c for pane in PANES for item in data[pane] for c in item["citations"]]
    assert len(citations) == sum(len(item.citations) for item in brief.items())
    assert all(c["passage"].strip() for c in citations)


def test_installed_locate_points_into_the_package(installed: Installed, env, outside: Path, tmp_path: Path) -> None:
    out = run([installed.briefing, "locate"], env, cwd=outside).stdout
    rows = [line.split(":", 1) for line in out.splitlines() if ":" in line]
    where = {name.strip(): value.strip() for name, value in rows}
    library = Path(where["library"]).resolve()
    assert library == (installed.purelib / "briefing" / "_data" / "briefs").resolve()
    assert not library.is_relative_to(ROOT)
    assert Path(where["sources"]).resolve() == library / "sources"
    assert Path(where["themes"]).resolve() == (installed.purelib / "briefing" / "_data" / "themes").resolve()
    home = tmp_path / "home"
    for name in ("data", "config", "cache"):
        assert Path(where[name]).is_relative_to(home), f"{name} is outside the private home: {where[name]}"


def test_installed_check_passes_on_the_bundled_library(installed: Installed, env, outside: Path) -> None:
    proc = run([installed.briefing, "check"], env, cwd=outside)
    assert "0 with problems" in proc.stderr
