"""Libraries for the index and search tests: a few hand-written briefs whose every word is
known (a word in one item's detail only, a phrase, one stakeholder in three briefs, names
with diacritics), and synthetic briefs by the hundred from the benchmark's generator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.synthetic import SOURCE_FILE, brief_text, source_text

# The source the hand-written briefs cite: one paragraph a line (FORMAT.md).
CITY_SOURCE = "city.txt"
CITY_TEXT = (
    "The city signed a contract for live facial recognition cameras.\n"
    "Officers said policing in the borough would change. Critics disagreed.\n"
    "The budget for the cameras was set at four million pounds.\n"
    "A mangrove of paperwork followed the decision.\n"
)
UNIQUE_DETAIL = "quixotic"  # only in the detail line of one concern of "cameras"
SOURCE_ONLY = "mangrove"  # only in paragraph 4 of the source

CAMERAS = f"""\
---
id: cameras
title: The city's facial recognition cameras
date: 2024-03-10
status: draft
tags: [policing, surveillance, Été]
summary: >
  The city bought live facial recognition cameras for the borough.
sources:
  - id: S1
    title: Council minutes on the cameras
    file: {CITY_SOURCE}
    kind: minutes
---

## Key facts

- The city signed a contract for live facial recognition. [S1 ¶1]
- The budget was four million pounds. [S1 ¶3]
  figure: £4m

## Stakeholders

- Sadiq Khan {{#khan}}
  kind: government
  stance: opposes
  Asked for the contract to be paused. [S1 ¶1]
- Zoë Garbett {{#garbett}}
  kind: government
  stance: opposes
  Spoke against the cameras. [S1 ¶2]

## Concerns

- Accuracy
  category: bias
  raised by: civil liberties groups
  A {UNIQUE_DETAIL} hope that the cameras never err. [S1 ¶2]

## Timeline

- 2024-03
  The contract was signed. [S1 ¶1]
"""

BUDGET = f"""\
---
id: budget
title: The Mayor's budget for policing
date: 2025-01-20
status: published
tags: [budget, policing]
summary: >
  Recognition of the cost, which was facial only in name, and the live budget.
sources:
  - id: S1
    title: Council minutes on the cameras
    file: {CITY_SOURCE}
    kind: minutes
---

## Key facts

- The police budget rose by a tenth. [S1 ¶3]

## Stakeholders

- Sadiq Khan {{#khan}}
  kind: government
  stance: supports
  Set the budget. [S1 ¶3]

## Concerns

- Value for money
  category: value for money
  raised by: the assembly
  Whether the money is well spent. [S1 ¶3]

## Timeline

- 2025-01
  The budget was set. [S1 ¶3]
"""

HOUSING = f"""\
---
id: housing
title: Housing on the estate
date: 2023-06-01
status: review
tags: [housing]
summary: >
  Homes on the estate, and who spoke for them.
sources:
  - id: S2
    title: Estate survey (Enquête logement)
    file: {CITY_SOURCE}
    kind: survey
---

## Key facts

- Most homes on the estate need repairs. [S2 ¶2]

## Stakeholders

- Mayor Sadiq Khan {{#mayor}}
  kind: government
  stance: neutral
  Visited the estate. [S2 ¶2]
- Émile Zola Tenants {{#tenants}}
  kind: public
  stance: supports
  Asked for repairs. [S2 ¶2]

## Concerns

- Repairs
  category: value for money
  raised by: tenants
  Repairs are slow. [S2 ¶2]

## Timeline

- 2023-05
  The survey was done. [S2 ¶2]
"""

HAND_WRITTEN = {"cameras.md": CAMERAS, "budget.md": BUDGET, "housing.md": HOUSING}


def write_hand_written(root: Path) -> Path:
    """The hand-written briefs and their source, in ``root``."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / CITY_SOURCE).write_text(CITY_TEXT, encoding="utf-8")
    for name, text in HAND_WRITTEN.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def write_synthetic(root: Path, count: int, start: int = 1) -> Path:
    """``count`` synthetic briefs (synthetic-00001 …) and their one source, in ``root``."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / SOURCE_FILE).write_text(source_text(), encoding="utf-8")
    for i in range(start, start + count):
        (root / f"synthetic-{i:05d}.md").write_text(brief_text(i), encoding="utf-8")
    return root


# -- briefing in a child process that cannot write what its modes forbid ---------------------

AS_A_USER = r"""
import ctypes, os, sys


def drop_dac_override():
    # root writes any file whatever its mode; without CAP_DAC_OVERRIDE and
    # CAP_DAC_READ_SEARCH it is refused like any other user.
    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    for bit in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        for field in ("effective", "permitted", "inheritable"):
            setattr(data[0], field, getattr(data[0], field) & ~(1 << bit))
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


if os.geteuid() == 0:
    drop_dac_override()
from briefing.cli.main import main

sys.exit(main(sys.argv[1:]))
"""


def briefing_as_a_user(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``briefing ARGS`` in its own process, bound by file modes even when run as root (the
    environment, with the tests' private HOME, is inherited)."""
    return subprocess.run(
        [sys.executable, "-c", AS_A_USER, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def fingerprint(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``folder`` (itself too): its mtime, size and mode."""
    out = {}
    for path in [folder, *sorted(folder.rglob("*"))]:
        st = path.lstat()
        out[str(path.relative_to(folder))] = (st.st_mtime_ns, st.st_size, st.st_mode)
    return out
