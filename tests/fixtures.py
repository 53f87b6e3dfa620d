"""Sample briefs and libraries shared by the tests, and the bundled library they also read."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.core.sources import SourceDocument

SOURCE_TEXT = "First paragraph. It has two sentences.\nSecond paragraph, about money.\nThird paragraph! Short? Yes.\n"

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


# -- the council brief: a second sample, edited item by item by the anchoring tests ------

COUNCIL_HEAD = """\
---
id: council
title: The council's contract
date: 2024-05-01
status: draft
summary: >
  What the council decided about the contract.
sources:
  - id: S1
    title: The sample source
    file: sample.txt
---

"""

APPROVED = "- The council approved the new contract in March. [S1 ¶1]"
COST = "- The contract was worth five million pounds over three years. [S1 ¶2]"
TRAINING = "- Officers will be trained before the system goes live. {#training} [S1 ¶3]"
PILOT = "- A pilot ran in two boroughs during the summer. [S1 ¶1.2]"
MAYOR = """\
- The Mayor {#mayor}
  kind: government
  stance: opposes
  Blocked the contract after the vote. [S1 ¶1]"""
WORRY = """\
- Cost
  category: value for money
  raised by: critics
  Too expensive for a pilot. [S1 ¶2]"""
VOTE = """\
- 2024-03
  The council voted on the contract. [S1 ¶1]"""
LATER = """\
- 2024-06
  The pilot ended early. [S1 ¶3]"""

FACTS = [APPROVED, COST, TRAINING, PILOT]
TIMELINE = [VOTE, LATER]

# The ids the parser derives from the first six words of an item (FORMAT.md, "Item ids").
APPROVED_ID = "the-council-approved-the-new-contract"
PILOT_ID = "a-pilot-ran-in-two-boroughs"
VOTE_ID = "the-council-voted-on-the-contract"


def council(facts=FACTS, stakeholders=(MAYOR,), concerns=(WORRY,), timeline=TIMELINE) -> str:
    def pane(title: str, items) -> str:
        return f"## {title}\n\n" + "\n".join(items) + "\n\n"

    return (
        COUNCIL_HEAD
        + "# The council's contract\n\n"
        + pane("Key facts", facts)
        + pane("Stakeholders", stakeholders)
        + pane("Concerns", concerns)
        + pane("Timeline", timeline)
    )


def write_library(root: Path, briefs: dict[str, str], source: str = SOURCE_TEXT) -> Path:
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "sample.txt").write_text(source, encoding="utf-8")
    for name, text in briefs.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def line_of(text: str, needle: str) -> int:
    """The 1-based line of ``text`` where ``needle`` first stands."""
    return text[: text.index(needle)].count("\n") + 1


ROOT = Path(__file__).resolve().parent.parent  # the checkout
BUNDLED = ROOT / "briefs"
# The bundled brief most tests open: the Mayor of London blocking the Met's Palantir contract.
CONTRACT = "met-palantir-contract"
# The one source the bundled briefs cite (S1): a news report, supplied, unverified.
REPORT = SourceDocument.from_text((BUNDLED / "sources" / "met-police-palantir-report.txt").read_text())


# -- another briefing holding a store's lock ---------------------------------------------

HOLDER = r"""
import sys, time
from pathlib import Path
from briefing.store.notes import Store

store = Store(Path(sys.argv[1]), author="holder")
with store._transaction():
    print("holding", flush=True)
    time.sleep(60)
"""


@contextmanager
def lock_held(path: Path) -> Iterator[int]:
    """Another briefing process holding the lock of the store at ``path`` until the block
    ends; its pid."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "holding"
        yield child.pid
    finally:
        child.kill()
        child.wait(10)
