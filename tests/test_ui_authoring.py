"""The reader for authors: a source's paragraphs and sentences numbered as citations count
them, a sentence cursor whose citation c copies (OSC 52), drafted items and claims shown as
such. (e, editing a brief, is in test_ui_authoring_edit.py.)"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from briefing.core.model import Citation
from briefing.core.parse import load_brief
from briefing.core.sources import SourceDocument
from briefing.ui.render.markers import ASCII, DRAFTED_TAG, UNICODE, sentence_number
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.source import SourceScreen
from briefing.ui.widgets.sourceview import SourceView

from .fixtures import CONTRACT, GOOD_BRIEF, REPORT, SOURCE_TEXT, write_library
from .pilot import app_for, messages, press, settled, wait_for_brief, wait_for_screen

SIZES = [(80, 24), (160, 48)]
OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def screen_text(app) -> str:
    """What the screen shows, as text: every line the compositor renders."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def status_of(screen: SourceScreen) -> str:
    return str(screen.query_one("#source-status").render())


async def open_source_at(pilot, brief: BriefScreen, citation: Citation) -> SourceScreen:
    """The source opened from the first item of the brief that cites ``citation`` first."""
    await select_citing(pilot, brief, citation)
    await press(pilot, "o")
    return await wait_for_screen(pilot, SourceScreen, "the source")


async def select_citing(pilot, brief: BriefScreen, citation: Citation) -> None:
    """The first item of the brief that cites ``citation`` first, selected."""
    for pane in ("facts", "stakeholders", "concerns", "timeline"):
        brief.pane = pane
        await settled(pilot)
        rows = brief.rowlist()
        if rows.select_where(lambda item: bool(item.citations) and item.citations[0] == citation):
            break
    else:
        raise AssertionError(f"no item cites {citation} first")
    await settled(pilot)


# -- the source: paragraphs and sentences numbered, the sentence cursor ----------------------


def test_sentence_numbers_are_superscripts_or_ascii():
    assert [sentence_number(n, UNICODE) for n in (1, 2, 10, 23)] == ["¹", "²", "¹⁰", "²³"]
    assert [sentence_number(n, ASCII) for n in (1, 12)] == ["^1", "^12"]


@pytest.mark.parametrize("size", SIZES)
async def test_the_source_numbers_paragraphs_and_sentences_as_citations_count_them(size, tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=size) as pilot:
        brief = await wait_for_brief(pilot)
        source = await open_source_at(pilot, brief, Citation("S1", 3, 2))
        view = source.query_one(SourceView)
        # Every sentence of every paragraph, as the document splits it, after its number.
        for number in range(1, len(REPORT.paragraphs) + 1):
            plain = ""  # the wrapped lines put together again, each where it starts
            for (n, line), start in zip(view._lines, view._starts, strict=True):
                if n == number:
                    assert plain[start:].strip() == ""
                    plain = plain[:start].ljust(start) + line.plain
            shown = [plain[a:b] for a, b in view._shown[number]]
            expected = [sentence_number(k) + s for k, s in enumerate(REPORT.sentences(number), start=1)]
            assert shown == expected
        text = screen_text(app)
        # The gutter: ¶3 right-aligned before its bar (it is cited), the cursor's ▶ in it.
        row = next(line for line in text.split("\n") if "¶3 ┃" in line)
        gutter = view.gutter_cells
        assert row[1:gutter] == f"{'¶3':>{gutter - 4}} ┃ " and row[gutter] == sentence_number(1)
        assert view.cursor == (3, 2)
        marked = next(line for line in text.split("\n") if line.startswith("▶"))
        assert "┃" in marked and sentence_number(2) in marked
        assert "[S1 ¶3.2]" in status_of(source) and "cited" in status_of(source)
        assert "sentence 2 of 3" in status_of(source)


async def test_the_cursor_sentence_takes_the_themes_cursor_style(tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        brief = await wait_for_brief(pilot)
        source = await open_source_at(pilot, brief, Citation("S1", 3, 2))
        view = source.query_one(SourceView)
        cursor = view.get_component_rich_style("sourceview--cursor")
        start, end = view._shown[3][1]
        first, last = view.sentence_lines(3, 2)
        styled = ""
        for index in range(first, last + 1):
            strip = view.render_line(index - view.scroll_offset.y)
            styled += "".join(seg.text for seg in strip if seg.style and seg.style.bgcolor == cursor.bgcolor)
        # The whole sentence (with its number), no more: the wrap's spaces are not in it.
        sentence = sentence_number(2) + REPORT.sentences(3)[1]
        assert styled.replace(" ", "") == sentence.replace(" ", "")
        assert end - start == len(sentence)


@pytest.mark.parametrize("size", SIZES)
async def test_keys_move_the_cursor_by_sentence_and_paragraph(size, tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=size) as pilot:
        brief = await wait_for_brief(pilot)
        source = await open_source_at(pilot, brief, Citation("S1", 3, 2))
        view = source.query_one(SourceView)
        count = [len(REPORT.sentences(n)) for n in range(1, len(REPORT.paragraphs) + 1)]
        assert count[2] == 3  # the walk below crosses from ¶3's last sentence to ¶4's first

        async def after(*keys: str) -> tuple[int, int]:
            await press(pilot, *keys)
            paragraph, sentence = view.cursor
            assert f"[S1 ¶{paragraph}.{sentence}]" in status_of(source)
            return view.cursor

        assert await after("j") == (3, 3)
        assert await after("down") == (4, 1)
        assert await after("k") == (3, 3)
        assert await after("up", "up") == (3, 1)
        assert await after("k") == (2, count[1])
        assert await after("J") == (3, 1)
        assert await after("right_curly_bracket") == (4, 1)
        assert await after("j", "K") == (4, 1)  # to the paragraph's first sentence
        assert await after("K") == (3, 1)  # then to the paragraph before
        assert await after("left_curly_bracket") == (2, 1)
        assert await after("G") == (len(count), count[-1])
        assert view.scroll_offset.y == view.max_scroll_y
        assert await after("j") == (len(count), count[-1])  # the end: it stays
        assert await after("g") == (1, 1)
        assert view.scroll_offset.y == 0
        assert await after("k") == (1, 1)
        # The cursor's sentence stays in view whatever the moves.
        for _ in range(sum(count) - 1):
            paragraph, sentence = await after("j")
            first, last = view.sentence_lines(paragraph, sentence)
            top = view.scroll_offset.y
            assert top <= first < top + view.scrollable_content_region.height


async def test_page_keys_scroll_and_the_cursor_follows_into_view(tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        brief = await wait_for_brief(pilot)
        source = await open_source_at(pilot, brief, Citation("S1", 1, 1))
        view = source.query_one(SourceView)
        assert view.cursor == (1, 1) and view.scroll_offset.y == 0 and view.max_scroll_y > 0
        await press(pilot, "pagedown")
        top, height = view.scroll_offset.y, view.scrollable_content_region.height
        assert top > 0
        first, _ = view.sentence_lines(*view.cursor)
        assert top <= first < top + height  # the cursor came along, to a sentence in view
        assert f"[S1 ¶{view.cursor[0]}.{view.cursor[1]}]" in status_of(source)
        await press(pilot, "pageup")
        assert view.scroll_offset.y == 0
        first, _ = view.sentence_lines(*view.cursor)
        assert first < view.scrollable_content_region.height


async def test_a_paragraph_citation_puts_the_cursor_on_its_first_sentence(tmp_path: Path):
    """[S1 ¶2] cites a paragraph: the cursor starts on its first sentence; n goes to the next
    cited passage, p back."""
    brief_text = GOOD_BRIEF.replace("- It costs a lot. [S1 ¶2]", "- It costs a lot. [S1 ¶3] [S1 ¶1.2]")
    library = write_library(tmp_path / "lib", {"sample.md": brief_text})
    document = SourceDocument.from_text(SOURCE_TEXT)
    assert len(document.sentences(3)) == 3
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        await press(pilot, "o")
        source = await wait_for_screen(pilot, SourceScreen, "the source")
        view = source.query_one(SourceView)
        assert view.cursor == (3, 1)
        assert "[S1 ¶3.1]" in status_of(source) and "cited" in status_of(source)
        await press(pilot, "j")
        assert "[S1 ¶3.2]" in status_of(source) and "cited" in status_of(source)  # the whole paragraph is
        await press(pilot, "n")
        assert view.cursor == (1, 2) and "cited" in status_of(source)
        await press(pilot, "k")
        assert view.cursor == (1, 1) and "cited" not in status_of(source)
        await press(pilot, "p")
        assert view.cursor == (3, 1)


async def test_c_copies_the_cursors_citation_through_osc_52(tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        written: list[str] = []
        driver = app._driver
        real_write = driver.write

        def write(data: str) -> None:
            written.append(data)
            real_write(data)

        driver.write = write  # type: ignore[method-assign]
        brief = await wait_for_brief(pilot)
        await open_source_at(pilot, brief, Citation("S1", 3, 2))
        await press(pilot, "c")
        payloads = OSC52.findall("".join(written))
        assert [base64.b64decode(p).decode("utf-8") for p in payloads] == ["[S1 ¶3.2]"]
        assert app.clipboard == "[S1 ¶3.2]"
        assert "Copied: [S1 ¶3.2]" in messages(app)
        await press(pilot, "j", "j", "c")  # ¶3 has three sentences: on to ¶4's first
        payloads = OSC52.findall("".join(written))
        assert base64.b64decode(payloads[-1]).decode("utf-8") == "[S1 ¶4.1]"
        assert "Copied: [S1 ¶4.1]" in messages(app)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_keys_typed_with_o_move_the_cursor_from_the_cited_sentence(size, tmp_path: Path):
    """'ojjc' typed in one go: the source opens on the cited sentence and the cursor moves
    on from there; showing the cited passage once the screen is drawn does not move it back."""
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=size) as pilot:
        brief = await wait_for_brief(pilot)
        await select_citing(pilot, brief, Citation("S1", 3, 2))
        await press(pilot, "o", "j", "j", "c")
        screen = await wait_for_screen(pilot, SourceScreen, "the source")
        await settled(pilot)
        assert app.clipboard == "[S1 ¶4.1]"  # ¶3.2, ¶3.3, then ¶4.1
        assert screen.query_one(SourceView).cursor == (4, 1)
        assert status_of(screen).startswith("▶ [S1 ¶4.1]")


async def test_a_source_with_no_text_takes_every_key_without_failing(tmp_path: Path):
    app = app_for(tmp_path, CONTRACT)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_brief(pilot)
        source = SourceScreen(SourceDocument.from_text("\n\n"), None, [Citation("S1", 1)], None)
        app.push_screen(source)
        await wait_for_screen(pilot, SourceScreen, "the empty source")
        for key in ("j", "k", "J", "K", "g", "G", "pagedown", "pageup", "n", "p"):
            await press(pilot, key)
        assert app.is_running and app.screen is source
        assert "no text" in status_of(source)
        await press(pilot, "c")
        assert app.clipboard == "" and any("no text to cite" in m for m in messages(app))


# -- drafted items and claims ------------------------------------------------------------------

DRAFTED_AND_CLAIMED = GOOD_BRIEF.replace(
    "- It costs a lot. [S1 ¶2]\n  figure: £5m\n",
    "- It costs a lot. [S1 ¶2]\n  figure: £5m\n  drafted: figure\n",
).replace(
    "- Two sentences are here. {#two} [S1 ¶1.2]\n",
    "- Two sentences are here. {#two} [S1 ¶1.2]\n  according to: the council\n",
)


@pytest.mark.parametrize("size", SIZES)
async def test_drafted_items_and_claims_read_as_such(size, tmp_path: Path):
    library = write_library(tmp_path / "lib", {"sample.md": DRAFTED_AND_CLAIMED})
    brief = load_brief(library / "sample.md")
    assert brief.facts[0].drafted == "figure" and brief.facts[1].according_to == "the council"
    app = app_for(tmp_path, "sample", library=library)
    async with app.run_test(size=size) as pilot:
        screen = await wait_for_brief(pilot)
        rows = screen_text(app).split("\n")
        drafted_row = next(line for line in rows if "It costs a lot." in line)
        assert f"{DRAFTED_TAG} £5m · It costs a lot." in drafted_row
        claim_row = next(line for line in rows if "the council says: Two sentences" in line)
        assert DRAFTED_TAG not in claim_row
        detail = str(screen.query_one("#detail-body").render())
        assert "Drafted: figure — remove its “drafted:” line to accept it" in detail
        await press(pilot, "j")
        detail = str(screen.query_one("#detail-body").render())
        assert detail.startswith("the council says: Two sentences are here.\n")
        assert "According to: the council" in detail and "Drafted" not in detail
        # The claim's name travels with it when copied, too.
        await press(pilot, "y")
        assert app.clipboard.startswith("the council says: Two sentences are here.")
        # Help says what the marks mean.
        await press(pilot, "question_mark")
        help_text = str(app.screen.query_one("#help-body Static").render())
        assert DRAFTED_TAG in help_text and "drafted:" in help_text and "X says" in help_text


async def test_a_note_on_a_claim_shows_the_claim_in_the_notebook(tmp_path: Path):
    """The notebook quotes the item a note is on: a claim reads as one there too."""
    from briefing.store.notes import Store
    from briefing.ui.screens.notebook import NotebookScreen
    from briefing.ui.widgets.rowlist import RowList

    from .pilot import wait_for_library

    library = write_library(tmp_path / "lib", {"sample.md": DRAFTED_AND_CLAIMED})
    claim = load_brief(library / "sample.md").facts[1]
    store = Store(tmp_path / "notes.json")
    store.add_note("sample", claim.id, "facts", claim.quote, "Check who said it.")
    store.close()
    app = app_for(tmp_path, library=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "n")
        notebook = await wait_for_screen(pilot, NotebookScreen, "the notebook")
        rows = notebook.query_one("#notebook-list", RowList)
        assert rows.select_where(lambda row: row.mark is not None)
        await settled(pilot)
        row = rows.render_line(rows.cursor - rows.scroll_offset.y).text
        assert "Check who said it." in row and "the council says: Two sentences" in row
        detail = str(notebook.query_one("#notebook-detail-body").render())
        assert "On: the council says: Two sentences are here." in detail
