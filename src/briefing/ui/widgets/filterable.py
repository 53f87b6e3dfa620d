"""A list with a filter line over it, as the library and the notebook have.

The filter line is hidden until :meth:`FilterableList.open_filter` (the screens bind /);
what is typed there goes to the screen as ``Input.Changed`` (the screen decides what
matches); Enter or ↓ hands the keys back to the list; :meth:`FilterableList.close_filter`
(escape) clears and hides it. Typed and pasted text reaches the box already cleaned
(ui/paste.py, typeahead.py).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input

from briefing.ui.widgets.rowlist import RowList

T = TypeVar("T")


# Input's keys that SSH clients, tmux, screen or a desktop may swallow (ctrl+shift+…), with
# nothing a filter line needs them for: selecting text in it (escape clears it all).
NOT_OVER_SSH = {"cursor_left_word(True)", "cursor_right_word(True)", "select_all"}


class FilterBox(Input, inherit_bindings=False):
    """The one-line filter box: no border, the theme's boost background. It keeps Input's
    editing keys but those that do not survive a remote terminal."""

    BINDINGS = [binding for binding in Input.BINDINGS if binding.action not in NOT_OVER_SSH]  # type: ignore[union-attr]

    DEFAULT_CSS = """
    FilterBox {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    FilterBox:focus {
        border: none;
    }
    """


class FilterableList(Vertical, Generic[T]):
    """A :class:`FilterBox` (hidden until opened) over a :class:`RowList`, and between the
    two a ``header`` if given (a line that names the list's columns)."""

    DEFAULT_CSS = """
    FilterableList {
        height: 1fr;
    }
    """

    def __init__(
        self, box: FilterBox, rows: RowList[T], *, header: Widget | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.box = box
        self.rows = rows
        self.header = header
        box.display = bool(box.value)  # a filter given at the start is shown

    def compose(self) -> ComposeResult:
        yield self.box
        if self.header is not None:
            yield self.header
        yield self.rows

    @property
    def filter_open(self) -> bool:
        return bool(self.box.display)

    @property
    def query_text(self) -> str:
        return self.box.value

    def open_filter(self) -> None:
        self.box.display = True
        self.screen.set_focus(self.box)

    def close_filter(self) -> bool:
        """Clear and hide the filter; False if it was closed and empty already."""
        if not self.box.display and not self.box.value:
            return False
        if self.box.value:
            self.box.value = ""
        self.box.display = False
        self.focus_list()
        return True

    def focus_list(self) -> None:
        self.screen.set_focus(self.rows)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_list()

    def key_down(self, event: events.Key) -> None:
        if self.box.has_focus:  # ↓ from the filter: on to the rows it left
            event.stop()
            self.focus_list()
