"""A pane of a brief: its title and the list of its items."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from briefing.core.enums import PANE_TITLES
from briefing.core.model import Item
from briefing.ui.widgets.rowlist import RowList


class PaneView(Vertical):
    """A pane's title and its list of items. One pane shows at a time (``-active``); the
    brief screen shows all four side by side when it is wide (briefing.tcss)."""

    DEFAULT_CSS = """
    PaneView {
        width: 1fr;
        height: 1fr;
        display: none;
    }
    PaneView.-active {
        display: block;
    }
    PaneView > .pane-title {
        display: none;
        padding: 0 1;
        height: 1;
    }
    """

    def __init__(self, pane: str, items: list[Item], format_item: Callable[[Item], Text]) -> None:
        super().__init__(id=f"pane-{pane}", classes="pane")
        self.pane = pane
        self.items = items
        self.format_item = format_item

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{PANE_TITLES[self.pane]} ({len(self.items)})", style="bold"), classes="pane-title")
        yield RowList(self.format_item, empty="No items.", rows=self.items, id=f"list-{self.pane}")
