"""The design the project cites is its own: docs/design.md, section by section.

Code, tests and documents cite the design as ``docs/design.md §N``. No file may cite a design
document that is not in the repository (an upper-case DESIGN, a DESIGN.md, or a design.md
outside docs/), and every section cited must exist, so that a citation always leads
somewhere a reader of this repository can go.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESIGN_DOC = ROOT / "docs/design.md"

# Where citations are looked for: the package, the tests, the documents, the benchmarks.
SCANNED = ("src", "tests", "docs", "briefs", "benchmarks", "README.md", "pyproject.toml", ".ci/run")
SUFFIXES = (".py", ".md", ".toml", ".tcss", ".txt", ".yaml", ".yml", ".cfg", ".ini", ".sh")
SKIPPED_FOLDERS = {".venv", "__pycache__", "__snapshots__", ".git", "out", "build", "dist"}

# This file names the patterns it looks for, so it is not searched for them.
THIS = "tests/test_docs.py"

# Files whose citations are still to be moved over, each with the reason. An entry must
# name a file that exists and still needs it: test_pending_files_still_need_it says when
# one can go.
PENDING: dict[str, str] = {}

CITATION = re.compile(r"docs/design\.md\s*§\s*(\d+)")
OWN_DOC = re.compile(r"docs/design\.md")
# After every mention of docs/design.md is taken out: an upper-case DESIGN (the outside
# document's short name), or a design.md, or "design §N", anywhere.
OUTSIDE = [
    re.compile(r"\bDESIGN\b"),
    re.compile(r"\bdesign\.md\b", re.IGNORECASE),
    re.compile(r"\bdesign\s*§", re.IGNORECASE),
]
SECTION = re.compile(r"^## (\d+)\. \S", re.MULTILINE)


def files() -> list[Path]:
    found: list[Path] = []
    for name in SCANNED:
        top = ROOT / name
        if top.is_file():
            found.append(top)
            continue
        for folder, subfolders, names in os.walk(top):
            subfolders[:] = sorted(s for s in subfolders if s not in SKIPPED_FOLDERS)
            found += [Path(folder) / n for n in sorted(names) if n.endswith(SUFFIXES)]
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def outside_citations(text: str) -> list[tuple[int, str]]:
    """(line, what) of every citation of a design document that is not docs/design.md."""
    masked = OWN_DOC.sub(lambda m: "·" * len(m.group()), text)
    hits = []
    for pattern in OUTSIDE:
        for match in pattern.finditer(masked):
            line = masked.count("\n", 0, match.start()) + 1
            hits.append((line, text.splitlines()[line - 1].strip()))
    return sorted(set(hits))


def sections() -> set[int]:
    return {int(n) for n in SECTION.findall(DESIGN_DOC.read_text(encoding="utf-8"))}


def test_the_design_is_in_the_repository_with_its_sections_in_order():
    assert DESIGN_DOC.is_file(), "docs/design.md is missing"
    numbers = [int(n) for n in SECTION.findall(DESIGN_DOC.read_text(encoding="utf-8"))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 9, numbers


def test_nothing_cites_a_design_outside_the_repository():
    problems = []
    for path in files():
        if relative(path) in PENDING or relative(path) == THIS:
            continue
        for line, shown in outside_citations(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{relative(path)}:{line}: {shown}")
    assert not problems, "cite docs/design.md §N instead:\n" + "\n".join(problems)


def test_every_section_cited_exists():
    known = sections()
    problems = []
    for path in files():
        if relative(path) == THIS:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in CITATION.finditer(text):
            if int(match.group(1)) not in known:
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{relative(path)}:{line}: {match.group()}")
    # Within the design itself a section is cited as a bare "§N".
    own = DESIGN_DOC.read_text(encoding="utf-8")
    for match in re.finditer(r"§\s*(\d+)", own):
        if int(match.group(1)) not in known:
            problems.append(f"docs/design.md:{own.count(chr(10), 0, match.start()) + 1}: {match.group()}")
    assert not problems, f"no such section (docs/design.md has {sorted(known)}):\n" + "\n".join(problems)


def test_pending_files_still_need_it():
    for name, why in PENDING.items():
        path = ROOT / name
        assert path.is_file(), f"{name} is gone: take it out of PENDING ({why})"
        assert outside_citations(path.read_text(encoding="utf-8")), (
            f"{name} cites only docs/design.md now: take it out of PENDING"
        )


def test_the_checks_catch_what_they_are_for():
    assert outside_citations("see DESIGN §4") and outside_citations("targets of DESIGN.md §7")
    assert outside_citations("the DESIGN target") and outside_citations("(design §5)")
    assert outside_citations("../DESIGN.md") and outside_citations("see design.md")
    assert not outside_citations("docs/design.md §4, and the design of record")
    assert CITATION.findall("docs/design.md\n§3 and docs/design.md §12") == ["3", "12"]


CONFLICT = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)


def test_no_file_keeps_the_markers_of_an_unfinished_merge():
    """A merge left half done reads as garbage in the documents a user is sent to (a `=`
    line alone is a Markdown heading's underline, so only the two ends are looked for)."""
    left = [
        f"{relative(path)}:{path.read_text(encoding='utf-8')[: m.start()].count(chr(10)) + 1}"
        for path in files()
        if relative(path) != THIS
        for m in CONFLICT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert left == []
    assert CONFLICT.search("text\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n")
