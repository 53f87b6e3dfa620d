"""Copy as citation (``y`` on a brief): the plain text of an item with its brief, pane,
citations and cited passages, and the key that puts it in the app's clipboard.

The text goes to the terminal in an OSC 52 sequence (see tests/e2e/test_copy_terminal.py
for the real bytes); here it is checked in full, and in the Pilot tests through
``app.clipboard``, which Textual fills whatever the driver."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.citation import citation_text
from briefing.core.library import Passage
from briefing.core.model import (
    Brief,
    Citation,
    Concern,
    Event,
    Fact,
    Source,
    Stakeholder,
    When,
)
from briefing.core.safe import is_clean
from briefing.ui.screens.brief import BriefScreen

from .fixtures import CONTRACT, GOOD_BRIEF, REPORT, write_library
from .pilot import app_for, messages, press, wait_for_brief

S1 = Source("S1", "The council report", file="report.txt")
S2 = Source("S2", "A news story", kind="article", url="https://example.org/story", verified=True)
C1 = Citation("S1", 3, 2)
C2 = Citation("S2", 1)

FACT = Fact(id="cost", line=10, citations=(C1,), statement="It costs £5m a year.", figure="£5m")
STAKEHOLDER = Stakeholder(
    id="council",
    line=12,
    citations=(C1,),
    name="The Council",
    kind="government",
    stance="supports",
    role="Proposed the plan.",
)
CONCERN = Concern(
    id="cost-concern",
    line=14,
    citations=(C1,),
    title="Cost",
    category="value for money",
    raised_by="critics",
    detail="Too expensive.",
)
EVENT = Event(id="vote", line=16, citations=(C1,), when=When.parse("2021-06-01"), event="The council votes.")

BRIEF = Brief(
    id="sample",
    title="A sample brief",
    date="2024-05-01",
    status="review",
    tags=(),
    summary="A summary.",
    sources=(S1, S2),
    facts=(FACT,),
    stakeholders=(STAKEHOLDER,),
    concerns=(CONCERN,),
    timeline=(EVENT,),
)

P1 = Passage(C1, S1, "The plan costs five million pounds a year.")
P2 = Passage(C2, S2, "Critics said it was too dear.")


@pytest.mark.parametrize(
    "item, first_lines, pane",
    [
        (FACT, ["£5m · It costs £5m a year."], "Key facts"),
        (STAKEHOLDER, ["The Council (government, supports)", "Role: Proposed the plan."], "Stakeholders"),
        (CONCERN, ["Cost [value for money]", "Raised by: critics", "Detail: Too expensive."], "Concerns"),
        (EVENT, ["2021-06-01 · The council votes."], "Timeline"),
    ],
    ids=["fact", "stakeholder", "concern", "event"],
)
def test_every_pane_kind(item, first_lines, pane):
    assert citation_text(BRIEF, item, [P1]).split("\n") == [
        *first_lines,
        f"— A sample brief, {pane} [S1 ¶3.2]",
        "[S1 ¶3.2] The council report (unverified): “The plan costs five million pounds a year.”",
    ]


def test_several_citations_keep_their_order_and_each_gets_its_passage():
    concern = Concern(id="c", line=1, citations=(C2, C1), title="Cost", category="money", raised_by="", detail="")
    assert citation_text(BRIEF, concern, [P2, P1]) == (
        "Cost [money]\n"
        "— A sample brief, Concerns [S2 ¶1] [S1 ¶3.2]\n"
        "[S2 ¶1] A news story (verified): “Critics said it was too dear.”\n"
        "[S1 ¶3.2] The council report (unverified): “The plan costs five million pounds a year.”"
    )


def test_a_citation_given_twice_is_copied_once():
    fact = Fact(id="f", line=1, citations=(C1, C1), statement="Twice.")
    assert citation_text(BRIEF, fact, [P1, P1]) == (
        "Twice.\n— A sample brief, Key facts [S1 ¶3.2]\n"
        "[S1 ¶3.2] The council report (unverified): “The plan costs five million pounds a year.”"
    )


def test_an_item_with_no_citation():
    fact = Fact(id="f", line=1, citations=(), statement="Said without a source.")
    assert citation_text(BRIEF, fact, []) == "Said without a source.\n— A sample brief, Key facts"


def test_a_passage_that_cannot_be_found_says_why():
    missing = Passage(Citation("S1", 9), S1, None, "[S1 ¶9] is not in the source")
    online = Passage(C2, S2, None, "source S2 is online only: https://example.org/story")
    fact = Fact(id="f", line=1, citations=(Citation("S1", 9), C2), statement="Hard to check.")
    assert citation_text(BRIEF, fact, [missing, online]).split("\n")[2:] == [
        "[S1 ¶9] The council report (unverified) (passage not available: [S1 ¶9] is not in the source)",
        "[S2 ¶1] A news story (verified) (passage not available: source S2 is online only: https://example.org/story)",
    ]


def test_a_passage_over_several_lines_is_quoted_on_one():
    passage = Passage(C1, S1, "First line\nsecond line,\n\n  indented.")
    assert citation_text(BRIEF, FACT, [passage]).endswith("“First line second line, indented.”")


def test_each_passage_says_whether_its_source_is_verified():
    """Pasted elsewhere, a quote from an unchecked source must still read as unchecked:
    the verification follows the source's title, as on screen."""
    unverified = Source("S1", "A supplied report", file="r.txt")
    verified = Source("S2", "The minutes", file="m.txt", verified=True)
    brief = Brief(id="b", title="T", date="2024", status="draft", tags=(), summary="", sources=(unverified, verified))
    fact = Fact(id="f", line=1, citations=(C1, C2), statement="Said.")
    lines = citation_text(brief, fact, [Passage(C1, unverified, "One."), Passage(C2, verified, "Two.")]).split("\n")
    assert lines[2:] == ["[S1 ¶3.2] A supplied report (unverified): “One.”", "[S2 ¶1] The minutes (verified): “Two.”"]
    # A passage handed over without its source takes it from the brief, verification too.
    text = citation_text(brief, fact, [Passage(C2, None, "Two.")])
    assert text.endswith("[S2 ¶1] The minutes (verified): “Two.”")


def test_no_control_character_can_reach_the_clipboard():
    """The model cleans text at load time; this is built around it, as a later caller might."""
    hostile = "\x1b]52;c;ZXZpbA==\x07 \x1b[2J\x9b31m\x90q\x9c\u202e\x00\x7f\r"
    source = Source("S1", f"Source {hostile}", file="x.txt")
    brief = Brief(id="b", title=f"Title {hostile}", date="2024", status="draft", tags=(), summary="", sources=(source,))
    fact = Fact(id="f", line=1, citations=(C1,), statement=f"Fact {hostile}", figure=f"fig {hostile}")
    text = citation_text(brief, fact, [Passage(C1, source, f"Passage {hostile}\nmore")])
    assert is_clean(text)
    assert not any(ord(ch) < 0x20 and ch != "\n" or 0x7F <= ord(ch) <= 0x9F for ch in text), repr(text)
    assert text.count("\n") == 2  # a line each: the item, where it is from, the passage
    assert "␛]52;c;ZXZpbA==␇" in text  # shown, not dropped


# -- the key ----------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_y_copies_the_item_with_its_citation(size, tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=size) as pilot:
        screen = await wait_for_brief(pilot)
        assert isinstance(screen, BriefScreen)
        await press(pilot, "3", "j", "j")  # a concern with three citations
        item = screen.current_item
        assert item.pane == "concerns" and len(item.citations) == 3
        assert app.clipboard == ""
        await press(pilot, "y")
        text = app.clipboard
        passages = [screen.library.passage(screen.brief, c) for c in item.citations]
        assert text == citation_text(screen.brief, item, passages)
        lines = text.split("\n")
        assert lines[0] == item.label
        cites = " ".join(str(c) for c in item.citations)
        assert f"— {screen.brief.title}, Concerns {cites}" in lines
        for passage in passages:
            assert passage.text == REPORT.passage(passage.citation)
            assert passage.source.verification == "unverified"  # the bundled brief's one report
            assert f"{passage.citation} {passage.source.title} (unverified): “{passage.text}”" in lines
        [told] = [m for m in messages(app) if m.startswith("Copied: ")]
        assert told.startswith(f"Copied: {item.label[:40]}") and len(told) <= len("Copied: ") + 41
        # Another item replaces it; a long label is cut in the notice.
        await press(pilot, "1", "y")
        first = screen.current_item
        assert app.clipboard.split("\n")[0] == first.label != item.label
        assert len(first.label) > 41
        assert f"Copied: {first.label[:40]}…" in messages(app)


async def test_y_copies_a_passage_that_cannot_be_shown_with_the_reason(tmp_path: Path):
    """An online-only source has no text to quote: the copy says so, beside the passage
    that can be quoted."""
    brief = GOOD_BRIEF.replace(
        "    verified: true\n",
        "    verified: true\n  - id: S2\n    title: An online article\n    url: https://example.org/a\n",
    ).replace("- It costs a lot. [S1 ¶2]", "- It costs a lot. [S1 ¶2] [S2 ¶4]")
    library = write_library(tmp_path / "lib", {"sample.md": brief})
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        await press(pilot, "y")
        assert app.clipboard.split("\n") == [
            "£5m · It costs a lot.",
            "— A sample brief, Key facts [S1 ¶2] [S2 ¶4]",
            "[S1 ¶2] The sample source (verified): “Second paragraph, about money.”",
            "[S2 ¶4] An online article (unverified) (passage not available: source S2 is online only: "
            "https://example.org/a)",
        ]
        assert "Copied: £5m · It costs a lot." in messages(app)
