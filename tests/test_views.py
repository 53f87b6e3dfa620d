"""Views across briefs, on a small library written here: two briefs share a stakeholder by
explicit id, one by name (with diacritics), and the timelines hold partial and fuzzy dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.index import Index
from briefing.core.indexing import update
from briefing.core.query import parse_query

from .fixtures import write_library
from .hostile_fixtures import CLICK, LINK

HOSTILE = f"{LINK} {CLICK} [bold red]Boss[/]"


def brief(
    brief_id: str,
    title: str,
    date: str,
    status: str,
    tags: str,
    stakeholders: list[str],
    concerns: list[str],
    timeline: list[str],
) -> str:
    return (
        f"---\nid: {brief_id}\ntitle: {title}\ndate: {date}\nstatus: {status}\ntags: [{tags}]\n"
        "summary: >\n  A brief written for the tests of the views.\n"
        "sources:\n  - id: S1\n    title: The sample source\n    file: sample.txt\n---\n\n"
        f"## Key facts\n\n- A fact of {brief_id}. [S1 ¶1]\n\n"
        "## Stakeholders\n\n" + "\n".join(stakeholders) + "\n\n"
        "## Concerns\n\n" + "\n".join(concerns) + "\n\n"
        "## Timeline\n\n" + "\n".join(timeline) + "\n"
    )


def stakeholder(name: str, kind: str, stance: str, role: str) -> str:
    return f"- {name}\n  kind: {kind}\n  stance: {stance}\n  {role} [S1 ¶1]"


def concern(title: str, category: str, raised_by: str) -> str:
    return f"- {title}\n  category: {category}\n  raised by: {raised_by}\n  Some detail. [S1 ¶2]"


def event(when: str, what: str) -> str:
    return f"- {when}\n  {what} [S1 ¶3]"


COUNCIL = brief(
    "council",
    "The council's contract",
    "2024-05-01",
    "draft",
    "ai, policing",
    [
        stakeholder("The Mayor {#mayor}", "government", "opposes", "Blocked the contract."),
        stakeholder("Zoë O'Brien", "public", "supports", "Spoke for the plan at the meeting."),
    ],
    [concern("Cost", "value for money", "critics")],
    [
        event("2024-03", "The council voted on the contract."),
        event("2024-06", "The pilot ended early."),
        event("during the summer", "Officers were trained."),
    ],
)
REVIEW = brief(
    "review",
    "A review of police technology",
    "2023-01-10",
    "published",
    "ai",
    [
        stakeholder("Sadiq Khan {#mayor}", "mayor", "supports", "Asked for the review."),
        stakeholder("ZOE O BRIEN", "public", "opposes", "Wrote to the review."),
    ],
    [concern("Privacy risk", "Privacy", "campaigners")],
    [
        event("undated", "Concerns were first raised."),
        event("2023-11-05", "The review was published."),
    ],
)
BUDGET = brief(
    "budget",
    "Budget questions",
    "2025-02-01",
    "review",
    "",
    [
        stakeholder("the mayor", "government", "neutral", "Set the budget."),
        stakeholder(HOSTILE, "vendor", "unknown", f"Said {CLICK} and more."),
    ],
    [
        concern("Cost overrun", "Value for Money", "auditors"),
        concern(f"Markup {CLICK}", "ethics", HOSTILE),
    ],
    [event("2025-01", "The budget was set.")],
)


@pytest.fixture
def views_library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib", {"council.md": COUNCIL, "review.md": REVIEW, "budget.md": BUDGET})


def test_a_timeline_query_of_only_left_out_words_leaves_them_out(views_library: Path, tmp_path: Path):
    index = Index(tmp_path / "index.sqlite")
    index.open([views_library])
    update(index, [views_library], processes=0)
    everything = {row[3] for row in index.timeline(None)}
    assert everything == {"council", "review", "budget"}
    assert {row[3] for row in index.timeline(parse_query("-budget"))} == {"council", "review"}
    assert {row[3] for row in index.timeline(parse_query("-budget -council"))} == {"review"}
