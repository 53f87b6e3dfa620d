"""The error every part of the core reports a problem in a brief with."""

from __future__ import annotations

from briefing.core.safe import clean_line


class BriefError(Exception):
    """A problem in a brief, at a line of its file (1-based; 0 when it is the whole file).

    ``others`` holds the further problems found in the same file, so that ``check`` can
    report them all; ``all`` is this one and the others."""

    def __init__(self, file: str, line: int, message: str, others: list[BriefError] | None = None) -> None:
        self.file = clean_line(file)
        self.line = line
        self.message = clean_line(message)
        self.others: list[BriefError] = others or []
        # What the parser could build in spite of the problems, for ``check`` to go on with
        # (citations, claims); a Brief, or None.
        self.partial: object = None
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def __repr__(self) -> str:
        return f"BriefError({self.file!r}, {self.line}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BriefError):
            return NotImplemented
        return (self.file, self.line, self.message) == (other.file, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.file, self.line, self.message))

    @property
    def all(self) -> list[BriefError]:
        return [self, *self.others]
