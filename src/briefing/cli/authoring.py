"""The authoring commands: ``source add``, ``source show``, ``new`` and ``draft``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from briefing import paths
from briefing.core.errors import BriefError
from briefing.core.safe import clean_line


def _not_yet(name: str) -> int:
    print(f"briefing: '{name}' is not available yet", file=sys.stderr)
    return 2


def source_add(libraries: list[Path], file: Path, source_id: str | None, name: str | None, force: bool) -> int:
    return _not_yet("source add")


def source_show(libraries: list[Path], file: str) -> int:
    return _not_yet("source show")


def new_brief(
    libraries: list[Path], brief_id: str, sources: list[str], title: str | None, force: bool, *, named: bool = False
) -> int:
    """``briefing new``: a brief skeleton citing the sources, with empty panes."""
    return _write_brief(libraries, brief_id, sources, title, force, named=named, drafting=False)


def draft_brief(
    libraries: list[Path], brief_id: str, sources: list[str], title: str | None, force: bool, *, named: bool = False
) -> int:
    """``briefing draft``: the skeleton plus candidate items drawn from the sources."""
    return _write_brief(libraries, brief_id, sources, title, force, named=named, drafting=True)


def _fail(message: str) -> int:
    print(f"briefing: {clean_line(message)}", file=sys.stderr)
    return 2


def writable_library(libraries: list[Path], named: bool) -> Path | str:
    """The library to write into (the first given), or why not: the bundled library only
    when it was named with --library."""
    target = libraries[0]
    try:
        bundled = paths.bundled_library()
    except FileNotFoundError:
        bundled = None
    if bundled is not None and not named and os.path.realpath(target) == os.path.realpath(bundled):
        return "will not write into the bundled library: name a library with --library DIR"
    if not target.is_dir():
        return f"no such library folder: {target}"
    return target


def _write_brief(
    libraries: list[Path],
    brief_id: str,
    files: list[str],
    title: str | None,
    force: bool,
    *,
    named: bool,
    drafting: bool,
) -> int:
    import datetime as _dt

    from briefing.authoring.draft import DraftSource, draft, render
    from briefing.core.parse import ID_RE, parse_brief

    if not ID_RE.match(brief_id):
        return _fail(f"brief id '{brief_id}' must be lower-case letters, digits, '.', '_' or '-'")
    library = writable_library(libraries, named)
    if isinstance(library, str):
        return _fail(library)
    target = paths.brief_file(library, brief_id)
    if (target.exists() or target.is_symlink()) and not force:
        return _fail(f"{target} exists already (--force replaces it)")
    if title is not None and not clean_line(title).strip():
        return _fail("--title is empty")
    taken: list[DraftSource] = []
    try:
        for number, given in enumerate(files, start=1):
            taken.append(_source(library, given, f"S{number}"))
    except BriefError as exc:
        return _fail(f"{exc.file}: {exc.message}" if exc.file else exc.message)
    brief_title = title if title is not None else (taken[0].title if taken else brief_id)
    items = draft(taken) if drafting else None
    text = render(brief_id, brief_title, taken, _dt.date.today(), items)
    try:
        parse_brief(text, str(target), brief_id)
    except BriefError as exc:  # a fault of ours, never of the source: say so, write nothing
        return _fail(f"the drafted brief does not read back ({exc.message}); nothing was written")
    _write_text(target, text)
    print(clean_line(str(target)))
    if items is not None:
        print(
            f"drafted {len(items.facts)} key facts, {len(items.stakeholders)} stakeholders, "
            f"{len(items.concerns)} concerns and {len(items.events)} timeline entries; check each against its "
            "source, then delete its 'drafted:' line",
            file=sys.stderr,
        )
    return 0


def _source(library: Path, given: str, source_id: str):  # -> DraftSource
    """A --source: a name already in the library's sources/, else a document to take in."""
    from briefing.authoring.draft import DraftSource
    from briefing.authoring.ingest import add_source
    from briefing.core.sources import load_source

    folder = paths.sources_dir(library)
    plain_name = given and "/" not in given and os.sep not in given and given not in (".", "..")
    inside = Path(given).expanduser()
    if not plain_name and inside.is_file() and os.path.realpath(inside.parent) == os.path.realpath(folder):
        given, plain_name = inside.name, True  # a path to a file of sources/ already: that name
    if plain_name and (folder / given).is_file():
        name = given
        document = load_source(library, name)
        header = dict(document.header)
        title = header.get("title") or Path(name).stem
        kind = header.get("kind") or "document"
    else:
        file = Path(given).expanduser()
        if not file.is_file():
            raise BriefError(given, 0, "no such file, nor a source of that name in the library's sources/")
        added = add_source(library, file)
        name, title, kind = added.name, added.title, "document"
        document = load_source(library, name)
    if document.sha256 is None:
        raise BriefError(name, 0, "cannot read the source file")
    return DraftSource(source_id, title, name, document.sha256, document, kind)


def _write_text(target: Path, text: str) -> None:
    """Write the brief whole or not at all (a temporary file beside it, then renamed)."""
    temp = paths.temp_file(target, os.getpid(), os.urandom(4).hex())
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
