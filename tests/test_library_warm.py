"""The library read from its index (a warm start) behaves as after a full reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.ui.widgets.rowlist import RowList

from .pilot import app_for, press, settled, wait_for_library


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_filter_with_no_match_on_a_warm_start_says_so(tmp_path: Path, size):
    index = tmp_path / "index.json"
    cold = app_for(tmp_path)
    async with cold.run_test(size=size) as pilot:
        await wait_for_library(pilot)  # and its reading, which writes the index, done
    assert index.exists()
    warm = app_for(tmp_path)
    async with warm.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        await press(pilot, "slash", *"zzzz")
        rows = library.query_one("#briefs", RowList)
        assert rows.rows == []
        assert rows.empty == "No brief matches the filter."
        await settled(pilot)
        assert "No brief matches the filter." in rows.render_line(0).text
