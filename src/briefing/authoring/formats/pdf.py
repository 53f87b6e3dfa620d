"""A PDF as plain-text paragraphs, from its text layer.

The text and where each line of it stands come from pdfminer.six (the ``briefing[pdf]``
extra): it is maintained, pure Python, and its layout analysis gives what rebuilding
paragraphs needs, which a plain text dump does not: lines with their boxes and font sizes,
grouped into blocks by the space between them, in reading order (columns too). pypdf is
lighter and faster, but gives text with at most a position for each piece drawn, leaving
lines, words and reading order to be rebuilt by hand.

How the text is rebuilt, page by page and then across pages:

- **Running headers and footers** are dropped: a line among the three at the top or bottom
  of a page whose text stands at the same height among the three at the top or bottom of
  another page, or of two others but for a number that runs with the pages ("Annual Report,
  page 3", "Annual Report, page 4"). Two pages are enough for the same text: a chapter's
  own header may stand on only a few. Body text does not repeat that way; a table's heading
  row repeated at the top of each page goes too. Footnotes alike but for their numbers
  ("12 Ibid., p. 4" and "31 Ibid., p. 4") stay.
- **Page numbers** are dropped: a line there that is only a number ("7", "- 7 -",
  "Page 7", "7 of 40", "vii"), when its numbers run with the pages (the same offset from
  the page's index on two pages or more), or, in a document of one or two pages, when it
  is the lowest or highest line.
- **Paragraphs.** pdfminer groups lines set close together into one block; a block is a
  paragraph, except that a new one starts inside it at a line set in another size, a line
  that starts with a bullet, an indented first line after a sentence's end, or a line
  after a sentence that ended well short of the margin. A paragraph **goes on across a
  page break** (or to the top of the next column) when its last line does not end a
  sentence, or the next line starts in lower case, or its last line ran to the margin and
  the next line is not indented.
- **Hyphenation at a line's end is undone** when a letter and ``-`` end the line and a
  lower-case letter starts the next: "govern-" + "ment" is "government". The hyphen is
  kept when the word before it holds a hyphen already ("state-of-the-" + "art"), or when
  the document writes the hyphenated word elsewhere and never the joined one ("five-year"
  in the text keeps "five-" + "year" as "five-year"), or when a number ends the line ("24-" +
  "hour", "thirty-" + "day": words are not broken there). Before a capital or a digit the
  hyphen stays and the words are joined ("COVID-" + "19").
- **Text set at another angle** (a page whose /Rotate leaves its text running down it, a
  table turned on a portrait page) is read along its own lines: the page is read again
  turned by that angle (see _read_page).
- Glyphs the PDF's fonts do not map to characters (pdfminer's ``(cid:N)``) are dropped; a
  document made mostly of them has no usable text layer, like a scan.
- **Limits.** The streams pdfminer decompresses may expand to DECODED_LIMIT bytes in all
  (a "decompression bomb" is stopped as it expands, see _Streams), a page may draw
  PAGE_CHARS characters (see _counting), and reading stops once there is plainly more text
  than a source file holds.
"""

from __future__ import annotations

import io
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.authoring.formats.common import Document, IngestError, MissingExtra, quiet, tidy, tidy_all
from briefing.core.parse import MAX_FILE_BYTES

SCANNED = "no text layer: this PDF looks scanned; run OCR first (e.g. ocrmypdf) and add the result"
UNMAPPED = (
    "no usable text layer: its fonts do not say which characters they draw; "
    "run OCR first (e.g. ocrmypdf --force-ocr) and add the result"
)
# A PDF's streams, decompressed, all told: a page's text takes kilobytes, so this is far
# more than any document needs, and far less than a "decompression bomb" would take.
DECODED_LIMIT = 256_000_000
# Text read before it is plain that it cannot fit a source file (the running headers and
# page numbers dropped later are never half of it).
_TEXT_LIMIT = MAX_FILE_BYTES * 3 // 2
# Characters one page may draw: a dense page of text draws some 5,000; a table in small type
# on a large page, tens of thousands.
PAGE_CHARS = 100_000
ENCRYPTED = (
    "password protected: this PDF is encrypted; save a decrypted copy first "
    "(e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and add that"
)
TOO_LARGE = (
    f"too large once decompressed: its contents expand to more than {DECODED_LIMIT // 1_000_000} MB, "
    "far more than a document's text needs; it is not read"
)

_EDGE_LINES = 3  # lines at the top and at the bottom of a page looked at for headers
_CID = re.compile(r"\(cid:\d+\)")
_ROMAN_NUMERAL = r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_PAGE_NUMBER = re.compile(
    rf"^[\W_]*(?:page\s+|p\.\s*)?(\d{{1,4}}|{_ROMAN_NUMERAL})(?:\s*(?:of|/)\s*\d{{1,4}})?[\W_]*$", re.IGNORECASE
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_BULLET = re.compile(r"^[\u2022\u25e6\u25aa\u25cf\u2023\u2219\u00b7\u25a0\u25a1\uf0b7]\s*")
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u2019\u201d)\]]*$")
_WORD = re.compile(r"\w+(?:[-\u2010]\w+)*")
# A number in words, which a line may end with only as the first part of a compound
# ("thirty-day", "five-year"); and the endings that make it a longer number ("four-teen").
_NUMBER_WORD = re.compile(
    r"(?:^|[^a-z])(?:one|two|three|four|five|six|seven|eight|nine|eleven|twelve|(?:thir|fif|eigh)teen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)$",
    re.IGNORECASE,
)
_NUMBER_ENDING = re.compile(r"(?:teen|ty|ties|tieth|th|ths|ly)\b")
# Titles that programs write when the author gave none (ReportLab, Word, InDesign, …).
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:\(?(?:untitled|anonymous|no title)\)?(?:[- ]?\d+)?|untitled document|title|document ?\d*"
    r"|powerpoint presentation|slide ?\d*)$",
    re.IGNORECASE,
)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    bold: bool
    page: int
    left: float = 0.0  # of its block
    right: float = 0.0
    lines_in_block: int = 1
    block: int = 0  # which block of the document it is in
    bullet: bool = False  # it started with a bullet (taken off its text)
    turn: int = 0  # which reading of its page it is from: 0 for the page's main direction


def convert(file: Path, data: bytes) -> Document:
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LAParams
        from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
    except ImportError as exc:
        raise MissingExtra(file, "PDF files", "pdfminer.six", "pdf", exc) from None
    quiet("pdfminer")
    pages: list[list[_Line]] = []
    streams = _Streams(DECODED_LIMIT)
    try:
        with streams:
            document = PDFDocument(PDFParser(io.BytesIO(data)))
            resources = PDFResourceManager(caching=True)
            # char_margin 3 (pdfminer's default is 2): a justified line's wide spaces after a
            # full stop otherwise cut it in two, and the halves land in different blocks.
            device = _counting(PDFPageAggregator)(resources, laparams=LAParams(all_texts=True, char_margin=3.0))
            interpreter = PDFPageInterpreter(resources, device)
            text = 0
            for number, page in enumerate(PDFPage.create_pages(document)):
                pages.append(_read_page(interpreter, device, page, number))
                text += sum(len(line.text) for line in pages[-1])
                if text > _TEXT_LIMIT:
                    raise IngestError(
                        file,
                        f"too much text: by page {number + 1} it holds more than a source file can "
                        f"({MAX_FILE_BYTES:,} bytes); split the document and add its parts",
                    )
            title = _info_title(document)
    except IngestError:
        raise
    except _TooLarge:
        raise IngestError(file, TOO_LARGE) from None
    except _TooDense:
        raise IngestError(
            file,
            f"too dense: page {len(pages) + 1} draws more than {PAGE_CHARS:,} characters, far more than a page "
            "of text holds; it is not read",
        ) from None
    except PDFPasswordIncorrect:
        raise IngestError(file, ENCRYPTED) from None
    except PDFEncryptionError as exc:
        raise IngestError(
            file, f"encrypted in a way that cannot be read ({exc}); save a decrypted copy first"
        ) from None
    except Exception as exc:  # a damaged or hostile file can fail anywhere in the parser
        said = " ".join(str(exc).split())[:120]
        if streams.exceeded:  # pdfminer caught the stop and failed on
            raise IngestError(file, TOO_LARGE) from None
        failed = f"not a readable PDF (damaged or cut short: {type(exc).__name__}: {said})"
        raise IngestError(file, _not_a_pdf(data) or failed) from None
    if streams.exceeded:
        raise IngestError(file, TOO_LARGE)
    if not pages:
        raise IngestError(file, "not a readable PDF (it has no pages)")
    _unmapped_glyphs(file, pages)
    _drop_running_lines(pages)
    body = [line for page in pages for line in page]
    if not body:
        raise IngestError(file, SCANNED)
    paragraphs = _paragraphs(body)
    if not title and paragraphs and pages[0]:
        title = _first_page_title(pages[0], paragraphs[0])
    return Document(tidy(title), tidy_all(_joined(paragraphs)), "PDF", {"pages": str(len(pages))})


class _TooDense(Exception):
    """A page draws more than PAGE_CHARS characters."""


def _counting(aggregator: Any) -> Any:
    """pdfminer's PDFPageAggregator, counting the characters a page draws as it draws them,
    and stopping with _TooDense past PAGE_CHARS: pdfminer's layout analysis of a page takes
    time and memory that grow faster than its characters (400,000 on one page: a minute and
    500 MB), and it runs once the page is drawn, so the count must stop it before."""

    class Counting(aggregator):
        drawn = 0

        def begin_page(self, page: Any, ctm: Any) -> None:
            self.drawn = 0
            super().begin_page(page, ctm)

        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            self.drawn += 1
            if self.drawn > PAGE_CHARS:
                raise _TooDense
            return super().render_char(*args, **kwargs)

    return Counting


class _TooLarge(Exception):
    """A PDF's streams expand to more than DECODED_LIMIT."""


class _Streams:
    """While it is entered, pdfminer's decompression of a PDF's streams (Flate and LZW, the
    ones that can expand a thousandfold, and RunLength, which expands 64-fold what Flate
    made) counts what it makes, and stops with _TooLarge past ``limit`` bytes, before they
    are made. pdfminer decompresses a stream whole, with no limit of its own, and keeps it:
    a small file made to expand to gigabytes would take the machine's memory. (This replaces
    pdfminer.pdftypes' ``zlib``, ``lzwdecode`` and ``rldecode`` while a document is read:
    ``source add`` reads one document at a time, on one thread.)"""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.exceeded = False
        self._saved: tuple[Any, Any, Any] | None = None

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            self.exceeded = True
            raise _TooLarge

    def __enter__(self) -> _Streams:
        from pdfminer import pdftypes

        self._saved = (pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode)
        pdftypes.zlib = _BoundedZlib(self)  # type: ignore[assignment]
        pdftypes.lzwdecode = self.lzwdecode
        pdftypes.rldecode = self.rldecode
        return self

    def __exit__(self, *exc: object) -> None:
        from pdfminer import pdftypes

        if self._saved is not None:
            pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode = self._saved

    def lzwdecode(self, data: bytes) -> bytes:
        from pdfminer.lzw import LZWDecoder

        pieces = []
        for piece in LZWDecoder(io.BytesIO(data)).run():
            self.take(len(piece))
            pieces.append(piece)
        return b"".join(pieces)

    def rldecode(self, data: bytes) -> bytes:
        """pdfminer's RunLengthDecode, once what it would make is counted: each run is a
        length byte, then that many bytes plus one (0 to 127), or one byte to repeat 257
        minus the length times (129 to 255); 128 ends the data."""
        assert self._saved is not None
        size = at = 0
        while at < len(data) and data[at] != 128 and size <= self.left:
            length = data[at]
            if length < 128:
                size, at = size + length + 1, at + length + 2
            else:
                size, at = size + 257 - length, at + 2
        self.take(size)
        return self._saved[2](data)


class _BoundedZlib:
    """The two calls of ``zlib`` that pdfminer's streams make, within a _Streams' budget."""

    error = zlib.error

    def __init__(self, streams: _Streams) -> None:
        self._streams = streams

    def decompress(self, data: bytes) -> bytes:
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, max(self._streams.left, 0) + 1)
        self._streams.take(len(out))
        if not inflater.eof:  # as zlib.decompress says of a stream cut short
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self) -> _BoundedInflater:
        return _BoundedInflater(self._streams)


class _BoundedInflater:
    def __init__(self, streams: _Streams) -> None:
        self._streams = streams
        self._inflater = zlib.decompressobj()

    def decompress(self, data: bytes) -> bytes:
        # (pdfminer feeds a damaged stream a byte at a time: each call makes little)
        out = self._inflater.decompress(data, max(self._streams.left, 0) + 1)
        self._streams.take(len(out))
        return out


def _not_a_pdf(data: bytes) -> str:
    """Why ``data``, which pdfminer could not read, is not a PDF at all, if it is not: it is
    empty, or does not start as a PDF does (``%PDF-``, within its first 1,024 bytes), and
    then what it looks like instead (a web page, text), so that it can be added as that."""
    if not data.strip():
        return "an empty file, not a PDF: there is nothing to take in"
    if b"%PDF-" in data[:1024]:
        return ""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or b"<html" in head[:1024]:
        return "not a PDF but a web page (HTML); name it .html and add that"
    try:
        data[:4096].decode("utf-8")
        is_text = b"\x00" not in data[:4096]
    except UnicodeDecodeError as exc:
        is_text = exc.start > 4090 and b"\x00" not in data[:4096]  # a character cut at the end
    if is_text:
        return "not a PDF but plain text; name it .txt and add that"
    return "not a PDF: the file does not start as a PDF does (%PDF-)"


def _read_page(interpreter: Any, device: Any, page: Any, number: int) -> list[_Line]:
    """A page's lines of text. pdfminer finds lines only along the page's x axis, so text
    set at another angle (a page whose /Rotate leaves its text running down it, a landscape
    table turned on a portrait page, a label up the margin) comes out a character a line.
    The page is read once more turned by each other angle its characters are set at, so
    that each line is read along its own direction: the angle of most of its text first,
    then the others, each keeping only the lines that run across the page in that reading."""
    rotate = page.rotate
    interpreter.process_page(page)
    first = device.get_result()
    lines, angles = _page_lines(first, number, 0)
    if set(angles) == {0} or not angles:
        return lines
    lines = []
    try:
        for turn, angle in enumerate(sorted(angles, key=lambda a: (-angles[a], a))):
            if angle == 0:
                layout = first
            else:
                page.rotate = (rotate + angle) % 360
                interpreter.process_page(page)
                layout = device.get_result()
            lines.extend(_page_lines(layout, number, turn)[0])
    finally:
        page.rotate = rotate
    return lines


def _angle(char: Any) -> int:
    """The angle a character is set at, to the nearest quarter turn (0, 90, 180 or 270)."""
    a, b = char.matrix[0], char.matrix[1]
    return round(math.degrees(math.atan2(b, a)) / 90) % 4 * 90


def _page_lines(layout: Any, page: int, turn: int) -> tuple[list[_Line], Counter[int]]:
    """A page's lines of text that run along the x axis, block after block in pdfminer's
    reading order; and how many characters of its lines are set at each angle."""
    from pdfminer.layout import LTChar, LTFigure, LTTextBox, LTTextLine

    lines: list[_Line] = []
    angles: Counter[int] = Counter()
    blocks = page * 1_000_000 + turn * 100_000  # numbers blocks across the document

    def visit(container: Any) -> None:
        nonlocal blocks
        for item in container:
            if isinstance(item, LTTextBox):
                block = [line for line in (_line(obj) for obj in item if isinstance(obj, LTTextLine)) if line]
                if block:
                    left, right = min(b.x0 for b in block), max(b.x1 for b in block)
                    for line in block:
                        line.left, line.right, line.lines_in_block = left, right, len(block)
                        line.block = blocks
                    blocks += 1
                    lines.extend(block)
            elif isinstance(item, LTFigure):
                visit(item)

    def _line(obj: Any) -> _Line | None:
        text = obj.get_text().strip()
        if not text:
            return None
        # Every fourth character is plenty to tell a line's usual size, weight and angle.
        chars = [c for c in list(obj)[::4] if isinstance(c, LTChar)]
        along = Counter(_angle(c) for c in chars).most_common(1)
        angle = along[0][0] if along else 0
        angles[angle] += len(text)
        if angle != 0:
            return None  # read in the page's reading turned to it
        sizes = Counter(round(c.size, 1) for c in chars)
        size = sizes.most_common(1)[0][0] if sizes else obj.height
        bold = sum("bold" in c.fontname.lower() for c in chars) * 2 > len(chars) if chars else False
        return _Line(text, obj.x0, obj.x1, obj.y0, obj.y1, size, bold, page, turn=turn)

    visit(layout)
    return lines, angles


def _unmapped_glyphs(file: Path, pages: list[list[_Line]]) -> None:
    """Drops pdfminer's ``(cid:N)`` stand-ins; refuses a text layer made mostly of them."""
    unmapped = total = 0
    for page in pages:
        for line in page:
            count = len(_CID.findall(line.text))
            if count:
                line.text = " ".join(_CID.sub(" ", line.text).split())
            unmapped += count
            total += count + sum(not ch.isspace() for ch in line.text)
        page[:] = [line for line in page if line.text]
    if unmapped and unmapped * 2 > total:
        raise IngestError(file, UNMAPPED)


def _drop_running_lines(pages: list[list[_Line]]) -> None:
    """Takes running headers, running footers and page numbers off every page."""
    edges: list[list[_Line]] = []
    for page in pages:
        by_height = sorted((line for line in page if line.turn == 0), key=lambda line: -line.y1)
        edges.append(by_height[:_EDGE_LINES] + by_height[_EDGE_LINES:][-_EDGE_LINES:])
    seen: Counter[tuple[str, int, int | None]] = Counter()  # pages where each line stands
    for index, edge in enumerate(edges):
        seen.update({mark for line in edge for mark in _marks(line, index)})
    offsets: Counter[int] = Counter()
    for index, edge in enumerate(edges):
        offsets.update({value - index for value in (_page_number(line.text) for line in edge) if value is not None})
    running_offsets = {offset for offset, count in offsets.items() if count >= 2}
    running = 3 if len(pages) >= 3 else 2  # pages on which a number running with them makes a running line
    for index, (page, edge) in enumerate(zip(pages, edges, strict=True)):
        if not page:
            continue
        dropped = set()
        extremes = {id(max(page, key=lambda line: line.y1)), id(min(page, key=lambda line: line.y0))}
        for line in edge:
            value = _page_number(line.text)
            if any(seen[mark] >= (2 if mark[2] is None else running) for mark in _marks(line, index)):
                dropped.add(id(line))
            elif value is not None and (value - index in running_offsets or (len(pages) <= 2 and id(line) in extremes)):
                dropped.add(id(line))
        page[:] = [line for line in page if id(line) not in dropped]


def _marks(line: _Line, index: int) -> set[tuple[str, int, int | None]]:
    """What makes a line at the edge of page ``index`` the same line as one on another page:
    its text at its height (to the nearest 3 points); or, for a line with numbers in it, its
    text with the numbers aside at that height and a number that runs with the pages (its
    value less the page's index), as the page number in "Annual Report | page 4" does. Lines
    alike but for numbers that do not run with the pages (footnotes, "Paragraph 12" and
    "Paragraph 31" starting two pages) are not the same line."""
    text = " ".join(line.text.lower().split())
    height = round(line.y1 / 3)
    marks: set[tuple[str, int, int | None]] = {(text, height, None)}
    numbers = re.findall(r"\d{1,6}", text)
    if numbers:
        masked = re.sub(r"\d+", "#", text)
        marks.update((masked, height, int(number) - index) for number in numbers)
    return marks


def _page_number(text: str) -> int | None:
    found = _PAGE_NUMBER.match(text.strip())
    if not found:
        return None
    number = found.group(1).lower()
    if number.isdigit():
        return int(number)
    values = [_ROMAN[ch] for ch in number]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _paragraphs(lines: list[_Line]) -> list[list[_Line]]:
    """The lines grouped into paragraphs (see the top of this module)."""
    starts: dict[tuple[int, int], Counter[int]] = {}  # where lines start on each page (and turn): its margins
    for line in lines:
        starts.setdefault((line.page, line.turn), Counter())[round(line.x0)] += 1
        bullet = _BULLET.match(line.text)
        if bullet and bullet.end() < len(line.text):
            line.text, line.bullet = line.text[bullet.end() :], True
    flow = _Flow(starts, _usual_leading(lines))
    paragraphs: list[list[_Line]] = []
    previous: _Line | None = None
    for line in lines:
        if previous is None or line.turn != previous.turn:
            goes_on = False  # (text set at another angle is never part of the same paragraph)
        elif line.block == previous.block or flow.next_line(previous, line):
            goes_on = not flow.breaks(previous, line)
        elif line.page != previous.page or line.y1 > previous.y1:  # the top of a new page or column
            goes_on = flow.goes_on_after_break(previous, line)
        else:
            goes_on = False
        if goes_on:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
        previous = line
    return paragraphs


def _usual_leading(lines: list[_Line]) -> float | None:
    """The most common distance from one line to the next in a column, if any. Lines of a
    paragraph outnumber the gaps between paragraphs, so this is the body's line spacing,
    even where it is so wide (1.5 lines, double) that pdfminer puts each line in a block of
    its own."""
    steps = Counter(
        round(a.y1 - b.y1)
        for a, b in zip(lines, lines[1:], strict=False)
        if a.page == b.page and a.size == b.size and 0 < a.y1 - b.y1 < 3 * a.size and b.x0 < a.right and b.x1 > a.left
    )
    return float(steps.most_common(1)[0][0]) if steps else None


@dataclass
class _Flow:
    starts: dict[tuple[int, int], Counter[int]]
    leading: float | None

    def next_line(self, previous: _Line, line: _Line) -> bool:
        """``line`` is set right under ``previous``, at the usual distance, in the same column
        (pdfminer puts an indented first line in a block of its own)."""
        if line.page != previous.page or not (line.x0 < previous.right and line.x1 > previous.left):
            return False
        step = previous.y1 - line.y1
        usual = self.leading or 1.25 * previous.size
        return 0 < step <= usual * 1.15 + 1

    def indented(self, line: _Line) -> bool:
        """``line`` starts to the right of a margin where other lines of its page start."""
        starts = self.starts.get((line.page, line.turn), Counter())
        return any(
            count >= 2 and line.x0 - 4 * line.size <= x < line.x0 - 0.8 * line.size for x, count in starts.items()
        )

    def breaks(self, previous: _Line, line: _Line) -> bool:
        """A new paragraph starts at ``line``, the next line after ``previous`` in a column."""
        if _other_size(previous, line) or line.bullet:
            return True
        left, right = min(previous.left, line.left), max(previous.right, line.right)
        if previous.bold != line.bold and _short(previous if previous.bold else line, left, right):
            return True  # a heading in bold, set close to its text
        ended = bool(_SENTENCE_END.search(previous.text))
        if ended and self.indented(line) and not self.indented(previous):
            return True
        starts = line.text[:1]
        return (
            ended
            and _short(previous, left, right)
            and (starts.isupper() or starts.isdigit() or starts in "\"'\u201c\u2018(")
        )

    def goes_on_after_break(self, previous: _Line, line: _Line) -> bool:
        """The paragraph ending a page (or column) at ``previous`` goes on at ``line``."""
        if _other_size(previous, line) or line.bullet:
            return False
        if line.text[:1].islower() or re.search(r"\w[-\u2010]$", previous.text):
            return True
        if not _SENTENCE_END.search(previous.text):
            return not previous.bold or line.bold
        full = previous.lines_in_block > 1 and previous.x1 >= previous.right - 2 * previous.size
        return full and not self.indented(line)


def _other_size(a: _Line, b: _Line) -> bool:
    return abs(a.size - b.size) > 0.15 * max(a.size, b.size)


def _short(line: _Line, left: float, right: float) -> bool:
    return line.x1 < left + 0.7 * (right - left)


def _joined(paragraphs: list[list[_Line]]) -> list[str]:
    """Each paragraph's lines joined into one, hyphenation at line ends undone."""
    words: set[str] = set()
    for paragraph in paragraphs:
        for line in paragraph:
            words.update(w.lower() for w in _WORD.findall(line.text))
    out = []
    for paragraph in paragraphs:
        text = paragraph[0].text
        for line in paragraph[1:]:
            text = _join(text, line.text, words)
        out.append(text)
    return out


def _join(text: str, after: str, words: set[str]) -> str:
    if text.endswith("\u00ad"):
        return text[:-1] + after
    hyphen = re.search(r"(\S*?)(\w)[-\u2010]$", text)
    if hyphen is None:
        if re.search(r"\S[\u2013\u2014]$", text):  # a dash set close: "years—" + "and"
            return text + after
        return f"{text} {after}"
    if not after[:1].islower():
        return text + after  # "COVID-" + "19", "Anglo-" + "Saxon"
    before = hyphen.group(1) + hyphen.group(2)
    following = _WORD.match(after)
    rest = following.group(0) if following else ""
    compound = f"{before}-{rest}".lower()
    if "-" in before or "\u2010" in before or (compound in words and (before + rest).lower() not in words):
        return text + after
    if before[-1].isdigit() or (_NUMBER_WORD.search(before) and not _NUMBER_ENDING.match(rest)):
        return text + after  # "24-" + "hour", "thirty-" + "day": a word is not broken after a number
    return text[:-1] + after


def _info_title(document: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    for info in document.info or []:
        value = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(value, bytes):
            value = decode_text(value)
        if isinstance(value, str):
            value = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", " ".join(value.split()))
            if value and not re.search(r"\.(?:docx?|pdf|odt|rtf|tex|indd|pptx?|xlsx?)$", value, re.IGNORECASE):
                if not _PLACEHOLDER_TITLE.match(value):
                    return value
    return ""


def _first_page_title(page: list[_Line], first: list[_Line]) -> str:
    """The first paragraph, when it is set in the largest size on the first page."""
    largest = max(line.size for line in page)
    sizes = Counter(round(line.size) for line in page)
    if first[0].page == 0 and first[0].size >= largest and sizes.most_common(1)[0][0] < largest:
        text = " ".join(line.text for line in first)
        if len(text) <= 200:
            return text
    return ""
