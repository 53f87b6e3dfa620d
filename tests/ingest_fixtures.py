"""Documents to take in, made by the tests: small PDFs written object by object, and
helpers for the pages they hold (tests/test_ingest_pdf.py)."""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

PAGE_WIDTH = 612  # US Letter, in points
PAGE_HEIGHT = 792
LEFT = 72
LEADING = 14  # baseline to baseline in a paragraph
SIZE = 11


@dataclass(frozen=True)
class Line:
    x: float
    y: float
    text: str
    size: float = SIZE
    bold: bool = False
    angle: int = 0  # degrees, anticlockwise: 90 runs up the page


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (the base-14 fonts' encoding)."""
    data = text.encode("cp1252")
    data = data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + data + b")"


def _content(lines: list[Line], image: bool) -> bytes:
    out = []
    if image:
        # A gray 2x2 image scaled over most of the page: what a scan without OCR holds.
        out.append(b"q 468 0 0 648 72 72 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x80\x90\xa0\xb0 EI Q")
    for line in lines:
        font = b"/F2" if line.bold else b"/F1"
        turn = math.radians(line.angle)
        cos, sin = round(math.cos(turn), 6), round(math.sin(turn), 6)
        place = b"%g %g %g %g %g %g Tm " % (cos, sin, -sin, cos, line.x, line.y)
        out.append(b"BT " + font + b" %g Tf " % line.size + place + _pdf_string(line.text) + b" Tj ET")
    return b"\n".join(out) + b"\n"


def pdf_bytes(
    pages: list[list[Line]],
    *,
    images: bool = False,
    rotate: int = 0,
    title: str | None = None,
    padding: int = 0,
    run_length: bool = False,
) -> bytes:
    """A PDF of these pages, each line drawn where it says, in Helvetica (a base-14 font: no
    font file needed). ``images`` puts an image on every page; ``rotate`` is every page's
    /Rotate (how a viewer turns it to show it); ``title`` the title in its document
    information. The pages' content is Flate-compressed when ``padding`` is given: that
    many spaces after the drawing, which compress to almost nothing; ``run_length``
    run-length encodes them before (two filters, /FlateDecode then /RunLengthDecode)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below, once the page tree's number is known
    pages_obj = add(b"")
    regular = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    kids = []
    for lines in pages:
        stream = _content(lines, images)
        if padding:
            filters = b"/FlateDecode"
            stream += b" " * padding
            if run_length:
                stream, filters = _run_length(stream), b"[/FlateDecode /RunLengthDecode]"
            stream = zlib.compress(stream, 9)
            content = add(b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream")
        else:
            content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Rotate %d /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                % (pages_obj, PAGE_WIDTH, PAGE_HEIGHT, rotate, content, regular, bold)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    info = b" /Info %d 0 R" % add(b"<< /Title " + _pdf_string(title) + b" >>") if title is not None else b""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, info, xref)
    return bytes(out)


def _run_length(data: bytes) -> bytes:
    """``data`` in PDF's RunLengthDecode: a run of one byte as (257 - count, byte), up to 128
    at a time; any other byte as (0, byte); 128 at the end."""
    out = bytearray()
    at = 0
    while at < len(data):
        end = at
        while end < len(data) and end - at < 128 and data[end] == data[at]:
            end += 1
        if end - at > 1:
            out += bytes([257 - (end - at), data[at]])
        else:
            out += bytes([0, data[at]])
        at = end
    return bytes(out) + b"\x80"


def encrypted(data: bytes, user_password: str, owner_password: str = "owner") -> bytes:
    """The same PDF, encrypted with pypdf (AES-128)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class PageWriter:
    """Lays out text lines down pages as a word processor would: a running header and a
    page number on every page, paragraphs with a gap between them, lines wrapped at a
    width given in characters, and a new page when one is full."""

    def __init__(self, header: str | None = "Westshire Council - Annual Report 2026", numbers: bool = True) -> None:
        self.header = header
        self.numbers = numbers
        self.pages: list[list[Line]] = []
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        page: list[Line] = []
        number = len(self.pages) + 1
        if self.header:
            page.append(Line(LEFT, PAGE_HEIGHT - 40, self.header, size=9))
        if self.numbers:
            page.append(Line(PAGE_WIDTH / 2 - 5, 30, str(number), size=9))
        self.pages.append(page)
        self.y = PAGE_HEIGHT - 80

    def line(self, text: str, *, size: float = SIZE, bold: bool = False, x: float = LEFT) -> None:
        if self.y < 72:
            self._new_page()
        self.pages[-1].append(Line(x, self.y, text, size=size, bold=bold))
        self.y -= LEADING * size / SIZE

    def gap(self) -> None:
        self.y -= LEADING * 0.8

    def paragraph(self, lines: list[str]) -> None:
        for text in lines:
            self.line(text)
        self.gap()

    def heading(self, text: str) -> None:
        self.line(text, size=14, bold=True)
        self.gap()

    def break_page(self) -> None:
        self._new_page()

    def pdf(self) -> bytes:
        return pdf_bytes(self.pages)


def wrap(text: str, width: int = 80) -> list[str]:
    """``text`` in lines of at most ``width`` characters, broken at spaces."""
    import textwrap

    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
