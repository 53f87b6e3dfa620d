"""Help, generated from the bindings that are live on the screen underneath."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def describe_bindings(screen: Screen) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding with a description, keys of one action merged."""
    app = screen.app
    # The screen's own keys first, then those of the focused widget, then the app's.
    rank = lambda node: 0 if node is screen else 2 if node is app else 1  # noqa: E731
    by_action: dict[tuple[int, str], tuple[list[str], str]] = {}
    for active in sorted(screen.active_bindings.values(), key=lambda a: rank(a.node)):
        binding = active.binding
        if not binding.description:
            continue
        key = (id(active.node), binding.action)
        keys, _ = by_action.setdefault(key, ([], binding.tooltip or binding.description))
        display = app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
    return [(" ".join(keys), text) for keys, text in by_action.values()]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        text = Text("Keys on this screen\n\n", style="bold")
        for keys, what in describe_bindings(self.under):
            text.append(f"{keys:>22}", style="bold")
            text.append(f"  {what}\n")
        text.append("\nEvery action is also in the command palette (ctrl+p).\n"
                    "Links in briefs are shown, never opened. Press escape to close.", style="dim")
        with VerticalScroll(id="help-body"):
            yield Static(text)

    def action_dismiss(self) -> None:
        self.dismiss(None)
