"""A source document, wrapped to the width it gets, with the cited passage marked.

Drawn line by line (the Line API) so a long source costs no more to open than a short
one. The cited paragraph carries a bar in the gutter as well as a colour, so it stays
visible without colour.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.ui.widgets.rowlist import _strip

GUTTER = 7  # "·¶12 ┃·"


class SourceView(ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = [
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("home,g", "scroll_home", "Top", show=False),
        Binding("end,G", "scroll_end", "End", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup,b", "page_up", "Page up", show=False),
    ]
    COMPONENT_CLASSES = {"sourceview--cited", "sourceview--number"}
    DEFAULT_CSS = """
    SourceView { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 1; }
    SourceView > .sourceview--cited { background: $accent 30%; text-style: bold; }
    SourceView > .sourceview--number { color: $text-muted; }
    """

    def __init__(
        self, paragraphs: tuple[str, ...], cited: dict[int, list[tuple[int, int]] | None], *, id: str | None = None
    ) -> None:
        """``cited`` maps a paragraph number (from 1) to the spans of its cited sentences,
        or to None when the whole paragraph is cited."""
        super().__init__(id=id)
        self.paragraphs = paragraphs
        self.cited = cited
        self._lines: list[tuple[int, Text]] = []
        self._first_line: dict[int, int] = {}
        self._width = 0

    def _layout(self, width: int) -> None:
        if width == self._width and self._lines:
            return
        self._width = width
        self._lines = []
        self._first_line = {}
        cited_style = self.get_component_rich_style("sourceview--cited")
        body = max(10, width - GUTTER)
        for number, paragraph in enumerate(self.paragraphs, start=1):
            text = Text(paragraph)
            if number in self.cited:
                for start, end in self.cited[number] or [(0, len(paragraph))]:
                    text.stylize(cited_style, start, end)
            self._first_line[number] = len(self._lines)
            for line in text.wrap(self.app.console, body):
                self._lines.append((number, line))
            self._lines.append((0, Text("")))
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        self._layout(self.scrollable_content_region.width)
        self.refresh()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self.theme_changed)

    def theme_changed(self, theme) -> None:
        """The cited passage's style comes from the theme: lay the lines out again."""
        self._width = 0
        self._layout(self.scrollable_content_region.width)
        self.refresh()

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
        first = self._first_line[number] == index
        muted = self.get_component_rich_style("sourceview--number")
        label = f"¶{number}" if first else ""
        bar = "┃" if number in self.cited else " "
        gutter = Text.assemble((f"{label:>4} ", muted), (bar + " ", Style(bold=True)))
        return _strip(Text.assemble(gutter, line), width, base, self.app.console)

    def scroll_to_paragraph(self, number: int) -> None:
        self._layout(self.scrollable_content_region.width)
        line = self._first_line.get(number)
        if line is not None:
            self.scroll_to(y=max(0, line - 1), animate=False, immediate=True)
