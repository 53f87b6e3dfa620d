"""Shown instead of the app while the terminal is smaller than briefing can lay out."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 60, 20


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    """A notice with the size needed and the size there is; it goes once the terminal grows."""

    BINDINGS = [Binding("q", "app.quit", "Quit", id="small.quit", tooltip="Leave briefing")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.show_size()

    def on_screen_resume(self) -> None:
        """Back on top (say, after help) and the terminal grew meanwhile: step aside."""
        if not too_small(*self.app.size) and self.app.screen is self:
            self.app.pop_screen()

    def on_resize(self, event) -> None:
        self.show_size(event.size)

    def show_size(self, size=None) -> None:
        width, height = size or self.app.size
        text = Text(f"briefing needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n", style="bold")
        text.append(f"This terminal is {width}×{height}: make it larger, or press q to quit.")
        self.query_one("#too-small", Static).update(text)
