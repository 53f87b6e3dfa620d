"""One brief file -> :class:`~briefing.core.model.Brief`, or the problems that stop it.

The format is documented in ``briefs/FORMAT.md``. The body's Markdown is read by
:mod:`briefing.core.mdlite` in one pass (linear in the file's size, HTML never read), and the
front matter with PyYAML's safe loader behind a size cap, with aliases and deep nesting
refused. A file too long to be a brief is reported as such before it is read further. Every string is passed through
:func:`briefing.core.safe.clean` on the way in, so nothing in the model can act on a terminal.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

from briefing.core.enums import Pane
from briefing.core.errors import BriefError
from briefing.core.model import (
    PANES,
    STANCES,
    STATUSES,
    Brief,
    Citation,
    Concern,
    Event,
    Fact,
    Item,
    Source,
    Stakeholder,
    When,
)
from briefing.core.safe import clean, clean_line, clean_lines

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_BYTES = 64_000
MAX_YAML_DEPTH = 20
# What bounds the work one file can cause, whatever it holds (each far above any brief):
MAX_LINES = 25_000  # lines in a brief
MAX_ITEMS = 5_000  # items in its panes
MAX_MARKUP = 50_000  # characters read as Markdown markup; past it, text is shown as written
MAX_ERRORS = 100  # problems reported for one file; past it, the check stops

PANE_HEADINGS: dict[str, Pane] = {
    "key facts": Pane.FACTS,
    "facts": Pane.FACTS,
    "stakeholders": Pane.STAKEHOLDERS,
    "concerns": Pane.CONCERNS,
    "timeline": Pane.TIMELINE,
}
# The fields each pane accepts after an item's first line, as "name: value".
PANE_FIELDS: dict[str, tuple[str, ...]] = {
    Pane.FACTS: ("figure", "according to", "drafted"),
    Pane.STAKEHOLDERS: ("kind", "stance", "drafted"),
    Pane.CONCERNS: ("category", "raised by", "drafted"),
    Pane.TIMELINE: ("sort", "drafted"),
}
CITATION_RE = re.compile(r"\[([A-Za-z][\w-]*)\s*(?:¶|§|p\.?|para\.?)\s*(\d+)(?:\.(\d+))?\]")
EXPLICIT_ID_RE = re.compile(r"\{#([a-z0-9][a-z0-9_-]*)\}")
FIELD_RE = re.compile(r"^([a-z]+(?: [a-z]+)?):\s+(.*)$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*\Z")  # \Z: "$" would let a final newline in
SOURCE_ID_RE = re.compile(r"^[A-Za-z][\w-]*\Z")
SHA256_RE = re.compile(r"^[0-9a-f]{64}\Z")
SOURCE_KEYS = ("id", "title", "file", "url", "kind", "verified", "sha256")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SPACES_RE = re.compile(r"\s{2,}")
SLUG_WORD_RE = re.compile(r"[a-z0-9]+")


def slugify(text: str, words: int = 6, limit: int = 48) -> str:
    if not text.isascii():  # ASCII is its own NFKD form: only other text needs the round trip
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = SLUG_WORD_RE.findall(text.lower())
    return "-".join(parts[:words])[:limit].strip("-") or "item"


def read_text(path: Path) -> str:
    """A brief or source file as text, or a clear BriefError for what cannot be one."""
    return decode_text(path, read_data(path))


def read_data(path: Path) -> bytes:
    """A brief or source file's bytes, at most MAX_FILE_BYTES of them; a clear BriefError
    for what cannot be read (a FIFO, a device, a file too large)."""
    name = str(path)
    try:
        # O_NONBLOCK and the S_ISREG check: a FIFO or device named like a brief must
        # give an error, not block the reader forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise BriefError(name, 0, "not a regular file")
            # What read(MAX_FILE_BYTES + 1) would give, asked for in the file's size (and a
            # byte more, to see its end): read(n) sets n bytes aside first, and a megabyte
            # for every brief costs more than reading it.
            asked = min(status.st_size, MAX_FILE_BYTES) + 1
            data = handle.read(asked)
            if len(data) == asked and asked <= MAX_FILE_BYTES:  # longer than it said: on to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - asked)
    except OSError as exc:
        raise BriefError(name, 0, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        size = path.stat().st_size
        raise BriefError(name, 0, f"file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    return data


def decode_text(path: Path, data: bytes) -> str:
    """A file's bytes as text: UTF-8, no NUL, a byte-order mark dropped."""
    name = str(path)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise BriefError(name, line, "binary file (NUL byte), not a UTF-8 text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BriefError(name, line, f"not UTF-8: invalid byte 0x{data[exc.start]:02x}") from None
    return text.removeprefix("\ufeff")


def warm_up() -> None:
    """Import the YAML parser ahead of the first brief opened."""
    import yaml  # noqa: F401


def load_brief(path: Path, id_default: str | None = None) -> Brief:
    """Read and parse one brief; raises BriefError (with every problem in ``.all``)."""
    return parse_brief(read_text(path), str(path), id_default or path.stem)


def parse_brief(text: str, file: str, id_default: str) -> Brief:
    return _Parser(text, file, id_default).run()


class _ItemFields(TypedDict):
    """What every pane item is made with (:class:`~briefing.core.model.Item`'s fields)."""

    id: str
    line: int
    citations: tuple[Citation, ...]
    drafted: str | None


class _Parser:
    def __init__(self, text: str, file: str, id_default: str) -> None:
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.file = file
        self.id_default = id_default
        self.errors: list[BriefError] = []
        self.front_failed = False

    def error(self, line: int, message: str) -> None:
        self.errors.append(BriefError(self.file, line, message))

    def fail(self) -> BriefError:
        self.errors.sort(key=lambda e: e.line)
        if len(self.errors) > MAX_ERRORS:
            last = self.errors[MAX_ERRORS - 1].line
            self.errors[MAX_ERRORS:] = [
                BriefError(self.file, last, f"more problems follow; the first {MAX_ERRORS} are listed")
            ]
        first, *rest = self.errors
        first.others = rest
        return first

    # -- front matter -------------------------------------------------------

    def split(self) -> tuple[str, str, int] | None:
        lines = self.text.split("\n")
        if not lines or lines[0].strip() != "---":
            self.error(1, "a brief starts with YAML front matter between two '---' lines")
            return None
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                front = "\n".join(lines[1:index])
                body = "\n".join(lines[index + 1 :])
                return front, body, index + 1  # body starts after that 1-based line
        self.error(1, "the front matter is not closed by a '---' line")
        return None

    def load_yaml(self, front: str) -> tuple[dict, dict[str, int]] | None:
        import yaml

        loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        if len(front.encode()) > MAX_FRONT_MATTER_BYTES:
            self.error(2, f"front matter too large (limit {MAX_FRONT_MATTER_BYTES:,} bytes)")
            return None
        try:
            node = _composed_at_once(yaml, front, loader_cls)
            if node is None:  # the careful way, which also says what is wrong
                depth = 0
                for event in yaml.parse(front, Loader=loader_cls):
                    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                        mark = event.start_mark
                        self.error(mark.line + 2 if mark else 2, "YAML anchors and aliases (&, *) are not allowed")
                        return None
                    if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                        depth += 1
                        if depth > MAX_YAML_DEPTH:
                            mark = event.start_mark
                            self.error(
                                mark.line + 2 if mark else 2,
                                f"front matter nested deeper than {MAX_YAML_DEPTH} levels",
                            )
                            return None
                    elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                        depth -= 1
                node = yaml.compose(front, Loader=loader_cls)
            if node is None:
                self.error(2, "the front matter is empty")
                return None
            data = _construct(yaml, node)
        except _BadValue as exc:
            # One value cannot be built (a date such as 2020-02-30): report it, and read
            # the others, so that their problems are found in the same pass.
            if not isinstance(node, yaml.MappingNode):
                self.error(exc.line, f"front matter: {exc.message}")
                return None
            data = {}
            for key_node, value_node in node.value:
                try:
                    data[str(key_node.value)] = _construct(yaml, value_node)
                except _BadValue as bad:
                    name = clean_line(str(key_node.value))
                    why = bad.message.split(": ", 1)[-1]
                    self.error(
                        key_node.start_mark.line + 2, f"front matter: '{name}' has a value that cannot be read: {why}"
                    )
                    data[str(key_node.value)] = _UNREADABLE
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 2 if mark else 2
            self.error(line, f"front matter: {exc.problem or exc.context or 'invalid YAML'}")
            return None
        except yaml.reader.ReaderError as exc:
            # A raw control character (ESC, C1, ...): name it and find its line.
            code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
            at = front.find(chr(code))
            line = front.count("\n", 0, at) + 2 if at >= 0 else 2
            self.error(line, f"front matter: control or special character U+{code:04X} is not allowed")
            return None
        except (yaml.YAMLError, RecursionError) as exc:
            self.error(2, f"front matter: {type(exc).__name__}")
            return None
        if not isinstance(data, dict):
            self.error(2, "the front matter must be a mapping of 'key: value' lines")
            return None
        lines = {}
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2
        return data, lines

    def string(self, data: dict, key: str, line: int, required: bool = True) -> str:
        value = data.get(key)
        if value is _UNREADABLE:
            return ""
        if value is None:
            if required:
                self.error(line, f"missing '{key}'")
            return ""
        if isinstance(value, (_dt.date, int, float)) and not isinstance(value, bool):
            value = value.isoformat() if isinstance(value, _dt.date) else str(value)
        if not isinstance(value, str):
            self.error(line, f"'{key}' must be text")
            return ""
        return clean(value.strip())

    def sources(self, value: object, line: int) -> tuple[Source, ...]:
        if value is _UNREADABLE:
            return ()
        if value is None:
            self.error(line, "missing 'sources': every brief cites at least one source")
            return ()
        if isinstance(value, list) and not value:
            self.error(line, "a brief needs at least one source: 'sources' is empty")
            return ()
        if not isinstance(value, list):
            self.error(line, "'sources' must be a list of sources, each with id, title and file or url")
            return ()
        out: list[Source] = []
        for entry in value:
            if not isinstance(entry, dict):
                self.error(line, "each source is a mapping with id, title and file or url")
                continue
            sid = entry.get("id")
            if not isinstance(sid, str) or not SOURCE_ID_RE.match(sid):
                self.error(line, f"source id {clean_line(repr(sid))} must be a word such as S1")
                continue
            title = entry.get("title")
            if not isinstance(title, str) or not title.strip():
                self.error(line, f"source {sid} needs a title")
                continue
            file, url = entry.get("file"), entry.get("url")
            if file is None and url is None:
                self.error(line, f"source {sid} needs a file (in sources/) or a url")
            if file is not None and (
                not isinstance(file, str) or not file or "/" in file or "\\" in file or file.startswith(".")
            ):
                self.error(line, f"source {sid}: 'file' must be a plain file name in sources/")
                file = None
            if url is not None and not isinstance(url, str):
                self.error(line, f"source {sid}: 'url' must be text")
                url = None
            verified = entry.get("verified", False)
            if not isinstance(verified, bool):
                self.error(line, f"source {sid}: 'verified' must be true or false")
                verified = False
            kind = entry.get("kind", "document")
            sha256 = entry.get("sha256")
            if sha256 is not None and (not isinstance(sha256, str) or not SHA256_RE.match(sha256.strip().lower())):
                self.error(
                    line,
                    f"source {sid}: 'sha256' must be the 64 hex digits of the file's SHA-256, in quotes if all are digits",
                )
                sha256 = None
            if any(s.id == sid for s in out):
                self.error(line, f"source id {sid} is used twice")
            out.append(
                Source(
                    id=sid,
                    title=clean_line(title.strip()),
                    kind=clean_line(str(kind)),
                    file=clean_line(file) if file else None,
                    url=clean_line(url) if url else None,
                    verified=verified,
                    sha256=sha256.strip().lower() if sha256 else None,
                )
            )
        return tuple(out)

    # -- body ---------------------------------------------------------------

    def items(self, body: str, offset: int) -> dict[str, list[tuple[int, list[tuple[int, str]]]]]:
        """Raw items per pane: (first line, [(line, text), ...]), their text lines as
        :meth:`item_lines` gives them. The body is read by mdlite in one pass, and no more
        than MAX_MARKUP of its characters are read as markup: the work any file causes is
        bounded by its size."""
        from briefing.core.mdlite import Budget, blocks, reader

        panes: dict[str, list[tuple[int, list[tuple[int, str]]]]] = {p: [] for p in PANES}
        seen: set[str] = set()
        pane: str | None = None
        headed = False
        read = reader(body, Budget(MAX_MARKUP))
        count = 0
        for block in blocks(body):
            line = block.line + offset + 1
            if block.kind == "heading":
                title = read(block.text).strip()
                if block.level == 2:
                    headed = True  # an unknown section is reported once, not per item
                    pane = PANE_HEADINGS.get(title.casefold())
                    if pane is None:
                        self.error(
                            line,
                            f"unknown section '{clean_line(title)}': use Key facts, Stakeholders, Concerns or Timeline",
                        )
                    elif pane in seen:
                        self.error(line, f"section '{clean_line(title)}' appears twice")
                    else:
                        seen.add(pane)
                elif block.level != 1 and pane is None:
                    self.error(line, "only '#' and '##' headings belong in a brief")
            elif block.kind == "nested":
                self.error(
                    line, "nested lists are not part of the format; indent 'field: value' lines under the item instead"
                )
            elif block.kind == "code":
                if pane is not None:
                    self.error(line, "code blocks are not part of a pane")
            elif block.kind == "text":
                if pane is not None:
                    self.error(line, "only list items belong in a pane; start the line with '- '")
            elif block.kind == "item":
                if pane is None and not headed:
                    self.error(
                        line,
                        "a list item outside a pane: put it under ## Key facts, "
                        "## Stakeholders, ## Concerns or ## Timeline",
                    )
                if pane is None:
                    continue
                count += 1
                if count > MAX_ITEMS:
                    self.error(line, f"more than {MAX_ITEMS:,} items: this is not a brief the reader can show")
                    break
                panes[pane].append((line, self.item_lines(block, offset, read)))
            if len(self.errors) > MAX_ERRORS:
                break
        return panes

    @staticmethod
    def item_lines(block, offset: int, read: Callable[[str], str]) -> list[tuple[int, str]]:
        """An item's text lines as the reader shows them (cleaned, stripped, the empty ones
        left out), each with its line in the file. Runs of lines are read as one by ``read``
        (a paragraph: emphasis and links may span lines)."""
        out: list[tuple[int, str]] = []
        lines = block.lines
        start = 0
        for end in range(1, len(lines) + 1):
            if end < len(lines) and lines[end][0] == lines[end - 1][0] + 1:
                continue  # the run goes on; a blank line between starts a new paragraph of the item
            text = read("\n".join([text for _, text in lines[start:end]]))
            for number, line in enumerate(clean_lines(text), lines[start][0] + offset + 1):
                if shown := line.strip():
                    out.append((number, shown))
            start = end
        return out

    def build_item(
        self, pane: str, first: int, lines: list[tuple[int, str]], sources: set[str] | None, ids: dict[str, int]
    ) -> Item | None:
        if not lines:
            self.error(first, "empty item")
            return None
        citations: list[Citation] = []
        cited: set[Citation] = set()  # the same, to look up: a list is searched from its start

        # The checks "[" in, "{#" in, ":" in below skip a regular expression that cannot
        # match without that text: most lines have no id or field, and one or no citation.
        def take(line: int, text: str) -> str:
            if "[" in text:
                kept: list[str] = []  # the text between the citations
                end = 0
                for match in CITATION_RE.finditer(text):
                    kept.append(text[end : match.start()])
                    end = match.end()
                    sid, para, sent = match.group(1), int(match.group(2)), match.group(3)
                    if sources is not None and sid not in sources:  # None: the front matter failed
                        self.error(line, f"citation [{sid} ¶{para}] names a source not in 'sources'")
                    elif para < 1 or (sent is not None and int(sent) < 1):
                        self.error(line, "paragraphs and sentences are numbered from 1")
                    else:
                        citation = Citation(sid, para, int(sent) if sent else None)
                        if citation not in cited:
                            cited.add(citation)
                            citations.append(citation)
                if kept:
                    text = "".join(kept) + text[end:]
            # Of the white space characters, only " " is printable: in a printable text with
            # no "  ", no run of white space is left to make one space of.
            if "  " in text or not text.isprintable():
                text = SPACES_RE.sub(" ", text)
            return text.strip()

        head_line, head = lines[0]
        # A key fact's long statement may wrap before its fields: the lines right under it
        # (no blank line between) up to a field are more of it. (The other panes' first lines
        # are a name, a title, a date: short, and a field after their detail stays an error.)
        wrapped = 1
        while pane == Pane.FACTS and wrapped < len(lines) and lines[wrapped][0] == lines[wrapped - 1][0] + 1:
            match = FIELD_RE.match(lines[wrapped][1]) if ":" in lines[wrapped][1] else None
            if match and match.group(1) in PANE_FIELDS[pane]:
                break
            wrapped += 1
        if pane == Pane.FACTS and 1 < wrapped < len(lines) and lines[wrapped][0] == lines[wrapped - 1][0] + 1:
            head = " ".join(text for _, text in lines[:wrapped])
            lines = [(head_line, head), *lines[wrapped:]]
        explicit = EXPLICIT_ID_RE.search(head) if "{#" in head else None
        head = take(head_line, EXPLICIT_ID_RE.sub("", head) if explicit else head)
        if not head:
            self.error(head_line, "the item's first line has no text")
        fields: dict[str, str] = {}
        body: list[str] = []
        for line, text in lines[1:]:
            if "{#" in text and EXPLICIT_ID_RE.search(text):
                self.error(line, "an item id {#...} belongs on the item's first line")
                text = EXPLICIT_ID_RE.sub("", text)
            match = FIELD_RE.match(text) if ":" in text else None
            if match and body and match.group(1) in PANE_FIELDS[pane]:
                self.error(line, f"field '{match.group(1)}' must come right under the item's first line")
                continue
            if match and not body:
                name, value = match.group(1), take(line, match.group(2))
                if name not in PANE_FIELDS[pane]:
                    allowed = ", ".join(PANE_FIELDS[pane])
                    self.error(line, f"unknown field '{name}' in {pane} (allowed: {allowed})")
                elif name in fields:
                    self.error(line, f"field '{name}' given twice")
                else:
                    fields[name] = value
            else:
                body.append(take(line, text))
        detail = " ".join(filter(None, body))
        if not citations:
            self.error(head_line, "item has no citation: add one such as [S1 ¶2]")

        text_for_id = detail if pane == Pane.TIMELINE else head
        if explicit:
            item_id = explicit.group(1)
            if item_id in ids:
                self.error(head_line, f"item id '{item_id}' is used twice")
        else:
            base = item_id = slugify(text_for_id)
            # ids[base] is the last number a derived id from ``base`` took: items that
            # begin alike are numbered on from there, not by trying 2, 3, ... each time.
            number = ids.get(base, 0)
            while item_id in ids:
                number += 1
                item_id = f"{base}-{number}"
            if number:
                ids[base] = number
        ids.setdefault(item_id, 1)
        common = _ItemFields(id=item_id, line=head_line, citations=tuple(citations), drafted=fields.get("drafted"))

        if pane == Pane.FACTS:
            if detail:
                head = f"{head} {detail}"
            return Fact(statement=head, figure=fields.get("figure"), according_to=fields.get("according to"), **common)
        if pane == Pane.STAKEHOLDERS:
            stance = fields.get("stance", "unknown").lower()
            if stance not in STANCES:
                self.error(head_line, f"stance '{stance}' is not one of {', '.join(STANCES)}")
            if not detail:
                self.error(head_line, "a stakeholder needs a line of what they did or said")
            return Stakeholder(
                name=head,
                kind=fields.get("kind", "unknown"),
                stance=stance,
                role=detail,
                explicit=bool(explicit),
                **common,
            )
        if pane == Pane.CONCERNS:
            if "raised by" not in fields:
                self.error(head_line, "a concern needs 'raised by:' (who raised it)")
            return Concern(
                title=head,
                category=fields.get("category", "other"),
                raised_by=fields.get("raised by", "unknown"),
                detail=detail,
                **common,
            )
        sort = fields.get("sort")
        if sort is not None and not DATE_RE.match(sort):
            self.error(head_line, f"'sort: {sort}' must be a date such as 2020 or 2020-03")
        if not detail:
            self.error(head_line, "a timeline entry is a date line, then the event")
        if DATE_RE.match(head) is None and re.match(r"^\d{4}\b", head) and not sort:
            self.error(head_line, f"'{head}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD); write fuzzy dates in words")
        return Event(when=When.parse(head, sort), event=detail, sort=sort, **common)

    def run(self) -> Brief:
        length = self.text.count("\n") + 1
        if length > MAX_LINES:
            self.error(1, f"{length:,} lines: a brief has at most {MAX_LINES:,}")
            raise self.fail()
        parts = self.split()
        if parts is None:
            raise self.fail()
        front, body, offset = parts
        loaded = self.load_yaml(front)
        if loaded is None:
            # The front matter cannot be read: its problem is reported, and so is every
            # problem of the body (citations cannot be matched to sources not known).
            self.front_failed = True
            loaded = ({}, {})
        data, lines = loaded
        at = lambda key: lines.get(key, 1)  # noqa: E731

        known = {"id", "title", "date", "status", "tags", "sources", "summary"}
        for key in data:
            if key not in known:
                self.error(at(str(key)), f"unknown front matter key '{clean_line(str(key))}'")
        brief_id = self.string(data, "id", at("id"), required=False) or self.id_default
        if not ID_RE.match(brief_id):
            self.error(
                at("id"), f"brief id '{clean_line(brief_id)}' must be lower-case letters, digits, '.', '_' or '-'"
            )
        if self.front_failed:
            self.errors, errors = [], self.errors
        title = clean_line(self.string(data, "title", at("title")))
        date = self.string(data, "date", at("date"))
        if date and not DATE_RE.match(date):
            self.error(at("date"), f"date '{date}' must be YYYY-MM-DD, YYYY-MM or YYYY")
        status = self.string(data, "status", at("status"))
        if status and status not in STATUSES:
            self.error(at("status"), f"status '{status}' is not one of {', '.join(STATUSES)}")
        tags = data.get("tags", [])
        if tags is _UNREADABLE:
            tags = []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.error(at("tags"), "'tags' must be a list such as [policing, ai]")
            tags = []
        summary = self.string(data, "summary", at("summary"))
        sources = self.sources(data.get("sources"), at("sources"))

        if self.front_failed:
            self.errors = errors  # what is missing is not reported: it may be in what failed
        raw = self.items(body, offset)
        source_ids = {s.id for s in sources} if not self.front_failed else None
        ids: dict[str, int] = {}
        built: dict[str, list] = {p: [] for p in PANES}
        for pane in PANES:
            for first, lines_ in raw[pane]:
                if len(self.errors) > MAX_ERRORS:
                    break
                item = self.build_item(pane, first, lines_, source_ids, ids)
                if item is not None:
                    built[pane].append(item)
        brief = Brief(
            id=brief_id,
            title=title,
            date=date,
            status=status,
            tags=tuple(clean_line(t.strip()) for t in tags),
            summary=summary,
            sources=sources,
            facts=tuple(built[Pane.FACTS]),
            stakeholders=tuple(built[Pane.STAKEHOLDERS]),
            concerns=tuple(built[Pane.CONCERNS]),
            timeline=tuple(built[Pane.TIMELINE]),
            path=clean_line(self.file),
        )
        if self.errors:
            # ``check`` goes on with what could be read (citations, claims): every problem
            # of a brief is reported in one pass.
            error = self.fail()
            error.partial = brief
            raise error
        return brief


# How many characters that open a collection a front matter may hold to be composed at once
# (see _composed_at_once): some hundred times what a brief's holds.
QUICK_OPENERS = 100


def _composed_at_once(yaml, front: str, loader_cls):
    """The front matter's node, composed without a first pass over its events, when that
    pass could find nothing: no anchor or alias (neither needs checking without an "&" or
    "*" in the text), and collections nested no deeper than MAX_YAML_DEPTH (checked on the
    nodes). Else None, and the front matter is read the careful way, which says what is
    wrong as before; so it is too when the YAML has an error, whatever it is.

    Each collection is opened by a character of its own (a "[" or "{", or a "-", "?" or
    ":" indicator), so counting those bounds how deep the composer, written in C, can
    recurse before the depth is known. The careful way parses the text twice; this, once."""
    if "&" in front or "*" in front or sum(map(front.count, "[{-?:")) > QUICK_OPENERS:
        return None
    try:
        node = yaml.compose(front, Loader=loader_cls)
    except Exception:  # noqa: BLE001 - the careful way reports it
        return None
    if node is None or _depth(yaml, node) > MAX_YAML_DEPTH:
        return None
    return node


def _depth(yaml, node) -> int:
    """How deep collections nest in a composed node (a scalar: 0)."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack += [(child, level + 1) for child in node.value]
        elif isinstance(node, yaml.MappingNode):
            stack += [(child, level + 1) for pair in node.value for child in pair]
        else:
            continue
        deepest = max(deepest, level)
    return deepest


_UNREADABLE = object()  # a front matter value reported as unreadable: not reported again


class _BadValue(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _construct(yaml, node):
    """The front matter's value; a value YAML can read but not build (a date such as
    2020-02-30, a number too long) raises _BadValue at the line of its key."""
    try:
        return yaml.SafeLoader("").construct_document(node)
    except (ValueError, OverflowError, TypeError) as exc:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        for key_node, value_node in pairs:
            try:
                yaml.SafeLoader("").construct_document(value_node)
            except (ValueError, OverflowError, TypeError):
                name = clean_line(str(key_node.value))
                raise _BadValue(
                    key_node.start_mark.line + 2,
                    f"'{name}' has a value that cannot be read: {clean_line(str(exc))[:80]}",
                ) from None
            except Exception:  # noqa: BLE001 - a YAML error in another value, reported as such
                continue
        raise _BadValue(2, f"a value cannot be read: {clean_line(str(exc))[:80]}") from None
