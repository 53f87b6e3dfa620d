"""The search screen: results as you type, grouped by brief; enter opens each kind of hit
where it is, and escape comes back to the same results; hostile text stays literal; a
query that finds nothing, or has parts that cannot be read, says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.store.notes import Store
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.help import describe_bindings
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.notebook import NotebookScreen
from briefing.ui.screens.search import Row, SearchScreen, row_key
from briefing.ui.screens.source import SourceScreen
from briefing.ui.widgets.rowlist import RowList
from briefing.ui.widgets.sourceview import SourceView

from .fixtures import CONTRACT, write_library
from .hostile_fixtures import CSI, FORBIDDEN, MARKUP, OSC52, brief_text
from .pilot import app_for, press, settled, wait_for_brief, wait_for_library, wait_for_screen

SIZES = [(80, 24), (160, 48)]
RECORD = "palantir-public-sector-record"


def screen_text(app) -> str:
    """What the screen shows, as text: every line the compositor renders."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def results(screen: SearchScreen) -> RowList[Row]:
    return screen.query_one("#search-results", RowList)


async def search_for(pilot, text: str, key: str = "s") -> SearchScreen:
    """Open the search with ``key``, type ``text``, and wait for its results."""
    await press(pilot, key)
    screen = await wait_for_screen(pilot, SearchScreen, "the search")
    await press(pilot, *text)
    await settled(pilot)
    assert screen.outcome is not None and screen.outcome.text == text
    return screen


async def choose(pilot, screen: SearchScreen, predicate) -> Row:
    """Go from the query to the results and put the cursor on the first row ``predicate``
    is true of; that row."""
    await press(pilot, "down")
    rows = results(screen)
    assert screen.focused is rows
    assert rows.select_where(predicate)
    await settled(pilot)
    assert rows.current is not None
    return rows.current


def store_with_note(tmp_path: Path) -> Path:
    path = tmp_path / "store" / "notes.json"
    store = Store(path)
    store.add_note(CONTRACT, "value-50m", "facts", "The proposed contract was worth £50 million.", "A zebra crossing")
    store.close()
    return path


@pytest.mark.parametrize("size", SIZES)
async def test_typing_shows_the_results_grouped_by_brief(size, tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "pandemic")
        hits = screen.outcome.hits
        rows = results(screen).rows
        # A heading for each brief, the brief with the best hit first, then its hits.
        headings = [row.brief for row in rows if row.hit is None]
        firsts = list(dict.fromkeys(hit.brief for hit in hits))
        assert headings == firsts and len(headings) == 3
        assert [row.hit for row in rows if row.hit is not None] == sorted(hits, key=lambda h: firsts.index(h.brief))
        for index, row in enumerate(rows):
            if row.hit is not None:  # under its own brief's heading
                heading = next(r for r in reversed(rows[:index]) if r.hit is None)
                assert heading.brief == row.brief
        assert results(screen).cursor == 1  # on the first hit, not on its heading
        text = screen_text(app)
        assert f"{len(hits)} results in 3 briefs" in text
        assert "Source [S1 ¶4]" in text and "Key facts" in text and "Timeline" in text
        title = next(row.title for row in rows if row.brief == RECORD)
        assert title in text and RECORD in text  # the heading: title and id
        # Every match is marked by the theme's style, on the word itself.
        match = screen.styled("match")
        for row in rows:
            if row.hit is not None:
                line = screen.format_row(row)
                marked = [line.plain[span.start : span.end] for span in line.spans if span.style == match]
                assert marked and all(word.casefold() == "pandemic" for word in marked), line.plain


async def test_only_the_query_in_the_box_is_shown_and_emptying_it_clears_the_results(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "palantir")
        await press(pilot, *" nhs")  # typed ahead: each key a search, the last one shown
        assert screen.outcome.text == "palantir nhs"
        assert screen.outcome.hits == app.library.search("palantir nhs")[1] != []
        await press(pilot, "ctrl+u")  # the query emptied
        assert results(screen).rows == [] and screen.outcome.text == ""
        assert "Type what to search for" in screen_text(app)


async def test_keys_typed_ahead_open_a_result_of_the_query_as_typed(tmp_path: Path, monkeypatch):
    """s, a query, enter, enter, all typed at once, each search slower than the keys: the
    brief opened is the first hit of the whole query (the keys after the first enter wait
    for its results)."""
    import time

    from briefing.ui.screens.search import Searcher

    search_once = Searcher._search_once

    def slowly(self, request):
        time.sleep(0.2)  # a large library's search, as the keys see it
        return search_once(self, request)

    monkeypatch.setattr(Searcher, "_search_once", slowly)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "s", *"pandemic", "enter", "enter")
        brief = await wait_for_brief(pilot)
        first = app.library.search("pandemic")[1][0]
        assert first.kind == "item"
        assert (brief.brief.id, brief.pane, brief.current_item.id) == (first.brief, first.pane, first.ref)


@pytest.mark.parametrize("size", SIZES)
async def test_enter_opens_an_item_in_its_pane_and_escape_comes_back_to_the_same_results(size, tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "pandemic")
        row = await choose(pilot, screen, lambda r: r.hit is not None and r.hit.pane == "stakeholders")
        before = (screen.box.value, list(results(screen).rows), results(screen).cursor)
        await press(pilot, "enter")
        brief = await wait_for_brief(pilot)
        assert brief.brief.id == row.brief == RECORD
        assert brief.pane == "stakeholders" and brief.current_item is not None
        assert brief.current_item.id == row.hit.ref
        assert [type(s) for s in app.screen_stack] == [LibraryScreen, SearchScreen, BriefScreen]
        await press(pilot, "escape")
        assert app.screen is screen
        assert (screen.box.value, list(results(screen).rows), results(screen).cursor) == before
        assert screen.focused is results(screen)
        await press(pilot, "escape")  # escape on the search closes it
        assert isinstance(app.screen, LibraryScreen) and len(app.screen_stack) == 1


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_a_paragraph_opens_the_source_there(size, tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "pandemic")
        row = await choose(pilot, screen, lambda r: r.hit is not None and r.hit.kind == "para")
        assert (row.hit.source, row.hit.paragraph) == ("S1", 4)
        await press(pilot, "enter")
        source = await wait_for_screen(pilot, SourceScreen, "the source")
        assert [(c.source, c.paragraph, c.sentence) for c in source.citations] == [("S1", 4, None)]
        header = str(source.query_one("#source-header").render())
        assert "Found by search at [S1 ¶4]" in header
        text = screen_text(app)
        assert "¶4 ┃" in text and "pandemic" in text  # the paragraph is in view, marked
        assert source.query_one(SourceView).cursor == (4, 1)  # on the paragraph's first sentence
        assert "[S1 ¶4.1]" in str(source.query_one("#source-status").render())
        await press(pilot, "escape")
        assert app.screen is screen and results(screen).current == row


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_a_note_shows_it_in_the_notebook(size, tmp_path: Path):
    app = app_for(tmp_path, store=store_with_note(tmp_path))
    async with app.run_test(size=size) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "zebra")
        [note] = [row for row in results(screen).rows if row.hit is not None]
        assert (note.hit.kind, note.brief) == ("note", CONTRACT)
        assert "Note" in screen_text(app) and "A zebra crossing" in screen_text(app)
        await choose(pilot, screen, lambda r: r == note)
        await press(pilot, "enter")
        notebook = await wait_for_screen(pilot, NotebookScreen, "the notebook")
        current = notebook.query_one(RowList).current
        assert current.mark is not None and current.mark.id == note.hit.ref
        assert [type(s) for s in app.screen_stack] == [LibraryScreen, SearchScreen, NotebookScreen]
        await press(pilot, "escape")
        assert app.screen is screen and results(screen).current == note


async def test_a_note_written_meanwhile_is_found(tmp_path: Path):
    app = app_for(tmp_path, store=store_with_note(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "zebra")
        assert len(screen.outcome.hits) == 1
        app.store.add_note(RECORD, None, None, "Palantir's record", "Another zebra")
        app.notes.announce()
        await settled(pilot)
        assert sorted(hit.brief for hit in screen.outcome.hits) == sorted([CONTRACT, RECORD])


async def test_from_a_brief_S_searches_and_what_it_opens_replaces_that_brief(tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        screen = await search_for(pilot, "pandemic", key="S")
        assert [type(s) for s in app.screen_stack] == [LibraryScreen, BriefScreen, SearchScreen]
        row = await choose(pilot, screen, lambda r: r.hit is not None and r.brief == RECORD and r.hit.kind == "item")
        await press(pilot, "enter")
        brief = await wait_for_brief(pilot)
        assert brief.brief.id == RECORD and brief.current_item.id == row.hit.ref
        # One brief at a time: the one under the search closed, the search opened again
        # under the new brief, as it was.
        assert [type(s) for s in app.screen_stack] == [LibraryScreen, SearchScreen, BriefScreen]
        await press(pilot, "escape")
        again = app.screen
        assert isinstance(again, SearchScreen) and again.box.value == "pandemic"
        assert results(again).current == row and again.focused is results(again)
        await press(pilot, "enter")
        await wait_for_brief(pilot)
        await press(pilot, "S")  # back to the search already open, not a second one
        assert app.screen is again and len(app.screen_stack) == 2


async def test_hostile_text_in_a_brief_shows_literally(tmp_path: Path):
    hostile = brief_text(
        id="hostile",
        title=f"Zanzibar {MARKUP} {OSC52}title",
        summary=f"Zanzibar summary [bold]not bold[/bold] {CSI}",
        facts=[f"- Zanzibar fact [bold]loud[/bold] {OSC52} and [red]{CSI}red[/red]. [S1 ¶1]"],
        source_file="sample.txt",
    )
    library = write_library(tmp_path / "lib", {"hostile.md": hostile})
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "zanzibar")
        assert {hit.kind for hit in screen.outcome.hits} == {"brief", "item"}
        for index in range(len(results(screen).rows)):  # each row highlighted, its detail shown
            results(screen).cursor = index
            await settled(pilot)
            text = screen_text(app)
            svg = app.export_screenshot()
            for char in FORBIDDEN:
                assert char not in text and char not in svg, f"U+{ord(char):04X} reached the screen"
        text = screen_text(app)
        assert "[bold]loud[/bold]" in text and "␛]52;c;" in text  # literally, escapes shown
        assert "[@click=app.quit]boom[/]" in text
        assert app.is_running


async def test_a_query_with_no_hits_says_so(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "qwertyzz")
        assert results(screen).rows == []
        assert "Nothing matches “qwertyzz”." in screen_text(app)


async def test_the_word_being_typed_matches_the_start_of_words_and_a_space_ends_it(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "pand")  # still being typed: finds "pandemic"
        assert results(screen).rows != []
        await press(pilot, "space")
        await settled(pilot)
        assert results(screen).rows == []  # "pand" followed by a space is a whole word
        text = screen_text(app)
        assert "Nothing matches “pand”." in text
        assert "end it with * to match its start (pand*)" in text  # how to match the start of a word
        await press(pilot, "backspace", "*")
        await settled(pilot)
        assert results(screen).rows != []


async def test_what_a_query_ignores_is_said_and_filters_alone_work(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "tag:ai")
        assert {row.brief for row in results(screen).rows} == {CONTRACT, "ai-policing-oversight"}
        assert not screen.query_one("#search-problems").display
        await press(pilot, "ctrl+u", *"pane:nowhere pandemic")
        await settled(pilot)
        assert results(screen).rows != []
        problems = screen.query_one("#search-problems")
        assert problems.display and "Ignored: pane: is one of" in str(problems.render())
        await press(pilot, "ctrl+u", *"pane:nowhere")
        await settled(pilot)
        assert results(screen).rows == []
        assert "Nothing to search for in “pane:nowhere”" in screen_text(app)
        assert "Ignored: pane: is one of" in screen_text(app)


async def test_the_keys_help_lists_and_the_palette(tmp_path: Path):
    app = app_for(tmp_path, store=store_with_note(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        assert ("s", "Search everything: briefs, items, cited source paragraphs, notes and bookmarks") in (
            describe_bindings(library)
        )
        assert "Search" in {c.title for c in app.get_system_commands(library)}
        screen = await search_for(pilot, "zebra")
        typing = dict((what, keys) for keys, what in describe_bindings(screen))
        assert typing["From the query to the results"] == "↓" and typing["Submit"] == "⏎"
        assert "Back to the query, to change it" not in typing  # / and s are typed into the query
        assert typing["Close the search, back to where you were"] == "esc"  # q is typed too
        await press(pilot, "down")
        listed = dict((what, keys) for keys, what in describe_bindings(screen))
        assert listed["Back to the query, to change it"] == "/ s"
        assert listed["Close the search, back to where you were"] == "esc q"
        assert listed["Every note and bookmark"] == "n"
        assert "From the query to the results" not in listed
        titles = {c.title for c in app.get_system_commands(screen)}
        assert "Search" not in titles and "Search everything…" not in titles
        await press(pilot, "s")  # back to the query, to type more
        assert screen.focused is screen.box
        await press(pilot, "escape")
        await press(pilot, "n")
        notebook = await wait_for_screen(pilot, NotebookScreen, "the notebook")
        [command] = [c for c in app.get_system_commands(notebook) if c.title == "Search everything…"]
        command.callback()
        again = await wait_for_screen(pilot, SearchScreen, "the search from the palette")
        assert again.box.value == "zebra"  # the last query, to type over or use again
        assert row_key(results(again).current) == (CONTRACT, "note", results(again).current.hit.ref)


def test_the_search_thread_answers_the_newest_query_and_never_leaves_one_waiting(tmp_path: Path):
    """Queries sent faster than they run: each is answered (a result, or None for one a
    newer query replaced, or cancelled before it ran), and the last is always run."""
    from concurrent.futures import wait

    from briefing.core.library import Library
    from briefing.ui.screens.search import Searcher

    from .fixtures import BUNDLED

    library = Library([BUNDLED], tmp_path / "index.sqlite")
    library.scan()
    searcher = Searcher(library, None)
    futures = [searcher.submit(text, 0) for text in ("p", "pa", "pal", "pala", "palantir")]
    done, waiting = wait(futures, timeout=60)
    assert not waiting
    last = futures[-1].result()
    assert last is not None and last.text == "palantir" and last.hits == library.search("palantir")[1]
    for future in futures[:-1]:
        assert future.cancelled() or future.result() is None or future.result().text in ("p", "pa", "pal", "pala")
    searcher.stop()
    late = searcher.submit("palantir", 0)
    assert late.result(timeout=60) is None  # stopped: nothing more is run


async def test_a_bookmark_is_found_by_its_item_and_shown_in_the_notebook(tmp_path: Path):
    path = tmp_path / "store" / "notes.json"
    store = Store(path)
    store.toggle_bookmark(CONTRACT, "ethics", "concerns", "Ethics of AI in law enforcement")
    store.close()
    app = app_for(tmp_path, store=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        screen = await search_for(pilot, "ethics enforcement")
        row = await choose(pilot, screen, lambda r: r.hit is not None and r.hit.kind == "bookmark")
        assert row.brief == CONTRACT and "Bookmark" in screen.format_row(row).plain
        await press(pilot, "enter")
        notebook = await wait_for_screen(pilot, NotebookScreen, "the notebook")
        current = notebook.query_one(RowList).current
        assert current.mark is not None and (current.mark.kind, current.mark.id) == ("bookmark", row.hit.ref)
