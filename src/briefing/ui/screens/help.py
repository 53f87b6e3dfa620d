"""Help, generated from the bindings that are live on the screen underneath.

Only keys that do something there are listed: not a disabled action, not a key the
focused widget takes as typing, not Textual's focus or scroll keys where there is nothing
to move to or scroll, not "copy the selected text" where no text is selected. The
command palette offers the same list (``BriefingApp.get_system_commands``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

# Keys Textual cannot turn into their character (so a text box seems not to take them).
_CHARACTERS = {"slash": "/"}
_VERTICAL = {"scroll_up", "scroll_down", "scroll_home", "scroll_end", "page_up", "page_down"}
_HORIZONTAL = {"scroll_left", "scroll_right", "page_left", "page_right"}
# What Textual's own app-wide keys do, said as briefing says it.
_TEXTS = {"quit": "Leave briefing"}


@dataclass
class LiveBinding:
    """One line of help: keys that do one thing on a screen, and what that is."""

    text: str
    # (key name as bound, e.g. "question_mark"; the node whose binding it is; the binding)
    keys: list[tuple[str, DOMNode, Binding]] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the keys as displayed, e.g. "?"


def character(key: str) -> str | None:
    return key_to_character(key) or _CHARACTERS.get(key)


def does_something(screen: Screen, node: DOMNode, binding: Binding, key: str) -> bool:
    """False for a key that would do nothing on ``screen`` as it is now."""
    focused = screen.focused
    if focused is not None and node is not focused and focused.check_consume_key(key, character(key)):
        return False  # typed into the focused text box, not a command here
    action = binding.action.rpartition(".")[2].partition("(")[0]
    if binding.action in ("app.focus_next", "app.focus_previous"):
        return len(screen.focus_chain) > 1
    if binding.action == "screen.copy_text":
        return bool(screen.get_selected_text())
    if isinstance(node, Widget) and (action in _VERTICAL or action in _HORIZONTAL):
        # Textual's own scrolling (not an action of briefing's that moves a cursor).
        if getattr(type(node), f"action_{action}", None) is getattr(Widget, f"action_{action}", None):
            return (node.max_scroll_y if action in _VERTICAL else node.max_scroll_x) > 0
    return True


def live_bindings(screen: Screen) -> list[LiveBinding]:
    """Every action of ``screen`` that a key does something for now, with its keys: the
    screen's own first, then those of the focused widget, then the app's. Actions that do
    the same (q and ctrl+q in the library: leave briefing) share a line."""
    app = screen.app
    rank = lambda node: 0 if node is screen else 2 if node is app else 1  # noqa: E731
    lines: dict[str, LiveBinding] = {}
    for key, active in sorted(screen.active_bindings.items(), key=lambda kv: rank(kv[1].node)):
        node, binding = active.node, active.binding
        if not binding.description or not active.enabled or binding.system:
            continue
        if not does_something(screen, node, binding, key):
            continue
        text = binding.tooltip or binding.description
        if node is app:
            text = _TEXTS.get(binding.action, text)
        line = lines.setdefault(text, LiveBinding(text))
        line.keys.append((key, node, binding))
        display = app.get_key_display(binding)
        if display not in line.shown:
            line.shown.append(display)
    return list(lines.values())


def describe_bindings(screen: Screen) -> list[tuple[str, str]]:
    """(keys, what they do) for every live action of ``screen``."""
    return [(" ".join(live.shown), live.text) for live in live_bindings(screen)]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close this help")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        text = Text("Keys on this screen\n\n", style="bold")
        for keys, what in describe_bindings(self.under):
            text.append(f"{keys:>22}", style="bold")
            text.append(f"  {what}\n")
        legend = getattr(self.under, "help_legend", None)  # what a screen's marks mean
        if callable(legend):
            text.append("\n")
            text.append_text(legend())
            text.append("\n")
        text.append(
            "\nEvery action is also in the command palette (ctrl+p).\n"
            "Links in briefs are shown, never opened. Press escape to close.",
            style="dim",
        )
        with VerticalScroll(id="help-body"):
            yield Static(text)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
