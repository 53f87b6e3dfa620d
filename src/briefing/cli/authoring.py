"""The authoring commands: ``source add``, ``source show``, ``new`` and ``draft``."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.core.sources import SourceDocument

from briefing import paths
from briefing.core.errors import BriefError
from briefing.core.safe import clean_line


def source_add(
    libraries: list[Path],
    file: Path,
    source_id: str | None,
    name: str | None,
    force: bool,
    named: bool = False,
) -> int:
    """Take FILE into the library's sources/ and say how to cite it. ``named``: --library
    named the library, as it must to write into the bundled one."""
    from briefing.authoring.ingest import add_source
    from briefing.core.parse import SOURCE_ID_RE, BriefError

    library = writable_library(libraries, named)
    if isinstance(library, str):
        return _fail(library)
    sid = source_id or "S1"
    if not SOURCE_ID_RE.match(sid):
        return _fail(f"--id {clean_line(sid)!r} must be a word such as S2")
    try:
        added = add_source(library, file, name=name, force=force)
    except BriefError as exc:
        return _fail(str(exc))
    count = f"{added.paragraphs} paragraph{'s' * (added.paragraphs != 1)}"
    where = clean_line(str(added.path))
    if added.reused:
        print(f"{clean_line(file.name)} is in the library already, as {where} ({count}); nothing was written")
    else:
        print(f"wrote {where} ({count}) from {clean_line(file.name)}")
    print("To cite it, list it under sources: in a brief's front matter:")
    print(front_matter_entry(sid, added.title, added.name, added.sha256), end="")
    show = ["briefing", "source", "show", added.name, "--library", str(library)]
    print(f"Its paragraphs and sentences, numbered as citations count them: {shlex.join(show)}")
    return 0


def front_matter_entry(source_id: str, title: str, file: str, sha256: str) -> str:
    """The lines to paste under ``sources:`` in a brief's front matter, indented for it."""
    import yaml

    entry = {"id": source_id, "title": title, "file": file, "sha256": sha256}
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1_000_000)
    return "".join(f"  {line}\n" for line in text.splitlines())


# What ``source show`` converts in memory rather than reads as a source.
_CONVERTED = (".md", ".markdown", ".html", ".htm", ".xhtml", ".pdf")


def source_show(libraries: list[Path], file: str) -> int:
    """Print a source with every paragraph and sentence numbered as citations count them.
    FILE is a name in a library's sources/, or any path: a text source is read as it is;
    a document of another kind is shown as it would be numbered once added (nothing is
    written)."""
    from briefing.authoring.ingest import convert_document
    from briefing.core.parse import BriefError, read_text
    from briefing.core.sources import SourceDocument, load_source

    note = ""
    try:
        found = _in_sources(libraries, file)
        if found is not None:
            document = load_source(found, file)
        else:
            path = Path(file)
            if path.suffix.lower() in _CONVERTED:
                converted = convert_document(path)
                document = SourceDocument(str(path), tuple(converted.paragraphs), (("title", converted.title),))
                note = " (as it would be numbered once added; nothing is written)"
            else:
                if path.is_dir():
                    return _fail(f"{clean_line(file)}: is a folder; name a source file in it")
                if not path.exists() and not path.is_symlink():
                    return _fail(f"{clean_line(file)}: no such source (not in sources/ of the library, nor a file)")
                document = SourceDocument.from_text(read_text(path), str(path))
    except BriefError as exc:
        return _fail(str(exc))
    print(_numbered(document, note))
    return 0


def _in_sources(libraries: list[Path], name: str) -> Path | None:
    """The library whose sources/ holds a file called ``name`` (a plain name), if one does."""
    from briefing import paths

    if not name or "/" in name or os.sep in name or name in (".", ".."):
        return None
    for library in libraries:
        candidate = paths.sources_dir(library) / name
        if candidate.is_file() or candidate.is_symlink():
            return library
    return None


def _numbered(document: SourceDocument, note: str = "") -> str:
    """The document, each paragraph and each sentence numbered, wrapped to the terminal."""
    width = max(40, shutil.get_terminal_size((80, 24)).columns)
    count = len(document.paragraphs)
    sentences = [document.sentences(n) for n in range(1, count + 1)]
    total = sum(len(s) for s in sentences)
    lines = [
        f"{clean_line(document.path)}{note}: {count} paragraph{'s' * (count != 1)}, "
        f"{total} sentence{'s' * (total != 1)}"
    ]
    title = dict(document.header).get("title")
    if title:
        lines.append(f"title: {clean_line(title)}")
    for number, parts in enumerate(sentences, start=1):
        lines.append("")
        lines.append(f"¶{number}  ({len(parts)} sentence{'s' * (len(parts) != 1)})")
        for index, sentence in enumerate(parts, start=1):
            prefix = f"  ¶{number}.{index}  "
            lines.append(
                textwrap.fill(
                    sentence,
                    width=width,
                    initial_indent=prefix,
                    subsequent_indent=" " * len(prefix),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
    return "\n".join(lines)


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
    """The one library to write into, or why not: never several at once, and the bundled
    library only when ``--library`` named it."""
    if len(libraries) != 1:
        return f"{len(libraries)} libraries are given; name the one to write into: --library DIR"
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
            f"drafted {_count(len(items.facts), 'key fact')}, {_count(len(items.stakeholders), 'stakeholder')}, "
            f"{_count(len(items.concerns), 'concern')} and {_count(len(items.events), 'timeline entry')}; "
            "check each against its source, then delete its 'drafted:' line",
            file=sys.stderr,
        )
    return 0


def _count(number: int, thing: str) -> str:
    plural = thing[:-1] + "ies" if thing.endswith("y") else thing + "s"
    return f"{number} {thing if number == 1 else plural}"


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
    from briefing.authoring.ingest import write_atomically

    write_atomically(target, text.encode("utf-8"))
