"""The report, on stdout: the table (plain text, then Markdown) of the figures against their
targets, the SSH table, and what the notes store held."""

from __future__ import annotations

import argparse
import datetime
import os
from collections.abc import Callable

from .anatomy import anatomy_report
from .common import COLS, MOVE_BYTES, ROWS
from .stats import (
    METRICS,
    NOT_MEASURED,
    Metric,
    aggregate,
    in_ms,
    judge,
    key_values,
    median,
    notes_of,
    percentile,
    session_values,
)


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "×":
        return f"{value:.2f}×"
    if unit in ("ms", "kB", "MiB"):
        return f"{value:.1f} {unit}"
    return f"{value:.0f} {unit}"


def target_text(metric: Metric, sizes: list[int]) -> str:
    if metric.ratio:
        ratios = " / ".join(f"≤ {metric.ratio[s]:g}× bare ({s:,})" for s in sizes if s in metric.ratio) or "—"
        return f"{ratios}; {metric.note}" if metric.note else ratios
    if metric.limit is not None:
        where = f" ({', '.join(f'{s:,}' for s in metric.sizes)})" if metric.sizes else ""
        return f"≤ {metric.limit:g}{'' if metric.unit == '×' else ' '}{metric.unit}{where}"
    return metric.note or "—"


def build_table(
    results: dict,
    sizes: list[int],
    groups: tuple[str, ...] = ("core", "notes"),
) -> tuple[list[str], list[list[str]]]:
    header = ["metric", *(f"{s:,} briefs" for s in sizes), "bare app", "target (docs/design.md §7)", "met?"]
    bare_results = {"warm": results["bare"], "cold": results["bare"], "notes": {"notebook": results["bare"]}}
    rows = []
    for metric in METRICS:
        if metric.group not in groups:
            continue
        bare = median(metric.values(bare_results)) if metric.bare else None
        cells, verdicts = [], []
        for size in sizes:
            na = results[size].get(metric.group, {}).get("na", {}).get(metric.part) if metric.group != "core" else None
            if na:
                cells.append(na)
                continue
            value = aggregate(metric, metric.values(results[size]))
            cell = fmt(value, metric.unit)
            if value is not None and bare and metric.bare:
                cell += f" ({value / bare:.2f}×)"
            cells.append(cell)
            verdict = judge(metric, size, value, bare)
            if verdict is not None:
                verdicts.append(f"{size:,}: {'yes' if verdict else 'NO'}")
        rows.append(
            [
                metric.name,
                *cells,
                fmt(bare, metric.unit) if metric.bare else "—",
                target_text(metric, sizes),
                "; ".join(verdicts) or "—",
            ]
        )
    for name, target, why in NOT_MEASURED if "core" in groups else ():
        rows.append([name, *("not measured" for _ in sizes), "—", target, why])
    return header, rows


def report_groups(args: argparse.Namespace) -> tuple[str, ...]:
    return {
        "all": ("core", "commands", "notes"),
        "core": ("core", "commands"),
        "notes": ("notes",),
        "ssh": (),
    }[args.only]


def load_text(results: dict) -> str:
    """The machine's 1-minute load average before each start of the bare app (at the start
    of each run, and before each warm start), and at the end."""
    loads = [s["load"][0] for s in results["bare"] if s.get("load") is not None]
    now = os.getloadavg()
    spread = f"{min(loads):.2f}–{max(loads):.2f}, median {median(loads):.2f}" if loads else "—"
    return f"load average (1 min): before each bare app's start {spread}; at the end {now[0]:.2f}"


def probe_table(results: dict, sizes: list[int]) -> tuple[list[str], list[list[str]]] | None:
    """The in-process search rows: per query and size, the median call (p90, first call),
    and how many hits it returned of how many documents hold its words."""
    probes = {size: results[size].get("commands", {}).get("probe", []) for size in sizes}
    if not any(probes.values()):
        return None
    na = {size: results[size]["commands"]["na"]["probe"] for size in sizes}
    header = [
        "Library.search on the warm index",
        "query",
        *(f"{s:,} briefs" for s in sizes),
        "hits (limit 200) / documents holding the words",
    ]
    first = next(runs for runs in probes.values() if runs)[0]
    rows = []
    for q, spec in enumerate(first["queries"]):
        cells, counts = [], []
        for size in sizes:
            if na[size] or not probes[size]:
                cells.append(na[size] or "—")
                continue
            runs = [run["queries"][q] for run in probes[size]]
            times = [t * 1000 for run in runs for t in run["times_s"]]
            firsts = [run["first_s"] * 1000 for run in runs]
            cells.append(
                f"{fmt(median(times), 'ms')} (p90 {fmt(percentile(times, 90), 'ms')}; first call {fmt(median(firsts), 'ms')})"
            )
            matching = runs[0]["matching"]
            counts.append(f"{size:,}: {runs[0]['hits']}" + (f" / {matching:,}" if matching is not None else " / —"))
        query = spec["query"] if spec["label"] != "a word in one item" else "unique_word(n/2+1)"
        rows.append([spec["label"], query, *cells, "; ".join(counts)])
    for key, label in (
        ("open_s", "Library.of + load_index (opening the index)"),
        ("scan_s", "scan (every file checked; none read)"),
    ):
        cells = []
        for size in sizes:
            values = [run[key] * 1000 for run in probes[size]]
            cells.append(na[size] or fmt(median(values), "ms"))
        rows.append([label, "—", *cells, "—"])
    return header, rows


def print_comparison(versions: list[str], results: list[dict], args: argparse.Namespace) -> None:
    """The revisions side by side: each metric at each size, one column per revision, with
    the bare app measured in the same runs and the target; the verdict is the last revision's."""
    groups = report_groups(args)
    tables = [build_table(r, args.sizes, groups) for r in results]
    header = ["metric"]
    for size in args.sizes:
        header += [f"`{v}`, {size:,}" for v in versions]
    header += ["bare app", "target", f"met? (`{versions[-1]}`)"]
    rows = []
    n = len(args.sizes)
    for parts in zip(*(rows_ for _, rows_ in tables), strict=True):
        row = [parts[0][0]]
        for k in range(n):
            row += [p[1 + k] for p in parts]
        bare = next((p[1 + n] for p in parts if p[1 + n] != "—"), "—")
        row += [bare, parts[-1][2 + n], parts[-1][3 + n]]
        rows.append(row)
    print(f"Side by side ({', '.join(f'`{v}`' for v in versions)}; medians over the same {args.runs} runs):\n")
    print(plain_table(header, rows))
    print("\nMarkdown:\n")
    print(markdown_table(header, rows))


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(header), "-+-".join("-" * w for w in widths), *map(line, rows)])


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def ssh_table(ssh: dict, sizes: list[int]) -> tuple[list[str], list[list[str]]]:
    """The SSH rows: each start without SSH and over SSH in the same run, and what SSH adds
    (the median of the per-run differences, since the two of a pair ran side by side)."""
    header = ["metric", "without SSH", "over SSH", "SSH adds", "target (docs/design.md §7)", "met?"]
    first = METRICS[0]  # start to first frame, warm: its ratios to the bare app are the targets

    def pairs(group: dict, pick: Callable[[list[dict]], list]) -> tuple[list, list]:
        return pick(group["local"]), pick(group["ssh"])

    def added(here: list, over: list) -> float | None:
        return median([b - a for a, b in zip(here, over, strict=False) if a is not None and b is not None])

    def signed(value: float | None, unit: str) -> str:
        return "—" if value is None else ("+" if value >= 0 else "−") + fmt(abs(value), unit)

    def frame(sessions: list[dict]) -> list:
        return session_values(sessions, "first_frame_s")

    def nbytes(sessions: list[dict]) -> list:
        return [b / 1000 for b in session_values(sessions, "first_frame_bytes")]

    def wire(sessions: list[dict]) -> float | None:
        return median([s["wire_bytes"] / 1000 if s.get("wire_bytes") is not None else None for s in sessions])

    def wire_added(sessions: list[dict]) -> str:
        """Bytes on the wire less the bytes the terminal got, per session, median."""
        return signed(
            median(
                [(s["wire_bytes"] - s["first_frame_bytes"]) / 1000 for s in sessions if s.get("wire_bytes") is not None]
            ),
            "kB",
        )

    # Library moves: (label, value of a key, unit, bound); median over every key of every run.
    moves = (
        ("key to first byte", lambda sessions: in_ms(key_values(sessions, "library_moves", "first_s")), "ms", 10),
        ("bytes per key", lambda sessions: key_values(sessions, "library_moves", "bytes"), "B", MOVE_BYTES),
    )

    connect = median(frame(ssh["connect"]))
    handshake = wire(ssh["connect"])
    rows = [
        [
            "the connection alone: ssh -tt … echo, to its output",
            "—",
            fmt(connect, "s"),
            fmt(connect, "s"),
            "informative",
            "—",
        ],
        [
            "the connection alone: bytes on the wire from sshd (ss)",
            "—",
            fmt(handshake, "kB"),
            fmt(handshake, "kB"),
            "informative",
            "—",
        ],
    ]
    bare_here, bare_over = pairs(ssh["bare"], frame)
    bare = (median(bare_here), median(bare_over))
    rows.append(
        [
            "bare app: start to first frame",
            fmt(bare[0], "s"),
            fmt(bare[1], "s"),
            signed(added(bare_here, bare_over), "s"),
            "informative",
            "—",
        ]
    )
    here, over = pairs(ssh["bare"], nbytes)
    rows.append(
        [
            "bare app: bytes until the first screen settles",
            fmt(median(here), "kB"),
            fmt(median(over), "kB"),
            signed(added(here, over), "kB"),
            "informative",
            "—",
        ]
    )
    rows.append(
        [
            "bare app: bytes on the wire from sshd until then (ss)",
            "—",
            fmt(wire(ssh["bare"]["ssh"]), "kB"),
            wire_added(ssh["bare"]["ssh"]),
            "informative",
            "—",
        ]
    )
    for size in sizes:
        group = ssh[size]
        here, over = pairs(group, frame)
        cells, verdicts = [], []
        for side, values, base in (("without", here, bare[0]), ("over SSH", over, bare[1])):
            value = median(values)
            cells.append(fmt(value, "s") + (f" ({value / base:.2f}×)" if value and base else ""))
            verdict = judge(first, size, value, base)
            if verdict is not None:
                verdicts.append(f"{side}: {'yes' if verdict else 'NO'}")
        target = f"≤ {first.ratio[size]:g}× bare, each side" if size in first.ratio else "informative"
        rows.append(
            [
                f"{size:,} briefs, warm: start to first frame",
                *cells,
                signed(added(here, over), "s"),
                target,
                "; ".join(verdicts) or "—",
            ]
        )
        here, over = pairs(group, nbytes)
        rows.append(
            [
                f"{size:,} briefs, warm: bytes until the first screen settles",
                fmt(median(here), "kB"),
                fmt(median(over), "kB"),
                signed(added(here, over), "kB"),
                "informative",
                "—",
            ]
        )
        rows.append(
            [
                f"{size:,} briefs, warm: bytes on the wire from sshd until then (ss)",
                "—",
                fmt(wire(group["ssh"]), "kB"),
                wire_added(group["ssh"]),
                "informative",
                "—",
            ]
        )
        for label, pick, unit, bound in moves:
            here, over = (median(values) for values in pairs(group, pick))
            verdicts = [
                f"{side}: {'yes' if v <= bound else 'NO'}"
                for side, v in (("without", here), ("over SSH", over))
                if v is not None
            ]
            rows.append(
                [
                    f"{size:,} briefs, library move (j): {label}, median",
                    fmt(here, unit),
                    fmt(over, unit),
                    signed(over - here if here is not None and over is not None else None, unit),
                    f"≤ {bound:g} {unit}",
                    "; ".join(verdicts) or "—",
                ]
            )
    return header, rows


def notes_store_text(results: dict, sizes: list[int]) -> str:
    """What the prefilled store of the notes rows holds, per library size."""
    lines = []
    for size in sizes:
        info = results[size].get("notes", {}).get("store")
        if info is None:
            lines.append(f"notes store, {size:,} briefs: n/a at this revision")
            continue
        (q0, qm, q1), (t0, tm, t1) = info["quote_chars"], info["text_chars"]
        opened = [run["open_s"] * 1000 for run in notes_of(results[size], "api")]
        lines.append(
            f"notes store, {size:,} briefs: {info['notes']:,} notes over {info['briefs']:,} briefs, "
            f"{info['bytes'] / 1e6:.1f} MB; quotes {q0}–{q1} chars (mean {qm:.0f}), notes {t0}–{t1} "
            f"(mean {tm:.0f}), {info['multiline']:,} on several lines, {info['non_ascii']:,} with "
            f"non-ASCII text; one put() of them took {info['put_s']:.1f} s"
            + (f"; Store() opens it in {median(opened):.0f} ms" if opened else "")
        )
    return "\n".join(lines)


def print_report(results: dict, args: argparse.Namespace, version: str) -> None:
    """Everything the benchmark prints on stdout: the header line, the notes store, the table
    (plain, then Markdown), the anatomy of the answers, the SSH table, and unclean exits."""
    groups = report_groups(args)
    header, rows = build_table(results, args.sizes, groups)
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    print(
        f"briefing benchmark, {when}, briefing {version}, {os.cpu_count()} CPUs, {args.runs} runs, "
        f"{COLS}x{ROWS} pty, TERM=xterm-256color"
    )
    print(load_text(results) + "\n")
    if "notes" in groups:
        print(notes_store_text(results, args.sizes) + "\n")
    if groups:
        print(plain_table(header, rows))
        print("\nMarkdown:\n")
        print(markdown_table(header, rows))
        probe = probe_table(results, args.sizes)
        if probe is not None:
            print(
                "\nSearch in process: Library.search(query) on the warm index, in a process of its own "
                f"that holds it open; no terminal, no drawing, no keystroke (median of {args.probe_repeats} "
                f"calls a run after one first call, over {args.runs} runs):\n"
            )
            print(plain_table(*probe))
            print("\nMarkdown:\n")
            print(markdown_table(*probe))
        print("\nWhat the bytes of one answer are made of:\n")
        print(anatomy_report(results, args.sizes))
    ssh = results["ssh"]
    if args.only in ("all", "ssh"):
        if ssh["na"]:
            print(f"\nOver SSH: not measured: {ssh['na']}")
        else:
            header, rows = ssh_table(ssh, args.sizes)
            print(
                f"\nOver SSH (OpenSSH on 127.0.0.1, ssh -tt, the same program and environment on both "
                f"sides; medians over {args.runs} runs):\n"
            )
            print(plain_table(header, rows))
            print("\nMarkdown:\n")
            print(markdown_table(header, rows))
    sessions = [
        s
        for k, v in results.items()
        if k != "ssh"
        for s in (v if k == "bare" else v["cold"] + v["warm"] + notes_of(v, "notebook") + notes_of(v, "save"))
    ]
    if not ssh["na"]:
        sessions += ssh["connect"] + [
            s for group in ssh.values() if isinstance(group, dict) for s in group["local"] + group["ssh"]
        ]
    unclean = [s for s in sessions if not s["clean_exit"]]
    if unclean:
        print(f"\nnote: {len(unclean)} session(s) did not quit on their key and were ended by signal")
