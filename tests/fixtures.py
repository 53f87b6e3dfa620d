"""Sample briefs and libraries shared by the tests."""

from __future__ import annotations

from pathlib import Path

SOURCE_TEXT = (
    "First paragraph. It has two sentences.\n"
    "Second paragraph, about money.\n"
    "Third paragraph! Short? Yes.\n"
)

GOOD_BRIEF = """\
---
id: sample
title: A sample brief
date: 2024-05-01
status: review
tags: [one, two]
summary: >
  A short summary.
sources:
  - id: S1
    title: The sample source
    file: sample.txt
    kind: report
    verified: true
---

# A sample brief

## Key facts

- It costs a lot. [S1 ¶2]
  figure: £5m
- Two sentences are here. {#two} [S1 ¶1.2]

## Stakeholders

- The Council
  kind: government
  stance: supports
  Proposed the plan. [S1 ¶1]

## Concerns

- Cost
  category: value for money
  raised by: critics
  Too expensive. [S1 ¶2]

## Timeline

- undated
  Something first, with no date. [S1 ¶3]
- 2021-06-01
  A dated thing. [S1 ¶1]
- during the summer
  A fuzzy thing after the dated one. [S1 ¶3.2]
- 2020
  An earlier year. [S1 ¶2]
"""


def write_library(root: Path, briefs: dict[str, str], source: str = SOURCE_TEXT) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "sample.txt").write_text(source, encoding="utf-8")
    for name, text in briefs.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


BUNDLED = Path(__file__).resolve().parent.parent / "briefs"
