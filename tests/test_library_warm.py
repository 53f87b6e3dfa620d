"""The library read from its index (a warm start) behaves as after a full reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.ui.app import make_app
from briefing.ui.widgets.rowlist import RowList

from .fixtures import BUNDLED
from .pilot import wait_for_library


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_filter_with_no_match_on_a_warm_start_says_so(tmp_path: Path, size):
    index = tmp_path / "index.json"
    cold = make_app([BUNDLED], index, store_path=tmp_path / "notes.json")
    async with cold.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        await pilot.pause(0.5)  # the scan writes the index
    assert index.exists()
    warm = make_app([BUNDLED], index, store_path=tmp_path / "notes.json")
    async with warm.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("slash", *"zzzz")
        rows = library.query_one("#briefs", RowList)
        assert rows.rows == []
        assert rows.empty == "No brief matches the filter."
        await pilot.pause()
        assert "No brief matches the filter." in rows.render_line(0).text
