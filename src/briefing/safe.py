"""Untrusted text made safe for a terminal (DESIGN §5).

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


def _build_table(keep_newlines: bool) -> dict[int, str]:
    table: dict[int, str] = {}
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
    return table


_MULTILINE = _build_table(keep_newlines=True)
_ONE_LINE = _build_table(keep_newlines=False)
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _BIDI + "]")


def clean(text: str) -> str:
    """Text with every terminal control made visible; tabs and newlines kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_MULTILINE)


def clean_line(text: str) -> str:
    """Like :func:`clean`, for a value that must stay on one line (titles, file names)."""
    return text.translate(_ONE_LINE)


def is_clean(text: str) -> bool:
    """True if nothing in ``text`` but tab and newline is a control character."""
    return _UNSAFE.search(text.replace("\n", "")) is None
