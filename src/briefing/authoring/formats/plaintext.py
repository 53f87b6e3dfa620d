"""A plain-text document: its paragraphs are counted exactly as a source's are
(core.sources.SourceDocument): blocks between blank lines, or, in a file with no blank line
at all, each line. So a text file taken in keeps the numbering it had. (A form feed, which
text made from a PDF puts between its pages, is a space, not a control to show.)"""

from __future__ import annotations

from pathlib import Path

from briefing.authoring.formats.common import Document, decode_utf8, tidy_all
from briefing.core.sources import SourceDocument


def convert(file: Path, data: bytes) -> Document:
    text = decode_utf8(file, data).replace("\f", " ").replace("\v", " ")
    return Document("", tidy_all(list(SourceDocument.from_text(text).paragraphs)), "text")
