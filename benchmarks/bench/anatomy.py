"""What the bytes of an answer are made of: its frames, the rows each writes, and how many
bytes are colour and style codes, other escapes and text."""

from __future__ import annotations

import re

from .common import COLS, FRAME_GAP, MOVE_BYTES
from .stats import notes_of

_CUP = re.compile(rb"\x1b\[(\d+);(\d+)H")
_CSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]")
_SGR = re.compile(rb"\x1b\[[0-9;:]*m")
ANATOMY_GROUPS = (
    ("library_moves", "library move"),
    ("pane_moves", "pane move"),
    ("opens", "open a brief"),
    ("filter_keys", "filter key"),
)
NOTES_ANATOMY_GROUPS = (
    ("notebook", "opens", "open the notebook (n), 10,000 notes"),
    ("save", "saves", "save a note (ctrl+s), 10,000 notes"),
)


def frames(chunks: list[tuple[float, int]]) -> list[list[int]]:
    """Chunk indexes grouped into frames: a new frame starts after a pause of FRAME_GAP."""
    groups: list[list[int]] = []
    for i, (arrival, _) in enumerate(chunks):
        if groups and arrival - chunks[i - 1][0] < FRAME_GAP:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def spans(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> '2–4, 7'."""
    out: list[str] = []
    last = -2
    for n in sorted(set(numbers)):
        if n == last + 1:
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
        last = n
    return ", ".join(out)


def describe_frame(raw: bytes) -> str:
    """Bytes of one frame, the screen rows it writes, and where on those rows it starts."""
    # A cursor move followed by another, or by nothing, draws nothing (Textual parks the cursor).
    cups = [
        (int(m.group(1)), int(m.group(2)))
        for m in _CUP.finditer(raw)
        if m.end() < len(raw) and not _CUP.match(raw, m.end())
    ]
    where = f"rows {spans([r for r, _ in cups])}" if cups else "no cursor move"
    columns = {c for _, c in cups}
    if cups and min(columns) >= COLS - 2:
        where += f" at column {spans(sorted(columns))} only (the scrollbar)"
    return f"{len(raw)} B, {where}"


def anatomy(sample: dict) -> str:
    """One answer: its frames (time after the key, bytes, rows) and its share of style codes."""
    raw, chunks = sample["raw"], sample["chunks_ms"]
    offsets = [0]
    for _, n in chunks:
        offsets.append(offsets[-1] + n)
    parts = []
    for group in frames([(t / 1000, n) for t, n in chunks]):
        frame = raw[offsets[group[0]] : offsets[group[-1] + 1]]
        parts.append(f"+{chunks[group[0]][0]:.0f} ms: {describe_frame(frame)}")
    sgr = sum(len(m) for m in _SGR.findall(raw))
    other = sum(len(m) for m in _CSI.findall(raw)) - sgr
    return (
        f"{len(raw)} B in {len(parts)} frame(s) [{'; '.join(parts)}]; "
        f"{sgr} B colour/style codes, {other} B cursor moves and other escapes, "
        f"{len(raw) - sgr - other} B text"
    )


def anatomy_report(results: dict, sizes: list[int]) -> str:
    """For each kind of key, its median answer taken apart, and the range over all keys."""
    lines = []
    for size in sizes:
        for group, label in ANATOMY_GROUPS:
            samples = sorted((s for run in results[size]["warm"] for s in run[group]), key=lambda s: s["bytes"])
            if not samples:
                continue
            middle = samples[(len(samples) - 1) // 2]
            over = sum(s["bytes"] > MOVE_BYTES for s in samples)
            lines.append(
                f"- {size:,} briefs, {label}: {len(samples)} keys, {samples[0]['bytes']}–"
                f"{samples[-1]['bytes']} B, {over} over {MOVE_BYTES} B; "
                f"the median one: {anatomy(middle)}"
            )
        for part, group, label in NOTES_ANATOMY_GROUPS:
            samples = sorted((s for run in notes_of(results[size], part) for s in run[group]), key=lambda s: s["bytes"])
            if not samples:
                continue
            middle = samples[(len(samples) - 1) // 2]
            lines.append(
                f"- {size:,} briefs, {label}: {len(samples)} keys, {samples[0]['bytes']}–"
                f"{samples[-1]['bytes']} B; the median one: {anatomy(middle)}"
            )
    return "\n".join(lines)
