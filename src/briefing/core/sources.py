"""Source documents: paragraphs and sentences, so a citation can be resolved to its passage."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.core.model import Citation
from briefing.core.parse import BriefError, read_text
from briefing.core.safe import clean

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


@dataclass(frozen=True)
class SourceDocument:
    path: str
    paragraphs: tuple[str, ...]

    @classmethod
    def from_text(cls, text: str, path: str = "") -> SourceDocument:
        text = clean(text)  # also makes every line end a "\n"
        text = text.strip("\n")
        if re.search(r"\n[ \t]*\n", text):
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text)]
        else:
            paragraphs = [" ".join(line.split()) for line in text.split("\n")]
        return cls(path, tuple(p for p in paragraphs if p))

    def sentences(self, paragraph: int) -> list[str]:
        return [s for s in _SENTENCE_END.split(self.paragraphs[paragraph - 1]) if s]

    def has(self, citation: Citation) -> bool:
        if not 1 <= citation.paragraph <= len(self.paragraphs):
            return False
        return citation.sentence is None or citation.sentence <= len(self.sentences(citation.paragraph))

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
    path = resolve_source_file(library, name)
    return SourceDocument.from_text(read_text(path), str(path))
