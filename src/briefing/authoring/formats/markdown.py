"""A Markdown document as plain-text paragraphs, read by markdown-it-py (CommonMark, with
tables and strikethrough as GitHub writes them).

Each block becomes a paragraph: a heading, a paragraph, each list item's paragraph, each
paragraph of a block quote, each row of a table (its cells joined by `` | ``), a code block
(its lines joined, as all paragraphs are one line). An ordered list's item keeps its number,
as a reader sees it ("2. Second finding", numbered on from the first item's however the
others are written). Lists and quotes nested too deep for markdown-it (which skips what is
deeper than its limit) are refused rather than cut short. Emphasis, code spans and escapes are
reduced to their text. A link keeps its text and, when its target is a full URL (``http:``,
``https:``, ``mailto:``) other than the text itself, the target after it in angle brackets:
``the report <https://example.org/r.pdf>``, as briefing shows links in a brief
(briefs/FORMAT.md); a relative target or an anchor means nothing outside the site and is
dropped. An image is its alt text. Raw HTML is reduced to its text, and comments to
nothing. YAML front matter is not text: its ``title:`` is the document's title, else the
first heading's text is."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from briefing.authoring.formats.common import Document, IngestError, decode_utf8, tidy, tidy_all
from briefing.core.parse import MAX_FILE_BYTES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MAX = 65_536  # bytes of front matter read for a title, as a brief's (briefs/FORMAT.md)
_FULL_URL = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_HTML_DROPPED = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")
# A document longer than this (images embedded as data: addresses aside) cannot fit a source.
_TEXT_LIMIT = 10 * MAX_FILE_BYTES
_DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]*")
# markdown-it's limit on how deep blocks nest (CommonMark's preset has 20: a list ten deep),
# and on how deep inline markup nests (the preset's).
MAX_NESTING = 100
_INLINE_NESTING = 20
_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
DEEP = "lists or quotes nested too deep to be read as Markdown; name it .txt to take it in as plain text"


def convert(file: Path, data: bytes) -> Document:
    text = decode_utf8(file, data)
    if len(text) > _TEXT_LIMIT and (size := len(_DATA_URI.sub("", text))) > _TEXT_LIMIT:
        # markdown-it would take half a minute and more than a gigabyte over 20 MB, only for
        # the result to be refused: its markup is never nine tenths of a document
        raise IngestError(
            file,
            f"too much text: {size:,} characters, far more than a source file holds ({MAX_FILE_BYTES:,} bytes); "
            "split the document and add its parts",
        )
    return from_text(text, file)


def from_text(text: str, file: str | Path = "") -> Document:
    from markdown_it import MarkdownIt

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = ""
    front = _FRONT_MATTER.match(text)
    if front:
        title = _front_title(front.group(1))
        text = text[front.end() :]
    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    parser.core.ruler.after("block", "inline_nesting", _inline_nesting)
    paragraphs: list[str] = []
    headings: list[tuple[str, str]] = []  # (tag, text) of each heading, to find a title
    row: list[str] | None = None
    heading_tag = ""
    numbers: list[int | None] = []  # the next item's number in each list open, None in a bulleted one
    marker = ""  # an ordered list item's number, for the first paragraph of the item

    def add(paragraph: str) -> None:
        nonlocal marker
        if marker and paragraph.strip():
            paragraph, marker = marker + paragraph, ""
        paragraphs.append(paragraph)

    for token in parser.parse(text):
        kind = token.type
        if kind in _CONTAINERS and token.level >= MAX_NESTING - 1:
            # markdown-it skips what is nested deeper than its limit: say so, lose nothing
            raise IngestError(file, DEEP)
        if kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if row is not None and any(row):
                add(" | ".join(row))
            row = None
        elif kind == "heading_open":
            heading_tag = token.tag
        elif kind == "inline":
            words = _inline_text(token.children or [])
            if row is not None:
                row.append(tidy(words))
            else:
                add(words)
                if heading_tag:
                    headings.append((heading_tag, tidy(words)))
        elif kind == "heading_close":
            heading_tag = ""
        elif kind in ("fence", "code_block"):
            add(token.content)
        elif kind == "html_block":
            add(_html_text(token.content))
        elif kind == "ordered_list_open":
            numbers.append(_start(token))
        elif kind == "bullet_list_open":
            numbers.append(None)
        elif kind in ("ordered_list_close", "bullet_list_close") and numbers:
            numbers.pop()
        elif kind == "list_item_open" and numbers and numbers[-1] is not None:
            marker = f"{numbers[-1]}{token.markup} "
            numbers[-1] += 1
    if not title and headings:
        title = next((words for tag, words in headings if tag == "h1" and words), headings[0][1])
    return Document(tidy(title), tidy_all(paragraphs), "markdown")


def _inline_nesting(state: Any) -> None:
    """Once the blocks are read, CommonMark's own limit again for what is inside them (links
    in links, emphasis in emphasis): markdown-it's time on a line of ``[[[[…`` grows with it."""
    state.md.options["maxNesting"] = _INLINE_NESTING


def _start(token: Any) -> int:
    """The number an ordered list starts at (its first item's, as written)."""
    start = token.attrs.get("start", 1)
    return start if isinstance(start, int) else 1


def _inline_text(children: list[Any]) -> str:
    out: list[str] = []
    targets: list[str | None] = []  # the open links' targets, innermost last
    starts: list[int] = []
    for child in children:
        kind = child.type
        if kind in ("text", "code_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append(" ")
        elif kind == "image":
            out.append(_inline_text(child.children or []))
        elif kind == "html_inline":
            out.append(" " if re.match(r"<br\b", child.content, re.IGNORECASE) else "")
        elif kind == "link_open":
            href = str(child.attrs.get("href") or "")
            targets.append(href if _FULL_URL.match(href) else None)
            starts.append(len(out))
        elif kind == "link_close" and targets:
            target, start = targets.pop(), starts.pop()
            shown = "".join(out[start:]).strip()
            if target and shown not in (target, target.removeprefix("mailto:")):
                out.append(f" <{target}>")
    return "".join(out)


def _html_text(block: str) -> str:
    return html.unescape(_HTML_TAG.sub(" ", _HTML_DROPPED.sub(" ", block)))


def _front_title(front: str) -> str:
    """The ``title:`` of YAML front matter, however YAML writes it (quoted, folded over lines,
    with a comment after it), from PyYAML's events: never loaded into objects, so aliases are
    never expanded (a document to take in is untrusted; one key is all that is wanted of it).
    Empty if there is none, or the front matter is not YAML, or is over 64 KB."""
    import yaml

    if len(front) > _FRONT_MAX:
        return ""
    depth = 0  # 1 inside the top mapping
    key: str | None = None  # the key whose value comes next, at depth 1
    try:
        for event in yaml.parse(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                if depth == 1:
                    key = None  # a value that was a list or a mapping
            elif depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                if key is None:
                    key = event.value if isinstance(event, yaml.ScalarEvent) else ""
                elif key == "title":
                    return event.value if isinstance(event, yaml.ScalarEvent) else ""
                else:
                    key = None
    except (yaml.YAMLError, RecursionError):
        return ""
    return ""
