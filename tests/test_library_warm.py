"""The library read from its index (a warm start) behaves as after a full reading: it reads
no brief to show the list, and what changed since is picked up by the scan after it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.core import indexing
from briefing.ui.widgets.rowlist import RowList

from .fixtures import BUNDLED, CONTRACT
from .pilot import app_for, press, settled, wait_for_library


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every brief file the index parses from now on (the bundled library is
    small: it is parsed in this process, in the scan's thread)."""
    seen: list[str] = []
    real = indexing.read_brief

    def counting(root: str, path: str):
        seen.append(Path(path).name)
        return real(root, path)

    monkeypatch.setattr(indexing, "read_brief", counting)
    return seen


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_filter_with_no_match_on_a_warm_start_says_so(tmp_path: Path, size, parsed: list[str]):
    index = tmp_path / "index.sqlite"
    cold = app_for(tmp_path)
    async with cold.run_test(size=size) as pilot:
        await wait_for_library(pilot)  # and its reading, which writes the index, done
    assert index.read_bytes().startswith(b"SQLite format 3\x00")
    assert f"{CONTRACT}.md" in parsed
    parsed.clear()
    warm = app_for(tmp_path)
    async with warm.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        assert parsed == []  # the list came from the index, and the scan found nothing new
        await press(pilot, "slash", *"zzzz")
        rows = library.query_one("#briefs", RowList)
        assert len(rows.rows) == 0
        assert rows.empty == "No brief matches the filter."
        await settled(pilot)
        assert "No brief matches the filter." in rows.render_line(0).text


async def test_a_brief_changed_since_the_last_start_is_shown_as_it_is_now(tmp_path: Path, parsed: list[str]):
    lib = tmp_path / "lib"
    shutil.copytree(BUNDLED, lib)
    async with app_for(tmp_path, library=lib).run_test(size=(120, 30)) as pilot:
        await wait_for_library(pilot)
    path = lib / f"{CONTRACT}.md"
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    path.write_text(text.replace(title, "title: A title written since"), encoding="utf-8")
    parsed.clear()
    async with app_for(tmp_path, library=lib).run_test(size=(120, 30)) as pilot:
        library = await wait_for_library(pilot)
        assert parsed == [f"{CONTRACT}.md"]  # that brief only
        titles = [e.summary.title for e in library.library.entries if e.summary]
        assert "A title written since" in titles and title.removeprefix("title: ") not in titles
        rows = library.query_one("#briefs", RowList)
        assert any("A title written since" in rows.render_line(y).text for y in range(len(titles)))
