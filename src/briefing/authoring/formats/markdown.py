"""A Markdown document as plain-text paragraphs, read by markdown-it-py (CommonMark, with
tables and strikethrough as GitHub writes them).

Each block becomes a paragraph: a heading, a paragraph, each list item's paragraph, each
paragraph of a block quote, each row of a table (its cells joined by `` | ``), a code block
(its lines joined, as all paragraphs are one line). Emphasis, code spans and escapes are
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

from briefing.authoring.formats.common import Document, decode_utf8, tidy, tidy_all

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_FULL_URL = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_HTML_DROPPED = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]*>")


def convert(file: Path, data: bytes) -> Document:
    return from_text(decode_utf8(file, data))


def from_text(text: str) -> Document:
    from markdown_it import MarkdownIt

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = ""
    front = _FRONT_MATTER.match(text)
    if front:
        found = _FRONT_TITLE.search(front.group(1))
        if found:
            title = _yaml_scalar(found.group(1))
        text = text[front.end() :]
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    paragraphs: list[str] = []
    headings: list[tuple[str, str]] = []  # (tag, text) of each heading, to find a title
    row: list[str] | None = None
    heading_tag = ""
    for token in parser.parse(text):
        kind = token.type
        if kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if row is not None and any(row):
                paragraphs.append(" | ".join(row))
            row = None
        elif kind == "heading_open":
            heading_tag = token.tag
        elif kind == "inline":
            words = _inline_text(token.children or [])
            if row is not None:
                row.append(tidy(words))
            else:
                paragraphs.append(words)
                if heading_tag:
                    headings.append((heading_tag, tidy(words)))
        elif kind == "heading_close":
            heading_tag = ""
        elif kind in ("fence", "code_block"):
            paragraphs.append(token.content)
        elif kind == "html_block":
            paragraphs.append(_html_text(token.content))
    if not title and headings:
        title = next((words for tag, words in headings if tag == "h1" and words), headings[0][1])
    return Document(tidy(title), tidy_all(paragraphs), "markdown")


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


def _yaml_scalar(value: str) -> str:
    """A one-line YAML value as its text: the title of front matter, without loading YAML
    (a document to take in is untrusted; one key is all that is wanted of it)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    return value.split(" #", 1)[0].strip()
