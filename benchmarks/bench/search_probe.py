#!/usr/bin/env python3
"""The in-process half of the search rows (run by commands.py in a subprocess, see README.md).

    python -P search_probe.py --library DIR [--repeats 20] --query LABEL=TEXT ...

Opens the library the way ``briefing search`` does (``Library.of``, the reader's own index in
the cache folder, which must be built: a warm index), checks it is fresh, then times
``Library.search(TEXT)`` for each query: one call first (reported alone), then ``--repeats``
calls. That is the search alone, in the process that holds the index open: no terminal, no
drawing, no keystroke. Prints one JSON object on stdout.

It imports ``briefing`` from wherever the interpreter finds it: the editable install (the
working tree), or the ``src/`` of a commit put first on PYTHONPATH by ``--rev``. A revision
without ``Library.search`` prints ``{"na": "why"}`` and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", required=True)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--query", action="append", default=[], metavar="LABEL=TEXT")
    args = parser.parse_args(argv)
    try:
        from briefing.core.library import Library
    except ImportError as exc:
        print(json.dumps({"na": f"no briefing.core.library ({exc})"}))
        return 0
    if not hasattr(Library, "search") or not hasattr(Library, "of"):
        print(json.dumps({"na": "no Library.search"}))
        return 0
    t = time.perf_counter()
    library = Library.of([Path(args.library)])
    had_rows = library.load_index()
    open_s = time.perf_counter() - t
    t = time.perf_counter()
    library.scan()
    scan_s = time.perf_counter() - t
    if not had_rows:
        print(json.dumps({"error": "the index was empty: the probe needs a warm index"}))
        return 1
    results = []
    for spec in args.query:
        label, _, text = spec.partition("=")
        t = time.perf_counter()
        query, hits = library.search(text)
        first_s = time.perf_counter() - t
        times = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            query, hits = library.search(text)
            times.append(time.perf_counter() - t)
        matching = None
        if query.match is not None:
            # How many documents (briefs, items, source paragraphs) hold the words: the work
            # the query asks of the index, counted once, untimed.
            matching = library.index.db.execute(
                "SELECT count(*) FROM fts WHERE fts MATCH ?", (query.match,)
            ).fetchone()[0]
        results.append(
            {
                "label": label,
                "query": text,
                "first_s": first_s,
                "times_s": times,
                "hits": len(hits),
                "matching": matching,
                "briefs": sorted({h.brief for h in hits})[:5],
                "kinds": sorted({f"{h.kind}:{h.pane}" for h in hits}),
            }
        )
    print(json.dumps({"open_s": open_s, "scan_s": scan_s, "queries": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
