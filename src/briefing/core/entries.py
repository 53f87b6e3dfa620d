"""What the library knows of each file: a brief's summary, or the error that kept it out."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from briefing.core.errors import BriefError

if TYPE_CHECKING:
    from briefing.core.model import Brief


def hashtags(tags: tuple[str, ...]) -> str:
    """Tags as the reader shows them: ``#policing #ai``."""
    return " ".join(f"#{tag}" for tag in tags)


class BriefSummary(NamedTuple):
    """What the library list shows of a brief, cheap to keep for 10,000 of them."""

    id: str
    title: str
    date: str
    status: str
    tags: tuple[str, ...]
    counts: tuple[int, ...]  # facts, stakeholders, concerns, timeline

    @classmethod
    def of(cls, brief: Brief) -> BriefSummary:
        return cls(brief.id, brief.title, brief.date, brief.status, brief.tags, tuple(brief.counts().values()))

    def haystack(self) -> str:
        return " ".join((self.id, self.title, self.date, self.status, *self.tags)).casefold()


class Entry(NamedTuple):
    """One file of the library: a summary, or the error that kept it from loading."""

    path: str
    library: str
    summary: BriefSummary | None = None
    error: BriefError | None = None
    recheck: bool = False  # the error may go when a source file changes: read it again each scan

    @property
    def sort_key(self) -> tuple:
        if self.summary is None:
            return (1, "", self.path)
        return (0, _neg(self.summary.date), self.summary.title.casefold())

    def haystack(self) -> str:
        if self.summary is not None:
            return self.summary.haystack()
        return f"{self.path} {self.error}".casefold()


def _neg(date: str) -> str:
    """A key that sorts dates newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)
