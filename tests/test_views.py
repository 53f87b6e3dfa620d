"""Views across briefs (people and bodies, one timeline, concerns by category) and the
library list's sorting and grouping, at 80x24 and 160x48, on a small library written here:
two briefs share a stakeholder by explicit id, one by name (with diacritics), and the
timelines hold partial and fuzzy dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.core.enums import Pane
from briefing.core.index import Index
from briefing.core.indexing import update
from briefing.core.query import parse_query
from briefing.store.notes import Store
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.help import HelpScreen, describe_bindings
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.search import SearchScreen
from briefing.ui.screens.views import (
    Concern,
    ConcernsScreen,
    Entry,
    People,
    PeopleScreen,
    Person,
    Role,
    TimelineScreen,
    ViewScreen,
    group_people,
)
from briefing.ui.widgets.rowlist import Heading, RowList

from .fixtures import GOOD_BRIEF, write_library
from .hostile_fixtures import CLICK, LINK
from .pilot import app_for, press, settled, wait_for_brief, wait_for_library, wait_for_screen

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


def rows_of(screen) -> list:
    return list(screen.query_one(RowList).rows)


def shown_lines(rowlist: RowList) -> list[str]:
    """The list's lines as drawn on the screen."""
    return [rowlist.render_line(y).text for y in range(rowlist.size.height)]


async def open_view(pilot, key: str, kind: type[ViewScreen]) -> ViewScreen:
    await press(pilot, key)
    screen = await wait_for_screen(pilot, kind)
    assert screen.data is not None
    return screen


async def escape_to(pilot, kind: type) -> None:
    await press(pilot, "escape")
    await settled(pilot)
    assert isinstance(pilot.app.screen, kind), type(pilot.app.screen).__name__


# -- matching people, without the reader ---------------------------------------------------


def stakeholder_rows(library: Path, tmp_path: Path) -> list[tuple]:
    index = Index(tmp_path / "index.sqlite")
    index.open([library])
    update(index, [library], processes=0)
    return index.stakeholders()


def test_people_match_by_explicit_id_then_by_name(views_library: Path, tmp_path: Path):
    people = {p.key: p for p in group_people(stakeholder_rows(views_library, tmp_path))}
    mayor = people["#mayor"]
    # The same {#mayor} in two briefs, whatever the name; "the mayor" (no id) in a third
    # joins it because a member of the group has that name.
    assert sorted((p.brief, p.name) for p in mayor.items) == [
        ("budget", "the mayor"),
        ("council", "The Mayor"),
        ("review", "Sadiq Khan"),
    ]
    # Named as its own {#mayor} items name it (the newest brief's, on a tie).
    assert mayor.briefs == 3 and mayor.name == "The Mayor"
    assert mayor.names == ("The Mayor", "the mayor", "Sadiq Khan")
    assert dict(mayor.stances) == {"opposes": 1, "supports": 1, "neutral": 1}
    assert set(mayor.kinds) == {"government", "mayor"} and mayor.kinds[0] == "government"
    # No explicit id: grouped by the name without case, diacritics or punctuation.
    zoe = people["=zoe o brien"]
    assert zoe.briefs == 2 and {p.name for p in zoe.items} == {"Zoë O'Brien", "ZOE O BRIEN"}
    # Most briefs first.
    assert group_people(stakeholder_rows(views_library, tmp_path))[0].key == "#mayor"


def test_a_name_shared_by_two_explicit_groups_joins_the_one_in_more_briefs():
    def row(brief: str, item: str, name: str, explicit: int) -> tuple:
        return (brief, brief.title(), "2024-01-01", item, name, name.casefold(), explicit, "public", "unknown")

    rows = [
        row("a", "chair", "The Chair", 1),
        row("b", "chair", "The Chair", 1),
        row("c", "boss", "The Chair", 1),
        row("d", "the-chair", "The Chair", 0),
        row("e", "someone", "Someone Else", 0),
    ]
    people = {p.key: p for p in People(rows)}
    assert sorted(p.brief for p in people["#chair"].items) == ["a", "b", "d"]
    assert [p.brief for p in people["#boss"].items] == ["c"]
    assert [p.brief for p in people["=someone else"].items] == ["e"]


def test_a_timeline_query_of_only_left_out_words_leaves_them_out(views_library: Path, tmp_path: Path):
    index = Index(tmp_path / "index.sqlite")
    index.open([views_library])
    update(index, [views_library], processes=0)
    everything = {row[3] for row in index.timeline(None)}
    assert everything == {"council", "review", "budget"}
    assert {row[3] for row in index.timeline(parse_query("-budget"))} == {"council", "review"}
    assert {row[3] for row in index.timeline(parse_query("-budget -council"))} == {"review"}


# -- people and bodies ------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_people_list_items_and_open_the_brief_there(size, views_library: Path, tmp_path: Path):
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        people = await open_view(pilot, "p", PeopleScreen)
        rows = people.query_one(RowList)
        first = rows.current
        assert isinstance(first, Person) and first.key == "#mayor"
        line = shown_lines(rows)[0]
        assert "The Mayor" in line and "3" in line and "supports 1" in line
        assert "Zoë O'Brien" in " ".join(shown_lines(rows)) or "ZOE O BRIEN" in " ".join(shown_lines(rows))

        await press(pilot, "j")  # to the second person, so that the way back shows the cursor kept
        second = rows.current
        await press(pilot, "k", "enter")
        assert people.person is not None and people.person.key == "#mayor"
        listed = rows_of(people)
        assert all(isinstance(r, Role) for r in listed) and len(listed) == 3
        assert [r.person.brief for r in listed] == ["budget", "council", "review"]  # newest brief first
        assert listed[2].role == "Asked for the review."
        assert "› The Mayor" in str(people.query_one("#view-header").content)

        await press(pilot, "j", "j", "enter")
        opened = await wait_for_brief(pilot)
        assert opened.brief.id == "review" and opened.pane == Pane.STAKEHOLDERS
        assert opened.current_item.id == "mayor"
        assert [type(s) for s in app.screen_stack] == [LibraryScreen, PeopleScreen, BriefScreen]

        await escape_to(pilot, PeopleScreen)  # the view as it was: the third of the mayor's items
        assert app.screen is people and people.person is not None
        assert rows.cursor == 2 and rows.current.person.brief == "review"
        await escape_to(pilot, PeopleScreen)  # back to everyone, on the mayor
        assert people.person is None and rows.current.key == "#mayor"
        await press(pilot, "j")
        assert rows.current == second
        await escape_to(pilot, LibraryScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_people_filter_finds_names_without_their_diacritics(size, views_library: Path, tmp_path: Path):
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        people = await open_view(pilot, "p", PeopleScreen)
        await press(pilot, "slash", *"zoe")
        shown = rows_of(people)
        assert [p.key for p in shown] == ["=zoe o brien"]
        assert "1 of" in str(people.query_one("#view-header").content)
        await press(pilot, "enter", "enter")  # out of the filter, then the items
        assert len(rows_of(people)) == 2
        await press(pilot, "escape")  # back to the filtered list, the filter kept
        assert [p.key for p in rows_of(people)] == ["=zoe o brien"]
        assert people.filter_text == "zoe"
        await press(pilot, "escape")  # clears the filter
        assert people.filter_text == "" and len(rows_of(people)) > 1
        assert isinstance(app.screen, PeopleScreen)


# -- one timeline -----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_one_timeline_in_date_order_with_fuzzy_dates_in_place(size, views_library: Path, tmp_path: Path):
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        timeline = await open_view(pilot, "t", TimelineScreen)
        shown = rows_of(timeline)
        assert [(r.title if isinstance(r, Heading) else (r.when, r.brief)) for r in shown] == [
            "2023",
            ("undated", "review"),  # before the first dated entry of its brief
            ("2023-11-05", "review"),
            "2024",
            ("2024-03", "council"),
            ("2024-06", "council"),
            ("during the summer", "council"),  # after the entry written before it
            "2025",
            ("2025-01", "budget"),
        ]
        rows = timeline.query_one(RowList)
        assert rows.cursor == 1  # never on a heading
        lines = shown_lines(rows)
        assert "2023" in lines[0] and "undated" in lines[1] and "A review of police" in lines[1]

        assert rows.select_where(lambda r: isinstance(r, Entry) and r.when == "during the summer")
        at = rows.cursor
        await press(pilot, "enter")
        opened = await wait_for_brief(pilot)
        assert opened.brief.id == "council" and opened.pane == Pane.TIMELINE
        assert opened.current_item.event.startswith("Officers were trained")
        await escape_to(pilot, TimelineScreen)
        assert rows.cursor == at

        await press(pilot, "slash", *"tag:policing")
        await settled(pilot)  # the query runs in a worker
        assert {r.brief for r in rows_of(timeline) if isinstance(r, Entry)} == {"council"}
        assert isinstance(rows.current, Entry)
        await press(pilot, "ctrl+u", *"status:published")
        await settled(pilot)
        assert {r.brief for r in rows_of(timeline) if isinstance(r, Entry)} == {"review"}
        await press(pilot, "ctrl+u", *"after:2025-01")  # the brief's date
        await settled(pilot)
        assert {r.brief for r in rows_of(timeline) if isinstance(r, Entry)} == {"budget"}
        await press(pilot, "ctrl+u", *"after:someday")
        await settled(pilot)
        assert "after: takes a date" in str(timeline.query_one("#view-header").content)
        await press(pilot, "ctrl+u", *"tag:nothing-has-this")
        await settled(pilot)
        assert rows_of(timeline) == [] and "escape clears it" in rows.empty
        await press(pilot, "escape")
        await settled(pilot)
        assert len(rows_of(timeline)) == len(shown)
        await escape_to(pilot, LibraryScreen)


# -- concerns by category ---------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_concerns_under_their_categories(size, views_library: Path, tmp_path: Path):
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        concerns = await open_view(pilot, "c", ConcernsScreen)
        shown = rows_of(concerns)
        assert [(r.title, r.note) if isinstance(r, Heading) else (r.title, r.brief) for r in shown] == [
            ("ethics", "1 concern · 1 brief"),
            (f"Markup {CLICK}", "budget"),
            ("Privacy", "1 concern · 1 brief"),
            ("Privacy risk", "review"),
            # Written two ways, one category, under the spelling of the newest brief.
            ("Value for Money", "2 concerns · 2 briefs"),
            ("Cost overrun", "budget"),
            ("Cost", "council"),
        ]
        rows = concerns.query_one(RowList)
        assert rows.cursor == 1
        await press(pilot, "k", "g")  # up from the first concern: nowhere, never a heading
        assert rows.cursor == 1
        await press(pilot, "j")
        assert rows.cursor == 3  # over the heading
        await press(pilot, "G")
        assert rows.current.title == "Cost"
        await press(pilot, "k", "k")
        assert rows.current.title == "Privacy risk"

        await press(pilot, "enter")
        opened = await wait_for_brief(pilot)
        assert opened.brief.id == "review" and opened.pane == Pane.CONCERNS
        assert opened.current_item.title == "Privacy risk"
        await escape_to(pilot, ConcernsScreen)
        assert rows.current.title == "Privacy risk"

        await press(pilot, "slash", *"auditors")
        assert [r.title for r in rows_of(concerns)] == ["Value for Money", "Cost overrun"]
        await escape_to(pilot, ConcernsScreen)  # the filter closes first
        await escape_to(pilot, LibraryScreen)


# -- hostile text -----------------------------------------------------------------------


async def test_hostile_names_and_titles_show_literally(views_library: Path, tmp_path: Path):
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_for_library(pilot)
        people = await open_view(pilot, "p", PeopleScreen)
        rows = people.query_one(RowList)
        assert rows.select_where(lambda p: isinstance(p, Person) and p.name == HOSTILE)
        await settled(pilot)
        lines = shown_lines(rows)
        assert any("[bold red]Boss[/]" in line and "[link=https://evil]x[/link]" in line for line in lines)
        detail = str(people.query_one("#view-detail").render())
        assert "[bold red]Boss[/]" in detail
        await press(pilot, "enter")
        assert any(CLICK in line for line in shown_lines(rows))  # the role, as written
        await press(pilot, "escape", "escape")
        concerns = await open_view(pilot, "c", ConcernsScreen)
        lines = shown_lines(concerns.query_one(RowList))
        assert any(f"Markup {CLICK}" in line for line in lines)
        assert any("[link=https://evil]x" in line for line in lines)  # raised by, cut to its column
        assert app.is_running


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


# -- help and the palette tell the truth ------------------------------------------------------


async def test_help_lists_the_new_keys_and_what_the_counts_mean(views_library: Path, tmp_path: Path):
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        listed = dict((what, keys) for keys, what in describe_bindings(library))
        assert listed["People and bodies across the library's briefs"] == "p"
        assert listed["One timeline: every brief's entries, by date"] == "t"
        assert listed["Concerns by category, across the briefs"] == "c"
        assert listed["Sort: newest first, title, status, most notes"] == "o"
        assert listed["Group: none, by tag, status, folder (if several)"] == "w"
        await press(pilot, "question_mark")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        text = str(help_screen.query_one("#help-body Static").render())
        assert "F S C T: the brief's key facts, stakeholders, concerns and timeline entries" in text
        await press(pilot, "escape")
        commands = [c.title for c in app.get_system_commands(library)]
        assert {"People and bodies", "One timeline", "Concerns by category", "Sort", "Group"} <= set(commands)

        people = await open_view(pilot, "p", PeopleScreen)
        listed = dict((what, keys) for keys, what in describe_bindings(people))
        assert listed["Back to everyone, else to the library"] == "q"
        assert "Filter the list as you type" in listed
        await press(pilot, "enter")
        listed = dict((what, keys) for keys, what in describe_bindings(people))
        assert "Filter the list as you type" not in listed  # not while one's items are listed


async def test_a_view_opened_from_the_palette_and_typed_ahead(views_library: Path, tmp_path: Path):
    """Keys typed right after the key that opens a view act on its rows once they are read."""
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "c", "j", "enter")
        opened = await wait_for_brief(pilot)
        assert opened.pane == Pane.CONCERNS and opened.current_item.title == "Privacy risk"
        await escape_to(pilot, ConcernsScreen)
        await escape_to(pilot, LibraryScreen)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["One timeline"].callback()
        await wait_for_screen(pilot, TimelineScreen)


async def test_the_notebook_over_a_brief_opened_from_a_view_keeps_the_view(views_library: Path, tmp_path: Path):
    store = Store(tmp_path / "notes.json")
    store.add_note("council", "cost", "concerns", "Cost: Some detail.", "Check this")
    store.close()
    app = app_for(tmp_path, library=views_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        concerns = await open_view(pilot, "c", ConcernsScreen)
        await press(pilot, "G", "enter")
        await wait_for_brief(pilot)
        await press(pilot, "n")
        await settled(pilot)
        await press(pilot, "j", "enter")  # the note's brief, from the notebook
        await wait_for_brief(pilot)
        kinds = [type(s).__name__ for s in app.screen_stack]
        assert kinds == ["LibraryScreen", "ConcernsScreen", "NotebookScreen", "BriefScreen"], kinds
        assert app.screen_stack[1] is concerns
        await escape_to(pilot, type(app.screen_stack[2]))
        await escape_to(pilot, ConcernsScreen)
        assert concerns.query_one(RowList).current.title == "Cost"
        assert isinstance(concerns.query_one(RowList).current, Concern)


# -- drafted items are marked across briefs, as in a brief --------------------------------


async def test_drafted_items_are_marked_in_the_views_and_in_search(tmp_path: Path):
    """An item still as `briefing draft` proposed it shows [drafted] wherever the reader lists
    it: one timeline, concerns by category, search results; an accepted one does not."""
    text = (
        GOOD_BRIEF.replace("- 2021-06-01\n", "- 2021-06-01\n  drafted: date\n")
        .replace("  category: value for money\n", "  category: value for money\n  drafted: concern\n")
        .replace("- The Council\n", "- The Council\n  drafted: named\n")
    )
    assert text.count("drafted:") == 3
    library = write_library(tmp_path / "lib", {"sample.md": text})
    index = Index(tmp_path / "core.sqlite")
    index.open([library])
    update(index, [library], processes=0)
    assert {(row[1], row[6]) for row in index.timeline()} == {
        ("undated", None),
        ("2021-06-01", "date"),
        ("during the summer", None),
        ("2020", None),
    }
    assert [row[6] for row in index.concerns()] == ["concern"]
    hits = {(h.pane, h.ref): h.drafted for h in index.search(parse_query("dated"), limit=50) if h.kind == "item"}
    assert hits[("timeline", "a-dated-thing")] == "date", hits
    assert all(h.drafted is None for h in index.search(parse_query("earlier"), limit=50)), "an accepted item"
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_library(pilot)
        timeline = await open_view(pilot, "t", TimelineScreen)
        lines = shown_lines(timeline.query_one(RowList))
        assert any("2021-06-01" in line and "[drafted] A dated thing" in line for line in lines), lines
        assert not any("[drafted]" in line and "An earlier year" in line for line in lines)
        await escape_to(pilot, LibraryScreen)
        concerns = await open_view(pilot, "c", ConcernsScreen)
        lines = shown_lines(concerns.query_one(RowList))
        assert any("[drafted] Cost" in line for line in lines), lines
        await escape_to(pilot, LibraryScreen)
        people = await open_view(pilot, "p", PeopleScreen)
        rows = people.query_one(RowList)
        assert rows.select_where(lambda row: getattr(row, "name", "") == "The Council")
        await press(pilot, "enter")
        lines = shown_lines(people.query_one(RowList))
        assert any("[drafted] A sample brief" in line for line in lines), lines
        await press(pilot, "q")
        await escape_to(pilot, LibraryScreen)
        await press(pilot, "s")
        search = await wait_for_screen(pilot, SearchScreen)
        await pilot.press(*"dated thing")
        await settled(pilot)
        lines = [line for line in shown_lines(search.query_one("#search-results", RowList)) if "Timeline" in line]
        assert lines and all("[drafted]" in line for line in lines if "A dated thing" in line), lines
