#!/usr/bin/env python3
"""The notes-store half of the benchmark (run by notes.py in a subprocess, see README.md).

    python -P notes_store.py prefill --library DIR --store PATH [--notes 10000] [--briefs 1000]
    python -P notes_store.py saves --store PATH [--saves 30] [--pause 0.1] [--profile FILE]

``prefill`` writes a fresh store of realistic notes spread over the synthetic library's
briefs, with one ``Store.put()``; ``saves`` times single ``Store.add_note()`` calls on it
(each returns once the note is durable). Both print one JSON object on stdout.

It imports ``briefing`` from wherever the interpreter finds it: the editable install (the
working tree), or the ``src/`` of a commit put first on PYTHONPATH by ``--rev``.
A revision without the store's API prints ``{"na": "why"}`` and exits 0.

Never point ``--store`` at a real store: ``prefill`` refuses a path that exists.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Items a note is never written on, so the benchmark's save session can write the
# first note on them and see its marker appear: the first three facts of every brief.
FREE_FACTS = 3

# Realistic note texts: a reader's remarks, some in other languages, built to about 150
# characters; every fourth note has more than one line.
REMARKS = (
    "Check this against the minutes of the March committee meeting.",
    "The figure differs from the council's own annual report (p. 14).",
    "Ask the vendor for the contract's termination clause and the break costs.",
    "Possible conflict of interest: the same consultancy advised on both bids.",
    "Compare with Zürich's 2023 pilot — similar cost, fewer safeguards, no audit.",
    "Cité dans le rapport de la CNIL ; à vérifier avant publication.",
    "Follow up with the data-protection officer: no DPIA was ever published.",
    "Good quote for the summary; keep the wording exactly as it is.",
    "Number looks high: €12m here vs £9.4m in the procurement notice.",
    "Raised again at the Ausschuss hearing — see the transcript, §3.",
    "Source is a press release; find the underlying dataset if there is one.",
    "Stakeholder's position changed after the consultation closed (see timeline).",
    "Ένα σχόλιο στα ελληνικά, για να δοκιμαστεί η κωδικοποίηση.",
    "日本語のメモ：後で確認すること。",
    "✓ verified by phone with the press office, 14:30.",
)


def realistic_text(rng: random.Random, number: int) -> str:
    """About 150 characters of remarks; every fourth note on several lines."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < 130:
        parts.append(rng.choice(REMARKS))
    text = ("\n" if number % 4 == 0 else " ").join(parts)
    return text[:190]


def store_class() -> type:
    """The measured briefing's ``Store``: in the layer folders, else where it was before them."""
    try:
        from briefing.store.notes import Store
    except ModuleNotFoundError:
        from briefing.store import Store
    return Store


def prefill(args: argparse.Namespace) -> dict:
    Store = store_class()
    try:
        from briefing.core.marks import Note
        from briefing.core.parse import load_brief
    except ModuleNotFoundError:  # a revision from before the layer folders
        from briefing.model import Note
        from briefing.parse import load_brief

    store_path = Path(args.store)
    if store_path.exists():
        raise SystemExit(f"notes_store: {store_path} exists; prefill writes a fresh store only")
    library = Path(args.library)
    files = sorted(library.glob("synthetic-*.md"))
    if not files:
        raise SystemExit(f"notes_store: no synthetic briefs in {library}")
    chosen = files[:: max(1, len(files) // args.briefs)][: args.briefs]
    rng = random.Random(20261127)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    t = time.perf_counter()
    slots = []  # (brief id, item or None, pane, quote) per brief
    for path in chosen:
        brief = load_brief(path)
        free = {item.id for item in list(brief.facts)[:FREE_FACTS]}
        anchors = [(brief.id, item.id, item.pane, item.quote) for item in brief.items() if item.id not in free]
        anchors.append((brief.id, None, None, brief.title))  # a note on the whole brief
        slots.append(anchors)
    parsed_s = time.perf_counter() - t
    notes = []
    for n in range(args.notes):
        anchors = slots[n % len(slots)]
        brief_id, item, pane, quote = anchors[(n // len(slots) + n) % len(anchors)]
        stamp = (
            (start + timedelta(seconds=n * 2953 + rng.randrange(600)))
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z")
        )
        notes.append(
            Note(
                id=secrets.token_hex(8),
                brief=brief_id,
                item=item,
                pane=pane,
                quote=quote,
                author="bench",
                created=stamp,
                updated=stamp,
                text=realistic_text(rng, n),
            )
        )
    t = time.perf_counter()
    store = Store(store_path, author="bench")
    try:
        store.put(*notes)
    finally:
        store.close()
    put_s = time.perf_counter() - t
    quotes = [len(n.quote) for n in notes]
    texts = [len(n.text) for n in notes]
    return {
        "notes": len(notes),
        "briefs": len(chosen),
        "bytes": store_path.stat().st_size,
        "parse_s": parsed_s,
        "put_s": put_s,
        "quote_chars": [min(quotes), statistics.mean(quotes), max(quotes)],
        "text_chars": [min(texts), statistics.mean(texts), max(texts)],
        "multiline": sum("\n" in n.text for n in notes),
        "non_ascii": sum(not n.text.isascii() for n in notes),
    }


def saves(args: argparse.Namespace) -> dict:
    Store = store_class()

    t = time.perf_counter()
    store = Store(Path(args.store), author="bench")
    open_s = time.perf_counter() - t
    try:
        notes = store.notes()
        before = len(notes)
        targets = [(n.brief, n.item, n.pane, n.quote) for n in notes[:: max(1, before // args.saves)]]
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        times = []
        for k in range(args.saves):
            brief, item, pane, quote = targets[k % len(targets)]
            text = f"Benchmark note {k}: a second look at this, with a date (2026-11-27) and a café."
            time.sleep(args.pause)  # a reader does not save notes back to back
            if profiler:
                profiler.enable()
            t = time.perf_counter()
            store.add_note(brief, item, pane, quote, text)
            times.append(time.perf_counter() - t)
            if profiler:
                profiler.disable()
        after = len(store.notes())
    finally:
        store.close()
    if profiler:
        profiler.dump_stats(args.profile)
    return {
        "open_s": open_s,
        "notes_before": before,
        "notes_after": after,
        "save_s": times,
        "bytes": Path(args.store).stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("prefill", help="write a fresh store of realistic notes with one put()")
    fill.add_argument("--library", required=True)
    fill.add_argument("--store", required=True)
    fill.add_argument("--notes", type=int, default=10000)
    fill.add_argument("--briefs", type=int, default=1000, help="briefs the notes are spread over")
    save = commands.add_parser("saves", help="time single add_note() calls")
    save.add_argument("--store", required=True)
    save.add_argument("--saves", type=int, default=30)
    save.add_argument("--pause", type=float, default=0.1, help="seconds between two saves")
    save.add_argument("--profile", help="also write cProfile stats of the saves to this file")
    args = parser.parse_args(argv)
    try:
        Store = store_class()
    except ImportError as exc:
        print(json.dumps({"na": f"no notes store ({exc})"}))
        return 0
    missing = [name for name in ("put", "add_note", "notes") if not hasattr(Store, name)]
    if missing:
        print(json.dumps({"na": f"the store has no {', '.join(missing)}"}))
        return 0
    result = prefill(args) if args.command == "prefill" else saves(args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
