"""Plain synthetic briefs for the tests: every brief alike but for its number, each item
named by it ("Synthetic fact 3 of brief 00042"), one source of 40 paragraphs.

The benchmark's generator (benchmarks/bench/generate.py) makes briefs to be searched like
real ones and may change with the benchmark; the tests that count on these words, and the
digests of tests/test_parse_equivalence.py, use this fixed one.
"""

from __future__ import annotations

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
