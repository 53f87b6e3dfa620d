"""Untrusted text made safe for a terminal (docs/design.md §5).

Every string that comes from a brief, a source or a file name goes through
:func:`clean` before it is kept in the model, so escape sequences (CSI, OSC 52,
OSC 8, C1 controls) and bidi overrides can never reach the terminal. They are
shown visibly instead of being dropped, so a reader can see that something was
there: C0 controls become their Unicode "control picture" (ESC shows as ␛),
and C1 controls and bidi overrides become U+FFFD.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Invisible characters that change how wide the text around them is drawn, and on which
# Rich (which measures the screen) and terminals (which draw it, a code point at a time:
# xterm, VTE, tmux) disagree: Rich counts the character after a zero width joiner as no
# width, a variation selector 16 as widening the one before. They are dropped, so that
# what is measured is what is drawn, and no text can push another out of view:
# every format character (Unicode category Cf: joiners, zero width spaces, word joiner,
# soft hyphen, tag characters, ...), variation selectors, the combining grapheme joiner,
# and emoji skin-tone modifiers (drawn 2 wide on their own by some terminals, joined by
# others). An emoji sequence is shown as its separate emoji.
_FORMAT = [
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200D),
    (0x2060, 0x2064),
    (0x206A, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
]
_JOINING = [
    (0x034F, 0x034F),
    (0x180B, 0x180D),
    (0x180F, 0x180F),
    (0xFE00, 0xFE0F),
    (0xE0100, 0xE01EF),
    (0x1F3FB, 0x1F3FF),
]
# Regional indicator symbols pair up into flags, drawn 2 wide, or 1, or 2 each: shown as
# the letters they are ("GB" for the British flag's pair).
_REGIONAL = (0x1F1E6, 0x1F1FF)


def _build_table(keep_newlines: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(0x20):
        if code == 0x09 or (keep_newlines and code == 0x0A):
            continue
        table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = REPLACEMENT
    for ch in _BIDI:
        table[ord(ch)] = REPLACEMENT
    # Lone surrogates (from a file name that is not UTF-8) cannot be written to a terminal.
    for code in range(0xD800, 0xE000):
        table[code] = REPLACEMENT
    # Line and paragraph separators would break a terminal line like a newline.
    table[0x2028] = " "
    table[0x2029] = " "
    for start, end in _FORMAT + _JOINING:
        for code in range(start, end + 1):
            table.setdefault(code, None)  # dropped (bidi controls stay shown as U+FFFD)
    for code in range(_REGIONAL[0], _REGIONAL[1] + 1):
        table[code] = chr(ord("A") + code - _REGIONAL[0])
    return table


_MULTILINE = _build_table(keep_newlines=True)
_ONE_LINE = _build_table(keep_newlines=False)


class _Characters:
    """A set of characters, as ranges of code points, and whether a text holds one of them.

    A regular expression looks a character up in a table when every character of its set
    is below U+10000, but compares it with range after range when some are above: several
    times slower over the usual text. So the text is searched first for a character of the
    set below U+10000 or any character above; only from the first above, if that comes
    first, is it searched with the whole set."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        low = [(start, min(end, 0xFFFF)) for start, end in ranges if start <= 0xFFFF]
        self._quick = re.compile(_character_class([*low, (0x10000, 0x10FFFF)]))
        self._all = re.compile(_character_class(ranges))

    def found_in(self, text: str) -> bool:
        found = self._quick.search(text)
        if found is None:
            return False
        if found.group() <= "\uffff":
            return True  # a character of the set
        return self._all.search(text, found.start()) is not None


def _character_class(ranges: list[tuple[int, int]]) -> str:
    return "[" + "".join(f"{chr(start)}-{chr(end)}" for start, end in ranges) + "]"


_CONTROLS = [(0x00, 0x08), (0x7F, 0x9F), (0x2028, 0x2029), (0xD800, 0xDFFF)]
_SPECIALS = [*((ord(c), ord(c)) for c in _BIDI), *_FORMAT, *_JOINING, _REGIONAL]
_UNSAFE = _Characters([*_CONTROLS, (0x0A, 0x1F), *_SPECIALS])
_NEEDS_CLEANING = _Characters([*_CONTROLS, (0x0B, 0x1F), *_SPECIALS])  # a newline is fine


def clean(text: str) -> str:
    """Text with every terminal control made visible; tabs and newlines kept."""
    if not _NEEDS_CLEANING.found_in(text):
        return text  # the usual case, found at C speed
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_MULTILINE)


def clean_lines(text: str) -> list[str]:
    """The lines of ``text``, each passed through :func:`clean` on its own (a carriage return
    in a line becomes a newline in it, as it would in that line alone)."""
    if not _NEEDS_CLEANING.found_in(text):
        return text.split("\n")  # the usual case: no line has anything to clean
    return [clean(line) for line in text.split("\n")]


def clean_line(text: str) -> str:
    """Like :func:`clean`, for a value that must stay on one line (titles, file names)."""
    if not _UNSAFE.found_in(text):
        return text
    return text.translate(_ONE_LINE)


def is_clean(text: str) -> bool:
    """True if nothing in ``text`` but tab and newline is a control character."""
    return not _UNSAFE.found_in(text.replace("\n", ""))
