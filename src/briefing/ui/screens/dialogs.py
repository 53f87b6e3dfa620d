"""Small modal dialogs: write a note, confirm a deletion, pick an item for an orphaned note."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from briefing.ui.widgets.rowlist import RowList

if TYPE_CHECKING:
    from textual.timer import Timer

    from briefing.store.notes import Aside


class NoteDialog(ModalScreen[str | None]):
    """Write or edit a note. ``save(text)`` is called on ctrl+s and says whether the text
    is safe on disk: only then does the dialog close (with the text); a failed save keeps
    it open with everything typed. Escape closes with None (asking first if the text is not
    the note as saved).

    What is typed is kept as a draft: ``keep(text)`` half a second after the last change,
    and at once when briefing ends with the dialog open (a hang-up, a kill). ``drop()``
    forgets it when the reader discards the text on purpose. ``restored``: a draft from
    an earlier session, offered in place of the note's text, and said so."""

    DRAFT_DELAY = 0.5  # seconds of no typing before the draft is written

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        heading: str,
        about: str,
        text: str = "",
        save: Callable[[str], bool] | None = None,
        *,
        keep: Callable[[str], None] | None = None,
        drop: Callable[[], None] | None = None,
        restored: str | None = None,
        restored_when: str = "",
    ) -> None:
        super().__init__()
        self.heading = heading
        self.about = about
        self.original = text  # the note as saved ("" for a new one)
        self.restored = restored
        self.restored_when = restored_when
        self.save = save
        self.keep = keep
        self.drop = drop
        self.kept = restored if restored is not None else text  # what the store holds now
        self.draft_timer: Timer | None = None
        self.settled = False  # saved, or discarded on purpose: no draft to keep

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(self.heading, style="bold"), id="note-heading")
            yield Static(Text(self.about, style="italic", no_wrap=True, overflow="ellipsis"), id="note-about")
            if self.restored is not None:
                when = f" ({self.restored_when[:16].replace('T', ' ')})" if self.restored_when else ""
                yield Static(
                    Text(f"Restored what you were writing{when}: not saved yet.", style="bold"), id="note-restored"
                )
            start = self.restored if self.restored is not None else self.original
            area = TextArea(start, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield area
            with Horizontal(id="note-buttons"):
                yield Static(Text("ctrl+s save · esc cancel", style="dim"), id="note-hint")
                yield Button("Save", id="note-save", variant="primary", compact=True)
                yield Button("Cancel", id="note-cancel", compact=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        self.set_focus(area)
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @on(TextArea.Changed, "#note-text")
    def typed(self) -> None:
        if self.draft_timer is not None:
            self.draft_timer.stop()
        self.draft_timer = self.set_timer(self.DRAFT_DELAY, self.keep_draft)

    def keep_draft(self) -> None:
        """Write the text as a draft, if it changed since the last one (now: briefing may
        be ending)."""
        if self.settled or self.keep is None:
            return
        try:
            text = self.text
        except Exception:  # the dialog's widgets are gone already
            return
        if text == self.kept:
            return
        if text.strip() == self.original.strip():
            if self.drop is not None:
                self.drop()  # back to the note as saved: nothing to keep
        else:
            self.keep(text)
        self.kept = text

    def on_unmount(self) -> None:
        self.keep_draft()

    def finish(self, result: str | None, forget_draft: bool) -> None:
        self.settled = True
        if self.draft_timer is not None:
            self.draft_timer.stop()
        if forget_draft and self.drop is not None:
            self.drop()
        self.dismiss(result)

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        text = self.text
        if self.save is None or self.save(text):
            self.finish(text, forget_draft=False)  # saving the note dropped its draft

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        if self.text.strip() == self.original.strip():
            self.finish(None, forget_draft=True)  # nothing but the note as saved
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.finish(None, forget_draft=True)

        self.app.push_screen(ConfirmDialog("Discard what you wrote?", yes="Discard", no="Keep writing"), answered)


class AsideDialog(ModalScreen[bool]):
    """Notes stores that could not be read and were moved aside: said at every start until
    the reader says they have seen it (y). The files stay where they are."""

    BINDINGS = [
        Binding("y", "answer(True)", "Seen it", id="aside.seen"),
        Binding("n,escape", "answer(False)", "Tell me next time", id="aside.later"),
    ]

    def __init__(self, asides: Sequence[Aside], can_acknowledge: bool = True) -> None:
        super().__init__()
        self.asides = asides
        self.can_acknowledge = can_acknowledge

    def compose(self) -> ComposeResult:
        many = len(self.asides) != 1
        text = Text(("Notes stores could not be read" if many else "Your notes store could not be read"), style="bold")
        text.append("\n\nIt was kept, as it was, as:" if not many else "\n\nThey were kept, as they were, as:")
        for aside in self.asides:
            text.append(f"\n  {aside.path}", style="bold")
            if aside.reason:
                text.append(f"\n  (it {aside.reason})", style="italic")
        text.append(
            "\n\nA new store was started: notes written since are in it. To look at the old "
            "notes, open the kept file; briefing import reads an export, not this file."
        )
        if not self.can_acknowledge:
            text.append("\n\nThe store is read-only now, so this will be said again next time.", style="italic")
        with Vertical(id="confirm-box"):
            yield Static(text)
            with Horizontal(id="confirm-buttons"):
                yield Button("Seen it (y)", id="aside-seen", variant="primary", compact=True)
                yield Button("Tell me next time (n)", id="aside-later", compact=True)

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#aside-later", Button))

    @on(Button.Pressed, "#aside-seen")
    def seen_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#aside-later")
    def later_pressed(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


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

    def __init__(self, heading: str, about: str, rows: Sequence[object], format_row: Callable[[object], Text]) -> None:
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
