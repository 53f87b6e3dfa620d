"""A source document, wrapped to the width it gets, with the cited passage marked and a
sentence cursor.

Paragraphs are numbered in a gutter (``¶3``) and every sentence carries its number, as
citations count them (``[S1 ¶3.2]``): the split is the document's own
(``SourceDocument.spans``), never made again here. The cursor stands on one sentence; keys
move it sentence by sentence or paragraph by paragraph, and the screen says where it is.

Drawn line by line (the Line API): a move repaints the lines of two sentences. The cited
paragraph carries a bar in the gutter as well as a colour, and the cursor's sentence a ``▶``
as well as the theme's cursor style, so both stay visible without colour.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.core.sources import SourceDocument
from briefing.ui.widgets.rowlist import CURSOR_GLYPH, _strip


def gutter_width(paragraphs: int) -> int:
    """The gutter's columns: the cursor, ``¶12`` right-aligned, a space, the bar, a space."""
    return 1 + max(3, len(f"¶{paragraphs}")) + 3


class SourceView(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = [
        Binding("down,j", "next_sentence", "Next sentence", show=False, tooltip="The cursor to the next sentence"),
        Binding(
            "up,k", "previous_sentence", "Previous sentence", show=False, tooltip="The cursor to the previous sentence"
        ),
        Binding(
            "J,right_curly_bracket",
            "next_paragraph",
            "Next paragraph",
            show=False,
            tooltip="The cursor to the next paragraph",
        ),
        Binding(
            "K,left_curly_bracket",
            "previous_paragraph",
            "Previous paragraph",
            show=False,
            tooltip="The cursor to this or the previous paragraph",
        ),
        Binding("home,g", "first_sentence", "First sentence", show=False, tooltip="The cursor to the first sentence"),
        Binding("end,G", "last_sentence", "Last sentence", show=False, tooltip="The cursor to the last sentence"),
        Binding("pagedown,space", "page_down", "Page down", show=False, tooltip="Scroll down a page"),
        Binding("pageup,b", "page_up", "Page up", show=False, tooltip="Scroll up a page"),
    ]
    COMPONENT_CLASSES = {"sourceview--cited", "sourceview--number", "sourceview--sentence", "sourceview--cursor"}
    DEFAULT_CSS = """
    SourceView { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1; }
    SourceView > .sourceview--cited { background: $accent 30%; text-style: bold; }
    SourceView > .sourceview--number { color: $text-muted; }
    SourceView > .sourceview--sentence { color: $text-muted; }
    SourceView > .sourceview--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    SourceView:focus > .sourceview--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    class Moved(Message):
        """The cursor now stands on sentence ``sentence`` of paragraph ``paragraph``."""

        def __init__(self, view: SourceView, paragraph: int, sentence: int) -> None:
            super().__init__()
            self.view = view
            self.paragraph = paragraph
            self.sentence = sentence

        @property
        def control(self) -> SourceView:
            return self.view

    def __init__(
        self,
        document: SourceDocument,
        cited: dict[int, list[tuple[int, int]] | None],
        cursor: tuple[int, int] = (1, 1),
        *,
        numbered: Callable[[int], str],
        id: str | None = None,
    ) -> None:
        """``cited`` maps a paragraph number (from 1) to the spans of its cited sentences
        (where they are in the paragraph's text), or to None when all of it is cited.
        ``cursor``: the paragraph and sentence the cursor starts on; ``numbered``: the mark
        put before sentence ``n`` (``²``)."""
        super().__init__(id=id)
        self.numbered = numbered
        self.document = document
        self.paragraphs = document.paragraphs
        self.cited = cited
        self.cursor = self._valid(*cursor)
        self.gutter_cells = gutter_width(len(self.paragraphs))
        # Each line drawn: its paragraph (0 for the blank line after one) and its text; where
        # it starts in the paragraph's text as shown (sentence numbers included).
        self._lines: list[tuple[int, Text]] = []
        self._starts: list[int] = []
        self._first_line: dict[int, int] = {}
        # Per paragraph: where each sentence is in its text as shown, its number included.
        self._shown: dict[int, list[tuple[int, int]]] = {}
        self._width = 0
        self._wanted: int | None = None  # a paragraph to scroll to once the view has a size

    # -- the cursor's sentence ------------------------------------------------

    def sentences_in(self, paragraph: int) -> int:
        """How many sentences paragraph ``paragraph`` has (0 for one that is not there)."""
        if not 1 <= paragraph <= len(self.paragraphs):
            return 0
        return len(self.document.spans(paragraph))

    def _valid(self, paragraph: int, sentence: int) -> tuple[int, int]:
        """The nearest sentence that exists to (``paragraph``, ``sentence``)."""
        if not self.paragraphs:
            return (1, 1)
        paragraph = max(1, min(paragraph, len(self.paragraphs)))
        sentence = max(1, min(sentence, self.sentences_in(paragraph)))
        return (paragraph, sentence)

    # -- laying out -----------------------------------------------------------

    def _paragraph_text(self, number: int, marker: Style, cited: Style) -> tuple[Text, list[tuple[int, int]]]:
        """Paragraph ``number`` as shown, each sentence after its number, and where each
        sentence (with its number) is in it. Plain strings only: no markup is read."""
        paragraph = self.paragraphs[number - 1]
        spans = self.document.spans(number)
        text = Text()
        shown: list[tuple[int, int]] = []
        # Per sentence: where it starts in the paragraph, and how many characters the numbers
        # add before its number and before its text.
        shifts: list[tuple[int, int, int]] = []
        at = 0
        for index, (start, end) in enumerate(spans, start=1):
            text.append(paragraph[at:start])
            begin = len(text)
            text.append(self.numbered(index), style=marker)
            shifts.append((start, begin - start, len(text) - start))
            text.append(paragraph[start:end])
            shown.append((begin, len(text)))
            at = end
        text.append(paragraph[at:])

        def place(offset: int, end: bool) -> int:
            """Where ``offset`` of the paragraph is in the text shown; a sentence's start is
            its number's (so a cited sentence is marked with its number)."""
            added = 0
            for start, before, after in shifts:
                if start < offset:
                    added = after
                elif start == offset and not end:
                    added = before
            return offset + added

        if number in self.cited:
            for start, end in self.cited[number] or [(0, len(paragraph))]:
                text.stylize(cited, place(start, False), place(end, True))
        return text, shown

    def _layout(self, width: int) -> None:
        if width == self._width and self._lines:
            return
        self._width = width
        self._lines, self._starts, self._first_line, self._shown = [], [], {}, {}
        cited = self.get_component_rich_style("sourceview--cited")
        marker = self.get_component_rich_style("sourceview--sentence")
        body = max(10, width - self.gutter_cells)
        for number in range(1, len(self.paragraphs) + 1):
            text, self._shown[number] = self._paragraph_text(number, marker, cited)
            plain = text.plain
            self._first_line[number] = len(self._lines)
            at = 0
            for line in text.wrap(self.app.console, body):
                line.rstrip()  # a marked passage ends where its words do, not a space after
                self._lines.append((number, line))
                self._starts.append(at)
                # The next line starts after this one and the spaces the wrap left out.
                at += len(line.plain)
                while at < len(plain) and plain[at] == " ":
                    at += 1
            self._lines.append((0, Text("")))
            self._starts.append(0)
        self.virtual_size = Size(width, len(self._lines))

    def _line_of(self, paragraph: int, offset: int) -> int:
        """The line that shows character ``offset`` of ``paragraph``'s text as shown."""
        first = self._first_line[paragraph]
        last = self._first_line.get(paragraph + 1, len(self._lines)) - 1  # its blank line
        return first + max(0, bisect_right(self._starts, offset, first, last) - first - 1)

    def sentence_lines(self, paragraph: int, sentence: int) -> tuple[int, int]:
        """The first and last line of a sentence."""
        self._layout(self.scrollable_content_region.width)
        start, end = self._shown[paragraph][sentence - 1]
        return self._line_of(paragraph, start), self._line_of(paragraph, max(start, end - 1))

    def on_resize(self) -> None:
        self._layout(self.scrollable_content_region.width)
        self.refresh()
        wanted, self._wanted = self._wanted, None

        def settle() -> None:
            if wanted is not None:
                self.scroll_to_paragraph(wanted)
            self.scroll_to_cursor()

        self.call_after_refresh(settle)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self.theme_changed)

    def theme_changed(self, theme) -> None:
        """The cited passage's style comes from the theme: lay the lines out again."""
        self._width = 0
        self._layout(self.scrollable_content_region.width)
        self.refresh()

    # -- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        self._layout(width)
        index = self.scroll_offset.y + y
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        number, line = self._lines[index]
        if number == 0:
            return Strip.blank(width, base)
        start = self._starts[index]
        mark = " "
        paragraph, sentence = self.cursor
        if number == paragraph:
            first, last = self._shown[number][sentence - 1]
            low, high = max(first, start), min(last, start + len(line.plain))
            if low < high:
                line = line.copy()
                line.stylize(self.get_component_rich_style("sourceview--cursor"), low - start, high - start)
            if start <= first < start + max(1, len(line.plain)):  # the line its number is on
                mark = CURSOR_GLYPH
        muted = self.get_component_rich_style("sourceview--number")
        label = f"¶{number}" if self._first_line[number] == index else ""
        bar = "┃" if number in self.cited else " "
        gutter = Text.assemble(
            (mark, muted + Style(bold=True)),
            (f"{label:>{self.gutter_cells - 4}} ", muted),
            (bar + " ", Style(bold=True)),
        )
        return _strip(Text.assemble(gutter, line), width, base, self.app.console)

    def _refresh_sentence(self, paragraph: int, sentence: int) -> None:
        top, height = self.scroll_offset.y, self.size.height
        first, last = self.sentence_lines(paragraph, sentence)
        low, high = max(first, top), min(last, top + height - 1)
        if low <= high:
            self.refresh(Region(0, low - top, self.size.width, high - low + 1))

    # -- moving ---------------------------------------------------------------

    def move_to(self, paragraph: int, sentence: int = 1, scroll: bool = True) -> None:
        """Put the cursor on sentence ``sentence`` of ``paragraph`` (the nearest that exists),
        scrolled into view, and say so. (A source with no text has nowhere to move to.)"""
        if not self.paragraphs:
            return
        old, new = self.cursor, self._valid(paragraph, sentence)
        self.cursor = new
        if self._lines:
            self._refresh_sentence(*old)
            self._refresh_sentence(*new)
        if scroll:
            self.scroll_to_cursor()
        self.post_message(self.Moved(self, *new))

    def scroll_to_cursor(self) -> None:
        """Scroll just enough to show the cursor's sentence (its start, if it is longer than
        the view); not at all when it is in view."""
        height = self.scrollable_content_region.height
        if height <= 0 or not self.paragraphs:
            return
        first, last = self.sentence_lines(*self.cursor)
        top = self.scroll_offset.y
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last >= top + height:
            self.scroll_to(y=min(first, last - height + 1), animate=False, immediate=True)

    def scroll_to_paragraph(self, number: int) -> None:
        """Show paragraph ``number`` near the top, with the line above it (once the view
        has its size, if it has none yet)."""
        region = self.scrollable_content_region
        if region.width <= 0 or region.height <= 0:
            self._wanted = number
            return
        self._layout(region.width)
        line = self._first_line.get(number)
        if line is not None:
            self.scroll_to(y=max(0, line - 1), animate=False, immediate=True)

    def action_next_sentence(self) -> None:
        paragraph, sentence = self.cursor
        if sentence < self.sentences_in(paragraph):
            self.move_to(paragraph, sentence + 1)
        elif paragraph < len(self.paragraphs):
            self.move_to(paragraph + 1, 1)

    def action_previous_sentence(self) -> None:
        paragraph, sentence = self.cursor
        if sentence > 1:
            self.move_to(paragraph, sentence - 1)
        elif paragraph > 1:
            self.move_to(paragraph - 1, self.sentences_in(paragraph - 1))

    def action_next_paragraph(self) -> None:
        paragraph, _ = self.cursor
        if paragraph < len(self.paragraphs):
            self.move_to(paragraph + 1, 1)
        else:  # the last paragraph: to its last sentence
            self.move_to(paragraph, self.sentences_in(paragraph))

    def action_previous_paragraph(self) -> None:
        paragraph, sentence = self.cursor
        self.move_to(paragraph if sentence > 1 else max(1, paragraph - 1), 1)

    def action_first_sentence(self) -> None:
        self.move_to(1, 1)
        self.scroll_home(animate=False, immediate=True)

    def action_last_sentence(self) -> None:
        last = len(self.paragraphs)
        self.move_to(last, self.sentences_in(last) if last else 1)
        self.scroll_end(animate=False, immediate=True)

    def _starts_in_view(self) -> list[tuple[int, int]]:
        """The sentences that start on a line in view, in order."""
        self._layout(self.scrollable_content_region.width)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        found = []
        for index in range(top, min(len(self._lines), top + height)):
            number = self._lines[index][0]
            if number == 0:
                continue
            start, length = self._starts[index], len(self._lines[index][1].plain)
            for sentence, (first, _) in enumerate(self._shown[number], start=1):
                if start <= first < start + max(1, length):
                    found.append((number, sentence))
        return found

    def _page(self, down: bool) -> None:
        """Scroll a page; the cursor follows when it leaves the view (to the first sentence
        that starts in view going down, the last going up). At the end of the document the
        cursor goes to the last (or first) sentence in view."""
        if not self.paragraphs:
            return
        before = self.scroll_offset.y
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=before + (page if down else -page), animate=False, immediate=True)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        first, last = self.sentence_lines(*self.cursor)
        starting = self._starts_in_view()
        if not starting:
            return
        if self.scroll_offset.y == before:  # nothing left to scroll: the cursor goes to the end
            self.move_to(*(starting[-1] if down else starting[0]), scroll=False)
        elif last < top or first >= top + height:
            self.move_to(*(starting[0] if down else starting[-1]), scroll=False)

    def action_page_down(self) -> None:
        self._page(down=True)

    def action_page_up(self) -> None:
        self._page(down=False)

    def on_click(self, event) -> None:
        """A click puts the cursor on the sentence clicked (keys do it all as well)."""
        self._layout(self.scrollable_content_region.width)
        index = self.scroll_offset.y + event.y
        if not 0 <= index < len(self._lines) or self._lines[index][0] == 0:
            return
        number = self._lines[index][0]
        offset = self._starts[index] + max(0, event.x - self.gutter_cells)
        shown = self._shown[number]
        sentence = next((i for i, (_, end) in enumerate(shown, start=1) if offset < end), len(shown))
        self.move_to(number, sentence, scroll=False)
