"""The brief format: every field, ids, citations, fuzzy dates and their order."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.model import (
    Citation,
    Concern,
    Event,
    Fact,
    Stakeholder,
    When,
    chronological,
)
from briefing.core.parse import BriefError, load_brief, parse_brief, slugify
from briefing.core.sources import SourceDocument

from .fixtures import GOOD_BRIEF


def parse(text: str = GOOD_BRIEF, stem: str = "sample"):
    return parse_brief(text, f"{stem}.md", stem)


def test_front_matter_fields():
    brief = parse()
    assert brief.id == "sample"
    assert brief.title == "A sample brief"
    assert brief.date == "2024-05-01"
    assert brief.status == "review"
    assert brief.tags == ("one", "two")
    assert brief.summary == "A short summary."
    (source,) = brief.sources
    assert (source.id, source.title, source.file, source.kind, source.verified) == (
        "S1",
        "The sample source",
        "sample.txt",
        "report",
        True,
    )


def test_id_defaults_to_the_file_stem():
    text = GOOD_BRIEF.replace("id: sample\n", "")
    assert parse(text, stem="from-the-file").id == "from-the-file"


def test_pane_items_and_their_fields():
    brief = parse()
    fact, second = brief.facts
    assert isinstance(fact, Fact)
    assert fact.statement == "It costs a lot."
    assert fact.figure == "£5m"
    assert fact.citations == (Citation("S1", 2),)
    assert second.id == "two" and second.citations == (Citation("S1", 1, 2),)
    (who,) = brief.stakeholders
    assert isinstance(who, Stakeholder)
    assert (who.name, who.kind, who.stance, who.role) == ("The Council", "government", "supports", "Proposed the plan.")
    (concern,) = brief.concerns
    assert isinstance(concern, Concern)
    assert (concern.title, concern.category, concern.raised_by, concern.detail) == (
        "Cost",
        "value for money",
        "critics",
        "Too expensive.",
    )
    assert all(isinstance(e, Event) for e in brief.timeline)


def test_item_lines_point_at_the_file():
    brief = parse()
    lines = GOOD_BRIEF.splitlines()
    for item in brief.items():
        assert lines[item.line - 1].startswith("- "), item


def test_derived_ids_survive_reordering():
    brief = parse()
    facts = GOOD_BRIEF.index("## Key facts")
    block = GOOD_BRIEF[facts : GOOD_BRIEF.index("## Stakeholders")]
    first, second = block.split("\n- ")[1], block.split("\n- ")[2]
    swapped = GOOD_BRIEF.replace(block, f"## Key facts\n\n- {second.rstrip()}\n- {first.rstrip()}\n\n")
    again = parse(swapped)
    assert [f.id for f in again.facts] == [f.id for f in reversed(brief.facts)]
    assert brief.facts[0].id == "it-costs-a-lot"


def test_duplicate_derived_ids_are_numbered_and_explicit_ones_refused():
    text = GOOD_BRIEF.replace("- Two sentences are here. {#two} [S1 ¶1.2]", "- It costs a lot. [S1 ¶1]")
    brief = parse(text)
    assert [f.id for f in brief.facts] == ["it-costs-a-lot", "it-costs-a-lot-2"]
    text = GOOD_BRIEF.replace("- The Council\n", "- The Council {#two}\n")
    with pytest.raises(BriefError, match="item id 'two' is used twice"):
        parse(text)


def test_slugify_is_ascii_and_short():
    assert slugify("Ça coûte £50m — très cher, vraiment beaucoup trop") == "ca-coute-50m-tres-cher-vraiment"
    assert slugify("!!!") == "item"


def test_fuzzy_dates_keep_the_authors_order():
    brief = parse()
    ordered = [e.when.text for e in brief.pane("timeline")]
    assert ordered == ["undated", "2020", "2021-06-01", "during the summer"]


def test_chronological_orders_partial_dates_and_sort_field():
    def event(text, sort=None):
        return Event(id=text, line=1, citations=(), when=When.parse(text, sort), event=text)

    events = [
        event("2020-03-23"),
        event("pending"),
        event("2020"),
        event("2020-03"),
        event("during the pandemic", sort="2019"),
    ]
    assert [e.when.text for e in chronological(events)] == [
        "during the pandemic",
        "2020",
        "2020-03",
        "2020-03-23",
        "pending",
    ]
    assert When.parse("during the pandemic").fuzzy
    assert When.parse("2020-03").key == (2020, 3, 0)


def test_citation_spellings():
    text = GOOD_BRIEF.replace("[S1 ¶2]\n  figure", "[S1 p2] [S1 para 3]\n  figure")
    fact = parse(text).facts[0]
    assert fact.citations == (Citation("S1", 2), Citation("S1", 3))
    assert str(Citation("S1", 3, 2)) == "[S1 ¶3.2]"


def test_markdown_emphasis_dropped_and_links_shown_with_target():
    text = GOOD_BRIEF.replace("It costs a lot.", "It costs **a lot**, see [the report](https://example.org/r).")
    assert parse(text).facts[0].statement == "It costs a lot, see the report <https://example.org/r>."


def test_source_paragraphs_and_sentences():
    lines = SourceDocument.from_text("One. Two!\nThree?\n")
    assert lines.paragraphs == ("One. Two!", "Three?")
    assert lines.passage(Citation("S1", 1, 2)) == "Two!"
    blocks = SourceDocument.from_text("A first\nparagraph.\n\nA second.\n")
    assert blocks.paragraphs == ("A first paragraph.", "A second.")
    assert not blocks.has(Citation("S1", 3))
    assert not blocks.has(Citation("S1", 2, 2))


def test_the_supplied_source_has_one_paragraph_per_line():
    text = (Path(__file__).resolve().parent.parent / "briefs/sources/met-police-palantir-report.txt").read_text()
    document = SourceDocument.from_text(text)
    assert len(document.paragraphs) == 5
    assert document.paragraphs[0].startswith("Mayor of London Sadiq Khan")


def test_load_brief_reads_a_file(tmp_path: Path):
    path = tmp_path / "sample.md"
    path.write_text(GOOD_BRIEF, encoding="utf-8")
    assert load_brief(path).path == str(path)


def test_a_derived_id_never_takes_an_explicit_one():
    text = GOOD_BRIEF.replace(
        "- Two sentences are here. {#two} [S1 ¶1.2]", "- Other. {#it-costs-a-lot-2} [S1 ¶1]\n- It costs a lot. [S1 ¶1]"
    )
    ids = [f.id for f in parse(text).facts]
    assert ids == ["it-costs-a-lot", "it-costs-a-lot-2", "it-costs-a-lot-3"]
