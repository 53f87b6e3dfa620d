"""Snapshots of what authors see, for review (open the SVGs in tests/__snapshots__/): the
source with its numbered paragraphs and sentences and the cursor on a cited sentence."""

from __future__ import annotations

from .fixtures import CONTRACT
from .pilot import app_for
from .test_snapshots import until_loaded


def test_source_cursor_on_a_cited_sentence(snap_compare, tmp_path):
    """The fact citing [S1 ¶3.1] [S1 ¶3.2]: both marked, the cursor on the first."""
    assert snap_compare(
        app_for(tmp_path, CONTRACT), terminal_size=(80, 24), press=["j"] * 5 + ["o"], run_before=until_loaded
    )
