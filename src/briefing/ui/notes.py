"""Notes and bookmarks in the reader: one path from a key to the disk and back.

The library, the brief and the notebook all bookmark, write, edit and delete notes; they
all do it through the app's :class:`Notes` (``app.notes``). It runs every change of the
store, says on screen what was saved or why not, and announces that the reader's marks
changed with a Textual ``Signal`` (:attr:`Notes.changed`): a screen that shows marks
subscribes to it (``screens/base.py``) and draws them again, at once if it is in front,
otherwise when it is shown again. Notes saved by another session are found by
:meth:`Notes.poll` and announced the same way. docs/design.md §3 and §4.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.signal import Signal

from briefing.core.marks import NOTE_MAX_BYTES, Bookmark, Draft, Mark, Note
from briefing.store.notes import Store, StoreError

if TYPE_CHECKING:
    from briefing.core.model import Item
    from briefing.ui.app import BriefingApp

T = TypeVar("T")


class Notes:
    """The note and bookmark workflows the screens share, owned by the app."""

    def __init__(self, app: BriefingApp, store: Store | None, problem: str | None = None) -> None:
        self.app = app
        self.store = store
        self.problem = problem  # why there is no store, if there is none
        # Published (with no data) whenever the marks of the store change, here or in
        # another session; screens subscribe in on_mount.
        self.changed: Signal[None] = Signal(app, "notes-changed")
        self.seen = store.marks_generation if store is not None else 0
        self.last_poll_error: str | None = None
        self.told = 0  # store problems already shown

    # -- running a change ---------------------------------------------------

    def usable(self) -> Store | None:
        """The store to write to; if there is none, the reader is told why."""
        if self.store is None:
            self.app.notify(self.problem or "The notes store is not available.", title="Not saved", severity="error")
        return self.store

    def available(self) -> bool:
        """Whether there is a store to write to; if not, the reader is told why."""
        return self.usable() is not None

    def save(self, change: Callable[[Store], T], done: str | None = None) -> tuple[bool, T | None]:
        """Run ``change(store)``; say ``done`` once it is on disk, or why it is not.
        Returns (saved, what the change returned)."""
        store = self.usable()
        if store is None:
            return False, None
        try:
            result = change(store)
        except StoreError as exc:
            self.app.notify(str(exc), title="Not saved", severity="error", timeout=15)
            return False, None
        if done:
            self.app.notify(done, timeout=2)
        return True, result

    def quietly(self, change: Callable[[Store], object]) -> None:
        """A change the reader did not ask for (marks found under new ids, a draft): written
        if it can be, never said, and nothing at all in a read-only session."""
        if self.store is None or self.store.read_only:
            return
        try:
            change(self.store)
        except StoreError:
            pass

    def announce(self) -> None:
        """The marks changed: every screen that shows them hears it."""
        if self.store is not None:
            self.seen = self.store.marks_generation
        self.changed.publish(None)

    def poll(self) -> None:
        """Another session (another SSH login) saved notes: announce them."""
        if self.store is None:
            return
        try:
            self.store.refresh()
        except StoreError as exc:
            self.tell_problems()
            if str(exc) != self.last_poll_error:  # say it once, not every two seconds
                self.app.notify(str(exc), title="Notes store", severity="error", timeout=15)
            self.last_poll_error = str(exc)
            return
        self.last_poll_error = None
        if self.store.marks_generation != self.seen:
            self.announce()
        self.tell_problems()

    def tell_problems(self) -> None:
        """Problems the store met (a file moved aside, a record skipped), each said once."""
        problems = self.store.problems if self.store is not None else []
        for problem in problems[self.told :]:
            self.app.notify(problem, title="Notes store", severity="warning", timeout=30)
        self.told = len(problems)

    # -- what the reader does -----------------------------------------------

    def toggle_bookmark(
        self, brief_id: str, item: Item | None, brief_title: str = "", shown: Bookmark | None = None
    ) -> None:
        """Bookmark ``item`` (None: the whole brief), or remove its bookmark (``shown``, the
        one the reader sees on it), and say which."""
        quote = item.quote if item is not None else brief_title
        saved, mark = self.save(
            lambda store: store.toggle_bookmark(
                brief_id, item.id if item else None, item.pane if item else None, quote, shown
            )
        )
        if saved:
            if item is not None:
                message = "Bookmarked." if mark else "Bookmark removed."
            else:
                message = "Brief bookmarked." if mark else "Brief bookmark removed."
            self.app.notify(message, timeout=2)
            self.announce()

    def write(
        self, brief_id: str, item: Item | None, note: Note | None, brief_title: str = "", quote: str | None = None
    ) -> None:
        """Open the note dialog for ``item`` (None: the whole brief). The dialog closes once
        the note is on disk; if saving fails it stays open with what was typed. Saving it
        empty deletes the note (after asking). ``quote``: the text the note is on, if not
        the item's.

        What is typed is kept as a draft of this item while the dialog is open; a draft
        left by an earlier session (a hang-up, a kill) is offered again here."""
        from briefing.ui.screens.dialogs import NoteDialog

        store = self.usable()
        if store is None:
            return
        about = item.label if item is not None else (quote if quote is not None else brief_title)
        on_item = item is not None or (note is not None and note.item is not None)
        heading = ("Edit the note on " if note else "A note on ") + ("this item" if on_item else "this brief")
        on_text = quote if quote is not None else item.quote if item is not None else brief_title
        # The draft is kept under the item the dialog is about (for an orphan, its old item).
        draft_item = item.id if item is not None else (note.item if note is not None else None)
        draft_pane = item.pane if item is not None else (note.pane if note is not None else None)
        draft = store.draft(brief_id, draft_item)
        saved_text = note.text if note is not None else ""
        restored = draft.text if draft is not None and draft.text.strip() != saved_text.strip() else None

        def keep(text: str) -> None:  # the dialog keeps the text itself while it is open
            self.quietly(
                lambda store: store.save_draft(
                    brief_id, draft_item, draft_pane, on_text, text, note.id if note else None
                )
            )

        def drop() -> None:
            self.quietly(lambda store: store.drop_draft(brief_id, draft_item))

        def save(text: str) -> bool:
            if not text.strip():
                drop()
                return True  # nothing to save; an existing note is offered for deletion below
            size = len(text.encode("utf-8"))
            if size > NOTE_MAX_BYTES:
                self.app.notify(
                    f"This note is {size // 1024:,} KB; a note can be at most "
                    f"{NOTE_MAX_BYTES // 1024} KB. Nothing is lost: shorten it, then save.",
                    title="Not saved",
                    severity="error",
                    timeout=15,
                )
                return False
            if note is None:
                saved, _ = self.save(
                    lambda store: store.add_note(
                        brief_id, item.id if item else None, item.pane if item else None, on_text, text
                    ),
                    "Note saved.",
                )
            else:
                kept = None if quote is not None else on_text  # an orphan keeps what it was written on
                saved, _ = self.save(lambda store: store.edit_note(note, text, kept), "Note saved.")
            if saved:
                self.announce()
            return saved

        def done(text: str | None) -> None:
            if text is not None and not text.strip() and note is not None:
                self.delete(note)

        self.app.push_screen(
            NoteDialog(
                heading,
                about,
                saved_text,
                save,
                keep=keep,
                drop=drop,
                restored=restored,
                restored_when=draft.updated if draft is not None else "",
            ),
            done,
        )

    def delete(self, mark: Mark) -> None:
        """Ask, then delete a note or bookmark."""
        from briefing.ui.screens.dialogs import ConfirmDialog

        what = "note" if isinstance(mark, Note) else "bookmark"
        detail = (mark.text if isinstance(mark, Note) else mark.quote)[:300]

        def answered(yes: bool | None) -> None:
            if yes and self.save(lambda store: store.delete(mark), f"The {what} was deleted.")[0]:
                self.announce()

        self.app.push_screen(ConfirmDialog(f"Delete this {what}?", detail, yes="Delete", no="Keep"), answered)

    def discard_draft(self, draft: Draft) -> None:
        """Ask, then throw away what was being typed."""
        from briefing.ui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if (
                yes
                and self.save(lambda store: store.drop_draft(draft.brief, draft.item), "The draft was discarded.")[0]
            ):
                self.announce()

        self.app.push_screen(ConfirmDialog("Discard this draft?", draft.text[:300], yes="Discard", no="Keep"), answered)

    def attach(self, mark: Mark, item: Item) -> tuple[bool, Mark | None]:
        """Re-attach ``mark`` to ``item``: (saved, the mark as saved, or None if it had been
        deleted meanwhile)."""
        saved, moved = self.save(lambda store: store.attach(mark, item.id, item.pane, item.quote))
        if saved:
            self.announce()
        return saved, moved

    def found_again(self, moved: list[Mark]) -> None:
        """Marks found as written under new ids: their new ids are saved (nothing the reader
        sees changes; a read-only session finds them again next time)."""
        if moved and self.store is not None and not self.store.read_only:
            self.save(lambda store: store.reanchor(moved))
