"""``briefing source add`` and ``briefing source show``: text and Markdown taken in, the
written source and its header, adding twice, names, the library written to, the errors
(one line each, exit 2), and sources shown numbered as citations count them. (Web pages:
test_ingest_html.py; PDFs: test_ingest_pdf.py.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest
import yaml

from briefing import paths
from briefing.authoring.formats.common import IngestError
from briefing.authoring.formats.markdown import DEEP
from briefing.authoring.ingest import AddedSource, add_source, convert_document
from briefing.cli.main import main
from briefing.core.parse import load_brief
from briefing.core.sources import SourceDocument, load_source

from .fixtures import BUNDLED


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    return folder


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- plain text --------------------------------------------------------------------------


def test_text_paragraphs_are_blocks_joined_into_lines(tmp_path: Path):
    path = write(
        tmp_path / "notes.txt",
        "\ufeffFirst paragraph,\r\nwrapped over\tthree\r\nlines.\r\n\r\n  \r\nSecond one.\n\n\n\nThird.\n",
    )
    document = convert_document(path)
    assert document.paragraphs == ["First paragraph, wrapped over three lines.", "Second one.", "Third."]
    assert (document.title, document.kind) == ("notes", "text")


def test_text_without_blank_lines_keeps_a_paragraph_per_line(tmp_path: Path):
    """As core.sources counts such a file (the bundled news report is one): the numbering of
    a text source stays what it was when it is taken in."""
    original = BUNDLED / "sources" / "met-police-palantir-report.txt"
    document = convert_document(original)
    assert document.paragraphs == list(SourceDocument.from_text(original.read_text()).paragraphs)
    assert len(document.paragraphs) == 5


def test_text_is_cleaned_but_keeps_its_characters(tmp_path: Path):
    path = write(
        tmp_path / "dirty.txt",
        "The \ufb01rst \ufb02oor\u2019s govern\u00adment\u200b said \u201cno\u201d \u2014 to the e\u0301tude"
        "\x1b[2J of \u00bd the site\u00a0\u00b2.\f\n",
    )
    assert convert_document(path).paragraphs == [
        "The first floor\u2019s government said \u201cno\u201d \u2014 to the \u00e9tude\u241b[2J of \u00bd the site \u00b2."
    ]


# -- Markdown ---------------------------------------------------------------------------

MARKDOWN = """\
---
title: "Street lighting: a review"
author: Someone
---

# The review

The council's *review* of **street lighting** found `12,000` lamps\\* in
[the county](https://example.org/county "The county") and [an appendix](appendix.md), see
<https://example.org/data> or [mail us](mailto:lights@example.org).

## Findings

- Most lamps were old.
- Some were *new*:
  1. in Northtown
  2. in Southbury

> The lamps should be replaced
> within five years.
>
> A second paragraph of the quote.

```
total = 12000
replaced = 4000
```

| Area | Lamps |
| ---- | ----- |
| Northtown | 4,000 |

<div class="note">A <b>raw</b> HTML note &amp; more.</div>

<!-- an editor's comment -->

![A map of the lamps](map.png)

Setext heading
--------------
"""


def test_markdown_becomes_plain_paragraphs(tmp_path: Path):
    document = convert_document(write(tmp_path / "review.md", MARKDOWN))
    assert document.title == "Street lighting: a review"  # from the front matter
    assert document.paragraphs == [
        "The review",
        "The council's review of street lighting found 12,000 lamps* in the county <https://example.org/county> "
        "and an appendix, see https://example.org/data or mail us <mailto:lights@example.org>.",
        "Findings",
        "Most lamps were old.",
        "Some were new:",
        "1. in Northtown",
        "2. in Southbury",
        "The lamps should be replaced within five years.",
        "A second paragraph of the quote.",
        "total = 12000 replaced = 4000",
        "Area | Lamps",
        "Northtown | 4,000",
        "A raw HTML note & more.",
        "A map of the lamps",
        "Setext heading",
    ]


@pytest.mark.parametrize(
    ("front", "title"),
    [
        ("title: >\n  Cameras in the\n  town centre\n", "Cameras in the town centre"),
        ("title: |-\n  Cameras\n", "Cameras"),
        ('title: "Cameras: a review" # the working title\n', "Cameras: a review"),
        ("title: 'The council''s cameras'\n", "The council's cameras"),
        ("tags: [cctv, privacy]\nsection:\n  title: Not this\ntitle: Cameras\n", "Cameras"),
        ("name: &n Cameras\ntitle: *n\n", "The heading"),  # an alias is not followed
        ("title: [a, list]\n", "The heading"),
        ("title: [not yaml\n", "The heading"),
    ],
)
def test_markdown_title_from_front_matter_as_yaml_writes_it(tmp_path: Path, front: str, title: str):
    path = write(tmp_path / "doc.md", f"---\n{front}---\n\n# The heading\n\nBody.\n")
    document = convert_document(path)
    assert (document.title, document.paragraphs) == (title, ["The heading", "Body."])


def test_markdown_title_is_the_first_top_heading_without_front_matter(tmp_path: Path):
    path = write(tmp_path / "plain.md", "Intro text.\n\n## Second level\n\n# The *real* title\n\nBody.\n")
    document = convert_document(path)
    assert document.title == "The real title"
    assert document.paragraphs == ["Intro text.", "Second level", "The real title", "Body."]
    assert convert_document(write(tmp_path / "bare.md", "Just text.\n")).title == "bare"


def _error(path: Path) -> IngestError:
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    return caught.value


def test_markdown_ordered_items_keep_their_numbers(tmp_path: Path):
    """The numbers a reader sees, which a brief may speak of ("the third recommendation"):
    counted on from the first, however the others are written."""
    path = write(
        tmp_path / "recs.md",
        "We recommend:\n\n3. Publish the data.\n1. Review it yearly.\n   - with the public\n\n   And say how.\n"
        "1. Stop the trial.\n\n---\n\n1) First.\n1) Second.\n",
    )
    assert convert_document(path).paragraphs == [
        "We recommend:",
        "3. Publish the data.",
        "4. Review it yearly.",
        "with the public",
        "And say how.",
        "5. Stop the trial.",
        "1) First.",
        "2) Second.",
    ]


def test_markdown_nested_deep_is_read_whole_or_refused(tmp_path: Path):
    """CommonMark's preset of markdown-it skips what is nested more than 20 levels (a list ten
    deep) without a word; briefing reads lists and quotes far deeper, and refuses rather than
    loses what is deeper still."""
    deep_list = "".join("  " * i + f"- item {i}\n" for i in range(15))
    assert convert_document(write(tmp_path / "list.md", deep_list)).paragraphs == [f"item {i}" for i in range(15)]
    deep_quote = "> " * 40 + "The quoted text.\n"
    assert convert_document(write(tmp_path / "quote.md", deep_quote)).paragraphs == ["The quoted text."]
    deeper = write(tmp_path / "deeper.md", "> " * 500 + "The quoted text.\n")
    with pytest.raises(IngestError) as caught:
        convert_document(deeper)
    assert str(caught.value) == f"{deeper}: {DEEP}"


def test_markdown_inline_markup_is_read_within_commonmarks_own_nesting(tmp_path: Path, monkeypatch):
    """Blocks may nest deeper than CommonMark's preset allows; what is inside them may not:
    to find where a link's text ends, markdown-it skips over the markup in it, to its limit of
    nesting, so its work on a line of ``[`` grows with that limit. (Counted, not timed: the
    tokens it skips over.)"""
    from markdown_it.parser_inline import ParserInline

    skipped = 0
    skip_token = ParserInline.skipToken

    def counted(self, state):
        nonlocal skipped
        skipped += 1
        return skip_token(self, state)

    monkeypatch.setattr(ParserInline, "skipToken", counted)
    path = write(tmp_path / "brackets.md", "[" * 2_000 + "\n")
    assert convert_document(path).paragraphs == ["[" * 2_000]
    assert 2_000 <= skipped <= 2_000 * 25


def test_markdown_far_longer_than_a_source_is_refused_before_it_is_parsed(tmp_path: Path, monkeypatch):
    """markdown-it takes half a minute and gigabytes over tens of megabytes, only for the
    result to be refused; images embedded as data: addresses do not count."""
    from markdown_it import MarkdownIt

    from briefing.authoring.formats import markdown

    monkeypatch.setattr(markdown, "_TEXT_LIMIT", 1_000)
    image = "![The map](data:image/png;base64," + "iVBORw0KGgo" * 500 + ")\n\nThe map shows the cameras.\n"
    assert convert_document(write(tmp_path / "map.md", image)).paragraphs == ["The map", "The map shows the cameras."]
    monkeypatch.setattr(MarkdownIt, "parse", None)  # never reached
    long = write(tmp_path / "long.md", "A paragraph of the report.\n\n" * 50)
    assert str(_error(long)) == (
        f"{long}: too much text: 1,400 characters, far more than a source file holds (1,000,000 bytes); "
        "split the document and add its parts"
    )


# -- what is written ----------------------------------------------------------------------


def test_the_source_file_its_header_and_what_a_brief_records(library: Path, tmp_path: Path):
    original = write(tmp_path / "Council Review (final).md", MARKDOWN)
    added = add_source(library, original)
    assert added.name == "council-review-final.txt"
    assert added.path == paths.sources_dir(library) / added.name
    data = added.path.read_bytes()
    assert added.sha256 == hashlib.sha256(data).hexdigest()  # of the written file
    assert added.original_sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
    assert (added.title, added.original, added.reused, added.paragraphs) == (
        "Street lighting: a review",
        "Council Review (final).md",
        False,
        15,
    )
    text = data.decode("utf-8")
    header, body = text.split("\n\n", 1)
    assert header.splitlines() == [
        "% original: Council Review (final).md",
        f"% sha256: {added.original_sha256}",
        "% title: Street lighting: a review",
        "% format: markdown",
        f"% added: {dt.date.today().isoformat()}",
    ]
    assert body == "\n\n".join(convert_document(original).paragraphs) + "\n"
    source = load_source(library, added.name)
    assert source.paragraphs[0] == "The review"  # the header is no paragraph
    assert len(source.paragraphs) == 15


def test_adding_the_same_document_again_writes_nothing(library: Path, tmp_path: Path):
    original = write(tmp_path / "notes.txt", "One.\n\nTwo.\n")
    first = add_source(library, original)
    # A day later the header's date would differ; the original's SHA-256 says it is the same.
    first.path.write_text(first.path.read_text().replace(dt.date.today().isoformat(), "2020-01-01"))
    before = first.path.read_bytes()
    again = add_source(library, original)
    assert again.reused and again.path == first.path and again.path.read_bytes() == before
    assert again.sha256 == hashlib.sha256(before).hexdigest()
    # Under another name too: the same bytes are found in whatever source holds them.
    renamed = write(tmp_path / "renamed.txt", original.read_bytes())
    assert add_source(library, renamed) == AddedSource(
        "notes.txt", first.path, again.sha256, "notes", "notes.txt", True, 2, again.original_sha256
    )
    assert sorted(os.listdir(paths.sources_dir(library))) == ["notes.txt"]


def test_another_document_of_the_same_name_is_refused_without_force(library: Path, tmp_path: Path, capsys):
    (tmp_path / "a").mkdir()
    first = write(tmp_path / "a" / "report.txt", "First.\n")
    add_source(library, first)
    second = write(tmp_path / "report.txt", "Second, another text.\n")
    target = paths.sources_dir(library) / "report.txt"
    assert main(["source", "add", str(second), "--library", str(library)]) == 2
    assert capsys.readouterr().err == (
        f"briefing: {target}: another document (report.txt) is there under this name; "
        "choose another with --name, or --force to replace it\n"
    )
    assert load_source(library, "report.txt").paragraphs == ("First.",)
    assert main(["source", "add", str(second), "--library", str(library), "--force"]) == 0
    assert load_source(library, "report.txt").paragraphs == ("Second, another text.",)
    assert main(["source", "add", str(first), "--library", str(library), "--name", "first"]) == 0
    assert load_source(library, "first.txt").paragraphs == ("First.",)


def test_a_hand_written_source_of_that_name_is_not_replaced(library: Path, tmp_path: Path):
    paths.sources_dir(library).mkdir()
    write(paths.sources_dir(library) / "notes.txt", "Written by hand.\n")
    with pytest.raises(IngestError) as caught:
        add_source(library, write(tmp_path / "notes.txt", "Other.\n"))
    assert caught.value.message == (
        "another file is there under this name; choose another with --name, or --force to replace it"
    )


@pytest.mark.parametrize("name", ["../escape.txt", "sub/dir.txt", ".hidden", "..", "bad\x1bname.txt", ""])
def test_a_name_must_be_a_plain_file_name(library: Path, tmp_path: Path, name: str):
    with pytest.raises(IngestError):
        add_source(library, write(tmp_path / "notes.txt", "One.\n"), name=name)
    assert not (library.parent / "escape.txt").exists()


def test_the_pasted_lines_make_a_brief_that_checks(library: Path, tmp_path: Path, capsys):
    original = write(tmp_path / "report.md", "# Lamps: a report\n\nThe council replaced 12,000 lamps. It cost £9m.\n")
    assert main(["source", "add", str(original), "--library", str(library), "--id", "S2"]) == 0
    out = capsys.readouterr().out
    written = paths.sources_dir(library) / "report.txt"
    sha = hashlib.sha256(written.read_bytes()).hexdigest()
    assert out.splitlines() == [
        f"wrote {written} (2 paragraphs) from report.md",
        "To cite it, list it under sources: in a brief's front matter:",
        "  - id: S2",
        "    title: 'Lamps: a report'",
        "    file: report.txt",
        f"    sha256: {sha}",
        f"Its paragraphs and sentences, numbered as citations count them: "
        f"briefing source show report.txt --library {library}",
    ]
    entry = "\n".join(out.splitlines()[2:6])
    assert yaml.safe_load(entry) == [{"id": "S2", "title": "Lamps: a report", "file": "report.txt", "sha256": sha}]
    brief = write(
        library / "lamps.md",
        "---\ntitle: Lamps\ndate: 2026-01-01\nstatus: draft\nsummary: Lamps.\nsources:\n"
        + entry
        + "\n---\n\n## Key facts\n\n- The council replaced 12,000 lamps. [S2 ¶2.1]\n",
    )
    parsed = load_brief(brief)
    assert parsed.sources[0].sha256 == sha
    assert main(["check", str(library)]) == 0
    # Adding it again says so, and prints the same lines to paste.
    assert main(["source", "add", str(original), "--library", str(library), "--id", "S2"]) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[0] == f"report.md is in the library already, as {written} (2 paragraphs); nothing was written"
    assert again[1:] == out.splitlines()[1:]


# -- the library written to -----------------------------------------------------------------


def test_the_bundled_library_is_written_to_only_when_named(tmp_path: Path, capsys):
    original = write(tmp_path / "notes.txt", "One.\n")
    before = sorted(os.listdir(BUNDLED / "sources"))
    assert main(["source", "add", str(original)]) == 2
    assert (
        capsys.readouterr().err
        == "briefing: will not write into the bundled library: name a library with --library DIR\n"
    )
    assert sorted(os.listdir(BUNDLED / "sources")) == before


def test_the_library_from_the_environment_is_named(library: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("BRIEFING_LIBRARY", str(library))
    assert main(["source", "add", str(write(tmp_path / "notes.txt", "One.\n"))]) == 0
    assert (paths.sources_dir(library) / "notes.txt").is_file()  # sources/ made as needed
    assert capsys.readouterr().out.endswith(f"briefing source show notes.txt --library {library}\n")


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            ["--library", "{lib}", "--library", "{lib}2"],
            "2 libraries are given; name the one to write into: --library DIR",
        ),
        (["--library", "{lib}/missing"], "no such library folder: {lib}/missing"),
        (["--library", "{lib}", "--id", "2 words"], "--id '2 words' must be a word such as S2"),
    ],
)
def test_the_library_and_the_id_are_checked(library: Path, tmp_path: Path, capsys, extra: list[str], message: str):
    original = write(tmp_path / "notes.txt", "One.\n")
    args = [a.format(lib=library) for a in extra]
    assert main(["source", "add", str(original), *args]) == 2
    assert capsys.readouterr().err == f"briefing: {message.format(lib=library)}\n"


# -- errors -----------------------------------------------------------------------------------


def _error_of(library: Path, path: Path, capsys) -> str:
    assert main(["source", "add", str(path), "--library", str(library)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "Traceback" not in captured.err
    return captured.err


def test_text_that_is_not_utf8_is_refused_with_its_place(library: Path, tmp_path: Path, capsys):
    path = write(tmp_path / "old.txt", "First line.\nThe \u201cquoted\u201d line.\n".encode("cp1252"))
    assert _error_of(library, path, capsys) == (
        f"briefing: {path}: not UTF-8: invalid byte 0x93 at line 2; "
        "convert it first, e.g. iconv -f windows-1252 -t utf-8\n"
    )
    path = write(tmp_path / "wide.md", "Text.\n".encode("utf-16"))
    assert _error_of(library, path, capsys) == (
        f"briefing: {path}: not UTF-8: the file is UTF-16; convert it first, e.g. iconv -f utf-16 -t utf-8\n"
    )
    path = write(tmp_path / "binary.txt", b"One.\nTwo\x00three\n")
    assert _error_of(library, path, capsys) == f"briefing: {path}: binary file (NUL byte at line 2), not a text file\n"


@pytest.mark.parametrize("content", ["", "  \n\n\t\n", "\u200b\u00ad\n"])
@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_an_empty_document_is_refused(library: Path, tmp_path: Path, capsys, content: str, suffix: str):
    path = write(tmp_path / f"empty{suffix}", content)
    assert _error_of(library, path, capsys) == (
        f"briefing: {path}: no text: the document is empty, so there is nothing to take in\n"
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not text but a PDF; name it .pdf and add that"),
        (
            "page.txt",
            b"\xef\xbb\xbf\n<!DOCTYPE html>\n<html><body><p>A page.</p></body></html>",
            "not text but a web page (HTML); name it .html and add that",
        ),
        (
            "page.md",
            b"<html><body><p>A page.</p></body></html>",
            "not text but a web page (HTML); name it .html and add that",
        ),
    ],
)
def test_a_pdf_or_a_web_page_named_as_text_says_what_it_is(
    library: Path, tmp_path: Path, capsys, name: str, data: bytes, message: str
):
    """Rather than 'not UTF-8: convert it with iconv' for a PDF, or its tags as paragraphs."""
    path = write(tmp_path / name, data)
    assert _error_of(library, path, capsys) == f"briefing: {path}: {message}\n"


def test_what_is_not_a_document_is_refused(library: Path, tmp_path: Path, capsys):
    docx = write(tmp_path / "report.docx", b"PK\x03\x04")
    assert _error_of(library, docx, capsys) == (
        f"briefing: {docx}: cannot take in .docx files: briefing takes .txt, .md, .html (or .htm, a saved web "
        "page) and .pdf\n"
    )
    bare = write(tmp_path / "README", "Text.\n")
    assert "cannot take in files without a suffix" in _error_of(library, bare, capsys)
    missing = tmp_path / "missing.pdf"
    assert _error_of(library, missing, capsys) == f"briefing: {missing}: no such file\n"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert _error_of(library, folder, capsys) == f"briefing: {folder}: is a folder; name a document in it\n"
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    assert _error_of(library, fifo, capsys) == f"briefing: {fifo}: not a regular file\n"
    assert not paths.sources_dir(library).exists()


def test_too_large_documents_and_texts_are_refused(library: Path, tmp_path: Path, capsys, monkeypatch):
    big = write(tmp_path / "big.txt", "A sentence that is long enough to count.\n\n" * 30_000)  # 1.3 MB
    err = _error_of(library, big, capsys)
    assert err.startswith(f"briefing: {big}: too much text once converted (1,2")
    assert err.endswith(" bytes; a source file holds at most 1,000,000): split the document and add its parts\n")
    monkeypatch.setattr("briefing.authoring.ingest.MAX_INPUT_BYTES", 1_000)
    assert _error_of(library, big, capsys) == (
        f"briefing: {big}: file too large ({big.stat().st_size:,} bytes; the limit is 1,000)\n"
    )
    assert not paths.sources_dir(library).exists()


# -- source show ------------------------------------------------------------------------------


def test_show_numbers_every_paragraph_and_sentence_as_citations_count(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "100000")  # no wrapping: one sentence a line
    assert main(["source", "show", "met-police-palantir-report.txt"]) == 0
    out = capsys.readouterr().out.splitlines()
    source = load_source(BUNDLED, "met-police-palantir-report.txt")
    expected = []
    for number in range(1, len(source.paragraphs) + 1):
        sentences = source.sentences(number)
        expected += ["", f"¶{number}  ({len(sentences)} sentence{'s' * (len(sentences) != 1)})"]
        expected += [f"  ¶{number}.{index}  {text}" for index, text in enumerate(sentences, start=1)]
    total = sum(len(source.sentences(n)) for n in range(1, 6))
    assert out == [f"{source.path}: 5 paragraphs, {total} sentences", *expected]
    assert out[3].startswith("  ¶1.1  Mayor of London Sadiq Khan has intervened")


def test_show_wraps_long_sentences_with_a_hanging_indent(library: Path, tmp_path: Path, monkeypatch, capsys):
    sentence = "The council replaced twelve thousand street lamps with new ones over three long years."
    add_source(library, write(tmp_path / "lamps.txt", f"{sentence} Short.\n\nOne sentence only\n"))
    monkeypatch.setenv("COLUMNS", "44")
    assert main(["source", "show", "lamps.txt", "--library", str(library)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{paths.sources_dir(library) / 'lamps.txt'}: 2 paragraphs, 3 sentences",
        "title: lamps",
        "",
        "¶1  (2 sentences)",
        "  ¶1.1  The council replaced twelve thousand",  # 44 columns
        "        street lamps with new ones over",
        "        three long years.",
        "  ¶1.2  Short.",
        "",
        "¶2  (1 sentence)",
        "  ¶2.1  One sentence only",
    ]


def test_show_converts_a_document_in_memory_before_it_is_added(library: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    path = write(tmp_path / "review.md", "# The review\n\nIt found *12,000* lamps. Most were old.\n")
    assert main(["source", "show", str(path), "--library", str(library)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path} (as it would be numbered once added; nothing is written): 2 paragraphs, 3 sentences",
        "title: The review",
        "",
        "¶1  (1 sentence)",
        "  ¶1.1  The review",
        "",
        "¶2  (2 sentences)",
        "  ¶2.1  It found 12,000 lamps.",
        "  ¶2.2  Most were old.",
    ]
    assert os.listdir(library) == []
    # A text file given by its path is read as the source it would be.
    text = write(tmp_path / "plain.txt", "One. Two.\n")
    assert main(["source", "show", str(text)]) == 0
    assert capsys.readouterr().out.splitlines()[:4] == [
        f"{text}: 1 paragraph, 2 sentences",
        "",
        "¶1  (2 sentences)",
        "  ¶1.1  One.",
    ]


def test_show_of_what_is_not_there_fails_in_one_line(library: Path, tmp_path: Path, capsys):
    assert main(["source", "show", "nowhere.txt", "--library", str(library)]) == 2
    assert capsys.readouterr().err == (
        "briefing: nowhere.txt: no such source (not in sources/ of the library, nor a file)\n"
    )
    assert main(["source", "show", str(tmp_path / "scan.pdf")]) == 2
    assert capsys.readouterr().err == f"briefing: {tmp_path / 'scan.pdf'}: no such file\n"
    assert main(["source", "show", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"briefing: {tmp_path}: is a folder; name a source file in it\n"


def test_a_sources_folder_that_leads_out_of_the_library_is_not_written(library: Path, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    paths.sources_dir(library).symlink_to(outside)
    with pytest.raises(IngestError) as caught:
        add_source(library, write(tmp_path / "notes.txt", "One.\n"))
    assert caught.value.message == "is a link that points outside the library; nothing is written there"
    assert os.listdir(outside) == []
