"""Synthetic libraries: briefs valid per briefs/FORMAT.md, their one source, and the bare
Textual app the benchmark measures beside briefing."""

from __future__ import annotations

from pathlib import Path

from .common import BARE_MARK

SOURCE_FILE = "synthetic-source.txt"
SOURCE_PARAGRAPHS = 40
STATUSES = ("draft", "review", "published", "archived")
TAGS = ("synthetic", "benchmark", "policing", "procurement", "privacy", "health", "housing", "ai")
KINDS = ("government", "police", "vendor", "public", "civil society")
STANCES = ("supports", "opposes", "neutral", "unknown")
CATEGORIES = ("ethics", "privacy", "value for money", "bias", "surveillance")
ITEMS_PER_PANE = 5


def source_text() -> str:
    """A synthetic source: paragraphs of three sentences, separated by blank lines."""
    paragraphs = []
    for p in range(1, SOURCE_PARAGRAPHS + 1):
        paragraphs.append(
            f"Synthetic source paragraph {p}, written only to benchmark the reader. "
            f"It stands in for a passage of a real report and says nothing true about anyone. "
            f"Its third sentence makes the paragraph long enough to wrap across a few lines "
            f"of an eighty-column terminal, as a real cited passage would."
        )
    return "\n\n".join(paragraphs) + "\n"


def _cite(i: int, k: int) -> str:
    """A citation for item ``k`` of brief ``i``; every third one cites a sentence."""
    paragraph = (i * 7 + k * 3) % SOURCE_PARAGRAPHS + 1
    return f"[S1 ¶{paragraph}.{k % 3 + 1}]" if k % 3 == 0 else f"[S1 ¶{paragraph}]"


def brief_text(i: int) -> str:
    """Synthetic brief number ``i``: valid per briefs/FORMAT.md, five items in each pane."""
    n = f"{i:05d}"
    date = f"{2020 + i % 6}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
    tags = ", ".join(TAGS[(i + j) % len(TAGS)] for j in range(3))
    lines = [
        "---",
        f"id: synthetic-{n}",
        f"title: Synthetic brief {n}",
        f"date: {date}",
        f"status: {STATUSES[i % len(STATUSES)]}",
        f"tags: [{tags}]",
        "summary: >",
        f"  Synthetic brief {n}, generated to benchmark the reader. It describes no real",
        "  event, person or organisation.",
        "sources:",
        "  - id: S1",
        "    title: Synthetic source document (generated for benchmarks)",
        f"    file: {SOURCE_FILE}",
        "    kind: synthetic",
        "    verified: false",
        "---",
        "",
        f"# Synthetic brief {n}",
        "",
        "## Key facts",
        "",
    ]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines += [f"- Synthetic fact {k} of brief {n}, a generated statement. {_cite(i, k)}", f"  figure: £{k * 10}m"]
    lines += ["", "## Stakeholders", ""]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines += [
            f"- Synthetic stakeholder {k} of brief {n}",
            f"  kind: {KINDS[(i + k) % len(KINDS)]}",
            f"  stance: {STANCES[(i + k) % len(STANCES)]}",
            f"  Did or said something generated for the benchmark. {_cite(i, k + 5)}",
        ]
    lines += ["", "## Concerns", ""]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines += [
            f"- Synthetic concern {k} of brief {n}",
            f"  category: {CATEGORIES[(i + k) % len(CATEGORIES)]}",
            f"  raised by: synthetic stakeholder {k}",
            f"  A line of generated detail about the concern. {_cite(i, k + 10)}",
        ]
    lines += ["", "## Timeline", ""]
    for k in range(1, ITEMS_PER_PANE):
        lines += [f"- {2015 + k}-{k + 2:02d}", f"  Synthetic event {k} of brief {n} took place. {_cite(i, k + 15)}"]
    lines += ["- undated", f"  Synthetic event {ITEMS_PER_PANE} of brief {n}, with no date. {_cite(i, 20)}"]
    return "\n".join(lines) + "\n"


def generate_library(folder: Path, size: int) -> Path:
    """Write ``size`` synthetic briefs and their one source into ``folder``."""
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / SOURCE_FILE).write_text(source_text(), encoding="utf-8")
    for i in range(1, size + 1):
        (folder / f"synthetic-{i:05d}.md").write_text(brief_text(i), encoding="utf-8")
    return folder


BARE_APP = f'''\
"""The bare Textual app of the benchmark: one Static, nothing else."""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARK}")


if __name__ == "__main__":
    Bare().run()
'''


def write_bare_app(folder: Path) -> Path:
    path = folder / "bare_app.py"
    path.write_text(BARE_APP, encoding="utf-8")
    return path
