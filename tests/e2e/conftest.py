"""Fixtures for the end-to-end tests: the installed command, a private home, a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .terminal import Terminal, terminal_env


@pytest.fixture(scope="session")
def briefing_command() -> Path:
    """The ``briefing`` script installed next to this Python, as a user would run it."""
    command = Path(sys.executable).parent / "briefing"
    assert command.is_file(), f"the briefing command is not installed next to {sys.executable}"
    return command


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """HOME and the XDG folders of the program under test, all inside tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def term_env(home: Path) -> dict[str, str]:
    return terminal_env(home)


@pytest.fixture
def spawn(briefing_command: Path, term_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    """Start ``briefing ARGS…`` in an 80×24 pseudo-terminal; every one is stopped afterwards."""
    started: list[Terminal] = []
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def start(*args: str, columns: int = 80, rows: int = 24) -> Terminal:
        term = Terminal([briefing_command, *args], term_env, columns=columns, rows=rows, cwd=workdir)
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()
