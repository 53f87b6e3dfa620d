"""Export and import of notes and bookmarks (``briefing export``, ``briefing import``).

An export names, for each note and bookmark, its brief's title, the pane, the item's text,
its citations with the cited passage, the note, its author and its times; JSON for
another store, Markdown for people. Importing JSON merges: nothing is duplicated, and a
note that is newer in the file replaces the older copy. An import file is untrusted: every
field is checked (real times, not in the future; sizes) and cleaned before anything is
written, and an error quotes only a little of a bad value. The Markdown is escaped so that
it reads as the text it holds.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson

from briefing.core import anchor
from briefing.core.enums import ANCHORS, PANE_TITLES, PANES, Anchor
from briefing.core.errors import BriefError
from briefing.core.library import Library
from briefing.core.marks import NOTE_MAX_BYTES, Bookmark, Mark, Note
from briefing.core.model import Brief, Fact, Item, reading_order
from briefing.core.safe import clean, clean_line
from briefing.store.notes import Store, now
from briefing.store.schema import MarkFields

FORMAT = "briefing-notes"
VERSION = 1

# The largest export ``briefing import`` reads: far more than any real notebook, small
# enough that a wrong file (a disk image, /dev/zero) is refused before it fills memory.
IMPORT_MAX_BYTES = 100 * 1024 * 1024

# How far ahead of this machine's clock an imported time may be: the clocks of two
# machines differ a little, but a note "written" later than that would win every merge.
CLOCK_SKEW = timedelta(minutes=5)

# How much of a value from a file an error message shows.
SHOWN_CHARS = 80


class ExportFileError(ValueError):
    """The file is not a briefing export; the message says what is wrong."""


class _Briefs:
    """Briefs of the library, parsed once each, for the items and citations of marks."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.cache: dict[str, Brief | None] = {}

    def get(self, brief_id: str) -> Brief | None:
        if brief_id not in self.cache:
            try:
                self.cache[brief_id] = self.library.brief(brief_id)
            except (BriefError, KeyError, OSError):
                self.cache[brief_id] = None
        return self.cache[brief_id]


def records(store: Store, library: Library, brief: str | None = None) -> list[dict[str, Any]]:
    """Every note and bookmark (of one brief, if named) as export records, in reading order."""
    return [record for record, _ in _records(store, library, brief)]


def _records(store: Store, library: Library, brief: str | None) -> list[tuple[dict[str, Any], str | None]]:
    """Each record, with the text of its item as written now (what a mark keeps, to be
    compared with what it was written on), or None when the item is not found."""
    if not library.entries:
        library.scan()
    marks = store.marks(brief)
    briefs = _Briefs(library)
    known = library.entries_of(m.brief for m in marks)
    summaries = {b: e.summary for b, e in known.items() if e.summary is not None}  # all: they read well
    titles = {m.brief: summaries[m.brief].title if m.brief in summaries else m.brief for m in marks}
    out = []
    for mark in sorted(marks, key=lambda m: reading_order(m, titles.get(m.brief, m.brief))):
        parsed = briefs.get(mark.brief)
        item, how = anchor.find(parsed, mark) if parsed is not None else (None, mark.anchor)
        citations = []
        if item is not None and parsed is not None:
            for citation in item.citations:
                passage = library.passage(parsed, citation)
                citations.append(
                    {
                        "citation": str(citation),
                        "source": passage.source.title if passage.source else citation.source,
                        "passage": passage.text,
                    }
                )
        record = {
            "kind": mark.kind,
            "id": mark.id,
            "brief": mark.brief,
            "brief_title": titles[mark.brief],
            "pane": mark.pane,
            "item": mark.item,
            # As the reader shows it: a claim names who makes it ("X says: ...").
            "item_text": shown_text(item) if item is not None else mark.quote,
            "written_on": mark.quote,
            "citations": citations,
            "note": mark.text if isinstance(mark, Note) else None,
            "author": mark.author,
            "created": mark.created,
            "updated": mark.updated,
            # As the brief reads now (anchor.find): an orphan whose item is back is ok again.
            "anchor": how,
        }
        out.append((record, item.quote if item is not None else None))
    return out


def shown_text(item: Item) -> str:
    """An item's text as the reader shows it: a claim (a fact with ``according to:``) names
    who makes it, so that an export never states it as the brief's own fact."""
    return item.claim if isinstance(item, Fact) else item.quote


def export_json(store: Store, library: Library, brief: str | None = None) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported": now(),
        "by": store.author,
        "marks": records(store, library, brief),
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def export_markdown(store: Store, library: Library, brief: str | None = None) -> str:
    """The export for people. Every value is escaped (:func:`_md`), so the file has the
    structure written here and nothing else: no heading, link, image or HTML from a note."""
    rows = _records(store, library, brief)
    notes = sum(r["kind"] == "note" for r, _ in rows)
    counts = f"{_count(notes, 'note')}, {_count(len(rows) - notes, 'bookmark')}"
    lines = ["# Notes and bookmarks", "", f"Exported {_md(now())} by {_md(store.author)}: {counts}.", ""]
    current = None
    for row, quote in rows:
        if row["brief"] != current:
            current = row["brief"]
            lines += [f"## {_md(row['brief_title'])} ({_md(row['brief'])})", ""]
        where = PANE_TITLES.get(row["pane"] or "", "Whole brief")
        what = "Note" if row["kind"] == "note" else "Bookmark"
        state = f" ({_md(row['anchor'])})" if row["anchor"] != Anchor.OK else ""
        lines.append(f"### {what} · {where}{state}")
        lines.append("")
        if row["item"] is not None:
            lines += [f"> {line}" for line in _md_lines(row["item_text"])]
            if quote is not None and row["written_on"] != quote:
                lines += ["", "Written on: " + _md_text(row["written_on"])]
            lines.append("")
        for cite in row["citations"]:
            passage = f": \u201c{_md(cite['passage'])}\u201d" if cite["passage"] else ""
            lines.append(f"- {_md(cite['citation'])} {_md(cite['source'])}{passage}")
        if row["citations"]:
            lines.append("")
        if row["note"]:
            lines += [_md_text(row["note"]), ""]
        changed = f", edited {_md(row['updated'])}" if row["updated"] != row["created"] else ""
        lines += [f"*{_md(row['author'])}, {_md(row['created'])}{changed}*", ""]
    return "\n".join(lines)


# CommonMark, inline: \ escapes, ` code spans, * _ emphasis, [ ] links and images (an
# image needs "![", so "!" may stay), & entities, < autolinks and HTML; ~ and | are GFM's
# strikethrough and tables. At the start of a line, also: # headings (a closing "#" of a
# heading too, so everywhere), > quotes, - + = lists, rules and setext underlines, "1." and
# "1)" lists; indentation (code blocks) and trailing spaces (line breaks) become entities
# (all whitespace at the edges, so "*author, date*" is always emphasis).
# Other punctuation means nothing outside a link, so dates and sentences stay readable.
_INLINE = re.compile(r"[\\`*_\[\]&~|#]")
_LINE_START = re.compile(r"^([>+=-]|\d{1,9}[.)])")
_EDGES = re.compile(r"^\s+|\s+$")


def _md_line(line: str) -> str:
    line = _INLINE.sub(lambda m: "\\" + m.group(), line).replace("<", "&lt;")
    line = _LINE_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], line)
    return _EDGES.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), line)


def _md_lines(text: str) -> list[str]:
    """Each line of ``text``, escaped to read as itself wherever a line may start."""
    return [_md_line(line) for line in clean(text).split("\n")]


def _md(text: str | None) -> str:
    """A value on one line of the export (title, id, author, date): escaped, newlines as spaces."""
    return _md_line(" ".join(clean(text or "").split("\n")))


def _md_text(text: str) -> str:
    """Text of several lines (a note) as one paragraph, each of its line breaks kept as a
    hard break (a trailing backslash). A backslash ends no paragraph (it would show), so
    the last lines, if empty, go."""
    return "\\\n".join(_md_lines(clean(text).rstrip("\n")))


def shown(value: Any) -> str:
    """A value from a file, for an error message: quoted like repr, at most about
    SHOWN_CHARS characters (a huge value is not echoed whole), controls made visible."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if not isinstance(value, str):
        text = repr(value)
        return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "\u2026"
    if len(value) > SHOWN_CHARS:
        value = value[: SHOWN_CHARS - 1] + "\u2026"
    return repr(clean_line(value))


def export_target_problem(target: Path) -> str | None:
    """Why ``briefing export --output`` may not write ``target``, or None. Notes are
    private: the file is replaced, never written through a symbolic link (which could
    point anywhere) or into a FIFO (which would block), and only in a folder that exists."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return clean_line(exc.strerror or str(exc))
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            return "it is a symbolic link (give the path it points to, or another name)"
        if stat.S_ISDIR(info.st_mode):
            return "it is a folder"
        if not stat.S_ISREG(info.st_mode):
            return "it is not a regular file"
    if not target.parent.is_dir():
        return f"no such folder {clean_line(str(target.parent))}"
    return None


def read_export_file(file: Path) -> bytes:
    """The bytes of a file to import; ExportFileError if over IMPORT_MAX_BYTES, known by
    its size before reading when it has one, and never more than the limit and a byte
    read (a pipe or /dev/zero has no size). OSError if it cannot be read."""
    chunks: list[bytes] = []
    size = 0
    with open(file, "rb", buffering=0) as handle:  # unbuffered: no read-ahead past the limit
        info = os.fstat(handle.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > IMPORT_MAX_BYTES:
            raise ExportFileError(too_big(info.st_size))
        while size <= IMPORT_MAX_BYTES:
            chunk = handle.read(min(IMPORT_MAX_BYTES + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > IMPORT_MAX_BYTES:
        raise ExportFileError(too_big(size))
    return b"".join(chunks)


def read_export(raw: bytes) -> list[Mark]:
    """The notes and bookmarks of a JSON export; every field is checked and cleaned."""
    if len(raw) > IMPORT_MAX_BYTES:
        raise ExportFileError(too_big(len(raw)))
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ExportFileError(f"not valid JSON ({clean_line(str(exc))[: SHOWN_CHARS * 2]})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExportFileError(f'not a briefing export (no "format": "{FORMAT}")')
    version = document.get("version")
    # bool is an int to Python: "version": true is not version 1.
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ExportFileError(f"an export of version {shown(version)}; this briefing reads {VERSION}")
    marks = document.get("marks")
    if not isinstance(marks, list):
        raise ExportFileError("the export has no list of marks")
    out = []
    latest = datetime.now(UTC) + CLOCK_SKEW
    for number, record in enumerate(marks, start=1):
        if not isinstance(record, dict):
            raise ExportFileError(f"mark {number} is not an object")
        try:
            out.append(mark_from_record(record, latest))
        except ValueError as exc:
            raise ExportFileError(f"mark {number}: {exc}") from exc
    return out


def too_big(size: int) -> str:
    """Why a file of ``size`` bytes is not imported."""
    return (
        f"the file is {size / 1024 / 1024:,.1f} MiB; briefing imports at most {IMPORT_MAX_BYTES // 1024 // 1024:,} MiB"
    )


_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))", re.ASCII
)  # not "２０２４": int() would read other scripts' digits


def timestamp(value: str) -> datetime | None:
    """An ISO 8601 time with its offset (``2024-05-02T09:00:00.000Z``, ``...:00+02:00``) as
    an aware datetime; None if it is anything else. A time without an offset is refused:
    it would be read in whichever zone the importing machine is in."""
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, z, sign, off_h, off_m = match.groups()
    try:
        offset = timedelta(0) if z else (1 if sign == "+" else -1) * timedelta(hours=int(off_h), minutes=int(off_m))
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0").ljust(6, "0")[:6]),
            timezone(offset),
        ).astimezone(UTC)
    except (ValueError, OverflowError):  # 2024-02-30, hour 25, offset 24:00, year 1 at +01:00
        return None


def _iso(moment: datetime) -> str:
    """As :func:`briefing.store.notes.now` writes it, so stored times compare as text."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def mark_from_record(record: dict[str, Any], latest: datetime | None = None) -> Mark:
    """A note or bookmark from an exported record (untrusted: cleaned and checked).

    Its times must be real and no later than ``latest`` (now and a little clock skew):
    the newer copy of a note wins a merge, so a time in the future would win forever."""
    kind = record.get("kind")
    if kind not in ("note", "bookmark"):
        raise ValueError(f"unknown kind {shown(kind)}")

    def text(key: str, one_line: bool = True) -> str:
        value = record.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValueError(f"{key} is not text")
        return clean_line(value) if one_line else clean(value)

    if latest is None:
        latest = datetime.now(UTC) + CLOCK_SKEW
    times: dict[str, datetime | None] = {}
    for key in ("created", "updated"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key} is not text")
        moment = timestamp(value) if value else None
        if value and moment is None:
            raise ValueError(f"{key} {shown(value)} is not a time like {now()}")
        if moment is not None and moment > latest:
            raise ValueError(f"{key} {shown(value)} is in the future")
        times[key] = moment
    created, updated = times["created"], times["updated"]
    if created is not None and updated is not None and updated < created:
        raise ValueError(f"updated {shown(record['updated'])} is before created {shown(record['created'])}")
    # A missing time is the other one, or now.
    created, updated = created or updated, updated or created
    stamp = now()
    fields = MarkFields(
        id=text("id"),
        brief=text("brief"),
        item=text("item") or None,
        pane=text("pane") or None,
        quote=text("written_on", False) or text("item_text", False),
        author=text("author"),
        created=_iso(created) if created else stamp,
        updated=_iso(updated) if updated else stamp,
        anchor=text("anchor") if text("anchor") in ANCHORS else Anchor.OK.value,
    )
    if not fields["id"]:
        raise ValueError("no id")
    if not fields["brief"]:
        raise ValueError("no brief")
    if fields["pane"] is not None and fields["pane"] not in PANES:
        raise ValueError(f"unknown pane {shown(fields['pane'])}")
    if kind == "note":
        note = text("note", False)
        size = len(note.encode("utf-8"))
        if size > NOTE_MAX_BYTES:
            raise ValueError(f"the note is {size:,} bytes; the longest briefing accepts is {NOTE_MAX_BYTES:,} bytes")
        return Note(text=note, **fields)
    return Bookmark(**fields)
