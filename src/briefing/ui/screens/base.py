"""What every screen of the reader shares: the app's type, and the news that notes changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

    marks_stale = False  # the marks changed while another screen was in front

    def hear_notes(self) -> None:
        self.app.notes.changed.subscribe(self, self._notes_changed, immediate=True)

    def _notes_changed(self, _: None) -> None:
        if self.is_current:
            self.refresh_marks()
        else:
            self.marks_stale = True

    def refresh_marks(self) -> None:
        """Draw the notes and bookmarks again (screens that show them override this)."""

    def on_screen_resume(self) -> None:
        stale, self.marks_stale = self.marks_stale, False
        if self.marks_outdated(stale):
            self.refresh_marks()

    def marks_outdated(self, stale: bool) -> bool:
        """Whether to draw the marks again as the screen is shown again; ``stale``: they
        changed while it was hidden."""
        return stale
