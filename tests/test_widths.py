"""Text is measured the way terminals draw it, and document text is what gets cut.

Rich measures the screen; terminals such as xterm, VTE and tmux draw it a code point at a
time (what wcwidth models). They disagree on zero width joiners, variation selectors, emoji
modifiers and flags; the cleaner drops or spells those out, so the two agree for every
character. Then, with titles, sources, items and notes full of such characters (and of
double-width text), every line of every screen is exactly as wide as the terminal in
wcwidth's measure, and the markers that carry meaning stay in view.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len
from wcwidth import wcswidth, wcwidth

from briefing.core.safe import clean, clean_line, is_clean
from briefing.store.notes import Store

from .fixtures import GOOD_BRIEF, SOURCE_TEXT
from .pilot import app_for, press, settled, until, wait_for_brief, wait_for_library

ZWJ_FAMILY = "👨\u200d👩\u200d👧\u200d👦"
TRICKY = (
    f"x\u200d字 {ZWJ_FAMILY} 🇬🇧🇫🇷 👍🏽 ❤️ 1️⃣ a\u00adb e\u0301 \u200b\u2060\u200c"
    "\U000e0067\U000e0062 東京都 ｶﾀｶﾅ 🏳️\u200d🌈"
)


def test_every_character_left_by_the_cleaner_is_as_wide_for_rich_as_for_a_terminal():
    for code in [*range(0xA0, 0x20000), *range(0xE0000, 0xE0200)]:
        char = chr(code)
        if unicodedata.category(char) in ("Cs", "Co", "Cn"):
            continue
        shown = clean_line(char)
        if not shown:
            continue  # dropped
        assert cell_len(shown) == max(0, wcswidth(shown)), f"U+{code:04X} {unicodedata.name(char, '?')}"


@pytest.mark.parametrize(
    "text",
    [TRICKY, ZWJ_FAMILY * 5, "x\u200d" * 30 + "字" * 10, "🇺🇳" * 12, "\u0915\u094d\u200d\u0937", "a\ufe0f" * 20, "©️®️™️"],
)
def test_sequences_measure_alike_after_cleaning(text: str):
    shown = clean_line(text)
    assert is_clean(shown)
    assert cell_len(shown) == wcswidth(shown), repr(shown)
    assert cell_len(clean(text)) == wcswidth(clean(text))


def test_what_the_cleaner_keeps_of_a_flag_and_a_family():
    assert clean_line("🇬🇧") == "GB"
    assert clean_line(ZWJ_FAMILY) == "👨👩👧👦"
    assert clean_line("x\u200d字") == "x字"


# -- every screen, every line -----------------------------------------------------------


def tricky_library(root: Path) -> Path:
    """A library whose brief, source and items are full of joiners, flags and wide text."""
    lib = root / "lib"
    (lib / "sources").mkdir(parents=True)
    (lib / "sources" / "sample.txt").write_text(SOURCE_TEXT.replace("First", f"First {TRICKY}"), encoding="utf-8")
    text = (
        GOOD_BRIEF.replace("title: A sample brief", f"title: {TRICKY} {TRICKY} {TRICKY}")
        .replace("title: The sample source", f"title: {TRICKY} {TRICKY} {TRICKY}")
        .replace("verified: true", "verified: false")
        .replace("tags: [one, two]", f"tags: [{TRICKY}, two]")
        .replace("- It costs a lot.", f"- It costs a lot. {TRICKY} {TRICKY} {TRICKY}")
        .replace("- The Council", f"- The Council {TRICKY} {TRICKY}")
    )
    (lib / "sample.md").write_text(text, encoding="utf-8")
    return lib


def screen_lines(app) -> list[str]:
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def assert_fits(app, where: str) -> list[str]:
    lines = screen_lines(app)
    width = app.size.width
    for number, line in enumerate(lines):
        assert not any(ch in line for ch in "\u200d\ufe0f\u200b\U0001f3fd"), f"{where} line {number}: {line!r}"
        drawn = sum(max(0, wcwidth(ch)) for ch in line)
        assert drawn == width, f"{where} line {number} is {drawn} cells wide, not {width}: {line!r}"
    return lines


@pytest.mark.parametrize("size", [(80, 24), (160, 48), (60, 20)])
async def test_every_line_of_every_screen_fits_and_keeps_its_markers(tmp_path: Path, size):
    lib = tricky_library(tmp_path)
    store_path = tmp_path / "notes.json"
    store = Store(store_path)
    store.add_note("sample", "it-costs-a-lot", "facts", "It costs a lot.", f"A note {TRICKY}")
    store.add_note("sample", None, None, "title", f"On the brief {TRICKY}")
    store.toggle_bookmark("sample", None, None, "title")
    store.close()
    app = app_for(tmp_path, library=lib, store=store_path)
    async with app.run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        await until(pilot, lambda: library.orphans_known, "the library's counts")
        lines = assert_fits(app, "library")
        row = next(line for line in lines if "▶" in line)
        assert re.search(r"F2 +S1 +C1 +T4$", row.rstrip()), row  # the counts are never pushed out
        assert "★" in row and "✎2" in row

        await press(pilot, "enter")
        brief = await wait_for_brief(pilot)
        await settled(pilot)
        lines = assert_fits(app, "brief")
        assert any("(unverified)" in line for line in lines[:6]), lines[:6]
        for key in ("2", "3", "4", "1", "j", "s", "k"):
            await press(pilot, key)
            await settled(pilot)
            assert_fits(app, f"brief after {key}")
        assert brief.pane == "facts"

        await press(pilot, "o")
        await until(pilot, lambda: type(app.screen).__name__ == "SourceScreen", "the source")
        await settled(pilot)
        lines = assert_fits(app, "source")
        assert "(unverified" in lines[0] and lines[1].rstrip().endswith("[S1 ¶2]"), lines[:2]
        await press(pilot, "escape")

        await press(pilot, "n")
        await until(pilot, lambda: type(app.screen).__name__ == "NotebookScreen", "the notebook")
        await settled(pilot)
        assert_fits(app, "notebook")
        await press(pilot, "j")
        await settled(pilot)
        assert_fits(app, "notebook, a note")
