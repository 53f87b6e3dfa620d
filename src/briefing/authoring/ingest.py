"""Taking a source document in: ``briefing source add FILE`` (docs/design.md §9).

The document (``.txt``, ``.md``, a saved web page, a ``.pdf``; ``formats/`` reads each)
becomes a plain-text source in the library's ``sources/``: a header of ``% key: value``
lines, a blank line, then one paragraph per block, on one line each, blocks separated by a
blank line (see briefing.core.sources, which numbers them as citations count them)::

    % original: council-report.pdf
    % sha256: 5f1d…            (of the original's bytes)
    % title: The Council's Annual Report
    % format: PDF
    % pages: 40
    % added: 2026-12-01

    First paragraph.

    Second paragraph.

The SHA-256 a brief records (``sha256:`` in its sources list) is of this written file; the
header's is of the original, and is how the same document is recognised when it is added
again (its text would differ by the date at least): adding it again writes nothing.

Every paragraph is cleaned as it is read (``formats.common.tidy``): document text is
untrusted, and no control character reaches the source file (docs/design.md §5).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from briefing.authoring.formats.common import MAX_INPUT_BYTES, Document, IngestError, MissingExtra, read_input
from briefing.core.parse import MAX_FILE_BYTES
from briefing.core.safe import clean_line
from briefing.core.sources import HEADER_MARK, SourceDocument, split_header

__all__ = [
    "AddedSource",
    "Document",
    "IngestError",
    "MissingExtra",
    "add_source",
    "convert",
    "convert_document",
    "default_name",
    "header_of",
    "kind_of",
    "source_text",
]

# The kinds taken in, by the file's suffix.
KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
ACCEPTED = ".txt, .md, .html (or .htm, a saved web page) and .pdf"
_HEADER_READ = 8192  # bytes of an existing source read to find its header


@dataclass(frozen=True)
class AddedSource:
    name: str  # the file's name in sources/
    path: Path  # where it was written
    sha256: str  # of the written source file: what a brief records
    title: str  # a title for the brief's sources list: the document's own, else its file name
    original: str  # the original's file name
    reused: bool = False  # the same document was in sources/ already: nothing was written
    paragraphs: int = 0  # as citations count them
    original_sha256: str = ""  # of the original's bytes, as the header keeps it


def kind_of(file: Path) -> str:
    """The kind of document ``file`` is, by its suffix; an IngestError for one not taken in
    (or for a file that is missing, or a folder: that is said first)."""
    kind = KINDS.get(file.suffix.lower())
    if kind is None:
        if not file.is_file():
            read_input(file, limit=0)  # says why: missing, a folder, not a regular file
        what = f"{file.suffix} files" if file.suffix else "files without a suffix"
        raise IngestError(file, f"cannot take in {what}: briefing takes {ACCEPTED}")
    return kind


def convert_document(file: Path, data: bytes | None = None) -> Document:
    """The document at ``file`` (whose bytes are ``data``, if they were read already) as
    plain-text paragraphs, read by the kind its suffix says; an IngestError, one line
    saying why, for anything that cannot be taken in."""
    kind = kind_of(file)
    if data is None:
        data = read_input(file, MAX_INPUT_BYTES)
    if kind == "text":
        from briefing.authoring.formats import plaintext as reader
    elif kind == "markdown":
        from briefing.authoring.formats import markdown as reader  # type: ignore[no-redef]
    elif kind == "html":
        from briefing.authoring.formats import webpage as reader  # type: ignore[no-redef]
    else:
        from briefing.authoring.formats import pdf as reader  # type: ignore[no-redef]
    document = reader.convert(file, data)
    if not document.paragraphs:
        raise IngestError(file, "no text: the document is empty, so there is nothing to take in")
    if not document.title:
        document.title = heading_of(document.paragraphs) or file.stem
    return document


def heading_of(paragraphs: list[str]) -> str:
    """A document's first paragraph when it reads as its heading: short, one line, and not
    ended like a sentence ("Review of the Predictive Patrol Pilot")."""
    first = paragraphs[0].strip() if paragraphs else ""
    if len(paragraphs) > 1 and 3 <= len(first) <= 150 and not first.endswith((".", "!", "?", ",", ";", ":")):
        return first
    return ""


def convert(file: Path) -> tuple[str, list[str]]:
    """The document's title and its paragraphs, as plain text."""
    document = convert_document(file)
    return document.title, document.paragraphs


def source_text(
    file: Path,
    paragraphs: list[str],
    *,
    digest: str | None = None,
    title: str = "",
    kind: str = "",
    meta: dict[str, str] | None = None,
    added: _dt.date | None = None,
) -> str:
    """The source file's text: the header, a blank line, the paragraphs."""
    if digest is None:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
    fields = {"original": file.name, "sha256": digest, "title": title, "format": kind, **(meta or {})}
    fields["added"] = (added or _dt.date.today()).isoformat()
    header = [f"{HEADER_MARK}{key}: {_one_line(value)}" for key, value in fields.items() if _one_line(value)]
    return "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _one_line(value: str) -> str:
    return " ".join(clean_line(value).split())


def default_name(file: Path) -> str:
    """A source file name from the original's: its stem in lower-case letters, digits,
    dots and dashes (accents dropped), and ``.txt``."""
    stem = unicodedata.normalize("NFKD", file.stem).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9.]+", "-", stem).strip("-.")
    return f"{stem or 'source'}.txt"


def _checked_name(name: str) -> str:
    """``--name``: a plain file name for sources/ (``.txt`` added when it has no suffix)."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or name.startswith("."):
        raise IngestError(name, "a source's name must be a plain file name, such as report.txt")
    if clean_line(name) != name or name != name.strip():
        raise IngestError(name, "a source's name must be a plain file name, without control characters")
    return name if Path(name).suffix else f"{name}.txt"


def header_of(path: Path) -> dict[str, str]:
    """The ``% key: value`` header of a source file (empty if it has none or cannot be read)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEADER_READ)
    except OSError:
        return {}
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff").replace("\r\n", "\n")
    header, _, _ = split_header(text)
    return header


def _already_added(folder: Path, digest: str) -> Path | None:
    """A source in ``folder`` taken in from an original of SHA-256 ``digest``, if any."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return None
    for entry in entries:
        if entry.is_file(follow_symlinks=False) and header_of(Path(entry.path)).get("sha256") == digest:
            return Path(entry.path)
    return None


def add_source(library: Path, file: Path, *, name: str | None = None, force: bool = False) -> AddedSource:
    """Takes ``file`` into ``library``'s ``sources/``. The same document (by its SHA-256)
    already there is reused, not written again (``force`` writes it again); another file
    of the name wanted is refused unless ``force``."""
    from briefing.core.sources import load_source
    from briefing.paths import sources_dir

    target_name = _checked_name(name) if name is not None else default_name(file)
    kind_of(file)
    data = read_input(file, MAX_INPUT_BYTES)
    data_digest = hashlib.sha256(data).hexdigest()
    folder = sources_dir(library)
    if os.path.lexists(folder) and not Path(os.path.realpath(folder)).is_relative_to(os.path.realpath(library)):
        raise IngestError(folder, "is a link that points outside the library; nothing is written there")
    target = folder / target_name
    if not force:
        existing = target if header_of(target).get("sha256") == data_digest else _already_added(folder, data_digest)
        if existing is not None:
            return _added(library, existing, file, data_digest, reused=True)
    if (target.exists() or target.is_symlink()) and not force:
        original = header_of(target).get("original")
        what = f"another document ({clean_line(original)})" if original else "another file"
        raise IngestError(
            target, f"{what} is there under this name; choose another with --name, or --force to replace it"
        )
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise IngestError(target, "not a regular file; it is not replaced")
    document = convert_document(file, data)
    text = source_text(
        file, document.paragraphs, digest=data_digest, title=document.title, kind=document.kind, meta=document.meta
    )
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_FILE_BYTES:
        raise IngestError(
            file,
            f"too much text once converted ({len(encoded):,} bytes; a source file holds at most "
            f"{MAX_FILE_BYTES:,}): split the document and add its parts",
        )
    counted = len(SourceDocument.from_text(text).paragraphs)
    if counted != len(document.paragraphs):  # the written text must number as it was read
        raise IngestError(file, f"internal error: {len(document.paragraphs)} paragraphs written, {counted} counted")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(target, encoded)
    except OSError as exc:
        raise IngestError(target, f"cannot write: {exc.strerror or exc}") from None
    load_source(library, target.name)  # it reads back as a source: within the limits, inside the library
    return _added(library, target, file, data_digest, reused=False)


def _added(library: Path, path: Path, file: Path, digest: str, *, reused: bool) -> AddedSource:
    from briefing.core.sources import load_source

    source = load_source(library, path.name)
    header = dict(source.header)
    title = header.get("title") or file.stem
    return AddedSource(
        path.name,
        path,
        source.sha256 or hashlib.sha256(path.read_bytes()).hexdigest(),
        title,
        header.get("original") or file.name,
        reused,
        len(source.paragraphs),
        digest,
    )


def write_atomically(target: Path, data: bytes) -> None:
    """``data`` into ``target`` atomically: a temporary file beside it, then a rename. The
    file gets the user's usual permissions (their umask), as an editor would give it: a
    library may be shared by a group."""
    from briefing.paths import temp_file

    temporary = temp_file(target, os.getpid(), secrets.token_hex(4))
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with open(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
