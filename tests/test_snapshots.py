"""Snapshots of the main screens, for review (open the SVGs in tests/__snapshots__/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.app import make_app
from briefing.screens.brief import BriefScreen
from briefing.screens.library import LibraryScreen

from .fixtures import BUNDLED


async def until_loaded(pilot) -> None:
    for _ in range(200):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, BriefScreen) or (isinstance(screen, LibraryScreen) and screen.loaded
                                               and not pilot.app.library.entries == []):
            break
    await pilot.pause()


def app(tmp_path: Path, brief: str | None = None):
    return make_app([BUNDLED], tmp_path / "index.json", open_brief=brief)


def test_library(snap_compare, tmp_path):
    assert snap_compare(app(tmp_path), terminal_size=(80, 24), run_before=until_loaded)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_brief(size, snap_compare, tmp_path):
    assert snap_compare(app(tmp_path, "met-palantir-contract"), terminal_size=size,
                        press=["2", "j"], run_before=until_loaded)


def test_source(snap_compare, tmp_path):
    assert snap_compare(app(tmp_path, "met-palantir-contract"), terminal_size=(80, 24),
                        press=["3", "j", "o"], run_before=until_loaded)


def test_help(snap_compare, tmp_path):
    assert snap_compare(app(tmp_path, "met-palantir-contract"), terminal_size=(80, 24),
                        press=["question_mark"], run_before=until_loaded)
