"""Figures from the samples: medians and percentiles, the metrics of the table with their
docs/design.md §7 targets, and whether each target is met."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from .common import MOVE_BYTES


def median(values: list[float | None]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def session_values(sessions: list[dict], key: str) -> list:
    return [s[key] for s in sessions]


def key_values(sessions: list[dict], group: str, key: str) -> list:
    """One value per key press, pooled over every run."""
    return [sample[key] for s in sessions for sample in s[group]]


@dataclass
class Metric:
    name: str
    unit: str  # "s", "ms", "B", "kB" (1000 B), "MiB", "×" (a ratio)
    values: Callable[[dict], list]  # the samples of one program's results
    bare: bool = False  # also measured for the bare app
    ratio: dict[int, float] | None = None  # target as a ratio to the bare app, per size
    limit: float | None = None  # target as an absolute bound, in the metric's unit
    sizes: tuple[int, ...] | None = None  # sizes the target applies to (None: all)
    note: str = ""
    group: str = "core"  # "core": the library sessions; "notes": the notes sessions; "commands"
    part: str = ""  # which part of the group ("api", "notebook", "save"; "index", …), for "n/a"
    stat: str = "median"  # "median", or "p90" (the 90th percentile)


def in_ms(values: list) -> list:
    return [v * 1000 if v is not None else None for v in values]


def notes_of(r: dict, part: str) -> list[dict]:
    """The notes samples of one size: store API runs, notebook or save sessions."""
    return r.get("notes", {}).get(part, [])


def _api_saves(r: dict) -> list:
    return in_ms([t for run in notes_of(r, "api") for t in run["save_s"]])


METRICS = [
    Metric(
        "start to first frame, warm (index present)",
        "s",
        lambda r: session_values(r["warm"], "first_frame_s"),
        bare=True,
        ratio={1000: 1.3, 10000: 1.3, 100000: 1.3},
        note="flat from 1,000 to 100,000",
    ),
    Metric(
        "start to first frame, warm: ratio to the bare app started just before it (median of the pairs)",
        "×",
        lambda r: [s["first_frame_s"] / s["bare_pair_s"] for s in r["warm"] if s.get("bare_pair_s")],
        limit=1.3,
        sizes=(10000, 100000),
        note="the same target, judged on pairs that met the same load",
    ),
    Metric(
        "start to first output (any byte), warm", "s", lambda r: session_values(r["warm"], "first_output_s"), bare=True
    ),
    Metric(
        "start to first frame, cold (empty cache: the first library row)",
        "s",
        lambda r: session_values(r["cold"], "first_frame_s"),
        bare=True,
        note="reported; the target is for the warm start",
    ),
    Metric(
        "cold build in the reader: start to every brief indexed and counted",
        "s",
        lambda r: [s.get("all_rows_s") for s in r["cold"]],
        limit=10,
        sizes=(10000,),
    ),
    Metric(
        "bytes until the first screen settles, warm",
        "kB",
        lambda r: [b / 1000 for b in session_values(r["warm"], "first_frame_bytes")],
        bare=True,
    ),
    Metric(
        "bytes until the first screen settles, cold",
        "kB",
        lambda r: [b / 1000 for b in session_values(r["cold"], "first_frame_bytes")],
        bare=True,
    ),
    Metric(
        "library move (j): bytes per key, median",
        "B",
        lambda r: key_values(r["warm"], "library_moves", "bytes"),
        limit=MOVE_BYTES,
    ),
    Metric(
        "library move (j): key to first byte, median",
        "ms",
        lambda r: in_ms(key_values(r["warm"], "library_moves", "first_s")),
        limit=10,
    ),
    Metric(
        "library move (j): key to last byte, median",
        "ms",
        lambda r: in_ms(key_values(r["warm"], "library_moves", "last_s")),
    ),
    Metric(
        "pane move (j/k): bytes per key, median",
        "B",
        lambda r: key_values(r["warm"], "pane_moves", "bytes"),
        limit=MOVE_BYTES,
    ),
    Metric(
        "pane move (j/k): key to first byte, median",
        "ms",
        lambda r: in_ms(key_values(r["warm"], "pane_moves", "first_s")),
        limit=10,
    ),
    Metric(
        "pane move (j/k): key to last byte, median",
        "ms",
        lambda r: in_ms(key_values(r["warm"], "pane_moves", "last_s")),
    ),
    Metric(
        "open a brief: Enter to panes drawn, median",
        "ms",
        lambda r: in_ms(key_values(r["warm"], "opens", "drawn_s")),
        limit=50,
        note="the tab strip and the first pane on screen",
    ),
    Metric("open a brief: Enter to last byte, median", "ms", lambda r: in_ms(key_values(r["warm"], "opens", "last_s"))),
    Metric(
        "open a brief: Enter to first byte, median", "ms", lambda r: in_ms(key_values(r["warm"], "opens", "first_s"))
    ),
    Metric("filter: key to first byte, median", "ms", lambda r: in_ms(key_values(r["warm"], "filter_keys", "first_s"))),
    Metric(
        "filter: key to last byte, median",
        "ms",
        lambda r: in_ms(key_values(r["warm"], "filter_keys", "last_s")),
        limit=30,
        sizes=(10000,),
    ),
    Metric(
        "peak memory (VmHWM), warm",
        "MiB",
        lambda r: [kb / 1024 for kb in session_values(r["warm"], "vmhwm_kb")],
        bare=True,
        ratio={1000: 1.5, 10000: 1.5},
    ),
    Metric(
        "peak memory (VmHWM), cold",
        "MiB",
        lambda r: [kb / 1024 for kb in session_values(r["cold"], "vmhwm_kb")],
        bare=True,
        note="reported; the target is for the warm start",
    ),
]

NOTES_METRICS = [
    Metric(
        "save a note, 10,000 notes stored (durable): store API add_note, median",
        "ms",
        _api_saves,
        limit=30,
        group="notes",
        part="api",
        note="one Store.add_note(), fsync included",
    ),
    Metric(
        "save a note, 10,000 notes stored (durable): store API add_note, p90",
        "ms",
        _api_saves,
        group="notes",
        part="api",
        stat="p90",
        note="informative",
    ),
    Metric(
        "save a note in the app: ctrl+s to the note's marker shown, median",
        "ms",
        lambda r: in_ms(key_values(notes_of(r, "save"), "saves", "marker_s")),
        group="notes",
        part="save",
        note="informative (the ≤ 30 ms target is for the store API)",
    ),
    Metric(
        'save a note in the app: ctrl+s to "Note saved." shown, median',
        "ms",
        lambda r: in_ms(key_values(notes_of(r, "save"), "saves", "saved_s")),
        group="notes",
        part="save",
        note="informative",
    ),
    Metric(
        "save a note in the app: ctrl+s to first byte, median",
        "ms",
        lambda r: in_ms(key_values(notes_of(r, "save"), "saves", "first_s")),
        group="notes",
        part="save",
        note="informative",
    ),
    Metric(
        "open the notebook, 10,000 notes: n to notebook drawn, median",
        "ms",
        lambda r: in_ms(key_values(notes_of(r, "notebook"), "opens", "drawn_s")),
        group="notes",
        part="notebook",
        note="— (informative; cf. open a brief ≤ 50 ms)",
    ),
    Metric(
        "open the notebook, 10,000 notes: first open of a session, n to drawn, median",
        "ms",
        lambda r: in_ms([s["opens"][0]["drawn_s"] for s in notes_of(r, "notebook")]),
        group="notes",
        part="notebook",
        note="informative (includes loading the notebook's code)",
    ),
    Metric(
        "open the notebook, 10,000 notes: n to last byte, median",
        "ms",
        lambda r: in_ms(key_values(notes_of(r, "notebook"), "opens", "last_s")),
        group="notes",
        part="notebook",
        note="informative",
    ),
    Metric(
        "open the notebook, 10,000 notes: bytes written, median",
        "kB",
        lambda r: [b / 1000 for b in key_values(notes_of(r, "notebook"), "opens", "bytes")],
        group="notes",
        part="notebook",
        note="informative",
    ),
    Metric(
        "start to first frame, warm, 10,000 notes stored",
        "s",
        lambda r: session_values(notes_of(r, "notebook") + notes_of(r, "save"), "first_frame_s"),
        bare=True,
        group="notes",
        part="notebook",
        note="informative",
    ),
    Metric(
        "peak memory (VmHWM), 10,000 notes stored, notebook opened",
        "MiB",
        lambda r: [kb / 1024 for kb in session_values(notes_of(r, "notebook"), "vmhwm_kb")],
        bare=True,
        group="notes",
        part="notebook",
        note="informative (the memory target is for the library alone)",
    ),
]

COMMAND_METRICS = [
    Metric(
        "briefing index --library D: wall time (shared index built from nothing)",
        "s",
        lambda r: r["commands"]["index"],
        limit=10,
        sizes=(10000,),
        group="commands",
        part="index",
    ),
    Metric(
        "briefing search WORD, a word in one item: wall time (warm index)",
        "s",
        lambda r: r["commands"]["search_unique"],
        limit=0.5,
        group="commands",
        part="search",
    ),
    Metric(
        "briefing search WORD, a common word (50 hits): wall time (warm index)",
        "s",
        lambda r: r["commands"]["search_common"],
        limit=0.5,
        group="commands",
        part="search",
    ),
    Metric(
        "briefing show ID: wall time (warm index)",
        "s",
        lambda r: r["commands"]["show"],
        limit=0.5,
        group="commands",
        part="show",
    ),
]
METRICS += COMMAND_METRICS + NOTES_METRICS

NOT_MEASURED = [
    ("search in the reader (key s): key to results drawn", "≤ 100 ms a key", "not in this benchmark yet"),
]


def percentile(values: list[float | None], q: float) -> float | None:
    values = sorted(v for v in values if v is not None)
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def aggregate(metric: Metric, values: list) -> float | None:
    return percentile(values, 90) if metric.stat == "p90" else median(values)


def judge(metric: Metric, size: int, value: float | None, bare: float | None) -> bool | None:
    if value is None:
        return None
    if metric.ratio and size in metric.ratio and bare:
        return value / bare <= metric.ratio[size]
    if metric.limit is not None and (metric.sizes is None or size in metric.sizes):
        return value <= metric.limit
    return None
