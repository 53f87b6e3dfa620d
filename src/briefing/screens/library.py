"""The library: every brief with its date, status, tags and item counts; filter as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ..errors import BriefError
from ..library import Entry, Library, hashtags
from ..widgets.markers import GLYPHS
from ..widgets.rowlist import RowList

STATUS_STYLE = {"draft": "yellow", "review": "cyan", "published": "green", "archived": "dim"}


class LibraryScreen(Screen[None]):
    marks_stale = False  # set by the app when notes change behind this screen

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="library.filter", tooltip="Filter the list as you type"),
        Binding("enter", "open", "Open", id="library.open", tooltip="Open the highlighted brief"),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear", show=False),
        Binding("n", "app.notebook", "Notebook", id="library.notebook", tooltip="Every note and bookmark"),
        Binding("b", "bookmark", "Bookmark", id="library.bookmark", show=False,
                tooltip="Bookmark the highlighted brief, or remove its bookmark"),
        Binding("a", "note", "Note", id="library.note", show=False,
                tooltip="Write or edit a note on the highlighted brief"),
        Binding("r", "rescan", "Reload", id="library.reload", tooltip="Scan the library folders again"),
        Binding("q", "quit", "Quit", id="library.quit", tooltip="Leave briefing"),
    ]

    def __init__(self, library: Library, open_brief: str | None = None,
                 resume: dict | None = None) -> None:
        super().__init__(id="library")
        self.library = library
        self.open_brief = open_brief
        self.resume = resume or {}
        self.loaded = False
        self.scanning = False
        self.read: set[str] = set()
        self.note_counts: dict[str, int] = {}
        self.bookmarked: set[str] = set()

    def load_marks(self) -> None:
        """What the library shows of the reader's store: read briefs, notes, bookmarks."""
        store = self.app.store
        if store is None:
            return
        self.read = store.read_briefs()
        self.note_counts = store.note_counts()
        self.bookmarked = store.bookmarked_briefs()

    def refresh_marks(self) -> None:
        self.load_marks()
        self.query_one(RowList).redraw()

    def on_screen_resume(self) -> None:
        # Always: a brief read meanwhile is no longer unread (a few ms with 10,000 notes).
        self.marks_stale = False
        if self.loaded:
            self.refresh_marks()

    def compose(self) -> ComposeResult:
        # The index of the last start is read here, before the first frame: it is one
        # small file, and the rows it gives are what the user waits for on every login.
        # Every brief file is checked afterwards, in a worker.
        self.loaded = self.library.load_index()
        self.load_marks()
        yield Static(self.header_text(), id="library-header")
        box = Input(placeholder="Filter: type words of a title, tag, status or date", id="filter")
        box.display = False  # shown by /
        yield box
        yield RowList(self.format_row, empty="Loading the library…", rows=self.library.entries, id="briefs")
        yield Static(self.detail_text(self.library.entries[0] if self.library.entries else None),
                     id="library-detail")
        yield Footer()

    def on_mount(self) -> None:
        rows = self.query_one(RowList)
        rows.focus()
        if self.resume.get("brief") and not self.open_brief:
            rows.select_where(lambda e: e.summary is not None and e.summary.id == self.resume["brief"])
        if self.loaded:
            self.open_requested(final=False)
        self.call_after_refresh(self.rescan)

    def rescan(self) -> bool:
        """Check the library's files again, unless that is already under way (a thread
        worker cannot be stopped, so a second one would only run beside the first)."""
        if self.scanning:
            return False
        self.scanning = True
        self.scan()
        return True

    @work(thread=True, exclusive=True, group="scan")
    def scan(self) -> None:
        """Check every file of the library and show what changed."""
        try:
            changed = self.library.scan(progress=self.report_progress)
        finally:
            self.scanning = False
        if changed or not self.loaded:
            self.app.call_from_thread(self.show_entries, True)
        elif self.open_brief:
            self.app.call_from_thread(self.open_requested, True)
        # Load the parser now, in the background, so the first brief opens at once.
        from ..parse import warm_up

        warm_up()

    def report_progress(self, parsed: int, files: int) -> None:
        """From the scanning thread: say how far the first reading of the library got."""
        if not self.loaded:
            message = f"Reading the library for the first time: {parsed:,} of {files:,} briefs…"
            self.app.call_from_thread(self.set_empty_text, message)

    def set_empty_text(self, message: str) -> None:
        rows = self.query_one(RowList)
        rows.empty = message
        rows.refresh()

    def show_entries(self, final: bool) -> None:
        self.loaded = True
        rows = self.query_one(RowList)
        rows.empty = "No brief matches the filter." if self.library.entries else "This library has no briefs."
        self.apply_filter(self.query_one("#filter", Input).value)
        self.query_one("#library-header", Static).update(self.header_text())
        self.open_requested(final)

    def header_text(self) -> Text:
        header = Text.assemble(("Library", "bold"))
        if self.loaded:
            briefs, errors = len(self.library.summaries), len(self.library.errors)
            header.append(f"  {briefs:,} brief{'s' * (briefs != 1)}")
            if errors:
                header.append(f"  ⚠ {errors:,} with errors", style="bold red")
        header.append("  · ? help", style="dim")
        return header

    def open_requested(self, final: bool) -> None:
        """Open the brief named on the command line, once it is known (or surely unknown)."""
        if not self.open_brief:
            return
        if self.library.entry(self.open_brief) is not None:
            brief_id, self.open_brief = self.open_brief, None
            rows = self.query_one(RowList)
            rows.select_where(lambda e: e.summary is not None and e.summary.id == brief_id)
            resume, self.resume = self.resume, {}
            if resume.get("brief") == brief_id:
                self.open(brief_id, resume.get("pane") or "facts", resume.get("item"))
            else:
                self.open(brief_id)
        elif final:
            if not self.resume:  # a brief read last time may have left the library: say nothing
                self.notify(f"No brief with the id {self.open_brief!r} in this library.", severity="error")
            self.open_brief = None

    def apply_filter(self, query: str) -> None:
        rows = self.query_one(RowList)
        entries = self.library.filter(query)
        if entries == rows.rows:
            return  # the same briefs match: nothing to redraw
        current = rows.current
        keep = next((i for i, e in enumerate(entries) if current and e.path == current.path), 0)
        rows.set_rows(entries, cursor=keep)

    # -- drawing ------------------------------------------------------------

    def format_row(self, entry: Entry) -> Text:
        width = self.query_one(RowList).text_width
        summary = entry.summary
        if summary is None:  # an entry holds a summary or its error
            return Text.assemble(("⚠ error   ", "bold red"), str(entry.error))
        counts = "F{} S{} C{} T{}".format(*summary.counts)
        notes = self.note_counts.get(summary.id, 0)
        noted = f"{GLYPHS.note}{notes:<3}" if notes else "    "
        tags_width = 26 if width >= 110 else 0
        title_width = max(10, width - 3 - 10 - 1 - 10 - len(counts) - 1 - len(noted) - tags_width)
        unread = GLYPHS.unread if summary.id not in self.read else " "
        bookmark = GLYPHS.bookmark if summary.id in self.bookmarked else " "
        title = Text(summary.title, no_wrap=True, overflow="ellipsis")
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row = Text.assemble(
            (f"{unread}{bookmark} ", "bold"),
            (f"{summary.date:<10} ", "dim"),
            (f"{summary.status:<9} ", STATUS_STYLE.get(summary.status, "")),
            title,
            " ",
        )
        if tags_width:
            tags = Text(hashtags(summary.tags), style="italic", no_wrap=True)
            tags.truncate(tags_width - 1, overflow="ellipsis", pad=True)
            row.append_text(tags)
            row.append(" ")
        row.append(noted, style="bold")
        row.append(counts, style="dim")
        return row

    @on(RowList.Highlighted, "#briefs")
    def show_detail(self, event: RowList.Highlighted) -> None:
        detail = self.query_one("#library-detail", Static)
        detail.update(self.detail_text(event.rowlist.current), layout=False)

    @staticmethod
    def detail_text(entry: Entry | None) -> Text:
        """One line about the highlighted brief: its tags in full, or its first error."""
        if entry is None:
            return Text("")
        if entry.summary is None:
            more = len(entry.error.all) - 1 if entry.error else 0
            return Text(str(entry.error) + (f" (and {more} more)" if more else ""), style="red")
        tags = hashtags(entry.summary.tags) or "no tags"
        return Text(f"{tags} · {entry.summary.id}", style="italic")

    # -- actions ------------------------------------------------------------

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        if self.loaded:
            self.apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one(RowList).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        box.display = False
        self.query_one(RowList).focus()

    def key_down(self, event) -> None:
        if self.focused is self.query_one("#filter"):
            event.stop()
            self.query_one(RowList).focus()

    @on(RowList.Selected, "#briefs")
    def selected(self, event: RowList.Selected) -> None:
        self.open_entry(event.row)

    def action_open(self) -> None:
        self.open_entry(self.query_one(RowList).current)

    def open_entry(self, entry: Entry | None) -> None:
        if entry is None:
            return
        if entry.summary is None:
            self.notify(str(entry.error), title="This brief has an error", severity="error")
            return
        self.open(entry.summary.id)

    def open(self, brief_id: str, pane: str = "facts", item: str | None = None) -> None:
        from .brief import WIDE, BriefScreen

        try:
            brief = self.library.brief(brief_id)
        except BriefError as exc:
            self.notify(str(exc), title="This brief has an error", severity="error")
            return
        except (KeyError, OSError) as exc:
            self.notify(f"Cannot open {brief_id}: {exc}", severity="error")
            return
        self.read.add(brief_id)  # saved by the brief screen once it is drawn
        self.app.push_screen(BriefScreen(brief, self.library, pane=pane, item=item,
                                         wide=self.app.size.width >= WIDE))

    def brief_under_cursor(self):
        entry = self.query_one(RowList).current
        if entry is None or entry.summary is None:
            self.notify("No brief is highlighted.", severity="warning")
            return None
        return entry.summary

    def action_bookmark(self) -> None:
        summary = self.brief_under_cursor()
        if summary is None:
            return
        from .brief import toggle_bookmark

        toggle_bookmark(self.app, summary.id, None, summary.title)

    def action_note(self) -> None:
        from .brief import write_note

        summary = self.brief_under_cursor()
        if summary is None:
            return
        if self.app.store is None:
            self.app.save(lambda: None)  # says why notes cannot be written
            return
        notes = [m for m in self.app.store.notes(summary.id) if m.item is None]
        notes.sort(key=lambda m: m.created)
        write_note(self.app, summary.id, None, notes[-1] if notes else None, brief_title=summary.title)

    def action_rescan(self) -> None:
        if not self.rescan():
            self.notify("The library is being read already.")

    def action_quit(self) -> None:
        self.app.exit()
