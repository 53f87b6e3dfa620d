"""Sentences of a source paragraph, numbered as citations count them (``[S1 ¶3.2]``).

The split is Wikimedia's sentencex (rule-based, offline, maintained; docs/design.md §9 says
why it was chosen over pySBD and syntok), with two rules of ours on top: a "sentence" that
starts with a lower-case letter is the same sentence going on ("It took 3 yrs. and cost
£1m." is one), and so is one after a number standing alone ("1. Summary" is one) or after a title
that never ends one ("Cllr. Jones"); a note's number after a sentence ("... 2023. [2] Base:")
opens the next. It keeps "Dr.", "St.", "U.S.", "No. 10", initials, decimals and quoted
sentences whole, and a closing quote or bracket stays with its sentence.

:func:`legacy_sentences` is the split briefing used before (at ". ", "! ", "? "): ``check``
compares the two to report citations whose sentence number now points at other text.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A heading's or a list's number standing alone ("1.", "2.3.", "(b)", "iv."): not a sentence.
_ENUMERATOR = re.compile(r"^\(?(?:\d{1,3}(?:\.\d{1,3})*|[ivxlc]{1,6}|[a-z])[.)]\Z", re.IGNORECASE)
# Abbreviations sentencex takes for a sentence's end, that never end one: titles before a
# name ("Cllr. Jones", "Ms. Patel", "Ch. Supt. Ali") and "approx.", "para.", "vol." before
# a number.
_TITLE_END = re.compile(r"(?:^|[\s(])(?:Cllrs?|Mx|Ms|Ch|Assoc|approx|paras?|vol)\.\Z")
_TITLE_TAIL = 12  # characters enough to hold what _TITLE_END finds (at most 8), and more
# A note's number after a sentence's end ("... 2023. [2]"): it opens the note that follows.
_NOTE_MARKER = re.compile(r"[.!?][\"'”’)]*\s+(\[\d{1,3}\])\Z")
_LEGACY_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


@lru_cache(maxsize=4096)
def sentence_spans(paragraph: str) -> tuple[tuple[int, int], ...]:
    """Where each sentence of ``paragraph`` starts and ends (white space around left out)."""
    import sentencex  # type: ignore[import-untyped]

    spans: list[tuple[int, int]] = []
    for part in sentencex.get_sentence_boundaries("en", paragraph):
        start, end = int(part["start_index"]), int(part["end_index"])
        text = paragraph[start:end]
        start += len(text) - len(text.lstrip())
        end -= len(text) - len(text.rstrip())
        if start >= end:
            continue
        if spans:
            first, last = spans[-1]
            # What needs only the end of the sentence before is asked first: a sentence that
            # goes on and on ("Cllr. Cllr. Cllr. ...") is not read whole again at each part.
            if _goes_on(paragraph[start]) or _TITLE_END.search(paragraph[max(first, last - _TITLE_TAIL) : last]):
                spans[-1] = (first, end)
                continue
            before = paragraph[first:last]
            if _ENUMERATOR.match(before):
                spans[-1] = (first, end)
                continue
            marker = _NOTE_MARKER.search(before)
            if marker is not None and len(before) > marker.end(1) - marker.start(1):
                # "... p. 87. [2] Base: ...": the note's number opens the next note
                at = first + marker.start(1)
                spans[-1] = (first, first + len(before[: marker.start(1)].rstrip()))
                start = at
        spans.append((start, end))
    if not spans and paragraph.strip():
        text = paragraph
        spans.append((len(text) - len(text.lstrip()), len(text.rstrip())))
    return tuple(spans)


def _goes_on(first: str) -> bool:
    return first.islower()


def sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph``, in order; ``sentences(p)[1]`` is its ``¶n.2``."""
    return [paragraph[start:end] for start, end in sentence_spans(paragraph)]


def legacy_sentences(paragraph: str) -> list[str]:
    """The sentences as briefing split them before sentencex: at ".", "!" or "?" and a space."""
    return [s for s in _LEGACY_END.split(paragraph) if s]
