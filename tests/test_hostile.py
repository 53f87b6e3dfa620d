"""Hostile briefs (docs/design.md §5): escape sequences, markup, YAML bombs, huge, binary and
non-UTF-8 files, links out of the library. Each gives a clear error or loads with its text
kept literally and nothing in the model that could act on a terminal, quickly; the app
shows them literally (a real terminal never receiving them is in
e2e/test_hostile_terminal.py).

The fixtures are written at test time (see ``hostile_fixtures``): some of their file
names (escape sequences, bytes that are not UTF-8) cannot be committed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from briefing.core.entries import Entry
from briefing.core.library import Library
from briefing.core.parse import BriefError, load_brief
from briefing.core.safe import clean, clean_line, is_clean
from briefing.ui.app import make_app
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.source import SourceScreen
from briefing.ui.widgets.rowlist import RowList

from .hostile_fixtures import (
    C1,
    CASES,
    CLICK,
    CSI,
    ESCAPES,
    FORBIDDEN,
    LINK,
    MARKUP,
    OSC8,
    OSC52,
    Case,
    attribute,
    brief_text,
    build_library,
    prepare,
    strings_of,
    write,
)
from .pilot import press, settled, wait_for_library

# A hang guard, not a timing test: it catches a hang (catastrophic regex backtracking, a
# YAML bomb expanded, a loop that never ends) or a quadratic blow-up on the large inputs
# (the 50,000-character comment flood, the 20 MB file: billions of steps, minutes at
# least), never a slow machine. The slowest case takes about 0.3 s on an idle machine and
# 1.6-1.8 s with a load of 4-8 on two cores; 20 s leaves room for a busier CI runner
# still. How fast briefing is belongs to the benchmarks (benchmarks/bench/).
HANG_GUARD = 20.0  # seconds
VALID = {c.brief_id for c in CASES if c.brief_id}
BROKEN = [c for c in CASES if c.error]


def entry_at(library: Library, path: Path) -> Entry:
    found = [e for e in library.entries if e.path == str(path)]
    assert len(found) == 1, f"{path} not listed once: {[e.path for e in library.entries]}"
    return found[0]


def assert_clean_model(value: object) -> None:
    for where, text in strings_of(value):
        assert is_clean(text), f"{where} holds a control character: {text[:120]!r}"


def assert_clean_error(error: BriefError) -> None:
    for problem in error.all:
        assert is_clean(problem.file) and is_clean(problem.message), repr(problem)
        assert is_clean(str(problem))


def assert_no_controls(text: str, what: str = "the screen") -> None:
    for char in FORBIDDEN:
        assert char not in text, f"{what} holds U+{ord(char):04X}"


# -- the payloads themselves --------------------------------------------------------------


def test_clean_shows_every_payload_visibly():
    for payload in (OSC52, OSC8, CSI, C1, ESCAPES):
        for cleaned in (clean(payload), clean_line(payload)):
            assert is_clean(cleaned)
            assert_no_controls(cleaned, "the cleaned text")
    assert clean_line(OSC52).startswith("␛]52;c;") and clean_line(OSC52).endswith("␇")
    assert clean_line(C1) == "\ufffd2J\ufffd52;c;cHduZWQ=\ufffd"
    assert not is_clean(ESCAPES)
    assert clean(MARKUP) == MARKUP  # markup is not a control: kept, and shown literally


# -- every hostile input, one at a time ----------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_input(case: Case, tmp_path: Path):
    lib, outside = prepare(tmp_path / "root")
    built = case.build(lib, outside)

    start = time.perf_counter()
    library = Library([lib], tmp_path / "index.json")
    library.scan()
    entry = entry_at(library, built.path)
    brief = library.brief(case.brief_id) if case.brief_id else None
    elapsed = time.perf_counter() - start
    assert elapsed < HANG_GUARD, f"{case.name} took {elapsed:.2f}s"

    if case.error:
        assert entry.summary is None
        error = entry.error
        assert isinstance(error, BriefError)
        assert error.file == clean_line(str(built.path))
        assert (error.line, case.error in error.message) == (built.line, True), str(error)
        assert_clean_error(error)
        if not case.library_level:  # the file alone says the same, just as fast
            start = time.perf_counter()
            with pytest.raises(BriefError) as raised:
                load_brief(built.path)
            assert time.perf_counter() - start < HANG_GUARD
            assert str(raised.value) == str(error)
            assert [str(e) for e in raised.value.all] == [str(e) for e in error.all]
        return

    assert entry.error is None, str(entry.error)
    assert brief is not None and brief.id == case.brief_id
    assert_clean_model(brief)
    assert_clean_model(entry.summary)
    for dotted, value in built.exact.items():
        assert attribute(brief, dotted) == value, dotted
    for dotted, value in built.prefix.items():
        got = attribute(brief, dotted)
        assert isinstance(got, str) and got.startswith(value), f"{dotted}: {got[:120]!r}"
    for item in brief.items():  # the cited passages reach the screen too
        for citation in item.citations:
            passage = library.passage(brief, citation)
            assert passage.problem is None
            assert passage.text is not None and is_clean(passage.text)


def test_python_tags_run_nothing(tmp_path: Path):
    lib, outside = prepare(tmp_path / "root")
    for case in CASES:
        if case.name.startswith("python-object"):
            case.build(lib, outside)
    Library([lib], None).scan()
    assert not (outside / "pwned").exists()


def test_escapes_are_visible_in_the_model(tmp_path: Path):
    lib, outside = prepare(tmp_path / "root")
    next(c for c in CASES if c.name == "escapes-everywhere").build(lib, outside)
    library = Library([lib], None)
    library.scan()
    brief = library.brief("escapes-everywhere")
    assert brief.summary == ("Summary ␛[2J␛[31m and \ufffd2J\ufffd52;c;cHduZWQ=\ufffd and ␛]52;c;ZWNobyBwd25lZA==␇.")
    assert brief.tags[0] == "tag␛[2J␛[31m"
    assert brief.sources[0].title.startswith("Source ␛]8;;http://evil␛\\click me")
    assert brief.sources[0].kind == "kind␛[2J␛[31m"
    (fact,) = brief.facts
    assert fact.figure == "␛[2J␛[31m£5m\ufffd2J\ufffd52;c;cHduZWQ=\ufffd"
    (concern,) = brief.concerns
    assert concern.raised_by.startswith("␛]52;c;")
    document = library.source_document(brief, "S1")
    assert "␛]52;c;" in document.paragraphs[1] and is_clean(document.paragraphs[1])


def test_the_index_keeps_hostile_entries_as_they_were(tmp_path: Path):
    """A second scan reads the index (which must hold a file name that is not UTF-8)."""
    lib, _ = build_library(tmp_path / "root")
    index = tmp_path / "cache" / "index.json"
    first = Library([lib], index)
    start = time.perf_counter()
    first.scan()
    assert time.perf_counter() - start < HANG_GUARD
    assert index.is_file()
    second = Library([lib], index)
    start = time.perf_counter()
    second.scan()
    assert time.perf_counter() - start < HANG_GUARD

    def view(library: Library) -> list[tuple[str, object, list[str]]]:
        return [(e.path, e.summary, [str(x) for x in e.error.all] if e.error else []) for e in library.entries]

    assert view(second) == view(first)
    from_index = Library([lib], index)
    assert from_index.load_index()  # read back, the name that is not UTF-8 with it
    assert [e.summary for e in from_index.entries if e.summary] == [e.summary for e in first.entries if e.summary]
    odd = [e.path for e in first.entries if not e.path.isprintable() or "\udcff" in e.path]
    assert odd and set(odd) <= {e.path for e in from_index.entries}
    assert {s.id for s in second.summaries} == VALID
    assert len(second.errors) == len(BROKEN)
    for entry in second.entries:
        assert_clean_model(entry.summary)
        if entry.error:
            assert_clean_error(entry.error)


# -- the app ------------------------------------------------------------------------------


def screen_text(app) -> str:
    """What the screen shows, as text: every line the compositor renders, all layers."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_screen_clean(app) -> str:
    text = screen_text(app)
    assert_no_controls(text)
    svg = app.export_screenshot()
    assert_no_controls(svg, "the screenshot")
    return text


def toast_texts(app) -> list[str]:
    """The text of every notification on screen, as its widget renders it."""
    from textual.widgets._toast import Toast

    return [toast.render().plain for toast in app.screen.query(Toast)]


async def open_entry(pilot, screen: LibraryScreen, predicate) -> None:
    rows = screen.query_one("#briefs", RowList)
    index = next(i for i, e in enumerate(rows.rows) if predicate(e))
    rows.focus()
    rows.cursor = index
    await settled(pilot)
    await press(pilot, "enter")
    await settled(pilot)


def hostile_app(tmp_path: Path):
    lib, built = build_library(tmp_path / "root")
    return make_app([lib], tmp_path / "cache" / "index.json"), built


async def test_library_lists_good_and_broken_briefs(tmp_path: Path):
    app, built = hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        rows = screen.query_one("#briefs", RowList)
        assert {e.summary.id for e in rows.rows if e.summary} == VALID
        errors = {e.path: e.error for e in rows.rows if e.error}
        assert len(errors) == len(BROKEN)
        for case in BROKEN:
            error = errors[str(built[case.name].path)]
            assert case.error in error.message
        header = str(screen.query_one("#library-header").content)
        assert f"{len(VALID)} briefs" in header and f"⚠ {len(BROKEN)} with errors" in header

        text = assert_screen_clean(app)
        assert "⚠ error" in text
        assert LINK in text  # the markup brief's title, literally, in its row
        seen_click = False
        for index, entry in enumerate(rows.rows):  # every row highlighted in turn
            rows.cursor = index
            await settled(pilot)
            text = assert_screen_clean(app)
            detail = str(screen.query_one("#library-detail").content)
            if entry.error:
                assert entry.error.message[:20] in detail
            if entry.summary and entry.summary.id == "markup":
                assert "[@click=app.quit]" in text  # its tags, in the detail line
                seen_click = True
        assert seen_click
        assert app.is_running


@pytest.mark.parametrize("brief_id", sorted(VALID))
async def test_every_valid_hostile_brief_opens(brief_id: str, tmp_path: Path):
    app, _ = hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        await open_entry(pilot, screen, lambda e: e.summary is not None and e.summary.id == brief_id)
        brief_screen = app.screen
        assert isinstance(brief_screen, BriefScreen) and brief_screen.brief.id == brief_id
        for key in "1234":
            await press(pilot, key)
            await settled(pilot)
            assert_screen_clean(app)
        await press(pilot, "escape")
        await settled(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.is_running


async def test_markup_in_a_brief_renders_literally_and_does_nothing(tmp_path: Path):
    app, _ = hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        await open_entry(pilot, screen, lambda e: e.summary is not None and e.summary.id == "markup")
        assert isinstance(app.screen, BriefScreen)
        text = assert_screen_clean(app)
        assert MARKUP in text  # the title, whole, in the header
        assert f"Summary {MARKUP}" in text
        assert f"{CLICK} and {LINK}" in text  # the first fact: in its row and its detail
        assert str(app.screen.query_one("#brief-header").content).startswith(MARKUP)
        assert f"{CLICK} and {LINK}" in str(app.screen.query_one("#detail-body").content)

        # Click on every "boom" shown: were it markup, this would run app.quit.
        lines = text.split("\n")
        spots = [(line.index("boom"), y) for y, line in enumerate(lines) if "[@click=app.quit]boom" in line]
        # The title, the source and the summary in the header; the first fact's row; its
        # detail, and the detail's citation.
        assert len(spots) == 6, text
        for x, y in spots:
            await pilot.click(offset=(x, y))
            await settled(pilot)
            assert app.is_running and isinstance(app.screen, BriefScreen)

        expected = {"2": [CLICK, f"Said {LINK}."], "3": [LINK, CLICK], "4": ["during [b", f"{CLICK} happened."]}
        for key, literals in expected.items():
            await press(pilot, key)
            await settled(pilot)
            text = assert_screen_clean(app)
            for literal in literals:
                assert literal in text, f"pane {key}: {literal!r} not in\n{text}"
        assert app.is_running and app.return_code is None


async def test_escapes_in_a_brief_show_visibly(tmp_path: Path):
    app, _ = hostile_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_library(pilot)
        await open_entry(pilot, screen, lambda e: e.summary is not None and e.summary.id == "escapes-everywhere")
        assert isinstance(app.screen, BriefScreen)
        text = assert_screen_clean(app)
        assert "Escapes ␛]52;c;" in text  # the title, its escapes shown as symbols
        assert "Fact ␛]52;c;" in text
        assert "The second ␛]52;c;" in text  # the cited passage of the hostile source
        for key in "234":
            await press(pilot, key)
            await settled(pilot)
            assert "␛" in assert_screen_clean(app)
        await press(pilot, "1", "o")  # the source, at the cited paragraph
        await settled(pilot)
        assert isinstance(app.screen, SourceScreen)
        text = assert_screen_clean(app)
        assert "␛]52;c;" in text and "\ufffd2J" in text
        await press(pilot, "escape")
        await settled(pilot)
        assert isinstance(app.screen, BriefScreen)


async def test_opening_a_broken_brief_shows_its_error(tmp_path: Path):
    app, built = hostile_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await wait_for_library(pilot)
        path = str(built["invalid-utf8"].path)
        await open_entry(pilot, screen, lambda e: e.path == path)
        assert isinstance(app.screen, LibraryScreen)
        await settled(pilot)
        assert_screen_clean(app)
        (toast,) = toast_texts(app)
        assert f"invalid-utf8.md:{built['invalid-utf8'].line}: not UTF-8: invalid byte 0xff" in toast
        assert app.is_running


async def test_an_error_quoting_markup_is_shown_literally(tmp_path: Path):
    """An error message quotes brief text; the notification must not read it as markup
    (it used to: a MarkupError on '[/]' crashed the app)."""
    app, built = hostile_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await wait_for_library(pilot)
        path = str(built["markup-in-error"].path)
        await open_entry(pilot, screen, lambda e: e.path == path)
        await settled(pilot)
        assert_screen_clean(app)
        (toast,) = toast_texts(app)
        assert f"unknown section '{CLICK} [/] {LINK}'" in toast
        assert app.is_running


async def test_a_file_name_with_a_click_action_cannot_act(tmp_path: Path):
    """A brief file named '[@click=app.quit]boom.md' (no id) is an error; its notification
    must show the name literally, and a click on it must not quit (it used to)."""
    from textual.widgets._toast import Toast

    lib, _ = prepare(tmp_path / "root")
    path = write(lib / f"{CLICK[:-3]}.md", brief_text(title="A file name that is an action"))
    app = make_app([lib], tmp_path / "cache" / "index.json")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await wait_for_library(pilot)
        await open_entry(pilot, screen, lambda e: e.path == str(path))
        await settled(pilot)
        (toast,) = app.screen.query(Toast)
        content = toast.render()
        try:
            assert "[@click=app.quit]boom.md" in content.plain
            assert not any("@click" in str(span.style) for span in content.spans)
        finally:  # and click where the name shows, whatever the outcome above
            lines = screen_text(app).split("\n")
            region = toast.region
            spots = [
                (region.x + line[region.x : region.right].index("boom"), y)
                for y, line in enumerate(lines[region.y : region.bottom], start=region.y)
                if "boom" in line[region.x : region.right]
            ]
            for x, y in spots[:1]:
                await pilot.click(offset=(x + 1, y))
                await settled(pilot)
            assert app.is_running, "a click on the error message quit the app"


async def test_an_online_source_with_markup_in_its_url(tmp_path: Path):
    """'o' on an item citing an online-only source notifies its url, literally."""
    lib, _ = prepare(tmp_path / "root")
    text = brief_text(id="online", source_file="x.txt").replace(
        'file: "x.txt"', 'url: "https://example.org/[/]/[@click=app.quit]boom"'
    )
    write(lib / "online.md", text)
    app = make_app([lib], tmp_path / "cache" / "index.json")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await wait_for_library(pilot)
        await open_entry(pilot, screen, lambda e: e.summary is not None and e.summary.id == "online")
        assert isinstance(app.screen, BriefScreen)
        await press(pilot, "o")
        await settled(pilot)
        assert_screen_clean(app)
        (toast,) = toast_texts(app)
        assert "online only: https://example.org/[/]/[@click=app.quit]boom" in toast
        assert app.is_running
