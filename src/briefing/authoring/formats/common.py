"""What every kind of document shares: reading its file within limits, the errors, and the
cleaning every paragraph gets before it is written into a source."""

from __future__ import annotations

import logging
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from briefing.core.errors import BriefError
from briefing.core.safe import clean

# A document to take in may be large (a PDF with images, a saved page with inline
# scripts); the text written from it must still fit a source file (core.parse.MAX_FILE_BYTES).
MAX_INPUT_BYTES = 50_000_000


class IngestError(BriefError):
    """A document that cannot be taken in, and why, in one line. ``str()`` is
    ``file: message`` (no line number: where it matters, the message says it)."""

    def __init__(self, file: str | Path, message: str) -> None:
        super().__init__(str(file), 0, message)

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


class MissingExtra(IngestError):
    """A kind of document whose reader, an optional extra, is not installed (or is, but
    cannot be imported: a dependency of its own is missing)."""

    def __init__(self, file: str | Path, kind: str, package: str, extra: str, error: ImportError) -> None:
        module = package.split(".")[0] if package != "pdfminer.six" else "pdfminer"
        if error.name is None or error.name.split(".")[0] == module:
            state = "which is not installed"
        else:
            state = f"which cannot be imported ({' '.join(str(error).split())[:160]})"
        super().__init__(file, f"reading {kind} needs {package}, {state}: pip install 'briefing[{extra}]'")


@dataclass
class Document:
    """A document read into plain text: its title (empty when it has none of its own),
    its paragraphs in order (each one line), and what else is worth keeping in the source's
    header (``url``, ``pages``)."""

    title: str
    paragraphs: list[str]
    kind: str
    meta: dict[str, str] = field(default_factory=dict)


def read_input(file: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a document to take in, or an IngestError saying why there are none: it
    is missing, a folder, not a regular file (a FIFO would block), unreadable, or too large."""
    try:
        status = os.stat(file)
    except FileNotFoundError:
        raise IngestError(file, "no such file") from None
    except OSError as exc:
        raise IngestError(file, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(status.st_mode):
        raise IngestError(file, "is a folder; name a document in it")
    if not stat.S_ISREG(status.st_mode):
        raise IngestError(file, "not a regular file")
    if status.st_size > limit:
        raise IngestError(file, f"file too large ({status.st_size:,} bytes; the limit is {limit:,})")
    try:
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise IngestError(file, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew since it was looked at
        raise IngestError(file, f"file too large (more than {limit:,} bytes)")
    return data


def decode_utf8(file: Path, data: bytes) -> str:
    """A text or Markdown file's bytes as text. These must be UTF-8 (a byte-order mark is
    dropped): another encoding is refused with the place of its first bad byte and the
    command that converts it, rather than guessed. A PDF or a saved web page given a text
    file's name is refused too, saying what it is (its markup or bytes are not its text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(file, "not UTF-8: the file is UTF-16; convert it first, e.g. iconv -f utf-16 -t utf-8")
    if data.startswith(b"%PDF-"):
        raise IngestError(file, "not text but a PDF; name it .pdf and add that")
    if data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith((b"<!doctype html", b"<html")):
        raise IngestError(file, "not text but a web page (HTML); name it .html and add that")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise IngestError(file, f"binary file (NUL byte at line {line}), not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise IngestError(
            file,
            f"not UTF-8: invalid byte 0x{data[exc.start]:02x} at line {line}; "
            "convert it first, e.g. iconv -f windows-1252 -t utf-8",
        ) from None
    return text.removeprefix("\ufeff")


# Latin ligatures (U+FB00-FB06: ff, fi, fl, ffi, ffl, long st, st), as PDFs often hold
# them: spelled out by their compatibility decomposition. Only these: NFKC over the whole
# text would also rewrite superscripts, fractions, full-width forms and more.
_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_SOFT_HYPHEN = "\u00ad"


def tidy(text: str) -> str:
    """One paragraph as a source holds it: on one line, white space collapsed to single
    spaces; soft hyphens and zero-width characters dropped; ligatures spelled out; any
    other control character made visible (core.safe.clean); NFC-normalised. Smart quotes,
    dashes and every other character are kept as they are."""
    text = text.replace(_SOFT_HYPHEN, "").translate(_LIGATURES)
    text = " ".join(text.split())  # every kind of white space, line breaks and form feeds too
    text = unicodedata.normalize("NFC", clean(text))
    return " ".join(text.split())


def tidy_all(paragraphs: list[str]) -> list[str]:
    """Each paragraph tidied; those left empty are dropped."""
    return [p for p in (tidy(p) for p in paragraphs) if p]


def quiet(*loggers: str) -> None:
    """Keep a library's warnings about a document off the terminal: the command says
    what matters in its own words."""
    for name in loggers:
        logging.getLogger(name).setLevel(logging.ERROR)
