"""A list of one-line rows drawn on demand, for 10,000 briefs as well as for five items.

Only the rows on screen are rendered, and a cursor move repaints just the two rows
that changed, so a keystroke costs a few hundred bytes on the wire. Rows are Rich
``Text`` built from plain strings: document text is never parsed as markup.

A :class:`Heading` among the rows (a group's title: a tag, a category, a year) is drawn
like any row but never holds the cursor: moves step over it, and the heading right above
the cursor is scrolled into view with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, NamedTuple, TypeVar

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

T = TypeVar("T")

CURSOR_GLYPH = "▶"


class Heading(NamedTuple):
    """A row that titles the rows under it; the cursor passes over it."""

    title: str
    note: str = ""  # said after the title, dimmed: how many rows it stands over
    key: str = ""  # what it groups by (a tag, a status, a folder, a category), if not the title


def selectable(row: object) -> bool:
    return not isinstance(row, Heading)


class RowList(ScrollView, Generic[T], can_focus=True, inherit_bindings=False):
    """Rows of ``T`` drawn by ``format_row``; ``cursor`` is the highlighted row."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]
    # Enter is bound by each screen to what it means there (open, go to, pick): a key
    # bound here would act before the screen's and show in help where it does nothing.
    COMPONENT_CLASSES = {"rowlist--cursor", "rowlist--empty"}
    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    RowList > .rowlist--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    RowList:focus > .rowlist--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    RowList > .rowlist--empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)

    class Highlighted(Message):
        """The cursor moved to ``index``; ``row`` is what stood there when it did (keys
        typed ahead may move the cursor again before this message is handled)."""

        def __init__(self, rowlist: RowList, index: int) -> None:
            super().__init__()
            self.rowlist = rowlist
            self.index = index
            rows = rowlist.rows
            self.row = rows[index] if 0 <= index < len(rows) else None

        @property
        def control(self) -> RowList:
            return self.rowlist

    class Selected(Highlighted):
        pass

    def __init__(
        self,
        format_row: Callable[[T], Text],
        empty: str = "Nothing here.",
        rows: Sequence[T] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._format_row = format_row
        self._rows: Sequence[T] = rows
        self._cache: dict[int, Text] = {}
        self.empty = empty
        self.virtual_size = Size(0, len(rows))

    # -- data ---------------------------------------------------------------

    @property
    def rows(self) -> Sequence[T]:
        return self._rows

    @property
    def current(self) -> T | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(self, rows: Sequence[T], cursor: int = 0) -> None:
        self._rows = rows
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        self.set_reactive(RowList.cursor, self.landing(max(0, min(cursor, len(rows) - 1))))
        self.refresh()
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.cursor))

    def renew_rows(self, rows: Sequence[T]) -> None:
        """The same rows in the same order, read again (a brief's file changed): drawn
        afresh where they are, the cursor and the scroll kept."""
        self._rows = rows
        self._cache.clear()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor))

    def redraw(self) -> None:
        """Format every row again (what they show changed, not which rows there are)."""
        self._cache.clear()
        self.refresh()

    def select_where(self, predicate: Callable[[T], bool]) -> bool:
        """Put the cursor on the first row for which ``predicate`` is true."""
        for index, row in enumerate(self._rows):
            if predicate(row) and selectable(row):
                self.cursor = index
                return True
        return False

    def landing(self, index: int, step: int = 1) -> int:
        """The row nearest ``index`` that can hold the cursor, looking the way of ``step``
        first (over headings), then back; ``index`` itself if no row can."""
        rows = self._rows
        for direction in (step or 1, -(step or 1)):
            at = index
            while 0 <= at < len(rows):
                if selectable(rows[at]):
                    return at
                at += direction
        return index

    # -- drawing ------------------------------------------------------------

    @property
    def text_width(self) -> int:
        """Columns a row's text may use (the scrollbar and the cursor glyph take the rest)."""
        return self.scrollable_content_region.width - 2

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if not self._rows:
            if y == 0:
                style = base + self.get_component_rich_style("rowlist--empty")
                return _strip(Text(self.empty), width, style, self.app.console)
            return Strip.blank(width, base)
        if index >= len(self._rows):
            return Strip.blank(width, base)
        text = self._cache.get(index)
        if text is None:
            text = self._format_row(self._rows[index])
            text.no_wrap = True
            text.overflow = "ellipsis"
            self._cache[index] = text
            if len(self._cache) > 512:
                self._cache.pop(next(iter(self._cache)))
        selected = index == self.cursor
        line = Text.assemble(CURSOR_GLYPH + " " if selected else "  ", text)
        style = base + self.get_component_rich_style("rowlist--cursor") if selected else base
        return _strip(line, width, style, self.app.console)

    # -- cursor -------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        for index in (old, new):
            if top <= index < top + self.size.height:
                self.refresh(Region(0, index - top, self.size.width, 1))
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, new))

    def _scroll_to_cursor(self) -> None:
        """Scroll just enough to show the cursor row (and the heading right above it); not
        at all when it is in view."""
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if height <= 0 or not self._rows:
            return
        first = self.cursor
        if first > 0 and height > 1 and not selectable(self._rows[first - 1]):
            first -= 1
        if first < top:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self._rows))
        self._scroll_to_cursor()

    def move(self, delta: int) -> None:
        if self._rows:
            target = max(0, min(len(self._rows) - 1, self.cursor + delta))
            self.cursor = self.landing(target, -1 if delta < 0 else 1)
            self._scroll_to_cursor()  # up at the first row: its heading comes into view

    def action_cursor_down(self) -> None:
        self.move(1)

    def action_cursor_up(self) -> None:
        self.move(-1)

    def action_first(self) -> None:
        self.move(-len(self._rows))

    def action_last(self) -> None:
        self.move(len(self._rows))

    def action_page_down(self) -> None:
        self.move(max(1, self.size.height - 1))

    def action_page_up(self) -> None:
        self.move(-max(1, self.size.height - 1))

    def action_select(self) -> None:
        """Say that the highlighted row was chosen (a click on it)."""
        if self._rows:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < len(self._rows):
            index = self.landing(index)  # a heading: the first row under it
            if index == self.cursor:
                self.action_select()
            self.cursor = index

    def on_focus(self) -> None:
        self.refresh_cursor()

    def on_blur(self) -> None:
        self.refresh_cursor()

    def refresh_cursor(self) -> None:
        top = self.scroll_offset.y
        if top <= self.cursor < top + self.size.height:
            self.refresh(Region(0, self.cursor - top, self.size.width, 1))


def _strip(text: Text, width: int, style: Style, console: Console) -> Strip:
    """One line of ``text``, cut or padded to ``width``, over ``style``."""
    text = text.copy()
    text.no_wrap = True
    text.truncate(width, overflow="ellipsis", pad=True)
    segments = [
        Segment(seg.text, style + seg.style if seg.style else style) for seg in text.render(console) if seg.text != "\n"
    ]
    return Strip(segments, width)
