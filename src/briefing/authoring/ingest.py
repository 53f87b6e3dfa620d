"""Taking a source document in: ``briefing source add FILE``.

The document becomes a plain-text source in the library's ``sources/``: a header of
``% key: value`` lines (the original's name and SHA-256), a blank line, then one paragraph
per block, blocks separated by blank lines (see briefing.core.sources).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from briefing.core.errors import BriefError
from briefing.core.parse import read_text


@dataclass(frozen=True)
class AddedSource:
    name: str  # the file's name in sources/
    path: Path  # where it was written
    sha256: str  # of the written source file: what a brief records
    title: str  # a title for the brief's sources list: the document's own, else its file name
    original: str  # the original's file name
    reused: bool = False  # the same text was in sources/ already


def convert(file: Path) -> tuple[str, list[str]]:
    """The document's title and its paragraphs, as plain text."""
    if file.suffix.lower() not in (".txt", ".text", ""):
        raise BriefError(str(file), 0, f"cannot take in {file.suffix} files yet")
    text = read_text(file)
    blocks = [" ".join(block.split()) for block in text.replace("\r\n", "\n").split("\n\n")]
    paragraphs = [b for b in blocks if b]
    return file.stem, paragraphs


def source_text(file: Path, paragraphs: list[str]) -> str:
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    header = [
        f"% original: {file.name}",
        f"% sha256: {digest}",
        f"% added: {_dt.date.today().isoformat()}",
    ]
    return "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def add_source(library: Path, file: Path, *, name: str | None = None, force: bool = False) -> AddedSource:
    from briefing.paths import sources_dir

    title, paragraphs = convert(file)
    text = source_text(file, paragraphs)
    folder = sources_dir(library)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (name or f"{file.stem}.txt")
    data = text.encode("utf-8")
    reused = target.exists() and target.read_bytes() == data
    if target.exists() and not reused and not force:
        raise BriefError(str(target), 0, "a different source of that name is there already (--force replaces it)")
    if not reused:
        target.write_bytes(data)
    return AddedSource(target.name, target, hashlib.sha256(data).hexdigest(), title, file.name, reused)
