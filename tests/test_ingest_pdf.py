"""PDFs taken in (briefing.authoring.formats.pdf): paragraphs rebuilt across lines and pages,
hyphenation undone, running headers, footers and page numbers dropped; and the PDFs that
cannot be taken in, each with its one-line reason. The PDFs are written by the tests
(tests/ingest_fixtures.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefing.authoring.formats.common import IngestError
from briefing.authoring.formats.pdf import ENCRYPTED, SCANNED, UNMAPPED
from briefing.authoring.ingest import add_source, convert_document
from briefing.cli.main import main
from briefing.core.sources import load_source

from .ingest_fixtures import LEFT, Line, PageWriter, encrypted, pdf_bytes

REPORT_PARAGRAPHS = [
    "Street Lighting in Westshire",
    "Summary",
    "The council replaced 12,000 street lamps with LED units between 2023 and 2025, under a five-year "
    "programme agreed in 2022. The work was paid for by central government grants and by savings on the "
    "council's energy bill.",
    "Officers expect the new lamps to last for twenty years, four times as long as the old ones. A further "
    "five-year review will look at state-of-the-art controls that dim the lamps late at night.",
    "Costs",
    "The programme cost £9.4 million in all. Most of it went to the contractor, and the rest to the council's "
    "own engineers, who surveyed every lamp post and replaced those that were unsafe. A quarter of the posts "
    "had to be replaced as well as the lamps.",
    "Northtown: 4,000 lamps",
    "Southbury: 5,500 lamps",
    "the villages: 2,500 lamps",
    "The contractor said that the work had finished on time.",
    "The next phase will replace the lamps in car parks and parks.",
]


def report_pdf() -> bytes:
    """Three pages, each with a running header and a page number; a title, headings, a
    hyphenated word, a hyphen that belongs ("five-" then "year", written "five-year"
    elsewhere), a paragraph going on over a page break, bullets, and a paragraph that
    ends at the foot of a page with the next starting a new one at the top."""
    w = PageWriter()
    w.line("Street Lighting in Westshire", size=18, bold=True)
    w.gap()
    w.heading("Summary")
    w.paragraph(
        [
            "The council replaced 12,000 street lamps with LED units between 2023 and 2025, under a",
            "five-year programme agreed in 2022. The work was paid for by central govern-",
            "ment grants and by savings on the council's energy bill.",
        ]
    )
    w.paragraph(
        [
            "Officers expect the new lamps to last for twenty years, four times as long as the old ones. A",
            "further five-",
            "year review will look at state-of-the-",
            "art controls that dim the lamps late at night.",
        ]
    )
    w.heading("Costs")
    w.line("The programme cost \u00a39.4 million in all. Most of it went to the contractor, and the rest to")
    w.line("the council's own engineers, who surveyed every lamp post and replaced those that were")
    w.break_page()
    w.line("unsafe. A quarter of the posts had to be replaced as well as the lamps.")
    w.gap()
    for item in ("Northtown: 4,000 lamps", "Southbury: 5,500 lamps", "the villages: 2,500 lamps"):
        w.line(f"\u2022 {item}")
    w.gap()
    w.line("The contractor said that the work had finished on time.")
    w.break_page()
    w.line("The next phase will replace the lamps in car parks and parks.")
    return w.pdf()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "Street Lighting Report.pdf"
    path.write_bytes(report_pdf())
    return path


def test_paragraphs_are_rebuilt_across_lines_and_pages(report: Path):
    document = convert_document(report)
    assert document.paragraphs == REPORT_PARAGRAPHS
    assert document.title == "Street Lighting in Westshire"  # set in the largest size on page 1
    assert document.meta == {"pages": "3"}
    text = "\n".join(document.paragraphs)
    assert "Annual Report" not in text  # the running header
    assert not any(p.strip().isdigit() for p in document.paragraphs)  # page numbers


def test_the_written_source_numbers_as_it_was_read(tmp_path: Path, report: Path):
    library = tmp_path / "lib"
    library.mkdir()
    added = add_source(library, report)
    assert added.name == "street-lighting-report.txt"
    assert added.paragraphs == len(REPORT_PARAGRAPHS)
    source = load_source(library, added.name)
    assert list(source.paragraphs) == REPORT_PARAGRAPHS
    assert dict(source.header)["format"] == "PDF" and dict(source.header)["pages"] == "3"
    assert source.sentences(3)[1] == (
        "The work was paid for by central government grants and by savings on the council's energy bill."
    )


def _page(lines: list[str], footer: list[str], y: float = 700) -> list[Line]:
    page = [Line(LEFT, y - 14 * i, text) for i, text in enumerate(lines)]
    return page + [Line(LEFT, 40 + 12 * i, text, size=8) for i, text in enumerate(reversed(footer))]


def test_footers_of_several_lines_and_page_x_of_y_are_dropped(tmp_path: Path):
    bodies = [
        ["The survey covered every ward of the county.", "It took three months."],
        ["Most residents said the new lamps were brighter.", "A few asked for them to be dimmed."],
        ["The council will publish the full results in May.", "They will be online."],
    ]
    pages = [
        _page(body, ["Confidential: not for circulation", f"Page {n} of 3"]) for n, body in enumerate(bodies, start=1)
    ]
    path = tmp_path / "footers.pdf"
    path.write_bytes(pdf_bytes(pages))
    assert convert_document(path).paragraphs == [
        "The survey covered every ward of the county. It took three months.",
        "Most residents said the new lamps were brighter. A few asked for them to be dimmed.",
        "The council will publish the full results in May. They will be online.",
    ]


def test_numbers_and_repeated_lines_in_the_body_are_kept(tmp_path: Path):
    body = ["Figures by year:", "", "2019", "", "12", "", "Figures by year:", "", "The end of the list."]
    lines = [Line(LEFT, 700 - 30 * i, text) for i, text in enumerate(body) if text]
    path = tmp_path / "numbers.pdf"
    path.write_bytes(pdf_bytes([lines + [Line(300, 30, "1", size=9)]]))
    assert convert_document(path).paragraphs == [
        "Figures by year:",
        "2019",
        "12",
        "Figures by year:",
        "The end of the list.",
    ]


def test_indented_paragraphs_without_gaps_are_told_apart(tmp_path: Path):
    rows = [
        (LEFT + 18, "The first paragraph starts with an indented line and then runs on over"),
        (LEFT, "a second line that is as long as the first one, and ends a sentence here."),
        (LEFT, "A short last line."),
        (LEFT + 18, "The second paragraph starts with an indent, as the first one did, and it"),
        (LEFT, "ends on this line."),
    ]
    path = tmp_path / "indents.pdf"
    path.write_bytes(pdf_bytes([[Line(x, 700 - 14 * i, text) for i, (x, text) in enumerate(rows)]]))
    assert convert_document(path).paragraphs == [
        "The first paragraph starts with an indented line and then runs on over a second line that is as "
        "long as the first one, and ends a sentence here. A short last line.",
        "The second paragraph starts with an indent, as the first one did, and it ends on this line.",
    ]


def test_a_hyphen_before_a_capital_or_a_digit_stays(tmp_path: Path):
    rows = ["Cases of COVID-", "19 fell in the Anglo-", "Saxon villages of the county during the spring."]
    path = tmp_path / "hyphens.pdf"
    path.write_bytes(pdf_bytes([[Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(rows)]]))
    assert convert_document(path).paragraphs == [
        "Cases of COVID-19 fell in the Anglo-Saxon villages of the county during the spring."
    ]


@pytest.mark.parametrize(
    "pages",
    [
        pytest.param(pdf_bytes([[], []], images=True), id="images only"),
        pytest.param(pdf_bytes([[]]), id="an empty page"),
        pytest.param(
            pdf_bytes([[Line(300, 30, "1", size=9)], [Line(300, 30, "2", size=9)]], images=True), id="numbers only"
        ),
    ],
)
def test_a_pdf_without_a_text_layer_is_refused(tmp_path: Path, pages: bytes):
    path = tmp_path / "scan.pdf"
    path.write_bytes(pages)
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    assert str(caught.value) == f"{path}: {SCANNED}"


def test_a_password_protected_pdf_is_refused(tmp_path: Path, capsys):
    path = tmp_path / "secret.pdf"
    path.write_bytes(encrypted(report_pdf(), user_password="secret"))
    library = tmp_path / "lib"
    library.mkdir()
    assert main(["source", "add", str(path), "--library", str(library)]) == 2
    assert capsys.readouterr().err == f"briefing: {path}: {ENCRYPTED}\n"
    assert not (library / "sources").exists() or not any((library / "sources").iterdir())


def test_a_pdf_encrypted_only_against_changes_is_read(tmp_path: Path):
    """An empty user password: any reader opens it, and so does briefing."""
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted(report_pdf(), user_password=""))
    assert convert_document(path).paragraphs == REPORT_PARAGRAPHS


def test_a_damaged_pdf_is_refused_in_one_line(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\ngarbage")
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    assert str(caught.value).startswith(f"{path}: not a readable PDF (")
    assert "\n" not in str(caught.value)


def test_unmapped_glyphs_are_no_text_layer(tmp_path: Path, monkeypatch):
    from briefing.authoring.formats import pdf

    path = tmp_path / "cids.pdf"
    path.write_bytes(pdf_bytes([[Line(LEFT, 700, "placeholder")]]))
    real = pdf._page_lines

    def unmapped(layout, page, turn):
        lines, angles = real(layout, page, turn)
        for line in lines:
            line.text = "(cid:12)(cid:40) (cid:7)"
        return lines, angles

    monkeypatch.setattr(pdf, "_page_lines", unmapped)
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    assert caught.value.message == UNMAPPED


def test_without_the_extra_the_command_says_what_to_install(tmp_path: Path, report: Path, monkeypatch, capsys):
    for name in [n for n in sys.modules if n == "pdfminer" or n.startswith("pdfminer.")] + ["pdfminer"]:
        monkeypatch.setitem(sys.modules, name, None)
    library = tmp_path / "lib"
    library.mkdir()
    assert main(["source", "add", str(report), "--library", str(library)]) == 2
    assert capsys.readouterr().err == (
        f"briefing: {report}: reading PDF files needs pdfminer.six, which is not installed: pip install 'briefing[pdf]'\n"
    )


def test_roman_page_numbers_running_with_the_pages_are_dropped(tmp_path: Path):
    bodies = [["Foreword by the leader of the council."], ["Contents of the report."], ["A note on the figures."]]
    pages = [_page(body, [number]) for body, number in zip(bodies, ["i", "ii", "iii"], strict=True)]
    path = tmp_path / "roman.pdf"
    path.write_bytes(pdf_bytes(pages))
    assert convert_document(path).paragraphs == [body[0] for body in bodies]


@pytest.mark.parametrize(
    "text, number",
    [("7", 7), ("- 7 -", 7), ("Page 7", 7), ("7 of 40", 7), ("Page 3/10", 3), ("vii", 7), ("xiv.", 14)],
)
def test_what_reads_as_a_page_number(text: str, number: int):
    from briefing.authoring.formats.pdf import _page_number

    assert _page_number(text) == number


@pytest.mark.parametrize("text", ["civil", "did", "Mild", "Figure 7 shows", "2019-20", ""])
def test_what_does_not_read_as_a_page_number(text: str):
    from briefing.authoring.formats.pdf import _page_number

    assert _page_number(text) is None


@pytest.mark.parametrize("leading", [14, 17, 22])  # single, about 1.5 and double spacing at 11 pt
def test_paragraphs_are_rebuilt_whatever_the_line_spacing(tmp_path: Path, leading: int):
    """Set 1.5 or 2 lines apart, every line is a block of its own to pdfminer: the lines are
    joined by the document's usual spacing, and a wider gap still parts paragraphs."""
    paragraphs = [
        ["The audit looked at every contract the council let in the year, and at how each", "was tendered."],
        ["It found that three contracts had been let without a tender, worth \u00a31.9 million in", "all."],
    ]
    lines, y = [], 700.0
    for paragraph in paragraphs:
        for text in paragraph:
            lines.append(Line(LEFT, y, text))
            y -= leading
        y -= leading  # a blank line's worth between paragraphs
    path = tmp_path / "spaced.pdf"
    path.write_bytes(pdf_bytes([lines]))
    assert convert_document(path).paragraphs == [" ".join(p) for p in paragraphs]


BODY = [
    "The panel met four times in the year and heard from the police, the council and the",
    "public. Its members visited two of the control rooms.",
]


def test_a_page_turned_by_its_rotate_is_read_along_its_lines(tmp_path: Path):
    """A page whose /Rotate turns it for showing (a landscape page among portrait ones) has
    its text running down the page as pdfminer sees it: it is read turned back, line by line,
    not a character a line."""
    path = tmp_path / "turned.pdf"
    path.write_bytes(pdf_bytes([[Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(BODY)]], rotate=90))
    assert convert_document(path).paragraphs == [" ".join(BODY)]


def test_text_set_at_another_angle_is_read_after_the_page(tmp_path: Path):
    """A table turned to run up a portrait page, and a label up its margin: each is read along
    its own lines, after the page's upright text, and never joined to it."""
    table = ["Cameras by ward: North 12, South 9.", "Cameras by ward in 2024: North 14, South 9."]
    lines = [Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(BODY)]
    lines += [Line(300 + 14 * i, 100, text, angle=90) for i, text in enumerate(table)]
    lines.append(Line(30, 300, "Official sensitive", size=8, angle=90))
    path = tmp_path / "table-turned.pdf"
    path.write_bytes(pdf_bytes([lines]))
    paragraphs = convert_document(path).paragraphs
    assert paragraphs[0] == " ".join(BODY)
    assert sorted(paragraphs[1:]) == [" ".join(table), "Official sensitive"]


def test_footnotes_and_lines_alike_but_for_their_numbers_are_kept(tmp_path: Path):
    """Only a line whose numbers run with the pages (on three pages or more) is a running
    header with a page number in it; footnotes at the foot of pages, or paragraphs opening
    them, that read alike but for their numbers are the document's text, even when two of
    them happen to run with their pages (notes 8 and 9 on pages 2 and 3)."""
    pages = []
    for n, (first, note, when) in enumerate([(12, 3, "May"), (31, 8, "June"), (47, 9, "July")], start=1):
        pages.append(
            [
                Line(LEFT, 750, f"Westshire Review {2025} | page {n + 4}", size=8),
                Line(LEFT, 700, f"Recommendation {first}: the council should publish its camera register."),
                Line(LEFT, 686, f"It should do so by {when}."),
                Line(LEFT, 80, f"{note} Home Office, Surveillance Camera Code, 2021, p. 4.", size=8),
            ]
        )
    path = tmp_path / "footnotes.pdf"
    path.write_bytes(pdf_bytes(pages))
    paragraphs = convert_document(path).paragraphs
    assert not any("Westshire Review" in p for p in paragraphs)
    assert [p for p in paragraphs if p.startswith("Recommendation")] == [
        f"Recommendation {n}: the council should publish its camera register. It should do so by {when}."
        for n, when in ((12, "May"), (31, "June"), (47, "July"))
    ]
    assert [p for p in paragraphs if "Home Office" in p] == [
        f"{n} Home Office, Surveillance Camera Code, 2021, p. 4." for n in (3, 8, 9)
    ]


@pytest.mark.parametrize(
    "placeholder", ["untitled", "(anonymous)", "Untitled-1", "Document1", "Microsoft Word - Document2"]
)
def test_a_title_a_program_wrote_for_want_of_one_is_not_the_title(tmp_path: Path, placeholder: str):
    lines = [Line(LEFT, 700, "Camera Oversight in Westshire", size=18), Line(LEFT, 660, "The panel met four times.")]
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes([lines], title=placeholder))
    assert convert_document(path).title == "Camera Oversight in Westshire"
    path.write_bytes(pdf_bytes([lines], title="Annual Report of the Panel"))
    assert convert_document(path).title == "Annual Report of the Panel"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "an empty file, not a PDF: there is nothing to take in"),
        (b"\n  \n", "an empty file, not a PDF: there is nothing to take in"),
        (
            b"<!DOCTYPE html><html><body><p>Saved page.</p></body></html>",
            "not a PDF but a web page (HTML); name it .html and add that",
        ),
        ("The minutes, as text \u2014 not a PDF.\n".encode(), "not a PDF but plain text; name it .txt and add that"),
        (
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe",
            "not a PDF: the file does not start as a PDF does (%PDF-)",
        ),
    ],
)
def test_a_file_named_pdf_that_is_not_one_says_what_it_is(tmp_path: Path, capsys, data: bytes, message: str):
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    library = tmp_path / "lib"
    library.mkdir()
    assert main(["source", "add", str(path), "--library", str(library)]) == 2
    assert capsys.readouterr().err == f"briefing: {path}: {message}\n"


def test_a_pdf_that_expands_past_the_limit_is_refused_before_it_is_expanded(tmp_path: Path, monkeypatch):
    """A "decompression bomb": streams that expand a thousandfold. pdfminer would expand them
    whole; they are counted as they expand and stopped at the limit."""
    from pdfminer import pdftypes

    from briefing.authoring.formats import pdf

    real_zlib = pdftypes.zlib
    monkeypatch.setattr(pdf, "DECODED_LIMIT", 200_000)
    lines = [Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(BODY)]
    fits = tmp_path / "fits.pdf"
    fits.write_bytes(pdf_bytes([lines, [Line(LEFT, 600, "The second page.")]], padding=90_000))
    assert convert_document(fits).paragraphs == [" ".join(BODY), "The second page."]
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bytes([lines], padding=5_000_000))
    assert len(bomb.read_bytes()) < 20_000
    with pytest.raises(IngestError) as caught:
        convert_document(bomb)
    assert caught.value.message == pdf.TOO_LARGE
    assert pdftypes.zlib is real_zlib  # pdfminer is left as it was


def test_a_pdf_whose_run_length_stream_expands_past_the_limit_is_refused(tmp_path: Path, monkeypatch):
    """Flate, then RunLength: Flate's output is within the limit, but each two of its bytes
    make 128. What RunLength makes is counted too, before it is made."""
    from pdfminer import pdftypes

    from briefing.authoring.formats import pdf

    real_rldecode = pdftypes.rldecode
    monkeypatch.setattr(pdf, "DECODED_LIMIT", 200_000)
    lines = [Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(BODY)]
    fits = tmp_path / "fits.pdf"
    fits.write_bytes(pdf_bytes([lines], padding=90_000, run_length=True))
    assert convert_document(fits).paragraphs == [" ".join(BODY)]
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(pdf_bytes([lines], padding=5_000_000, run_length=True))
    assert len(bomb.read_bytes()) < 20_000
    with pytest.raises(IngestError) as caught:
        convert_document(bomb)
    assert caught.value.message == pdf.TOO_LARGE
    assert pdftypes.rldecode is real_rldecode  # pdfminer is left as it was


def test_a_pdf_with_more_text_than_a_source_holds_is_refused_without_reading_it_all(tmp_path: Path, monkeypatch):
    from briefing.authoring.formats import pdf

    monkeypatch.setattr(pdf, "_TEXT_LIMIT", 150)
    lines = [Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(BODY)]
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_bytes([lines] * 5))
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    assert caught.value.message == (
        "too much text: by page 2 it holds more than a source file can (1,000,000 bytes); "
        "split the document and add its parts"
    )


def test_a_hyphen_after_a_number_stays(tmp_path: Path):
    rows = [
        "The council kept footage for a thirty-",
        "day period, ran a 24-",
        "hour control room and had four-",
        "teen cameras.",
    ]
    path = tmp_path / "numbers.pdf"
    path.write_bytes(pdf_bytes([[Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(rows)]]))
    assert convert_document(path).paragraphs == [
        "The council kept footage for a thirty-day period, ran a 24-hour control room and had fourteen cameras."
    ]


def test_a_page_drawing_more_characters_than_a_page_of_text_is_refused_as_it_is_drawn(tmp_path: Path, monkeypatch):
    """pdfminer's layout analysis of a page takes time and memory growing faster than its
    characters; a page drawing far more than any page of text is stopped while it is drawn."""
    from briefing.authoring.formats import pdf

    monkeypatch.setattr(pdf, "PAGE_CHARS", 120)
    lines = [Line(LEFT, 700 - 14 * i, text) for i, text in enumerate(BODY)]  # 137 characters
    path = tmp_path / "dense.pdf"
    path.write_bytes(pdf_bytes([[Line(LEFT, 700, "A first page of little text.")], lines]))
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    assert caught.value.message == (
        "too dense: page 2 draws more than 120 characters, far more than a page of text holds; it is not read"
    )
    monkeypatch.setattr(pdf, "PAGE_CHARS", 140)
    assert convert_document(path).paragraphs == ["A first page of little text.", " ".join(BODY)]
