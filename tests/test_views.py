"""Views across briefs and the library list's sorting and grouping, at 80x24 and 160x48, on
a small library written here: two briefs share a stakeholder by explicit id, one by name
(with diacritics), and the timelines hold partial and fuzzy dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.index import Index
from briefing.core.indexing import update
from briefing.core.query import parse_query
from briefing.store.notes import Store
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.widgets.rowlist import Heading, RowList

from .fixtures import write_library
from .hostile_fixtures import CLICK, LINK
from .pilot import app_for, press, wait_for_library

SIZES = [(80, 24), (160, 48)]
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


def rows_of(screen) -> list:
    return list(screen.query_one(RowList).rows)


def shown_lines(rowlist: RowList) -> list[str]:
    """The list's lines as drawn on the screen."""
    return [rowlist.render_line(y).text for y in range(rowlist.size.height)]


# -- the library list: sort, group, columns -------------------------------------------------


def test_the_library_groups_statuses_in_the_models_order():
    from briefing.core.model import STATUSES
    from briefing.ui.screens.library import STATUS_ORDER

    assert STATUS_ORDER == STATUSES


def ids_of(screen: LibraryScreen) -> list[str | tuple[str, str]]:
    out: list[str | tuple[str, str]] = []
    for row in rows_of(screen):
        out.append(("heading", row.title) if isinstance(row, Heading) else row.summary.id)
    return out


@pytest.mark.parametrize("size", SIZES)
async def test_sort_and_group_change_the_order_shown(size, views_library: Path, tmp_path: Path):
    store = Store(tmp_path / "notes.json")
    store.add_note("review", None, None, "A review of police technology", "First")
    store.add_note("review", None, None, "A review of police technology", "Second")
    store.close()
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        header = library.query_one("#library-header")
        assert ids_of(library) == ["budget", "council", "review"]  # newest first
        assert "sort: newest first" in str(header.content)
        columns = str(library.query_one("#library-columns").render())
        assert "Date" in columns and "Title" in columns and "F   S   C   T" in columns
        detail = str(library.query_one("#library-detail").render())
        assert "F 1 key fact · S 2 stakeholders · C 2 concerns · T 1 timeline entry" in detail

        await press(pilot, "j")  # on council: the cursor stays on it through every order
        await press(pilot, "o")
        assert ids_of(library) == ["review", "budget", "council"]  # title: A, B, T
        assert "sort: title" in str(header.content)
        assert library.query_one(RowList).current.summary.id == "council"
        await press(pilot, "o")
        assert ids_of(library) == ["council", "budget", "review"]  # draft, review, published
        await press(pilot, "o")
        assert ids_of(library) == ["review", "budget", "council"]  # most notes, then newest
        assert "sort: most notes" in str(header.content)
        await press(pilot, "o")
        assert ids_of(library) == ["budget", "council", "review"]

        await press(pilot, "w")
        assert "group: tag" in str(header.content)
        assert ids_of(library) == [
            ("heading", "#ai"),
            "council",
            "review",
            ("heading", "#policing"),
            "council",
            ("heading", "No tag"),
            "budget",
        ]
        rows = library.query_one(RowList)
        assert rows.current.summary.id == "council" and rows.cursor == 1
        await press(pilot, "g", "k")
        assert rows.cursor == 1  # the heading above is not landed on
        await press(pilot, "j", "j")
        assert rows.cursor == 4  # over the #policing heading
        await press(pilot, "w")
        assert ids_of(library) == [
            ("heading", "draft"),
            "council",
            ("heading", "review"),
            "budget",
            ("heading", "published"),
            "review",
        ]
        await press(pilot, "slash", *"technology")  # the filter keeps the groups of what it finds
        assert ids_of(library) == [("heading", "published"), "review"]
        await press(pilot, "escape", "w")  # one folder: no folder grouping; back to none
        assert "group: none" in str(header.content)
        assert ids_of(library) == ["budget", "council", "review"]


async def test_several_libraries_show_and_group_by_folder(views_library: Path, tmp_path: Path):
    other = write_library(tmp_path / "drafts", {"review.md": REVIEW.replace("id: review", "id: second")})
    from briefing.ui.app import make_app

    app = make_app([views_library, other], tmp_path / "index.sqlite", store_path=tmp_path / "notes.json")
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        assert "Folder" in str(library.query_one("#library-columns").render())
        lines = shown_lines(library.query_one(RowList))
        assert any("drafts" in line for line in lines) and any("lib" in line for line in lines)
        await press(pilot, "w", "w", "w")
        assert "group: folder" in str(library.query_one("#library-header").content)
        assert ids_of(library) == [("heading", "lib"), "budget", "council", "review", ("heading", "drafts"), "second"]
        assert "Folder" not in str(library.query_one("#library-columns").render())
