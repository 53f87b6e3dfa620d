"""The notebook: every note, bookmark and unsaved draft across the library, by brief.

Filter as you type; Enter opens the brief at the item. A mark whose item changed says so
(item edited, orphaned); an orphaned one can be re-attached to another item (t) or
deleted (d), never dropped. A draft (what was being typed when a session ended) is
continued with e, or discarded with d.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from briefing.core.enums import PANE_TITLES, PANES, Anchor, Pane
from briefing.core.library import Library
from briefing.core.marks import Draft, Mark, Note
from briefing.core.model import reading_order
from briefing.ui.render.detail import marks_detail, shortened
from briefing.ui.render.markers import GLYPHS, anchor_tag
from briefing.ui.screens.base import BriefingScreen
from briefing.ui.widgets.filterable import FilterableList, FilterBox
from briefing.ui.widgets.rowlist import RowList


class Row(NamedTuple):
    brief: str
    title: str
    mark: Mark | Draft | None  # None: the heading of a brief's group

    @property
    def haystack(self) -> str:
        """What the filter looks in: the note, the item's text, the brief, the pane."""
        mark = self.mark
        if mark is None:
            return self.title.casefold()
        text = mark.text if isinstance(mark, (Note, Draft)) else ""
        state = mark.anchor if isinstance(mark, Mark) else "draft unsaved"
        return " ".join(
            (text, mark.quote, self.title, PANE_TITLES.get(mark.pane or "", ""), state, mark.kind)
        ).casefold()


def row_key(row: Row) -> tuple[str, str | None]:
    """What a row stands for, kept when the rows are built again: its brief and its mark."""
    mark = row.mark
    if isinstance(mark, Draft):
        return row.brief, f"draft:{mark.item}"
    return row.brief, mark.id if mark is not None else None


LINE_CHARS = 300  # of a note's first line in a row: a 1 MB note on one line stays quick


def first_line(text: str) -> str:
    return text[: LINE_CHARS * 4].strip().split("\n", 1)[0][:LINE_CHARS]


class NotebookScreen(BriefingScreen):
    BINDINGS = [
        Binding("slash", "filter", "Filter", id="notebook.filter", tooltip="Filter the notes as you type"),
        Binding("enter", "jump", "Go to", id="notebook.jump", tooltip="Open the brief at this item"),
        Binding("a,e", "edit", "Edit", id="notebook.edit", tooltip="Edit the highlighted note"),
        Binding("d", "delete", "Delete", id="notebook.delete", tooltip="Delete the highlighted note or bookmark"),
        Binding(
            "t",
            "attach",
            "Re-attach",
            id="notebook.attach",
            tooltip="Attach the highlighted note or bookmark to another item of its brief",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="notebook.clear",
            show=False,
            tooltip="Clear and close the filter; with none, back to where you were",
        ),
        Binding("q", "back", "Back", id="notebook.back", tooltip="Back to where you were"),
    ]

    def __init__(self, library: Library, store, query: str = "", select: tuple[str, str | None] | None = None) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.start_query = query  # the filter to start with
        self.select = select  # (brief, mark id) of the row to start on
        self.all_rows: list[Row] = []
        self.marks: list[Mark] = []
        # Each mark as found in its brief now, by (id, updated): where it shows and how
        # (ok, edited, orphaned). Worked out after the first frame; never saved as such.
        self.found: dict[tuple[str, str], Mark] = {}
        # What a claim (a fact with `according to:`) reads as, by (brief, item): a mark on
        # one shows it so ("X says: ..."), not its bare statement. Found with the marks.
        self.claims: dict[tuple[str, str], str] = {}
        self.known: dict = {}  # library entries of the briefs that have marks

    def compose(self) -> ComposeResult:
        self.build()
        yield Static(self.header_text(), id="notebook-header")
        shown = self.filtered(self.start_query)
        yield FilterableList(
            FilterBox(
                self.start_query, placeholder="Filter: words of a note, an item, a brief's title", id="notebook-filter"
            ),
            RowList(
                self.format_row,
                empty=self.empty_text(self.start_query),
                rows=shown,
                id="notebook-list",
            ),
        )
        with VerticalScroll(id="notebook-detail"):
            yield Static(self.detail_text(shown[0] if shown else None), id="notebook-detail-body")
        yield Footer()

    def on_mount(self) -> None:
        self.hear_notes()
        rows = self.query_one(RowList)
        self.set_focus(rows)
        if not (self.select and rows.select_where(lambda row: row_key(row) == self.select)):
            rows.select_where(lambda row: row.mark is not None)
        self.call_after_refresh(self.reconcile)

    def copy(self) -> NotebookScreen:
        """A new notebook with this one's filter, on the same row (to open again after the
        screens under it were closed)."""
        current = self.query_one(RowList).current
        return NotebookScreen(
            self.library,
            self.store,
            self.query_one(FilterableList).query_text,
            row_key(current) if current is not None else None,
        )

    # -- rows -------------------------------------------------------------

    def build(self) -> None:
        """Every mark of the store, grouped by brief (title order), in pane order within."""
        self.marks = [self.found.get((m.id, m.updated), m) for m in self.store.marks()]
        self.drafts = self.store.drafts()
        everything: list[Mark | Draft] = [*self.marks, *self.drafts]
        self.known = self.library.entries_of(m.brief for m in everything)
        titles: dict[str, str] = {}
        for mark in everything:
            if mark.brief not in titles:
                entry = self.known.get(mark.brief)
                titles[mark.brief] = (
                    entry.summary.title
                    if entry is not None and entry.summary
                    else f"{mark.brief} (not in this library, or unreadable)"
                )

        rows: list[Row] = []
        current = None
        for mark in sorted(everything, key=lambda m: reading_order(m, titles[m.brief])):
            if mark.brief != current:
                current = mark.brief
                rows.append(Row(mark.brief, titles[mark.brief], None))
            rows.append(Row(mark.brief, titles[mark.brief], mark))
        self.all_rows = rows
        self.haystacks: list[str] | None = None  # built at the first filter keystroke

    def filtered(self, query: str) -> list[Row]:
        words = query.casefold().split()
        if not words:
            return self.all_rows
        if self.haystacks is None:
            self.haystacks = [row.haystack for row in self.all_rows]
        out: list[Row] = []
        heading: Row | None = None
        for row, haystack in zip(self.all_rows, self.haystacks, strict=True):
            if row.mark is None:
                heading = row
                continue
            if all(w in haystack for w in words):
                if heading is not None:
                    out.append(heading)
                    heading = None
                out.append(row)
        return out

    def header_text(self) -> Text:
        notes = sum(isinstance(m, Note) for m in self.marks)
        orphans = sum(m.anchor == Anchor.ORPHANED for m in self.marks)
        text = Text.assemble(
            ("Notebook", "bold"),
            f"  {notes:,} note{'s' * (notes != 1)}",
            f" · {len(self.marks) - notes:,} bookmark{'s' * (len(self.marks) - notes != 1)}",
        )
        if orphans:
            text.append(f" · {GLYPHS.warning} {orphans} orphaned", style=self.styled("warning"))
        if self.drafts:
            drafts = len(self.drafts)
            text.append(f" · {drafts} unsaved draft{'s' * (drafts != 1)}", style=self.styled("warning"))
        text.append("  · ? help", style="dim")
        return text

    def format_row(self, row: Row) -> Text:
        if row.mark is None:
            return Text(row.title, style="bold")
        mark = row.mark
        pane = PANE_TITLES.get(mark.pane or "", "Brief")
        glyph = GLYPHS.note if isinstance(mark, (Note, Draft)) else GLYPHS.bookmark
        line = Text.assemble((f"  {glyph} ", self.styled("mark")), (f"{pane:<12} ", "dim"))
        if isinstance(mark, Draft):
            line.append("draft, not saved: ", style="bold")
            line.append(first_line(mark.text))
            line.append(f"  {first_line(mark.quote)}", style="dim italic")
            return line
        tag = anchor_tag(mark.anchor)
        if tag:  # before the text, so a narrow screen still shows it
            line.append(f"{tag}: ", style=self.styled("warning"))
        if isinstance(mark, Note):
            line.append(first_line(mark.text))
            line.append(f"  {first_line(self.on_text(mark))}", style="dim italic")
        else:
            line.append(first_line(self.on_text(mark)))
        return line

    def on_text(self, mark: Mark) -> str:
        """The text of the item a mark is on: as written when the mark was made, except that
        a claim found where it was reads as one ("X says: ...")."""
        if mark.item is not None and mark.anchor in (Anchor.OK, Anchor.MOVED):
            return self.claims.get((mark.brief, mark.item), mark.quote)
        return mark.quote

    def detail_text(self, row: Row | None) -> Text:
        if row is None:
            return Text("")
        if row.mark is None:
            count = sum(1 for r in self.all_rows if r.brief == row.brief and r.mark is not None)
            entries = f"{count} entr{'y' if count == 1 else 'ies'}"
            return Text.assemble((row.title, "bold"), f"\n{row.brief} · {entries} · enter opens the brief")
        mark = row.mark
        out = Text()
        out.append(f"{row.title} · {PANE_TITLES.get(mark.pane or '', 'whole brief')}\n", style="dim")
        if isinstance(mark, Draft):
            out.append(f"{GLYPHS.note} Draft, not saved", style="bold")
            out.append(f" · {mark.updated[:16].replace('T', ' ')}\n", style="dim")
            out.append(shortened(mark.text) or "(empty)")
            out.append("\ne continues it · d discards it", style="dim")
            return out
        if mark.item is not None and mark.anchor in (Anchor.OK, Anchor.MOVED):
            out.append("On: ", style="bold")
            out.append(self.on_text(mark))
            out.append("\n")
        marks_detail([mark], out)
        if mark.anchor == Anchor.ORPHANED:
            out.append("t re-attaches it to another item · d deletes it", style="dim")
        return out

    @on(RowList.Highlighted, "#notebook-list")
    def show_detail(self, event: RowList.Highlighted) -> None:
        self.query_one("#notebook-detail-body", Static).update(self.detail_text(event.row))

    def marks_outdated(self, stale: bool) -> bool:
        # Notes changed while another screen was in front, or a dialog opened from here
        # kept or dropped a draft.
        return stale or self.store.drafts() != self.drafts

    def refresh_marks(self) -> None:
        """The store changed: build the rows again, keeping the cursor on the same mark."""
        rows = self.query_one(RowList)
        current = rows.current
        self.build()
        shown = self.filtered(self.query_one(FilterableList).query_text)
        key = row_key(current) if current else None
        keep = next(
            (i for i, r in enumerate(shown) if key and row_key(r) == key), min(rows.cursor, max(0, len(shown) - 1))
        )
        rows.empty = self.empty_text(self.query_one(FilterableList).query_text)
        rows.set_rows(shown, cursor=keep)
        self.query_one("#notebook-header", Static).update(self.header_text())

    @work(thread=True, exclusive=True, group="reconcile")
    def reconcile(self) -> None:
        """Find every mark's item again in its brief as it is now (anchor.py)."""
        from briefing.core.anchor import settle

        by_brief: dict[str, list[Mark]] = {}
        for mark in self.store.marks():
            by_brief.setdefault(mark.brief, []).append(mark)
        found: dict[tuple[str, str], Mark] = {}
        claims: dict[tuple[str, str], str] = {}
        save: list[Mark] = []
        for brief_id, marks in by_brief.items():
            if brief_id not in self.known:
                continue
            try:
                brief = self.library.brief(brief_id)
            except Exception:  # a brief with errors: its marks stay as they were
                continue
            shown, exact = settle(brief, marks)
            found.update(((m.id, m.updated), m) for m in shown)
            claims.update(((brief_id, fact.id), fact.claim) for fact in brief.facts if fact.according_to)
            save += exact
        self.app.call_from_thread(self.placed, found, save, claims)

    def placed(
        self, found: dict[tuple[str, str], Mark], save: list[Mark], claims: dict[tuple[str, str], str] | None = None
    ) -> None:
        """Show every mark where it was found; save only the exact finds (new ids)."""
        if not self.in_use:  # the reader left the notebook meanwhile
            return
        self.found = found
        self.claims = claims or {}
        self.app.notes.found_again(save)
        self.refresh_marks()

    # -- actions ------------------------------------------------------------

    def current(self) -> Row | None:
        return self.query_one(RowList).current

    def action_filter(self) -> None:
        self.query_one(FilterableList).open_filter()

    @on(Input.Changed, "#notebook-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        rows = self.query_one(RowList)
        rows.empty = self.empty_text(event.value)
        rows.set_rows(self.filtered(event.value))

    def empty_text(self, query: str) -> str:
        """What an empty list says: why it is empty."""
        if query.strip() and (self.all_rows or self.drafts):
            return "Nothing matches the filter: escape clears it."
        return "No notes or bookmarks yet: a writes a note, b bookmarks."

    def action_clear_filter(self) -> None:
        if not self.query_one(FilterableList).close_filter():
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(RowList.Selected, "#notebook-list")
    def selected(self, event: RowList.Selected) -> None:
        self.jump(event.row)

    def open_brief(self, brief_id: str, otherwise: str, then) -> None:
        """Parse the brief of a mark (in a worker) and hand it to ``then``; or say why it
        cannot be had."""
        if brief_id not in self.known:
            self.notify(
                f"The brief {brief_id!r} is not in this library, or cannot be read: {otherwise}.", severity="warning"
            )
            return
        self.app.load_brief(brief_id, then)

    def action_jump(self) -> None:
        row = self.current()
        if row is None:
            self.notify("Nothing to go to: the notebook is empty, or the filter matches nothing.", severity="warning")
            return
        self.jump(row)

    def jump(self, row: Row | None) -> None:
        if row is None:
            return
        mark = row.mark
        pane = mark.pane if mark is not None and mark.pane in PANES else Pane.FACTS
        orphaned = isinstance(mark, Mark) and mark.anchor == Anchor.ORPHANED
        item = mark.item if mark is not None and not orphaned else None

        def opened(brief) -> None:
            if orphaned:
                self.notify(
                    "This note's item is no longer in the brief: t in the notebook re-attaches it.", severity="warning"
                )
            self.app.show_brief(brief, pane=pane, item=item)

        self.open_brief(row.brief, "its notes are kept here", opened)

    def action_edit(self) -> None:

        row = self.current()
        if row is not None and isinstance(row.mark, Draft):
            self.continue_draft(row.mark, row.title)
            return
        if row is None or not isinstance(row.mark, Note):
            self.notify("Highlight a note to edit it.", severity="warning")
            return
        note = row.mark
        if note.item is None or note.anchor == Anchor.ORPHANED or note.brief not in self.known:
            # No live item (orphaned, or its brief is not in this library): only the
            # note's text changes; what it was written on is kept.
            self.app.notes.write(note.brief, None, note, quote=note.quote)
            return

        def opened(brief) -> None:
            item = brief.item(note.item)
            if item is None:
                self.app.notes.write(note.brief, None, note, quote=note.quote)
            else:
                self.app.notes.write(note.brief, item, note, brief_title=row.title)

        self.app.load_brief(note.brief, opened)

    def continue_draft(self, draft: Draft, title: str) -> None:
        """Open the note dialog where the draft was being written: it offers the draft."""

        note = next((n for n in self.marks if isinstance(n, Note) and n.id == draft.note), None)

        def write(item) -> None:
            if item is not None:
                self.app.notes.write(draft.brief, item, note, brief_title=title)
            elif note is not None:
                self.app.notes.write(draft.brief, None, note, quote=note.quote)
            elif draft.item is None:
                self.app.notes.write(draft.brief, None, None, brief_title=title)
            else:
                self.notify(
                    "The item this draft was written on is not in the brief now: its text is kept here; d discards it.",
                    severity="warning",
                )

        if draft.item is not None and draft.brief in self.known:
            self.app.load_brief(draft.brief, lambda brief: write(brief.item(draft.item)))
        else:
            write(None)

    def action_delete(self) -> None:
        row = self.current()
        if row is None or row.mark is None:
            self.notify("Highlight a note or bookmark to delete it.", severity="warning")
            return
        if isinstance(row.mark, Draft):
            self.app.notes.discard_draft(row.mark)
        else:
            self.app.notes.delete(row.mark)

    def action_attach(self) -> None:
        row = self.current()
        if row is None or not isinstance(row.mark, Mark) or row.mark.item is None:
            self.notify("Highlight a note or bookmark on an item to re-attach it.", severity="warning")
            return
        mark = row.mark
        self.open_brief(mark.brief, "there is nothing to attach to", lambda brief: self.attach(mark, brief))

    def attach(self, mark: Mark, brief) -> None:
        """Offer every item of ``brief`` for ``mark``, the likeliest first."""
        from briefing.core.anchor import candidates
        from briefing.ui.screens.dialogs import PickDialog

        def picked(item) -> None:
            if item is None:
                return
            saved, moved = self.app.notes.attach(mark, item)
            if saved:
                self.notify("Re-attached." if moved else f"This {mark.kind} was deleted meanwhile.", timeout=3)

        offered = candidates(brief, mark)

        def label(item) -> Text:
            line = Text(f"{PANE_TITLES[item.pane]:<12} ")
            if item is offered[0]:  # a guess, offered first: the reader confirms it (or not)
                line.append("likeliest: ", style="bold")
            line.append(item.label)
            return line

        self.app.push_screen(
            PickDialog(
                f"Re-attach this {mark.kind} to an item of “{brief.title}”",
                f"Written on: {first_line(mark.quote)}",
                offered,
                label,
            ),
            picked,
        )
