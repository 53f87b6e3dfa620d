"""No brief can stall the reader: the work any one file causes is bounded by its size.

Shapes that cost Markdown parsers dearly (a megabyte of ``[``, runs of emphasis, backticks
of every length, deep lists, a huge link label, hundreds of thousands of lines), each about
a megabyte: each is read (or refused) in well under a second of CPU, a library holding
them lists its other briefs, ``briefing show`` of another brief does not parse them again,
and the reader never parses a brief on its UI thread.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefing.core import mdlite
from briefing.core.errors import BriefError
from briefing.core.library import Library
from briefing.core.model import Brief
from briefing.core.parse import MAX_ITEMS, MAX_LINES, parse_brief

from .fixtures import GOOD_BRIEF, write_library
from .pilot import app_for, press, wait_for_brief, wait_for_library

SIZE = 960_000
HEAD = GOOD_BRIEF.split("## Key facts")[0] + "## Key facts\n\n"
# CPU seconds one file may take: several times what any shape takes on a slow machine
# (0.05-0.3 s here); it is CPU time, so a loaded machine does not count against it.
CPU_LIMIT = 1.0


def shapes() -> dict[str, str]:
    n = SIZE
    return {
        "brackets": HEAD + "- " + "[" * n,
        "bang-brackets": HEAD + "- " + "![" * (n // 2),
        "link-openers": HEAD + "- " + "[a](" * (n // 4),
        "close-brackets": HEAD + "- " + "]" * n,
        "emphasis-run": HEAD + "- " + "*" * n,
        "emphasis-words": HEAD + "- " + "*a " * (n // 3),
        "nested-emphasis": HEAD + "- " + "*a **b _c __d " * (n // 14),
        "underscores": HEAD + "- " + "_a_ " * (n // 4),
        "backticks": HEAD + "- " + "".join("`" * (k % 50 + 1) + "a" for k in range(n // 26)),
        "nested-lists": HEAD + "".join("  " * (i % 40) + "- a [S1 ¶1]\n" for i in range(20_000)),
        "long-link-label": HEAD + "- [" + "a" * n + "](http://example.org) [S1 ¶1]\n",
        "autolink-openers": HEAD + "- " + "<a" * (n // 2),
        "entities": HEAD + "- " + "&amp" * (n // 4),
        "bracket-lines": HEAD + "[\n" * (n // 2),
        "headings": HEAD + "## x\n" * (n // 5),
        "numbered": HEAD + "".join(f"{i}. a\n" for i in range(n // 9)),
        "many-items": HEAD + "- a fact of a few words [S1 ¶1]\n" * 24_000,
        "same-ids": HEAD + "- the same words every time [S1 ¶1]\n" * 4_900,
        "blank-lines": HEAD + "\n" * n,
        "quotes": HEAD + ">" * n,
    }


def cpu(function, *args):
    start = time.process_time()
    try:
        return function(*args), time.process_time() - start
    except BriefError as exc:
        return exc, time.process_time() - start


@pytest.mark.parametrize("name, text", list(shapes().items()), ids=list(shapes()))
def test_each_shape_is_read_in_under_a_second_of_cpu(name: str, text: str):
    outcome, seconds = cpu(parse_brief, text, f"{name}.md", name)
    assert seconds < CPU_LIMIT, f"{name}: {seconds:.2f} s of CPU"
    if isinstance(outcome, BriefError):
        assert len(outcome.all) <= 101  # said, not listed a hundred thousand times
        assert all(p.line >= 1 for p in outcome.all)
    else:
        assert outcome.facts  # a brief, read: its text kept (not dropped) and cited
        assert all(f.citations for f in outcome.facts)


def test_an_item_citing_a_paragraph_after_another_is_read_in_under_a_second_of_cpu():
    """Each citation is kept once: looking each up among all those before it took time
    growing with the square of their number (a minute for a fifth of this)."""
    text = HEAD + "- a fact " + "".join(f"[S1 ¶{n}] " for n in range(1, SIZE // 12)) + "\n"
    outcome, seconds = cpu(parse_brief, text, "citations.md", "citations")
    assert seconds < CPU_LIMIT, f"{seconds:.2f} s of CPU"
    assert isinstance(outcome, Brief)
    assert [c.paragraph for c in outcome.facts[0].citations] == list(range(1, SIZE // 12))


def test_what_is_too_long_to_be_a_brief_says_so():
    lines = HEAD + "- a [S1 ¶1]\n" * (MAX_LINES + 10)
    with pytest.raises(BriefError, match=f"a brief has at most {MAX_LINES:,}"):
        parse_brief(lines, "long.md", "long")
    items = HEAD + "- a fact [S1 ¶1]\n" * (MAX_ITEMS + 10)
    with pytest.raises(BriefError, match=f"more than {MAX_ITEMS:,} items"):
        parse_brief(items, "many.md", "many")


def test_markup_past_the_budget_is_shown_as_written():
    budget = mdlite.Budget(10)
    assert mdlite.plain("*a* **b**", budget) == "a b"  # 6 markup characters: read
    assert mdlite.plain("*c* **d**", budget) == "*c* **d**"  # 6 more: past 10, as written


def test_the_plain_text_of_ordinary_markdown():
    assert (
        mdlite.plain("It costs **a lot**, see [the report](https://example.org/r).")
        == "It costs a lot, see the report <https://example.org/r>."
    )
    assert (
        mdlite.plain("snake_case_word, 2 * 3 * 4, `a*b`, \\*x\\*, &amp;, <http://a.b/c>")
        == "snake_case_word, 2 * 3 * 4, a*b, *x*, &, http://a.b/c"
    )
    assert (
        mdlite.plain("[w](http://en.wikipedia.org/wiki/A_(b)) ![alt](p.png) [S1 ¶2]")
        == "w <http://en.wikipedia.org/wiki/A_(b)> alt <p.png> [S1 ¶2]"
    )
    assert mdlite.plain("one  \ntwo\\\nthree") == "one\ntwo\nthree"


@pytest.fixture
def slow_library(tmp_path: Path) -> Path:
    """A library of one good brief and every pathological shape."""
    lib = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    for name, text in shapes().items():
        (lib / f"{name}.md").write_text(text.replace("id: sample", f"id: {name}", 1), encoding="utf-8")
    return lib


@pytest.mark.slow  # the installed command, checking every pathological shape in its own process
def test_the_library_lists_its_other_briefs_and_check_is_quick(slow_library: Path, tmp_path: Path):
    library = Library([slow_library], tmp_path / "index.json")
    library.scan()
    assert [s.id for s in library.summaries if s.id == "sample"] == ["sample"]
    assert len(library.entries) == len(shapes()) + 1

    command = Path(sys.executable).parent / "briefing"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [command, "check", *map(str, sorted(slow_library.glob("*.md")))], capture_output=True, text=True, timeout=600
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    files = len(shapes()) + 1
    assert done.returncode == 1 and f"{files} briefs checked" in done.stderr
    assert used < CPU_LIMIT * files, f"{used:.1f} s of CPU for {files} files"


def test_show_of_another_brief_does_not_read_the_slow_ones_again(
    slow_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    from briefing.cli.main import main
    from briefing.core import parse

    assert main(["show", "sample", "--library", str(slow_library)]) == 0  # builds the index
    read: list[str] = []
    real = parse.load_brief

    def counted(path, *args, **kwargs):
        read.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(parse, "load_brief", counted)
    assert main(["show", "sample", "--library", str(slow_library)]) == 0
    assert read == ["sample.md"], read  # only the brief shown, none of the others
    assert "A sample brief" in capsys.readouterr().out


async def test_the_reader_never_parses_a_brief_on_its_ui_thread(tmp_path: Path, monkeypatch):
    lib = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    threads: list[str] = []
    real = Library.brief

    def watched(self, brief_id):
        threads.append(threading.current_thread().name)
        return real(self, brief_id)

    monkeypatch.setattr(Library, "brief", watched)
    app = app_for(tmp_path, library=lib)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await press(pilot, "enter")
        await wait_for_brief(pilot)
    assert threads and threading.main_thread().name not in threads, threads
