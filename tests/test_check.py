"""Every problem ``briefing check`` reports, with the line it names, and the library's error list
(its index, the cache of what it read, is in test_index.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli.main import main
from briefing.core.library import Library

from .fixtures import BUNDLED, GOOD_BRIEF, line_of, write_library


def broken(old: str, new: str) -> str:
    assert old in GOOD_BRIEF, old
    return GOOD_BRIEF.replace(old, new, 1)


# (what is wrong, the brief text, the text of the line it is reported at (None: line 1), message part)
CASES = [
    ("no front matter", "# Just a heading\n", None, "starts with YAML front matter"),
    ("unclosed front matter", "---\ntitle: x\n", None, "not closed"),
    ("bad YAML", broken("tags: [one, two]", "tags: [one, two"), "summary: >", "front matter"),
    ("missing title", broken("title: A sample brief\n", ""), None, "missing 'title'"),
    ("bad date", broken("date: 2024-05-01", "date: May 2024"), "date: May 2024", "must be YYYY-MM-DD"),
    ("bad status", broken("status: review", "status: finished"), "status: finished", "status 'finished'"),
    ("bad tags", broken("tags: [one, two]", "tags: 3"), "tags: 3", "'tags' must be a list"),
    (
        "unknown key",
        broken("tags: [one, two]", "tags: [one, two]\ncolour: red"),
        "colour: red",
        "unknown front matter key",
    ),
    ("bad id", broken("id: sample", "id: Not An Id"), "id: Not An Id", "brief id"),
    (
        "missing sources",
        broken(
            "sources:\n  - id: S1\n    title: The sample source\n    file: sample.txt\n    kind: report\n    verified: true\n",
            "",
        ),
        None,
        "missing 'sources'",
    ),
    ("source path", broken("file: sample.txt", "file: ../../etc/passwd"), "sources:", "plain file name"),
    ("verified not bool", broken("verified: true", "verified: maybe"), "sources:", "'verified' must be true or false"),
    (
        "python tag",
        broken("title: A sample brief", "title: !!python/object/apply:os.system ['true']"),
        "title: !!python",
        "front matter",
    ),
    ("alias", broken("tags: [one, two]", "tags: &a [one]\nsummary2: *a"), "tags: &a", "anchors and aliases"),
    ("unknown section", broken("## Concerns", "## Worries"), "## Worries", "unknown section 'Worries'"),
    ("section twice", broken("## Concerns", "## Key facts"), ("## Key facts", 2), "appears twice"),
    ("prose in a pane", broken("## Key facts\n", "## Key facts\n\nSome prose.\n"), "Some prose.", "only list items"),
    ("nested list", broken("  figure: £5m", "  figure: £5m\n\n  - nested [S1 ¶1]"), "  - nested", "nested lists"),
    ("no citation", broken("- It costs a lot. [S1 ¶2]", "- It costs a lot."), "- It costs a lot.", "no citation"),
    ("unknown source", broken("[S1 ¶2]\n  figure", "[S9 ¶2]\n  figure"), "[S9 ¶2]", "names a source not in"),
    ("paragraph zero", broken("[S1 ¶2]\n  figure", "[S1 ¶0]\n  figure"), "[S1 ¶0]", "numbered from 1"),
    ("unknown field", broken("  figure: £5m", "  figur: £5m"), "figur:", "unknown field 'figur'"),
    ("field twice", broken("  figure: £5m", "  figure: £5m\n  figure: £6m"), "figure: £6m", "given twice"),
    ("bad stance", broken("stance: supports", "stance: likes"), "- The Council", "stance 'likes'"),
    (
        "stakeholder without a line",
        broken("  Proposed the plan. [S1 ¶1]", "  stance: supports"),
        ("stance: supports", 2),
        "given twice",
    ),
    ("concern without raised by", broken("  raised by: critics\n", ""), "- Cost", "raised by"),
    ("event without event", broken("- 2020\n  An earlier year. [S1 ¶2]", "- 2020 [S1 ¶2]"), "- 2020 [S1", "the event"),
    (
        "bad sort",
        broken("- during the summer", "- during the summer\n  sort: summer"),
        "- during the summer",
        "'sort: summer'",
    ),
    (
        "id on a later line",
        broken("  figure: £5m", "  figure: £5m {#late}"),
        "{#late}",
        "belongs on the item's first line",
    ),
    (
        "field after the text",
        broken("  Too expensive. [S1 ¶2]", "  Too expensive. [S1 ¶2]\n  category: ethics"),
        "category: ethics",
        "must come right under",
    ),
    ("date-like words", broken("- 2020\n", "- 2020 or so\n"), "- 2020 or so", "is not a date"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_file_line_and_message(case, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _, text, at, message = case
    write_library(tmp_path, {"sample.md": text})
    code = main(["check", str(tmp_path / "sample.md")])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    needle, nth = at if isinstance(at, tuple) else (at, 1)
    expected_line = (
        1 if needle is None else [n for n, line in enumerate(text.splitlines(), 1) if needle in line][nth - 1]
    )
    hits = [line for line in out if message in line]
    assert len(hits) == 1, out  # said once, at its line
    file, line, _ = hits[0].split(":", 2)
    assert file == str(tmp_path / "sample.md")
    assert int(line) == expected_line, hits[0]


def test_check_reports_a_paragraph_the_source_lacks(tmp_path: Path, capsys):
    text = GOOD_BRIEF.replace("[S1 ¶2]\n  figure", "[S1 ¶7]\n  figure")
    write_library(tmp_path, {"sample.md": text})
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"sample.md:{line_of(text, '[S1 ¶7]')}: [S1 ¶7]: source S1 has 3 paragraphs" in out


def test_check_reports_every_problem_not_just_the_first(tmp_path: Path, capsys):
    text = GOOD_BRIEF.replace("status: review", "status: odd").replace("  figure: £5m", "  figur: £5m")
    write_library(tmp_path, {"sample.md": text})
    assert main(["check", str(tmp_path)]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if ": warning: " not in line]
    assert len(out) == 2 and "status 'odd'" in out[0] and "unknown field" in out[1]


def test_check_passes_the_bundled_library(capsys):
    assert main(["check", str(BUNDLED)]) == 0
    assert capsys.readouterr().out == ""


def test_check_names_a_missing_path(tmp_path: Path, capsys):
    assert main(["check", str(tmp_path / "nope.md")]) == 1
    assert "no such file or folder" in capsys.readouterr().out


def test_library_lists_errors_and_still_loads_the_rest(tmp_path: Path):
    write_library(
        tmp_path,
        {
            "good.md": GOOD_BRIEF,
            "bad.md": GOOD_BRIEF.replace("id: sample", "id: other").replace("status: review", "status: odd"),
            "twin.md": GOOD_BRIEF,
            "FORMAT.md": "not a brief",
        },
    )
    library = Library([tmp_path])
    library.scan()
    assert [s.id for s in library.summaries] == ["sample"]
    errors = {Path(e.file).name: e.message for e in library.errors}
    assert set(errors) == {"bad.md", "twin.md"}
    assert "status 'odd'" in errors["bad.md"]
    assert "also used by" in errors["twin.md"]
    assert library.entries[-1].summary is None  # errors sort after the briefs


def test_library_sorts_newest_first_and_filters(tmp_path: Path):
    older = (
        GOOD_BRIEF.replace("id: sample", "id: older")
        .replace("date: 2024-05-01", "date: 2019")
        .replace("title: A sample brief", "title: An older brief")
    )
    write_library(tmp_path, {"a.md": older, "b.md": GOOD_BRIEF})
    library = Library([tmp_path])
    library.scan()
    assert [s.id for s in library.summaries] == ["sample", "older"]
    assert [e.summary.id for e in library.filter("OLDER 2019")] == ["older"]
    assert [e.summary.id for e in library.filter("review 2024")] == ["sample"]
    assert library.filter("nothing-like-this") == []


@pytest.mark.parametrize("value", ["2020-02-30", "!!int abc", "!!float abc"])
def test_a_value_yaml_cannot_build_is_reported_at_its_line(value, tmp_path: Path, capsys):
    text = GOOD_BRIEF.replace("tags: [one, two]", f"tags: [one, two]\nsummary2: {value}")
    text = text.replace("summary2:", "date:").replace("date: 2024-05-01\n", "")
    write_library(tmp_path, {"sample.md": text})
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"sample.md:{line_of(text, 'date: ' + value)}: front matter: 'date' has a value that cannot be read" in out


def test_an_item_with_no_text_and_items_outside_a_pane(tmp_path: Path, capsys):
    text = GOOD_BRIEF.replace("# A sample brief\n", "# A sample brief\n\n- Stray item. [S1 ¶1]\n")
    text = text.replace("- It costs a lot. [S1 ¶2]", "- [S1 ¶2] {#empty}")
    write_library(tmp_path, {"sample.md": text})
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f":{line_of(text, '- Stray item.')}: a list item outside a pane" in out
    assert f":{line_of(text, '{#empty}')}: the item's first line has no text" in out


def test_a_symlink_loop_is_reported_not_fatal(tmp_path: Path, capsys):
    write_library(tmp_path, {"good.md": GOOD_BRIEF})
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    library = Library([tmp_path])
    library.scan()
    assert [s.id for s in library.summaries] == ["sample"]
    assert [Path(e.file).name for e in library.errors] == ["loop.md"]
    assert main(["check", str(tmp_path)]) == 1
