"""Small modal dialogs: write a note, confirm a deletion, pick an item for an orphaned note."""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from ..widgets.rowlist import RowList


class NoteDialog(ModalScreen[str | None]):
    """Write or edit a note. ``save(text)`` is called on ctrl+s and says whether the text
    is safe on disk: only then does the dialog close (with the text); a failed save keeps
    it open with everything typed. Escape closes with None (asking first if text changed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, heading: str, about: str, text: str = "",
                 save: Callable[[str], bool] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.about = about
        self.original = text
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(self.heading, style="bold"), id="note-heading")
            yield Static(Text(self.about, style="italic", no_wrap=True, overflow="ellipsis"),
                         id="note-about")
            area = TextArea(self.original, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield area
            with Horizontal(id="note-buttons"):
                yield Static(Text("ctrl+s save · esc cancel", style="dim"),
                             id="note-hint")
                yield Button("Save", id="note-save", variant="primary", compact=True)
                yield Button("Cancel", id="note-cancel", compact=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        self.set_focus(area)
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        text = self.text
        if self.save is None or self.save(text):
            self.dismiss(text)

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        if self.text.strip() == self.original.strip():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("Discard what you wrote?", yes="Discard", no="Keep writing"),
                             answered)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y or Enter says yes, n or Escape says no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question, style="bold"))
            if self.detail:
                yield Static(Text(self.detail, style="italic"), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="error", compact=True)
                yield Button(f"{self.no} (n)", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#confirm-no", Button))

    @on(Button.Pressed, "#confirm-yes")
    def yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def no_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PickDialog(ModalScreen[object | None]):
    """Choose one row of a list (an item to re-attach a note to). Enter picks, Escape cancels."""

    BINDINGS = [
        Binding("enter", "pick", "Attach here", id="pick.pick"),
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
    ]

    def __init__(self, heading: str, about: str, rows: Sequence[object],
                 format_row: Callable[[object], Text]) -> None:
        super().__init__()
        self.heading = heading
        self.about = about
        self.rows = rows
        self.format_row = format_row

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box"):
            yield Static(Text(self.heading, style="bold"))
            yield Static(Text(self.about, style="italic", no_wrap=True, overflow="ellipsis"))
            yield RowList(self.format_row, empty="This brief has no items.", rows=self.rows, id="pick-list")
            yield Static(Text("enter attach here · esc cancel", style="dim"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one(RowList))

    @on(RowList.Selected, "#pick-list")
    def picked(self, event: RowList.Selected) -> None:
        self.dismiss(event.row)

    def action_pick(self) -> None:
        row = self.query_one(RowList).current
        if row is not None:
            self.dismiss(row)

    def action_cancel(self) -> None:
        self.dismiss(None)
