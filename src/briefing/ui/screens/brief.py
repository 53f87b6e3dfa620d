"""One brief: header, summary, and its four panes; the selected item's cited passage below.

Below about 120 columns the panes are tabs (1–4, tab/shift+tab); from there on they stand
side by side. Everything shown is built from the parsed model, never from raw Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Static

from briefing.core.entries import hashtags
from briefing.core.enums import PANE_TITLES, PANES, Anchor, Pane
from briefing.core.library import Library
from briefing.core.marks import Bookmark, Mark, Note
from briefing.core.model import Brief, Item
from briefing.ui.render.detail import item_detail, marks_detail
from briefing.ui.render.markers import DRAFTED_TAG, GLYPHS, fitted
from briefing.ui.screens.base import BriefingScreen
from briefing.ui.widgets.pane import PaneView
from briefing.ui.widgets.rowlist import RowList

WIDE = 120
PLACE_SAVE_DELAY = 0.5  # seconds after a brief is drawn before it is marked read


def counted(count: int, noun: str) -> str:
    """``1 note``, ``2 notes``."""
    return f"{count:,} {noun}{'s' * (count != 1)}"


def lost_line(orphans: list[Mark]) -> str:
    """What the header says of marks whose item is gone: "2 notes lost their item"."""
    notes = sum(isinstance(m, Note) for m in orphans)
    bookmarks = len(orphans) - notes
    parts = [counted(n, noun) for n, noun in ((notes, "note"), (bookmarks, "bookmark")) if n]
    return f"{' and '.join(parts)} lost {'its' if len(orphans) == 1 else 'their'} item"


def brief_header(
    brief: Brief,
    marks: Sequence[Mark] = (),
    orphans: Sequence[Mark] = (),
    width: int = 0,
    mark: Style | str = "bold",
    warning: Style | str = "bold",
) -> Text:
    """Title, date, status, tags and sources, a line each (cut, never wrapped); the
    brief's own bookmark and notes as markers before the title; a line when notes lost
    their item (the summary, s, lists them)."""
    head = Text(no_wrap=True, overflow="ellipsis")
    bookmarked = any(isinstance(m, Bookmark) for m in marks)
    notes = sum(isinstance(m, Note) for m in marks)
    if bookmarked:
        head.append(f"{GLYPHS.bookmark} ", style=mark)
    if notes:
        head.append(f"{GLYPHS.note}{notes} " if notes > 1 else f"{GLYPHS.note} ", style=mark)
    head.append(brief.title, style="bold")
    head.append("\n")
    head.append(f"{brief.date} · {brief.status}", style="dim")
    if brief.tags:
        head.append(" · " + hashtags(brief.tags), style="italic")
    if orphans:
        head.append(f"\n{GLYPHS.warning} {lost_line(list(orphans))} · s", style=warning)
    for source in brief.sources:
        # The source's title is cut to fit, never its "(unverified)" (``width``: the
        # header's; 0 when not known yet).
        head.append("\n")
        head.append_text(
            fitted(
                width or 10_000,
                (f"[{source.id}] ", "", False),
                (source.title, "", True),
                (f" ({source.verification})", "italic", False),
            )
        )
    return head


class BriefScreen(BriefingScreen):
    BINDINGS = [
        Binding("1", "pane('facts')", "Key facts", id="brief.facts", show=False, tooltip="Show the key facts"),
        Binding(
            "2",
            "pane('stakeholders')",
            "Stakeholders",
            id="brief.stakeholders",
            show=False,
            tooltip="Show the stakeholders",
        ),
        Binding("3", "pane('concerns')", "Concerns", id="brief.concerns", show=False, tooltip="Show the concerns"),
        Binding("4", "pane('timeline')", "Timeline", id="brief.timeline", show=False, tooltip="Show the timeline"),
        Binding("tab,right,l", "next_pane", "Next pane", id="brief.next", tooltip="Show the next pane"),
        Binding(
            "shift+tab,left,h",
            "previous_pane",
            "Previous pane",
            id="brief.previous",
            show=False,
            tooltip="Show the previous pane",
        ),
        Binding("o", "source", "Source", id="brief.source", tooltip="Open the source at the cited passage"),
        Binding(
            "e",
            "edit_brief",
            "Edit",
            id="brief.edit",
            show=False,  # the detail's last line offers it where it can be used
            tooltip="Edit the brief in your editor, at this item",
        ),
        Binding("b", "bookmark", "Bookmark", id="brief.bookmark", tooltip="Bookmark the item, or remove its bookmark"),
        Binding("a", "note", "Note", id="brief.note", tooltip="Write or edit a note on the item"),
        Binding(
            "A",
            "brief_note",
            "Brief note",
            id="brief.brief_note",
            show=False,
            tooltip="Write or edit a note on the whole brief",
        ),
        Binding(
            "B",
            "brief_bookmark",
            "Bookmark brief",
            id="brief.brief_bookmark",
            show=False,
            tooltip="Bookmark the whole brief, or remove its bookmark",
        ),
        Binding(
            "d",
            "delete_note",
            "Delete note",
            id="brief.delete",
            show=False,
            tooltip="Delete the item's note (asks first)",
        ),
        Binding(
            "y",
            "copy",
            "Copy as citation",
            id="brief.copy",
            show=False,
            tooltip="Copy the item with its citation (to your terminal's clipboard)",
        ),
        Binding("n", "app.notebook", "Notebook", id="brief.notebook", tooltip="Every note and bookmark"),
        Binding(
            "S",
            "app.search",
            "Search",
            id="brief.search",
            show=False,
            tooltip="Search everything: briefs, items, cited source paragraphs, notes and bookmarks",
        ),
        Binding(
            "s",
            "summary",
            "Summary",
            id="brief.summary",
            tooltip="The whole summary and the sources, in the detail area",
        ),
        Binding(
            "J",
            "detail_down",
            "Scroll detail",
            id="brief.detail_down",
            show=False,
            tooltip="Scroll the detail below down",
        ),
        Binding(
            "K", "detail_up", "Scroll detail up", id="brief.detail_up", show=False, tooltip="Scroll the detail below up"
        ),
        Binding("escape,q", "back", "Back", id="brief.back", tooltip="Back to where you were"),
    ]

    pane: reactive[str] = reactive(Pane.FACTS, init=False)
    wide: reactive[bool] = reactive(False, init=False)

    def __init__(
        self, brief: Brief, library: Library, pane: str = Pane.FACTS, wide: bool = False, item: str | None = None
    ) -> None:
        super().__init__(classes="-wide" if wide else None)
        self.brief = brief
        self.library = library
        self.start_item = item
        self.marks: dict[str | None, list[Mark]] = {}
        self.moved: list[Mark] = []  # marks whose item changed, to save once shown
        self.showing_summary = False  # the detail area shows the summary (s), not the item
        # The brief's file and its library folder, once e has looked them up (the index
        # knows the file by the id the brief had when the library was read).
        self.file: tuple[Path, Path] | None = None
        self.editable = False  # e can edit it here (worked out as the screen is built)
        self.set_reactive(BriefScreen.pane, pane if pane in PANES else Pane.FACTS)
        self.set_reactive(BriefScreen.wide, wide)

    # -- notes and bookmarks --------------------------------------------------

    def load_marks(self) -> None:
        """This brief's notes and bookmarks by item, each found again in the brief as it is
        now: in its own pane, as written (ok) or close to it (edited), else orphaned (see
        anchor.py). Only a mark found as written under a new id is saved (``moved``)."""
        store = self.app.store
        marks: list[Mark] = list(store.marks(self.brief.id)) if store is not None else []
        self.moved = []
        if marks:  # the matcher (difflib) loads only for a brief that has notes
            from briefing.core.anchor import settle

            marks, self.moved = settle(self.brief, marks)
        self.marks = {}
        for mark in marks:
            key = mark.item if mark.anchor != Anchor.ORPHANED else Anchor.ORPHANED
            self.marks.setdefault(key, []).append(mark)
        for group in self.marks.values():
            group.sort(key=lambda m: (isinstance(m, Note), m.created))

    def header(self) -> Text:
        width = (self.size.width or self.app.size.width) - 2  # the header's padding
        return brief_header(
            self.brief,
            self.marks.get(None, []),
            self.marks.get(Anchor.ORPHANED, []),
            width,
            mark=self.styled("mark"),
            warning=self.styled("warning"),
        )

    def item_marks(self, item: Item | None) -> list[Mark]:
        return self.marks.get(item.id, []) if item is not None else []

    def format_item(self, item: Item) -> Text:
        """The item's row: its bookmark and note marks, [drafted] while an author has not
        accepted it, then its label (a claim's names who makes it: "X says: ...")."""
        marks = self.marks.get(item.id)
        if not marks:
            row = Text("   ")
        else:
            bookmark = GLYPHS.bookmark if any(isinstance(m, Bookmark) for m in marks) else " "
            note = GLYPHS.note if any(isinstance(m, Note) for m in marks) else " "
            row = Text.assemble((bookmark + note, self.styled("mark")), " ")
        if item.drafted is not None:
            row.append(DRAFTED_TAG, style=self.styled("drafted"))
            row.append(" ")
        row.append(item.label)
        return row

    def help_legend(self) -> Text:
        """What the rows' marks mean, for help (?)."""
        return Text(
            f"In the panes: {GLYPHS.bookmark} bookmarked · {GLYPHS.note} has a note · {DRAFTED_TAG} as "
            "briefing draft proposed it, not yet accepted (an author removes its drafted: line) · "
            '"X says: ..." a claim the brief attributes to X, not a fact it states.'
        )

    def refresh_marks(self) -> None:
        """Notes or bookmarks changed (here or in another instance): draw them again. The
        detail is redrawn only if the highlighted item's marks changed, and the summary
        view (s) stays as it is."""
        before = self.item_marks(self.current_item), self.marks.get(None, [])
        self.load_marks()
        self.save_moved()
        for rows in self.query(RowList):
            rows.redraw()
        self.query_one("#brief-header", Static).update(self.header())
        after = self.item_marks(self.current_item), self.marks.get(None, [])
        if after != before:
            if self.showing_summary:
                self.action_summary()
            else:
                self.query_one("#detail-body", Static).update(self.detail_of(self.current_item))

    def save_moved(self) -> None:
        """Save the new ids of marks found as written under another id."""
        moved, self.moved = self.moved, []
        self.app.notes.found_again(moved)

    def compose(self) -> ComposeResult:
        self.load_marks()
        self.editable = self.edit_refused() is None
        yield Static(self.header(), id="brief-header")
        yield Static(Text(self.brief.summary), id="summary")
        yield Static(self.tab_strip(), id="pane-tabs")
        with Horizontal(id="panes"):
            for pane in PANES:
                view = PaneView(pane, list(self.brief.pane(pane)), self.format_item)
                view.set_class(pane == self.pane, "-active")
                yield view
        with VerticalScroll(id="detail"):
            items = self.brief.pane(self.pane)
            yield Static(self.detail_of(items[0] if items else None), id="detail-body")
        yield Footer()

    def on_resize(self) -> None:
        self.wide = self.size.width >= WIDE
        self.query_one("#pane-tabs", Static).update(self.tab_strip(), layout=False)
        self.query_one("#brief-header", Static).update(self.header(), layout=False)

    def watch_wide(self, wide: bool) -> None:
        self.set_class(wide, "-wide")

    def watch_pane(self) -> None:
        self.show_pane()

    def on_mount(self) -> None:
        self.hear_notes()
        rows = self.rowlist()
        self.set_focus(rows)
        if self.start_item:
            rows.select_where(lambda item: item.id == self.start_item)
        self.call_after_refresh(self.after_first_frame)

    def after_first_frame(self) -> None:
        if not self.in_use:  # closed before its first frame (keys typed ahead)
            return
        self.save_moved()
        self.tell_place()
        # Counted as read once it has been on screen a moment; the write (in a thread)
        # then cannot compete with drawing the brief.
        self.set_timer(PLACE_SAVE_DELAY, self.mark_read)

    def mark_read(self) -> None:
        if self.is_current:  # not if the reader has left (or opened the source) already
            self.tell_place(save=True)

    def tell_place(self, save: bool = False) -> None:
        item = self.current_item
        self.app.place_changed(self.brief.id, self.pane, item.id if item else None, save=save)

    # -- state to screen ----------------------------------------------------

    def rowlist(self, pane: str | None = None) -> RowList:
        return self.query_one(f"#list-{pane or self.pane}", RowList)

    @property
    def current_item(self) -> Item | None:
        return self.rowlist().current

    def tab_strip(self, width: int | None = None) -> Text:
        """The four panes as tabs, the one shown marked. When they do not fit the width,
        the other tabs lose their counts, then their names: the shown one stays whole."""
        width = width if width is not None else self.size.width - 2  # the strip's padding
        counts = self.brief.counts()
        for detail in ("full", "names", "numbers"):
            tabs = Text(no_wrap=True, overflow="ellipsis")
            for number, pane in enumerate(PANES, start=1):
                label = f"{number} {PANE_TITLES[pane]} ({counts[pane]})"
                if pane == self.pane:
                    tabs.append(f"▸{label}◂", style="bold reverse")
                elif detail == "full":
                    tabs.append(f" {label} ", style="dim")
                elif detail == "names":
                    tabs.append(f" {number} {PANE_TITLES[pane]} ", style="dim")
                else:
                    tabs.append(f" {number} ", style="dim")
                tabs.append(" ")
            if width <= 0 or tabs.cell_len - 1 <= width:
                break
        return tabs

    def show_pane(self) -> None:
        for view in self.query(PaneView):
            view.set_class(view.pane == self.pane, "-active")
        self.query_one("#pane-tabs", Static).update(self.tab_strip(), layout=False)
        self.set_focus(self.rowlist())
        self.show_detail()
        self.tell_place()

    def detail_of(self, item: Item | None) -> Text:
        passages = [self.library.passage(self.brief, c) for c in item.citations] if item else []
        return item_detail(item, passages, self.item_marks(item), editable=self.editable)

    def show_detail(self) -> None:
        self.showing_summary = False
        self.query_one("#detail-body", Static).update(self.detail_of(self.current_item))
        detail = self.query_one("#detail", VerticalScroll)
        if detail.scroll_y:
            detail.scroll_home(animate=False, immediate=True)

    @on(RowList.Highlighted)
    def item_highlighted(self, event: RowList.Highlighted) -> None:
        if event.rowlist.id == f"list-{self.pane}":
            self.show_detail()
            self.tell_place()

    def on_descendant_focus(self, event) -> None:
        """Focus moved to another pane's list (a click, in the wide layout). A focus event
        that is out of date (the pane changed again since: keys typed ahead) says nothing."""
        widget = event.widget
        if widget is not self.focused:
            return
        if isinstance(widget, RowList) and widget.id and widget.id.startswith("list-"):
            self.pane = widget.id.removeprefix("list-")

    # -- actions ------------------------------------------------------------

    def action_pane(self, pane: str) -> None:
        if pane in PANES:
            self.pane = pane

    def action_next_pane(self) -> None:
        self.pane = PANES[(PANES.index(self.pane) + 1) % len(PANES)]

    def action_previous_pane(self) -> None:
        self.pane = PANES[(PANES.index(self.pane) - 1) % len(PANES)]

    def action_summary(self) -> None:
        """The summary is cut to two lines on a small screen: show all of it, with the
        sources, where the item's detail goes (the next move shows the item again)."""
        text = Text("Summary\n", style="bold")
        text.append(self.brief.summary)
        text.append("\n\nSources\n", style="bold")
        for source in self.brief.sources:
            where = source.file or source.url or ""
            text.append(f"[{source.id}] {source.title} ({source.kind}, {source.verification}) {where}\n")
        brief_marks = self.marks.get(None, [])
        if brief_marks:
            text.append("\nOn the whole brief\n", style="bold")
            marks_detail(brief_marks, text)
        orphans = self.marks.get(Anchor.ORPHANED, [])
        if orphans:
            text.append(
                f"\n{GLYPHS.warning} {lost_line(orphans)}: kept with the text they were written "
                "on; t in the notebook (n) re-attaches one\n",
                style=self.styled("warning"),
            )
            marks_detail(orphans, text)
        self.query_one("#detail-body", Static).update(text)
        self.showing_summary = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """J and K only when the detail is longer than its area, as help and the command
        palette ask when they open (the footer does not show them: nothing to redraw on
        every move)."""
        if action in ("detail_down", "detail_up"):
            try:
                return self.query_one("#detail", VerticalScroll).max_scroll_y > 0
            except Exception:  # not composed yet, or going
                return True
        return True

    def action_detail_down(self) -> None:
        self.query_one("#detail", VerticalScroll).scroll_relative(y=3, animate=False)

    def action_detail_up(self) -> None:
        self.query_one("#detail", VerticalScroll).scroll_relative(y=-3, animate=False)

    def action_source(self) -> None:
        from briefing.ui.screens.source import SourceScreen

        item = self.current_item
        if item is None or not item.citations:
            self.notify("This item cites no source.", severity="warning")
            return
        first = item.citations[0]
        source = self.brief.source(first.source)
        if source is not None and source.file is None:
            # Not a failure: the brief cites it by address only, and briefing reads no web.
            from briefing.core.safe import clean_line

            self.notify(
                f"Source {source.id} is online only: {clean_line(source.url or '(no address given)')}\n"
                "briefing does not fetch online sources; the address is shown, not opened.",
                title="Online source",
                timeout=15,
            )
            return
        try:
            document = self.library.source_document(self.brief, first.source)
        except Exception as exc:  # BriefError: missing or unreadable source
            self.notify(str(exc), title="Cannot open the source", severity="error")
            return
        cited = [c for c in item.citations if c.source == first.source]
        self.app.push_screen(SourceScreen(document, source, cited, item))

    # -- editing the brief (e) ------------------------------------------------

    def brief_file(self) -> tuple[Path, Path] | None:
        """The brief's file and its library folder (from the index, once)."""
        if self.file is None:
            try:
                entry = self.library.entry(self.brief.id)
            except Exception:  # the index cannot be read now: the file is not known
                return None
            if entry is not None:
                self.file = (Path(entry.path), Path(entry.library))
        return self.file

    def edit_refused(self) -> str | None:
        """Why e cannot edit this brief here (a kiosk, a read-only library), or None."""
        from briefing.ui.screens.editing import refusal

        if self.app.kiosk:
            return refusal(True, None)
        found = self.brief_file()
        return refusal(False, found[0] if found else None)

    def action_edit_brief(self, line: int | None = None) -> None:
        """The brief in the user's editor at the item's line (or ``line``), the terminal
        handed over until the editor exits; then the brief is read and checked again. The
        notes store holds no lock meanwhile (a change holds it only while it is saved)."""
        from briefing.ui.screens.editing import hand_over

        refused = self.edit_refused()
        found = self.brief_file()
        if refused is not None or found is None:
            self.notify(refused or "This brief cannot be edited here.", title="Edit", severity="warning")
            return
        file, root = found
        item = self.current_item
        if line is None:
            line = item.line if item is not None else 1
        failed = hand_over(self.app, file, line)
        if failed is not None:
            self.notify(failed, title="Edit", severity="error")
            return
        self.read_again(file, root, item.id if item is not None else None)

    def read_again(self, file: Path, root: Path, item_id: str | None) -> None:
        """Read the edited brief in a worker (keys typed meanwhile wait); then show it, or
        the problems the edit left over the brief as it was."""
        from briefing.ui.screens.editing import reread

        self.app.typeahead.hold()
        pane, index = self.pane, self.rowlist().cursor

        def read() -> None:
            try:
                outcome = reread(self.library, file, root)
            except Exception as exc:  # never leave the keys waiting
                from briefing.core.errors import BriefError

                outcome = [BriefError(str(file), 0, f"cannot be read: {exc}")]
            self.app.call_from_thread(done, outcome)

        def done(outcome) -> None:
            try:
                if self.in_use:
                    self.edited(outcome, pane, item_id, index)
            finally:
                self.app.typeahead.release()

        self.run_worker(read, thread=True, group="edit", exit_on_error=False)

    def edited(self, outcome, pane: str, item_id: str | None, index: int) -> None:
        from briefing.ui.screens.editing import ProblemsScreen

        self.rescan_library()
        if isinstance(outcome, list):

            def answered(again: bool | None) -> None:
                if again:
                    self.action_edit_brief(line=max(1, outcome[0].line))

            self.app.push_screen(ProblemsScreen(outcome), answered)
            return
        self.replace_brief(outcome, pane, item_id, index)
        self.notify("The brief was read again.", title="Edit", timeout=3)

    def rescan_library(self) -> None:
        """The library's list (and its index) catch up with the edited file."""
        from briefing.ui.screens.library import LibraryScreen

        bottom = self.app.screen_stack[0] if self.app.screen_stack else None
        if isinstance(bottom, LibraryScreen):
            bottom.rescan()

    def replace_brief(self, brief: Brief, pane: str, item_id: str | None, index: int) -> None:
        """Show ``brief`` (this brief read again) in place of the one shown, the cursor on
        the item it was on (by id, in its pane or another), else at the same place."""
        self.brief = brief
        self.load_marks()
        self.save_moved()
        where = next(
            (
                (name, at)
                for name in [pane, *(p for p in PANES if p != pane)]
                for at, item in enumerate(brief.pane(name))
                if item.id == item_id
            ),
            (pane, index),
        )
        for view in self.query(PaneView):
            items = list(brief.pane(view.pane))
            view.items = items
            view.query_one(".pane-title", Static).update(Text(f"{PANE_TITLES[view.pane]} ({len(items)})", style="bold"))
            rows = self.rowlist(view.pane)
            rows.set_rows(items, where[1] if view.pane == where[0] else rows.cursor)
        self.query_one("#brief-header", Static).update(self.header())
        self.query_one("#summary", Static).update(Text(brief.summary))
        self.editable = self.edit_refused() is None
        if self.pane != where[0]:
            self.pane = where[0]  # shows the pane, its detail, and says where the reader is
        else:
            self.show_pane()

    def action_copy(self) -> None:
        """The item as text with its brief, pane, citations and cited passages, to the
        terminal's clipboard (OSC 52: works over SSH, if the terminal allows it)."""
        from briefing.core.citation import citation_text, one_line

        item = self.current_item
        if item is None:
            self.notify("This pane has no items to copy.", severity="warning")
            return
        passages = [self.library.passage(self.brief, c) for c in item.citations]
        self.app.copy_to_clipboard(citation_text(self.brief, item, passages))
        label = one_line(item.label)
        self.notify(f"Copied: {label[:40] + '…' if len(label) > 41 else label}", timeout=3)

    def action_back(self) -> None:
        item = self.current_item
        self.app.place_changed(self.brief.id, self.pane, item.id if item else None, opened=False, save=True)
        self.app.pop_screen()

    def action_bookmark(self) -> None:
        item = self.current_item
        if item is None:
            self.notify("This pane has no items to bookmark.", severity="warning")
            return
        shown = next((m for m in self.item_marks(item) if isinstance(m, Bookmark)), None)
        self.app.notes.toggle_bookmark(self.brief.id, item, shown=shown)

    def action_brief_bookmark(self) -> None:
        self.app.notes.toggle_bookmark(self.brief.id, None, self.brief.title)

    def action_note(self) -> None:
        item = self.current_item
        if item is None:
            self.notify("This pane has no items to annotate.", severity="warning")
            return
        notes = [m for m in self.item_marks(item) if isinstance(m, Note)]
        self.app.notes.write(self.brief.id, item, notes[-1] if notes else None)

    def action_brief_note(self) -> None:
        notes = [m for m in self.marks.get(None, []) if isinstance(m, Note)]
        self.app.notes.write(self.brief.id, None, notes[-1] if notes else None, brief_title=self.brief.title)

    def action_delete_note(self) -> None:
        notes = [m for m in self.item_marks(self.current_item) if isinstance(m, Note)]
        if not notes:
            self.notify("This item has no note to delete.", severity="warning")
            return
        self.app.notes.delete(notes[-1])
