"""Snapshots of what authors see, for review (open the SVGs in tests/__snapshots__/): the
source with its numbered paragraphs and sentences and the cursor on a cited sentence; a
brief with drafted items and a claim."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .fixtures import BUNDLED, CONTRACT
from .pilot import app_for
from .test_snapshots import until_loaded

# The bundled brief with two items as `briefing draft` leaves them and one fact made a claim.
EDITS = [
    (
        "- The proposed contract was worth £50 million. [S1 ¶1.1] {#value-50m}\n  figure: £50m\n",
        "- The proposed contract was worth £50 million. [S1 ¶1.1] {#value-50m}\n  figure: £50m\n  drafted: figure\n",
    ),
    (
        "- The agreement was to run for five years. [S1 ¶2.1] {#term-five-years}\n  figure: 5 years\n",
        "- The agreement was to run for five years. [S1 ¶2.1] {#term-five-years}\n  figure: 5 years\n"
        "  according to: the news report\n",
    ),
    (
        "- Palantir {#palantir}\n  kind: vendor\n  stance: unknown\n",
        "- Palantir {#palantir}\n  kind: vendor\n  stance: unknown\n  drafted: S1 ¶1.1\n",
    ),
]


def drafted_library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    shutil.copytree(BUNDLED, library)
    brief = library / f"{CONTRACT}.md"
    text = brief.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new)
    brief.write_text(text, encoding="utf-8")
    return library


def test_source_cursor_on_a_cited_sentence(snap_compare, tmp_path):
    """The fact citing [S1 ¶3.1] [S1 ¶3.2]: both marked, the cursor on the first."""
    assert snap_compare(
        app_for(tmp_path, CONTRACT), terminal_size=(80, 24), press=["j"] * 5 + ["o"], run_before=until_loaded
    )


@pytest.mark.parametrize(
    ("size", "keys"),
    [((80, 24), ["j"]), ((160, 48), ["j", "j"])],
    ids=["80x24-on-the-drafted-fact", "160x48-on-the-claim"],
)
def test_brief_with_drafted_items_and_a_claim(size, keys, snap_compare, tmp_path):
    library = drafted_library(tmp_path)
    assert snap_compare(
        app_for(tmp_path, CONTRACT, library=library), terminal_size=size, press=keys, run_before=until_loaded
    )
