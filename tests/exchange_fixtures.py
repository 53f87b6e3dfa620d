"""What the export and import tests share: fixed times, import files made by hand, and the
command line run in-process."""

from __future__ import annotations

import json

from briefing.cli.main import main
from briefing.store.exchange import FORMAT, VERSION

T0 = "2024-05-02T09:00:00.000Z"
T1 = "2024-05-03T10:30:00.000Z"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``briefing ARGV…`` run in this process: its exit status, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def record(**change) -> dict:
    """One mark of an export file: a note on the sample brief's item ``two``, with ``change``
    applied (a value of ``...`` leaves that key out)."""
    base = {
        "kind": "note",
        "id": "abc",
        "brief": "sample",
        "pane": "facts",
        "item": "two",
        "item_text": "Two sentences are here.",
        "written_on": "Two sentences are here.",
        "note": "fine",
        "author": "Ada",
        "created": T0,
        "updated": T0,
        "anchor": "ok",
    }
    return {k: v for k, v in (base | change).items() if v is not ...}


def export_bytes(*marks, **doc) -> bytes:
    """An export file holding ``marks``, with ``doc`` over its top-level keys."""
    return json.dumps({"format": FORMAT, "version": VERSION, "marks": list(marks)} | doc).encode()
