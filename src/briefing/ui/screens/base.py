"""What every screen of the reader shares: the app's type, and the news that notes changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.screen import Screen

if TYPE_CHECKING:
    from briefing.ui.app import BriefingApp


class BriefingScreen(Screen[None]):
    """A screen of the reader. One that shows notes and bookmarks calls :meth:`hear_notes`
    in ``on_mount`` and defines :meth:`refresh_marks`: it is called when the marks change
    (``app.notes.changed``), at once if the screen is in front, otherwise when it is shown
    again."""

    if TYPE_CHECKING:
        app: BriefingApp  # the one place the app's type is given

    # What the reader added (★ ✎) and what needs their eye (⚠), styled by the theme; the
    # glyphs carry the meaning, so they read in monochrome too. A heading titles a group of
    # rows (a tag, a category, a year). Subclasses add their own.
    COMPONENT_CLASSES = {"briefing--mark", "briefing--warning", "briefing--heading", "briefing--drafted"}
    DEFAULT_CSS = """
    BriefingScreen > .briefing--mark { text-style: bold; }
    BriefingScreen > .briefing--warning { text-style: bold; color: $warning; }
    BriefingScreen > .briefing--heading { text-style: bold; color: $accent; }
    BriefingScreen > .briefing--drafted { text-style: italic; color: $warning; }
    """

    marks_stale = False  # the marks changed while another screen was in front

    def styled(self, name: str) -> Style | str:
        """The theme's style for ``name``: a component class of this screen without its
        prefix ("mark", "warning", or one of the subclass's); '' for a name it has none for."""
        for prefix in (f"{type(self).__name__.lower().removesuffix('screen')}--", "briefing--"):
            if prefix + name in self._get_component_classes():
                return self.get_component_rich_style(prefix + name, partial=True)
        return ""

    @property
    def in_use(self) -> bool:
        """On the screen stack. A screen just closed leaves the stack at once but stays
        attached a moment while its widgets are removed: work that finishes then (a
        worker, a timer, a signal) must leave it alone."""
        return self.is_attached and self in self.app.screen_stack

    def hear_notes(self) -> None:
        """Draw the marks again when they change, and when the theme does (their styles
        come from it)."""
        self.app.notes.changed.subscribe(self, self._notes_changed, immediate=True)
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _: object) -> None:
        if not self.in_use:
            return
        if self.is_current:
            self.restyle()
        else:
            self.marks_stale = True

    def restyle(self) -> None:
        """The theme changed: draw what takes its styles again."""
        self.refresh_marks()

    def _notes_changed(self, _: None) -> None:
        if not self.in_use:
            return
        if self.is_current:
            self.refresh_marks()
        else:
            self.marks_stale = True

    def refresh_marks(self) -> None:
        """Draw the notes and bookmarks again (screens that show them override this)."""

    def on_screen_resume(self) -> None:
        stale, self.marks_stale = self.marks_stale, False
        if self.in_use and self.marks_outdated(stale):
            self.refresh_marks()

    def marks_outdated(self, stale: bool) -> bool:
        """Whether to draw the marks again as the screen is shown again; ``stale``: they
        changed while it was hidden."""
        return stale
