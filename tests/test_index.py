"""The library index: the cache of what the library read, one file per set of library
folders. A brief unchanged since is taken from it, not parsed; a changed one is read again;
a corrupt index is ignored; and what the index gives equals what a full reading gives."""

from __future__ import annotations

from pathlib import Path

from briefing.core.library import Library

from .fixtures import GOOD_BRIEF, SOURCE_TEXT, write_library


def test_library_index_is_reused_and_refreshed(tmp_path: Path):
    lib = write_library(tmp_path / "lib", {"b.md": GOOD_BRIEF})
    index = tmp_path / "cache" / "index.json"
    first = Library([lib], index)
    first.scan()
    assert index.exists()
    second = Library([lib], index)
    second.summarise = None  # an unchanged file must come from the index, not be parsed
    second.scan()
    assert [s.id for s in second.summaries] == ["sample"]
    (lib / "b.md").write_text(GOOD_BRIEF.replace("A sample brief", "A renamed brief"), encoding="utf-8")
    third = Library([lib], index)
    third.scan()
    assert third.summaries[0].title == "A renamed brief"


def test_entries_read_from_the_index_equal_the_scanned_ones_and_share_repeated_values(tmp_path: Path):
    briefs = {f"b{i}.md": GOOD_BRIEF.replace("id: sample", f"id: sample-{i}") for i in range(3)}
    lib = write_library(tmp_path / "lib", briefs)
    index = tmp_path / "cache" / "index.json"
    scanned = Library([lib], index)
    scanned.scan()
    read = Library([lib], index)
    assert read.load_index() is True
    assert read.entries == scanned.entries
    first, *others = read.entries
    for other in others:  # one copy of what every brief has alike, not one per brief
        assert other.library is first.library
        assert other.summary.status is first.summary.status
        assert other.summary.tags is first.summary.tags
        assert other.summary.counts is first.summary.counts


def test_a_corrupt_index_is_ignored(tmp_path: Path):
    lib = write_library(tmp_path / "lib", {"b.md": GOOD_BRIEF})
    index = tmp_path / "index.json"
    index.write_text("{not json", encoding="utf-8")
    library = Library([lib], index)
    library.scan()
    assert [s.id for s in library.summaries] == ["sample"]


def test_fixing_a_source_clears_the_briefs_error(tmp_path: Path):
    """A citation error comes from the source file, which the brief's stamp does not cover."""
    text = GOOD_BRIEF.replace("[S1 ¶2]\n  figure", "[S1 ¶4]\n  figure")
    lib = write_library(tmp_path / "lib", {"sample.md": text})
    index = tmp_path / "index.json"
    library = Library([lib], index)
    library.scan()
    assert [(Path(e.file).name, "source S1 has 3 paragraphs" in e.message) for e in library.errors] == [
        ("sample.md", True)
    ]
    (lib / "sources" / "sample.txt").write_text(SOURCE_TEXT + "A fourth paragraph.\n", encoding="utf-8")
    assert library.scan() is True  # the same session, pressing r
    assert [s.id for s in library.summaries] == ["sample"] and not library.errors
    again = Library([lib], index)  # the next start, from the index
    again.load_index()
    again.scan()
    assert not again.errors
    assert again.brief("sample").facts[0].citations[0].paragraph == 4
