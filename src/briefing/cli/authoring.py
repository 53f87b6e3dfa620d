"""The authoring commands: ``source add``, ``source show``, ``new`` and ``draft``."""

from __future__ import annotations

import sys
from pathlib import Path


def _not_yet(name: str) -> int:
    print(f"briefing: '{name}' is not available yet", file=sys.stderr)
    return 2


def source_add(libraries: list[Path], file: Path, source_id: str | None, name: str | None, force: bool) -> int:
    return _not_yet("source add")


def source_show(libraries: list[Path], file: str) -> int:
    return _not_yet("source show")


def new_brief(libraries: list[Path], brief_id: str, sources: list[str], title: str | None, force: bool) -> int:
    return _not_yet("new")


def draft_brief(libraries: list[Path], brief_id: str, sources: list[str], title: str | None, force: bool) -> int:
    return _not_yet("draft")
