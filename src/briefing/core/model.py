"""The domain model of a brief: frozen dataclasses, no Textual, no I/O.

What a reader adds (notes and bookmarks) is in :mod:`briefing.core.marks`, which the notes
store loads at start-up without this module."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from briefing.core.enums import PANES, Pane
from briefing.core.marks import Draft, Mark

STANCES = ("supports", "opposes", "neutral", "unknown")
STATUSES = ("draft", "review", "published", "archived")


@dataclass(frozen=True)
class Citation:
    """A pointer into a source: ``[S1 ¶3]`` or ``[S1 ¶3.2]`` (paragraph 3, sentence 2)."""

    source: str
    paragraph: int
    sentence: int | None = None

    def __str__(self) -> str:
        where = f"{self.paragraph}" + (f".{self.sentence}" if self.sentence else "")
        return f"[{self.source} ¶{where}]"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str = "document"
    file: str | None = None
    url: str | None = None
    verified: bool = False
    # The SHA-256 of the source file when the brief was written against it (the tools
    # write it): `check` says when the file changed since, and which citations moved.
    sha256: str | None = None

    @property
    def verification(self) -> str:
        """How far the source can be trusted, in one word for the reader."""
        return "verified" if self.verified else "unverified"


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class When:
    """A timeline date: exact (2020-03-23), partial (2020, 2020-03) or fuzzy (any words)."""

    text: str
    key: tuple[int, int, int] | None = None  # sort key for exact and partial dates

    @classmethod
    def parse(cls, text: str, sort: str | None = None) -> When:
        match = _DATE_RE.match(text.strip())
        if match is None and sort:
            match = _DATE_RE.match(sort.strip())
        if match is None:
            return cls(text.strip())
        year, month, day = (int(g) if g else 0 for g in match.groups())
        return cls(text.strip(), (year, month, day))

    @property
    def fuzzy(self) -> bool:
        return self.key is None


@dataclass(frozen=True)
class Item:
    """What every pane item has: a stable id, where it was written, and its citations."""

    pane: ClassVar[str] = ""
    label_fields: ClassVar[tuple[str, ...]] = ()  # the fields (by name) that `label` shows
    id: str
    line: int
    citations: tuple[Citation, ...]
    # Set while the item is as `briefing draft` proposed it (its `drafted:` line, which says
    # what it was drawn from); an author removes the line to accept the item.
    drafted: str | None = None

    @property
    def label(self) -> str:
        """One line for a list."""
        raise NotImplementedError

    @property
    def quote(self) -> str:
        """The item's text as written, kept with a note to re-anchor it later."""
        raise NotImplementedError

    def fields(self) -> list[tuple[str, str]]:
        """Name and value of every field, for the detail view and ``briefing show``."""
        raise NotImplementedError


@dataclass(frozen=True)
class Fact(Item):
    pane: ClassVar[Pane] = Pane.FACTS
    label_fields: ClassVar[tuple[str, ...]] = ("Fact", "Figure", "According to")
    statement: str = ""
    figure: str | None = None
    # Who asserts it (`according to:`): the fact is kept as their claim, "X says: ...".
    according_to: str | None = None

    @property
    def claim(self) -> str:
        """The statement as the reader shows it: a claim names who makes it."""
        if not self.according_to:
            return self.statement
        return f"{self.according_to} {'say' if _plural(self.according_to) else 'says'}: {self.statement}"

    @property
    def label(self) -> str:
        return f"{self.figure} · {self.claim}" if self.figure else self.claim

    @property
    def quote(self) -> str:
        return self.statement

    def fields(self) -> list[tuple[str, str]]:
        rows = [("Fact", self.claim)]
        if self.figure:
            rows.append(("Figure", self.figure))
        if self.according_to:
            rows.append(("According to", self.according_to))
        return rows


def _plural(who: str) -> bool:
    """Whether ``who`` names many ("critics", "the police", "local residents"), to agree a
    verb with: a last word in -s that is not a name ("Mr Jones", "the Home Office")."""
    words = who.split()
    if not words:
        return False
    last = words[-1].strip(".,;:()").casefold()
    if last in ("police", "people", "public", "staff", "government"):
        return last != "government" and last != "public"
    named = words[-1][:1].isupper() and len(words) > 1 and words[0].casefold() not in ("the", "some", "many")
    return last.endswith("s") and not last.endswith(("ss", "us", "is", "'s", "’s")) and not named


@dataclass(frozen=True)
class Stakeholder(Item):
    pane: ClassVar[Pane] = Pane.STAKEHOLDERS
    label_fields: ClassVar[tuple[str, ...]] = ("Name", "Kind", "Stance")
    name: str = ""
    kind: str = "unknown"
    stance: str = "unknown"
    role: str = ""
    # The author gave the id ({#mayor}): the same id in another brief is the same person or
    # body (the people view matches on it before it compares names).
    explicit: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.kind}, {self.stance})"

    @property
    def quote(self) -> str:
        return f"{self.name}: {self.role}" if self.role else self.name

    def fields(self) -> list[tuple[str, str]]:
        return [("Name", self.name), ("Kind", self.kind), ("Stance", self.stance), ("Role", self.role)]


@dataclass(frozen=True)
class Concern(Item):
    pane: ClassVar[Pane] = Pane.CONCERNS
    label_fields: ClassVar[tuple[str, ...]] = ("Concern", "Category")
    title: str = ""
    category: str = "other"
    raised_by: str = "unknown"
    detail: str = ""

    @property
    def label(self) -> str:
        return f"{self.title} [{self.category}]"

    @property
    def quote(self) -> str:
        return f"{self.title}: {self.detail}" if self.detail else self.title

    def fields(self) -> list[tuple[str, str]]:
        return [
            ("Concern", self.title),
            ("Category", self.category),
            ("Raised by", self.raised_by),
            ("Detail", self.detail),
        ]


@dataclass(frozen=True)
class Event(Item):
    pane: ClassVar[Pane] = Pane.TIMELINE
    label_fields: ClassVar[tuple[str, ...]] = ("When", "Event")
    when: When = field(default_factory=lambda: When("undated"))
    event: str = ""
    sort: str | None = None  # the `sort:` date a fuzzy entry is placed by, as written

    @property
    def label(self) -> str:
        return f"{self.when.text} · {self.event}"

    @property
    def quote(self) -> str:
        return f"{self.when.text}: {self.event}"

    def fields(self) -> list[tuple[str, str]]:
        rows = [("Event", self.event), ("When", self.when.text)]
        if self.sort:
            rows.append(("Sort", self.sort))
        return rows


def chronological(events: tuple[Event, ...] | list[Event]) -> list[Event]:
    """Events in date order; a fuzzy or undated entry stays after the entry the author put
    before it (or first, if the author put it first), so authors place fuzzy dates by order."""
    groups: list[tuple[tuple[int, int, int] | None, int, list[Event]]] = [(None, -1, [])]
    for index, event in enumerate(events):
        if event.when.fuzzy:
            groups[-1][2].append(event)
        else:
            groups.append((event.when.key, index, [event]))
    head, rest = groups[0], groups[1:]
    rest.sort(key=lambda g: (g[0], g[1]))
    return head[2] + [e for g in rest for e in g[2]]


@dataclass(frozen=True)
class Brief:
    id: str
    title: str
    date: str
    status: str
    tags: tuple[str, ...]
    summary: str
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    concerns: tuple[Concern, ...] = ()
    timeline: tuple[Event, ...] = ()
    path: str = ""

    def pane(self, name: str) -> Sequence[Item]:
        if name == Pane.TIMELINE:
            return chronological(self.timeline)
        return getattr(self, name)

    def items(self) -> Iterator[Item]:
        for name in PANES:
            yield from getattr(self, name)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items() if i.id == item_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def counts(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in PANES}


def reading_order(mark: Mark | Draft, title: str) -> tuple:
    """Where ``mark`` goes in a list of the marks of many briefs (the notebook, an export):
    by its brief's ``title``, then in pane order, the oldest first, a draft after the marks
    of its pane."""
    pane = PANES.index(mark.pane) if mark.pane in PANES else -1
    if isinstance(mark, Draft):
        return (title.casefold(), mark.brief, pane, 1, mark.updated, mark.item or "")
    return (title.casefold(), mark.brief, pane, 0, mark.created, mark.id)
