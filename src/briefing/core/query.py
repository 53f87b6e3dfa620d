"""The search language, read into an FTS5 expression and filters that cannot inject syntax.

What a reader types (docs/design.md §10):

- words: all must match (``pandemic contract``), stemmed ("police" finds "policing"), case-
  and diacritic-insensitive ("zoe" finds "Zoë");
- ``"a phrase"``; ``prefix*``; ``a OR b``; ``-word`` or ``-"a phrase"`` leaves out what has it;
- filters: ``pane:concerns``, ``tag:ai``, ``status:draft``, ``stakeholder:khan``,
  ``source:S1``, ``after:2024-01``, ``before:2025`` (a value may be quoted).

Every word reaches FTS5 as a quoted string (a ``"`` inside doubled), so nothing typed is
ever read as FTS5 syntax: ``NEAR(``, ``^``, ``col:`` and stray quotes are only text. A word
with no letter or digit in it is dropped (FTS5 would find nothing for it anyway).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from briefing.core.enums import PANES

MAX_QUERY = 2000  # characters of a query read; the rest is ignored (and said so)
MAX_TERMS = 32  # words, phrases and filters read from one query

FILTERS = ("pane", "tag", "status", "stakeholder", "source", "after", "before")
# What pane: accepts beyond the four panes: the brief itself, its sources, the reader's notes.
PANE_WORDS = {
    **{p.value: p.value for p in PANES},
    "fact": "facts",
    "stakeholder": "stakeholders",
    "people": "stakeholders",
    "concern": "concerns",
    "event": "timeline",
    "events": "timeline",
    "brief": "brief",
    "summary": "brief",
    "source": "source",
    "sources": "source",
    "note": "notes",
    "notes": "notes",
}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class Query:
    """A query as read: the FTS5 expression of its words (None when it has none) and its
    filters. ``problems`` says what was ignored, in words for the reader."""

    text: str = ""
    match: str | None = None
    exclude: str | None = None  # FTS5 expression of the left-out words (for a query of only those)
    panes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    stakeholders: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    after: str | None = None
    before: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.match is None and self.exclude is None and not self.has_filters

    @property
    def has_filters(self) -> bool:
        return bool(
            self.panes or self.tags or self.statuses or self.stakeholders or self.sources or self.after or self.before
        )


def fold(text: str) -> str:
    """Text as the index compares names and tags: case and diacritics gone, runs of
    anything but letters and digits one space (``Zoë  O'Brien`` → ``zoe o brien``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in bare).split())


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')
# A NUL ends an FTS5 expression early, and a lone surrogate (a command-line argument that
# was not UTF-8) cannot be given to SQLite: both are read as a space.
_UNSAYABLE = re.compile("[\x00\ud800-\udfff]")


def parse_query(text: str, typing: bool = False) -> Query:
    """Read ``text`` (anything a user typed or pasted) into a :class:`Query`.

    ``typing``: the text is being typed (the search screen searches at every key), so its
    last word, when nothing follows it, is read as a prefix: "pand" already finds "pandemic"."""
    text = _UNSAYABLE.sub(" ", text)
    query = Query(text=text)
    if len(text) > MAX_QUERY:
        query.problems.append(f"only the first {MAX_QUERY:,} characters of the query are used")
        text = text[:MAX_QUERY]
    groups: list[list[str]] = []  # OR-groups of positive terms, all of which must match
    negatives: list[str] = []
    pending_or = False
    terms = 0
    for match in _TOKEN.finditer(text):
        if terms >= MAX_TERMS:
            query.problems.append(f"only the first {MAX_TERMS} words of the query are used")
            break
        minus, name, phrase, word = match.groups()
        name = (name or "").lower()
        if name and name not in FILTERS:  # "10:30", "https://…": words, not filters
            word = f"{match.group(2)}:{phrase if phrase is not None else word}"
            phrase, name = None, ""
        if name:
            terms += 1
            _filter(query, name, phrase if phrase is not None else word or "")
            continue
        if phrase is None and word == "OR" and not minus:
            pending_or = bool(groups)
            continue
        if phrase is not None:
            term = _quoted(phrase) if _has_word(phrase) else None
        else:
            assert word is not None
            prefix = word.endswith("*") or (typing and not minus and match.end() == len(text))
            stem = word.rstrip("*")
            term = (_quoted(stem) + ("*" if prefix else "")) if _has_word(stem) else None
        if term is None:
            continue
        terms += 1
        if minus:
            negatives.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if groups:
        query.match = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    if negatives:
        query.exclude = " OR ".join(negatives)
        if query.match is not None:
            query.match = f"({query.match}) NOT ({query.exclude})"
    return query


def _filter(query: Query, name: str, value: str) -> None:
    value = value.strip()
    if not value:
        query.problems.append(f"{name}: needs a value")
        return
    if name == "pane":
        pane = PANE_WORDS.get(value.casefold())
        if pane is None:
            choices = ", ".join([*PANES, "brief", "source", "notes"])
            query.problems.append(f"pane: is one of {choices}")
        else:
            query.panes.append(pane)
    elif name == "tag":
        query.tags.append(value.casefold().lstrip("#"))
    elif name == "status":
        query.statuses.append(value.casefold())
    elif name == "stakeholder":
        if _has_word(value):
            query.stakeholders.append(fold(value))
    elif name == "source":
        query.sources.append(value)
    elif name in ("after", "before"):
        if not _DATE.match(value):
            query.problems.append(f"{name}: takes a date: YYYY, YYYY-MM or YYYY-MM-DD")
        elif name == "after":
            query.after = value
        else:
            query.before = value
