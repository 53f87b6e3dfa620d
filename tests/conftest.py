"""Every test runs with its XDG folders and HOME in a temporary folder: no real home is touched.

The tests in tests/e2e/ (the installed command in a real terminal, over SSH) and the
packaging tests (a wheel built and installed) are marked ``slow``, and so are the few marked
by hand; ``pytest -m "not slow"`` runs the rest, the unit and Pilot tests, in about a minute.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.core.model import Brief
from briefing.core.parse import load_brief

from .fixtures import BUNDLED, CONTRACT, GOOD_BRIEF, write_library

TESTS = Path(__file__).resolve().parent
# Slow by where they are: what needs a real terminal or an sshd, and the wheel's build.
E2E = TESTS / "e2e"
PACKAGING = TESTS / "test_packaging.py"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path.resolve()
        if path.is_relative_to(E2E) or path == PACKAGING:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("BRIEFING_LIBRARY", raising=False)
    monkeypatch.delenv("BRIEFING_STORE", raising=False)
    return home


@pytest.fixture
def sample_library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})


@pytest.fixture(scope="session")
def brief() -> Brief:
    """The bundled brief most tests open (``CONTRACT``), as the checkout has it: what the
    tests expect on screen is taken from it, so editing its wording breaks none of them."""
    return load_brief(BUNDLED / f"{CONTRACT}.md")


@pytest.fixture
def stores():
    """Open notes stores through this, so every lock file descriptor is closed after the test."""
    from briefing.store.notes import Store

    opened: list[Store] = []

    def open_store(path: Path, **kwargs) -> Store:
        store = Store(path, **kwargs)
        opened.append(store)
        return store

    yield open_store
    for store in opened:
        store.close()


@pytest.fixture
def open_umask():
    """A umask of 0 for the test (files and folders as open as the caller allows)."""
    old = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(old)
