"""A saved web page as plain-text paragraphs: the article's main text, without the menus,
navigation, cookie banners, sidebars, comments, footers, scripts and styles around it.

The main text is found by trafilatura (the ``briefing[html]`` extra): it is maintained, it
leads the published benchmarks of main-text extraction, and it gives the text as a small
tree (headings, paragraphs, list items, quotes, table rows) whose blocks become the
source's paragraphs, along with the page's title (``og:title``, ``<title>`` without the
site's name, or the ``<h1>``) and address. readability-lxml, the lighter choice, finds the
same text on ordinary pages but gives back HTML to take apart again, drops a headline kept
outside the article's element, and has no title cleaning of its own beyond a "short title".
Links keep their text only: on a news page they are mostly to other stories, and a saved
page's targets are often rewritten to local files.

A page is decoded by the character set it declares (a byte-order mark, ``<meta charset>``,
``<meta http-equiv="Content-Type">`` or an XML declaration), with the WHATWG Encoding
Standard's readings of the labels: ``iso-8859-1``, ``latin1`` and ``us-ascii`` mean
windows-1252, as browsers read them. A page that declares nothing, or whose bytes do not
fit what it declares, is read as UTF-8 if it is valid UTF-8, else as windows-1252."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from briefing.authoring.formats.common import Document, IngestError, MissingExtra, quiet, tidy, tidy_all
from briefing.core.parse import MAX_FILE_BYTES

SIGN_IN = (
    "a sign-in page, not an article: it asks for a password and holds little else; save the page once "
    "signed in, or copy the article's text into a .txt file and add that"
)

# Where a declaration is looked for: the WHATWG prescan reads 1024 bytes; saved pages put
# a comment ("saved from url"), styles or scripts first more often, so further.
_PRESCAN = 65_536
_META_CHARSET = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels whose WHATWG meaning differs from Python's codec of that name.
_WHATWG = {
    **dict.fromkeys(
        (
            "ascii",
            "us-ascii",
            "iso-8859-1",
            "iso8859-1",
            "iso_8859-1",
            "iso88591",
            "latin1",
            "latin-1",
            "l1",
            "cp819",
            "ibm819",
            "x-cp1252",
        ),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk"), "gb18030"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987"), "cp949"),
    # A page read from bytes that says it is UTF-16 cannot be (its ASCII would be wrong).
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be"), "utf-8"),
}
_BLOCK = {"p", "head", "list", "item", "quote", "table", "row", "cell", "code", "div"}
# A line break (``<br>``) in a block's text, while it is read: a character no page's text
# can hold (XML, and so lxml, has no NUL), which two in a row part into paragraphs.
_BREAK = "\x00"
_BLANK_LINE = re.compile(r"\x00\s*\x00[\x00\s]*")
# Text a page may show (scripts, styles and markup aside). The article in it must fit a
# source file; a page with ten times that much would take trafilatura minutes to read, only
# to be refused then.
_PAGE_TEXT_LIMIT = 10 * MAX_FILE_BYTES
# (Each runs to the end of the page when it is not closed: never back to try again.)
_UNSHOWN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*(?:>|\Z)")
# A table cell longer than this holds prose: its table lays the page out.
_PROSE = 300
# Characters of text: a page with less that asks for a password is a sign-in page.
_LITTLE = 1000


def declared_encoding(data: bytes) -> str | None:
    """The Python codec for the character set the page declares, if it declares one."""
    for mark, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(mark):
            return codec
    head = data[:_PRESCAN]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not found:
        return None
    label = found.group(1).decode("ascii").strip().lower()
    label = _WHATWG.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes) -> str:
    """The page as text: by its declared character set, else UTF-8, else windows-1252."""
    declared = declared_encoding(data)
    for codec in dict.fromkeys(c for c in (declared, "utf-8", "cp1252") if c):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return text.removeprefix("\ufeff")
    return data.decode("cp1252", errors="replace")


def convert(file: Path, data: bytes) -> Document:
    try:
        import trafilatura
    except ImportError as exc:
        raise MissingExtra(file, "web pages", "trafilatura", "html", exc) from None
    quiet("trafilatura", "htmldate", "courlan", "justext")
    text = decode(data)
    if len(text) > _PAGE_TEXT_LIMIT and (size := _text_size(text)) > _PAGE_TEXT_LIMIT:
        raise IngestError(
            file,
            f"too much text: the page shows some {size:,} characters, far more than a source file holds "
            f"({MAX_FILE_BYTES:,} bytes); save the article alone, or split it into smaller files",
        )
    found = _extract(trafilatura, text)
    paragraphs: list[str] = []
    if found is not None and found.body is not None:
        _blocks(found.body, paragraphs)
    paragraphs = tidy_all(paragraphs)
    if not paragraphs:
        raise IngestError(file, _why_no_text(trafilatura, text, data))
    if sum(map(len, paragraphs)) < _LITTLE and _asks_for_a_password(trafilatura, text):
        raise IngestError(file, SIGN_IN)
    meta = {}
    url = getattr(found, "url", None) if found is not None else None
    if isinstance(url, str) and re.match(r"https?://\S+$", url):
        meta["url"] = url
    title = getattr(found, "title", None) if found is not None else None
    return Document(tidy(title or ""), paragraphs, "web page", meta)


def _text_size(page: str) -> int:
    """About how many characters of text a page shows: what is left without its scripts,
    styles, comments and tags (attributes, where pages keep their embedded images, too),
    white space counted once where it runs on."""
    return len(" ".join(_TAG.sub(" ", _UNSHOWN.sub(" ", page)).split()))


def _extract(trafilatura: Any, text: str) -> Any:
    """trafilatura's reading of the page: its balanced setting first; if that finds nothing,
    the one that takes more of the page. When the balanced one gives a single paragraph of
    several lines, it may be trafilatura's last resort, every text of the page, one a line,
    as one paragraph (a cookie banner, the menu and a short article run together): the
    precise setting, which never does that, is taken instead if it finds anything."""

    def extract(**focus: bool) -> Any:
        found = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            **focus,
        )
        has_text = found is not None and found.body is not None and "".join(found.body.itertext()).strip()
        return found if has_text else None

    found = extract()
    if found is None:
        return extract(favor_recall=True)
    body = found.body
    if len(body) == 1 and body[0].tag == "p" and "\n" in "".join(body[0].itertext()).strip():
        return extract(favor_precision=True) or found
    return found


def _asks_for_a_password(trafilatura: Any, text: str) -> bool:
    tree = trafilatura.load_html(text)
    return tree is not None and bool(tree.xpath("//input[translate(@type, 'PASSWORD', 'password') = 'password']"))


def _why_no_text(trafilatura: Any, text: str, data: bytes) -> str:
    """Why a page gave no text, as far as can be told."""
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return f"binary file (NUL byte at line {line}), not a web page"
    tree = trafilatura.load_html(text)
    if tree is not None and tree.xpath("//frame | //iframe"):
        return "no text: the page's text is in the frames it loads; open the framed page on its own and save that"
    return (
        "no text: the page holds no article text (if scripts put it in as the page opens, save the page "
        "from the browser once the article shows)"
    )


def _blocks(element: Any, out: list[str]) -> None:
    """The paragraphs of an element of trafilatura's tree, in order."""
    if element.tag == "row":
        cells = [cell for cell in element if cell.tag == "cell"]
        texts = [tidy(_text(cell).replace(_BREAK, " ")) for cell in cells]
        if any(len(text) > _PROSE for text in texts):
            # A table that lays the page out (a menu in one cell, the text in another) rather
            # than holding data: each cell's paragraphs are paragraphs.
            for cell in cells:
                _blocks(cell, out)
        else:
            out.append(" | ".join(text for text in texts if text))
        return
    if not any(child.tag in _BLOCK for child in element):
        _paragraphs_of(_text(element), out)
        return
    # Inline text and blocks mixed (a list item holding a list): the text between the
    # blocks is a paragraph of its own.
    pending = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK:
            _paragraphs_of("".join(pending), out)
            pending = []
            _blocks(child, out)
        else:
            pending.append(_text(child))
        pending.append(child.tail or "")
    _paragraphs_of("".join(pending), out)


def _paragraphs_of(text: str, out: list[str]) -> None:
    """A block's text as paragraphs: a page that sets its paragraphs apart with blank lines
    (``<br><br>``) rather than ``<p>`` has them parted there; one line break is a space."""
    out.extend(part.replace(_BREAK, " ") for part in _BLANK_LINE.split(text))


def _text(element: Any) -> str:
    """An element's text, a line break (``<lb/>``) read as _BREAK, a block in it (a cell's
    paragraphs) set apart by spaces."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append(_BREAK)
        else:
            parts.append(f" {_text(child)} " if child.tag in _BLOCK else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)
