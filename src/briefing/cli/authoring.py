"""The authoring commands: ``source add``, ``source show``, ``new`` and ``draft``."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.safe import clean_line

if TYPE_CHECKING:
    from briefing.core.sources import SourceDocument


def _not_yet(name: str) -> int:
    print(f"briefing: '{name}' is not available yet", file=sys.stderr)
    return 2


def _fail(message: str) -> int:
    print(f"briefing: {message}", file=sys.stderr)
    return 2


def source_add(
    libraries: list[Path],
    file: Path,
    source_id: str | None,
    name: str | None,
    force: bool,
    named: bool = False,
) -> int:
    """Take FILE into the library's sources/ and say how to cite it. ``named``: the library
    was named (``--library`` or ``$BRIEFING_LIBRARY``), as it must be to write into the
    bundled one."""
    from briefing.authoring.ingest import add_source
    from briefing.core.parse import SOURCE_ID_RE, BriefError

    if len(libraries) != 1:
        return _fail(f"{len(libraries)} libraries are given; name the library to add to: --library D")
    library = libraries[0]
    if not named and _is_bundled(library):
        return _fail("name the library to add to: --library D")
    if not library.is_dir():
        return _fail(f"no such library folder: {clean_line(str(library))}")
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
    show = ["briefing", "source", "show", added.name]
    if named:
        show += ["--library", str(library)]
    print(f"Its paragraphs and sentences, numbered as citations count them: {shlex.join(show)}")
    return 0


def front_matter_entry(source_id: str, title: str, file: str, sha256: str) -> str:
    """The lines to paste under ``sources:`` in a brief's front matter, indented for it."""
    import yaml

    entry = {"id": source_id, "title": title, "file": file, "sha256": sha256}
    text = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1_000_000)
    return "".join(f"  {line}\n" for line in text.splitlines())


def _is_bundled(library: Path) -> bool:
    from briefing import paths

    try:
        return library.exists() and library.samefile(paths.bundled_library())
    except (FileNotFoundError, OSError):
        return False


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


def new_brief(libraries: list[Path], brief_id: str, sources: list[str], title: str | None, force: bool) -> int:
    return _not_yet("new")


def draft_brief(libraries: list[Path], brief_id: str, sources: list[str], title: str | None, force: bool) -> int:
    return _not_yet("draft")
