"""BriefingApp: wires the library into its screens. Built by :func:`make_app`."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from .library import Library


class BriefingApp(App[None]):
    CSS_PATH = "briefing.tcss"
    TITLE = "briefing"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="Every key of this screen"),
        Binding("ctrl+p", "command_palette", "Commands", id="commands", show=False),
    ]

    def __init__(self, library: Library, open_brief: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.open_brief = open_brief

    def get_default_screen(self) -> Screen:
        """The library is the bottom screen: no blank default screen is built first."""
        from .screens.library import LibraryScreen

        return LibraryScreen(self.library, open_brief=self.open_brief)

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications quote brief text and file names: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action bound on the screen, so the palette and the keys never disagree."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or binding.action == "command_palette":
                continue
            seen.add(binding.action)
            node = active.node
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip or binding.description} ({self.get_key_display(binding)})",
                lambda node=node, action=binding.action: self.call_later(self.run_action, action, node),
            )
        yield from (c for c in super().get_system_commands(screen) if c.title in ("Theme", "Screenshot"))


def make_app(libraries: Iterable[Path], index_file: Path | None, open_brief: str | None = None) -> BriefingApp:
    """The one factory of the app, for the command line and for the tests."""
    return BriefingApp(Library(libraries, index_file), open_brief=open_brief)
