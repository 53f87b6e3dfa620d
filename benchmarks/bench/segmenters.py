"""Compare sentence segmenters on the hard sentences of tests/test_segment.py.

    pip install pysbd syntok   # the two compared with briefing's own split (sentencex)
    python -m benchmarks.bench.segmenters

Prints, for each segmenter, the cases it splits otherwise than expected and its time for
the whole set. docs/design.md §9 gives the result and why sentencex was chosen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.test_segment import CASES

from briefing.core.segment import sentence_spans, sentences


def _pysbd() -> Callable[[str], list[str]]:
    import pysbd  # type: ignore[import-not-found]

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in segmenter.segment(text)]


def _syntok() -> Callable[[str], list[str]]:
    import syntok.segmenter as syntok  # type: ignore[import-not-found]

    def split(text: str) -> list[str]:
        return ["".join(t.spacing + t.value for t in s).strip() for p in syntok.analyze(text) for s in p]

    return split


def main() -> None:
    candidates: dict[str, Callable[[], Callable[[str], list[str]]]] = {
        "briefing (sentencex + rule)": lambda: sentences,
        "pysbd": _pysbd,
        "syntok": _syntok,
    }
    for name, make in candidates.items():
        try:
            split = make()
        except ImportError:
            print(f"{name}: not installed")
            continue
        wrong = [(text, got) for text, expected in CASES if (got := split(text)) != expected]
        start = time.perf_counter()
        for _ in range(100):
            sentence_spans.cache_clear()
            for text, _ in CASES:
                split(text)
        took = (time.perf_counter() - start) / 100
        print(f"{name}: {len(CASES) - len(wrong)}/{len(CASES)} right, {took * 1000:.2f} ms for the set")
        for text, got in wrong:
            print(f"    {text!r}\n      -> {got!r}")


if __name__ == "__main__":
    main()
