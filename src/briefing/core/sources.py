"""Source documents: paragraphs and sentences, so a citation can be resolved to its passage.

A source file is plain UTF-8 text. It may open with a header, written by ``briefing source
add``: lines that start with ``% `` (``% original: report.pdf``, ``% sha256: …``) up to the
first blank line. The header is not a paragraph: counting starts after it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.core.model import Citation
from briefing.core.parse import BriefError, decode_text, read_data
from briefing.core.safe import clean
from briefing.core.segment import sentence_spans

HEADER_MARK = "% "
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def ordinal(number: int) -> str:
    """3 -> "third", 12 -> "12th"."""
    if 1 <= number <= len(ORDINALS):
        return ORDINALS[number - 1]
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def split_header(text: str) -> tuple[dict[str, str], str, int]:
    """The header's ``key: value`` lines, the text after it, and how many lines it took."""
    if not text.startswith(HEADER_MARK):
        return {}, text, 0
    header: dict[str, str] = {}
    lines = text.split("\n")
    count = 0
    for line in lines:
        if not line.startswith(HEADER_MARK):
            break
        key, _, value = line[len(HEADER_MARK) :].partition(":")
        header[key.strip().lower()] = value.strip()
        count += 1
    return header, "\n".join(lines[count:]), count


@dataclass(frozen=True)
class SourceDocument:
    path: str
    paragraphs: tuple[str, ...]
    header: tuple[tuple[str, str], ...] = ()
    sha256: str | None = None  # of the file's bytes, when it was read from one

    @classmethod
    def from_text(cls, text: str, path: str = "", sha256: str | None = None) -> SourceDocument:
        text = clean(text)  # also makes every line end a "\n"
        header, text, _ = split_header(text.lstrip("\n"))
        text = text.strip("\n")
        if re.search(r"\n[ \t]*\n", text):
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text)]
        else:
            paragraphs = [" ".join(line.split()) for line in text.split("\n")]
        return cls(path, tuple(p for p in paragraphs if p), tuple(header.items()), sha256)

    def sentences(self, paragraph: int) -> list[str]:
        """The sentences of paragraph ``paragraph`` (from 1), as citations number them."""
        text = self.paragraphs[paragraph - 1]
        return [text[start:end] for start, end in sentence_spans(text)]

    def spans(self, paragraph: int) -> tuple[tuple[int, int], ...]:
        """Where each sentence of paragraph ``paragraph`` starts and ends in its text."""
        return sentence_spans(self.paragraphs[paragraph - 1])

    def problem(self, citation: Citation) -> str | None:
        """Why ``citation`` cannot be resolved here, in words ("¶6 of source S1 has 2
        sentences; [S1 ¶6.3] cites a third"); None when it can."""
        count = len(self.paragraphs)
        if not 1 <= citation.paragraph <= count:
            return f"{citation}: source {citation.source} has {count} paragraph{'s' * (count != 1)}"
        if citation.sentence is not None:
            have = len(self.sentences(citation.paragraph))
            if citation.sentence > have:
                return (
                    f"¶{citation.paragraph} of source {citation.source} has {have} sentence{'s' * (have != 1)}; "
                    f"{citation} cites a {ordinal(citation.sentence)}"
                )
        return None

    def has(self, citation: Citation) -> bool:
        return self.problem(citation) is None

    def passage(self, citation: Citation) -> str:
        """The cited paragraph, or its one cited sentence."""
        if not self.has(citation):
            raise KeyError(str(citation))
        if citation.sentence is None:
            return self.paragraphs[citation.paragraph - 1]
        return self.sentences(citation.paragraph)[citation.sentence - 1]


def resolve_source_file(library: Path, name: str) -> Path:
    """The file of a source in ``library/sources``; refuses anything that leaves the library."""
    from briefing.paths import sources_dir

    folder = sources_dir(library)
    path = folder / name
    if not path.exists():
        raise BriefError(str(path), 0, "source file not found")
    real = Path(os.path.realpath(path))  # resolve() raises on a symlink loop
    if not real.is_relative_to(Path(os.path.realpath(library))):
        raise BriefError(str(path), 0, "source file is a link that points outside the library")
    return path


def load_source(library: Path, name: str) -> SourceDocument:
    import hashlib

    path = resolve_source_file(library, name)
    data = read_data(path)  # read once: the text and its SHA-256 come from the same bytes
    return SourceDocument.from_text(decode_text(path, data), str(path), hashlib.sha256(data).hexdigest())
