"""Pastes and typed text cannot reach the terminal: read whole, then cleaned.

Textual's input parser (``textual._xterm_parser.XTermParser``) reads a bracketed paste a
character at a time with the same code that reads escape sequences. An ESC inside the
paste goes into the pasted text raw, while the characters after it are sent on as key
presses, ahead of the paste itself; a sequence longer than 32 characters is given up on
the same way. So a pasted ``ESC c`` (reset the terminal) or OSC 52 (set the clipboard)
came out of the filter box and the note editor raw, and text with an ESC in it arrived
out of order. (Textual's behaviour as of 8.2; no upstream issue names it.)

:class:`PasteParser` takes a bracketed paste out of the input before Textual's parser
sees it: everything between ``ESC [200~`` and ``ESC [201~`` becomes one ``Paste`` event,
in order, whatever it holds. :func:`clean_typed` then makes every control character of a
paste visible (``␛``, ``␡``, U+FFFD for C1 and bidi controls) and drops the characters
that would make the screen's measure wrong (safe.py), before any widget sees it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser

from briefing.core.safe import clean

START = "\x1b[200~"
END = "\x1b[201~"
PASTE_MAX = 1_000_000  # characters kept of one paste; the rest is left out (and said so)


def clean_typed(text: str) -> str:
    """Text that came from the keyboard or a paste, safe for any widget to show: line
    breaks kept, tabs as spaces, every other control character visible."""
    return clean(text.replace("\t", "    "))


def _partial(data: str, marker: str) -> int:
    """How many characters at the end of ``data`` may be the start of ``marker`` (a lone
    ESC never is: it is the Escape key, which must not wait for more input)."""
    for size in range(min(len(marker) - 1, len(data)), 1, -1):
        if marker.startswith(data[-size:]):
            return size
    return 0


class PasteParser(XTermParser):
    """Textual's parser, with bracketed pastes read whole before it sees them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pasting = False
        self._pasted: list[str] = []
        self._size = 0
        self._held = ""  # the end of the last read: perhaps the start of a marker

    def feed(self, data: str) -> Iterable:
        if not data:  # end of input: a paste still open is given as it is
            if self._pasting:
                yield self._paste_event()
            if self._held:
                yield from super().feed(self._held)
                self._held = ""
            yield from super().feed(data)
            return
        data, self._held = self._held + data, ""
        while data:
            if self._pasting:
                end = data.find(END)
                if end < 0:
                    keep = _partial(data, END)
                    self._add(data[: len(data) - keep])
                    self._held = data[len(data) - keep :]
                    return
                self._add(data[:end])
                data = data[end + len(END) :]
                yield self._paste_event()
                continue
            start = data.find(START)
            if start < 0:
                keep = _partial(data, START)
                if keep:
                    data, self._held = data[:-keep], data[-keep:]
                if data:
                    yield from super().feed(data)
                return
            if start:
                yield from super().feed(data[:start])
            self._pasting = True
            data = data[start + len(START) :]

    def _add(self, text: str) -> None:
        room = PASTE_MAX - self._size
        if room > 0:
            self._pasted.append(text[:room])
        self._size += len(text)

    def _paste_event(self) -> events.Paste:
        text = "".join(self._pasted).replace("\x00", "")
        if self._size > PASTE_MAX:
            text += f" … ({self._size - PASTE_MAX:,} more characters left out of the paste)"
        self._pasting, self._pasted, self._size = False, [], 0
        return events.Paste(text)


def install() -> None:
    """Have Textual's terminal driver read input with :class:`PasteParser`."""
    from textual.drivers import linux_driver

    linux_driver.XTermParser = PasteParser  # type: ignore[misc]
