"""The library: every brief with its date, status, tags and item counts; filter as you type."""

from __future__ import annotations

import gc
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static

from briefing import paths
from briefing.core.entries import Entry, hashtags
from briefing.core.enums import Pane
from briefing.core.library import Library
from briefing.store.orphans import OrphanCounts
from briefing.ui.render.markers import GLYPHS
from briefing.ui.screens.base import BriefingScreen
from briefing.ui.widgets.filterable import FilterableList, FilterBox
from briefing.ui.widgets.rowlist import RowList


class LibraryScreen(BriefingScreen):
    # A brief's status and a file's errors take their colours from the theme.
    COMPONENT_CLASSES = {
        "library--draft",
        "library--review",
        "library--published",
        "library--archived",
        "library--error",
    }
    DEFAULT_CSS = """
    LibraryScreen > .library--draft { color: $warning; }
    LibraryScreen > .library--review { color: $accent; }
    LibraryScreen > .library--published { color: $success; }
    LibraryScreen > .library--archived { color: $text-muted; }
    LibraryScreen > .library--error { color: $error; text-style: bold; }
    """

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="library.filter", tooltip="Filter the list as you type"),
        Binding("enter", "open", "Open", id="library.open", tooltip="Open the highlighted brief"),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="library.clear",
            show=False,
            tooltip="Clear and close the filter",
        ),
        Binding(
            "s",
            "app.search",
            "Search",
            id="library.search",
            tooltip="Search everything: briefs, items, cited source paragraphs, notes and bookmarks",
        ),
        Binding("n", "app.notebook", "Notebook", id="library.notebook", tooltip="Every note and bookmark"),
        Binding(
            "b",
            "bookmark",
            "Bookmark",
            id="library.bookmark",
            show=False,
            tooltip="Bookmark the highlighted brief, or remove its bookmark",
        ),
        Binding(
            "a", "note", "Note", id="library.note", show=False, tooltip="Write or edit a note on the highlighted brief"
        ),
        Binding("r", "rescan", "Reload", id="library.reload", tooltip="Scan the library folders again"),
        Binding("q", "quit", "Quit", id="library.quit", tooltip="Leave briefing"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape has nothing to clear while the filter is closed (help leaves it out)."""
        if action == "clear_filter" and self.is_mounted:
            return True if self.query_one(FilterableList).filter_open else None
        return True

    def __init__(self, library: Library, open_brief: str | None = None, resume: dict | None = None) -> None:
        super().__init__()
        self.library = library
        self.open_brief = open_brief
        self.resume = resume or {}
        self.loaded = False
        self.scanning = False
        self.read: set[str] = set()
        self.note_counts: dict[str, int] = {}
        self.bookmarked: set[str] = set()
        self.orphans: dict[str, int] = {}  # notes and bookmarks that lost their item, by brief
        self.orphan_counts: OrphanCounts | None = None  # made in the worker that counts them
        self.orphans_known = False  # counted once since the library was read
        self.progress: tuple[int, int] | None = None  # briefs read, of how many, while indexing
        self.shown_at = 0.0

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
        self.count_orphans()

    @work(thread=True, exclusive=True, group="orphans")
    def count_orphans(self) -> None:
        """How many marks of each brief lost their item (orphans.py: a brief is parsed
        only when it or its marks changed since the last count)."""
        store = self.app.store
        if store is None:
            return
        if self.orphan_counts is None:
            self.orphan_counts = OrphanCounts(paths.orphans_cache_file(store.path))
        counts = self.orphan_counts.counts(self.library, store.marks())
        self.orphan_counts.save()
        self.app.call_from_thread(self.orphans_counted, counts)

    def orphans_counted(self, counts: dict[str, int]) -> None:
        self.orphans_known = True
        if counts != self.orphans and self.in_use:
            self.orphans = counts
            rows = self.query_one(RowList)
            rows.redraw()
            self.query_one("#library-detail", Static).update(self.detail_text(rows.current), layout=False)

    def marks_outdated(self, stale: bool) -> bool:
        # Always: a brief read meanwhile is no longer unread (a few ms with 10,000 notes).
        return self.loaded

    def compose(self) -> ComposeResult:
        # The index of the last start is read here, before the first frame: it is one
        # small file, and the rows it gives are what the user waits for on every login.
        # Every brief file is checked afterwards, in a worker.
        self.loaded = self.library.load_index()
        self.load_marks()
        yield Static(self.header_text(), id="library-header")
        yield FilterableList(
            FilterBox(placeholder="Filter: type words of a title, tag, status or date", id="filter"),
            RowList(self.format_row, empty=self.empty_text(), rows=self.library.entries, id="briefs"),
        )
        yield Static(self.detail_text(self.library.entries[0] if self.library.entries else None), id="library-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.hear_notes()
        rows = self.query_one(RowList)
        self.set_focus(rows)
        if self.resume.get("brief") and not self.open_brief:
            self.select_brief(self.resume["brief"])
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
            changed = self.library.scan(progress=self.report_progress, committed=self.report_rows)
        finally:
            self.scanning = False
        self.progress = None
        if changed or not self.loaded:
            self.app.call_from_thread(self.show_entries, True)
        elif self.open_brief:
            self.app.call_from_thread(self.open_requested, True)
        # Load the parser now, in the background, so the first brief opens at once.
        from briefing.core.parse import warm_up

        warm_up()
        self.app.call_from_thread(self.count_orphans)

    def report_progress(self, parsed: int, files: int) -> None:
        """From the scanning thread: say how far the reading of the library got."""
        self.progress = (parsed, files)
        if not self.loaded:
            noun = "brief" if files == 1 else "briefs"
            message = f"Reading the library for the first time: {parsed:,} of {files:,} {noun}…"
            self.app.call_from_thread(self.set_empty_text, message)

    def report_rows(self) -> None:
        """From the scanning thread: more briefs are in the index; show them, at most twice
        a second (the list fills, and search works, while a large library is read)."""
        now = time.monotonic()
        if now - self.shown_at >= 0.5:
            self.shown_at = now
            self.app.call_from_thread(self.show_partial)

    def show_partial(self) -> None:
        if not self.in_use:
            return
        rows = self.query_one(RowList)
        current = rows.current
        self.library.refresh()
        self.apply_filter(self.query_one(FilterableList).query_text)
        if current is not None and rows.current is not None and rows.current.path != current.path:
            keep = self.library.position(rows.rows, path=current.path)  # type: ignore[arg-type]
            if keep is not None:
                rows.cursor = keep
        self.query_one("#library-header", Static).update(self.header_text())

    def set_empty_text(self, message: str) -> None:
        rows = self.query_one(RowList)
        rows.empty = message
        rows.refresh()

    def empty_text(self) -> str:
        """What the list says when it shows no brief."""
        if not self.loaded:
            return "Loading the library…"
        return "No brief matches the filter." if self.library.entries else "This library has no briefs."

    def show_entries(self, final: bool) -> None:
        if not self.loaded:
            # What start-up made stays for the session: keep the collector from walking it
            # again and again (opening a brief then costs at 10,000 briefs what it does at 10).
            gc.freeze()
        self.loaded = True
        rows = self.query_one(RowList)
        rows.empty = self.empty_text()
        self.apply_filter(self.query_one(FilterableList).query_text)
        self.query_one("#library-header", Static).update(self.header_text())
        self.open_requested(final)

    def restyle(self) -> None:
        """Rows are drawn with the theme's colours: draw them again."""
        self.query_one(RowList).redraw()
        self.query_one("#library-header", Static).update(self.header_text())
        self.query_one("#library-detail", Static).update(self.detail_text(self.query_one(RowList).current))

    def header_text(self) -> Text:
        header = Text.assemble(("Library", "bold"))
        briefs, errors = self.library.counts()
        if self.loaded or briefs or errors:
            header.append(f"  {briefs:,} brief{'s' * (briefs != 1)}")
            if errors:
                header.append(f"  ⚠ {errors:,} with errors", style=self.styled("error"))
        if self.scanning and self.progress is not None and self.progress[0] < self.progress[1]:
            header.append(f"  · indexing {self.progress[0]:,} of {self.progress[1]:,}…", style="dim")
        header.append("  · ? help", style="dim")
        return header

    def open_requested(self, final: bool) -> None:
        """Open the brief named on the command line, once it is known (or surely unknown)."""
        if not self.open_brief:
            return
        if self.library.entry(self.open_brief) is not None:
            brief_id, self.open_brief = self.open_brief, None
            self.select_brief(brief_id)
            resume, self.resume = self.resume, {}
            if resume.get("brief") == brief_id:
                self.open(brief_id, resume.get("pane") or Pane.FACTS, resume.get("item"))
            else:
                self.open(brief_id)
        elif final:
            if not self.resume:  # a brief read last time may have left the library: say nothing
                self.notify(f"No brief with the id {self.open_brief!r} in this library.", severity="error")
            self.open_brief = None

    def select_brief(self, brief_id: str) -> None:
        rows = self.query_one(RowList)
        found = self.library.position(rows.rows, brief_id=brief_id)  # type: ignore[arg-type]
        if found is not None:
            rows.cursor = found

    def apply_filter(self, query: str) -> None:
        rows = self.query_one(RowList)
        entries = self.library.filter(query)
        if entries == rows.rows:
            return  # the same briefs match: nothing to redraw
        current = rows.current
        keep = self.library.position(entries, path=current.path) if current is not None else None
        rows.set_rows(entries, cursor=keep or 0)

    # -- drawing ------------------------------------------------------------

    def format_row(self, entry: Entry) -> Text:
        width = self.query_one(RowList).text_width
        summary = entry.summary
        if summary is None:  # an entry holds a summary or its error
            return Text.assemble(("⚠ error   ", self.styled("error")), str(entry.error))
        counts = "F{} S{} C{} T{}".format(*summary.counts)
        notes = self.note_counts.get(summary.id, 0)
        noted = f"{GLYPHS.note}{notes:<3}" if notes else "    "
        lost = self.orphans.get(summary.id, 0)
        # Notes that lost their item: a column of its own while any brief has some.
        orphaned = (f"{GLYPHS.warning}{lost:<2}" if lost else "   ") if self.orphans else ""
        tags_width = 26 if width >= 110 else 0
        title_width = max(10, width - 3 - 10 - 1 - 10 - len(counts) - 1 - len(noted) - len(orphaned) - tags_width)
        unread = GLYPHS.unread if summary.id not in self.read else " "
        bookmark = GLYPHS.bookmark if summary.id in self.bookmarked else " "
        title = Text(summary.title, no_wrap=True, overflow="ellipsis")
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row = Text.assemble(
            (f"{unread}{bookmark} ", self.styled("mark")),
            (f"{summary.date:<10} ", "dim"),
            (f"{summary.status:<9} ", self.styled(summary.status)),
            title,
            " ",
        )
        if tags_width:
            tags = Text(hashtags(summary.tags), style="italic", no_wrap=True)
            tags.truncate(tags_width - 1, overflow="ellipsis", pad=True)
            row.append_text(tags)
            row.append(" ")
        row.append(noted, style=self.styled("mark"))
        row.append(orphaned, style=self.styled("warning"))
        row.append(counts, style="dim")
        return row

    @on(RowList.Highlighted, "#briefs")
    def show_detail(self, event: RowList.Highlighted) -> None:
        detail = self.query_one("#library-detail", Static)
        detail.update(self.detail_text(event.rowlist.current), layout=False)

    def detail_text(self, entry: Entry | None) -> Text:
        """One line about the highlighted brief: how many of its notes lost their item,
        its tags in full and its id; or its first error."""
        if entry is None:
            return Text("")
        if entry.summary is None:
            more = len(entry.error.all) - 1 if entry.error else 0
            return Text(str(entry.error) + (f" (and {more} more)" if more else ""), style=self.styled("error"))
        line = Text()
        lost = self.orphans.get(entry.summary.id, 0)
        if lost:
            line.append(
                f"{GLYPHS.warning} {lost} note{'s' * (lost != 1)} or bookmark{'s' * (lost != 1)} "
                f"lost {'its' if lost == 1 else 'their'} item · ",
                style=self.styled("warning"),
            )
        tags = hashtags(entry.summary.tags) or "no tags"
        line.append(f"{tags} · {entry.summary.id}", style="italic")
        return line

    # -- actions ------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(FilterableList).open_filter()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        if self.loaded:
            self.apply_filter(event.value)

    def action_clear_filter(self) -> None:
        self.query_one(FilterableList).close_filter()

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

    def open(self, brief_id: str, pane: str = Pane.FACTS, item: str | None = None) -> None:
        def opened(brief) -> None:
            self.read.add(brief_id)  # saved by the brief screen once it is drawn
            self.app.show_brief(brief, pane=pane, item=item)

        self.app.load_brief(brief_id, opened)

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

        self.app.notes.toggle_bookmark(summary.id, None, summary.title)

    def action_note(self) -> None:

        summary = self.brief_under_cursor()
        if summary is None:
            return
        if self.app.store is None or not self.app.notes.available():
            return
        notes = [m for m in self.app.store.notes(summary.id) if m.item is None]
        notes.sort(key=lambda m: m.created)
        self.app.notes.write(summary.id, None, notes[-1] if notes else None, brief_title=summary.title)

    def action_rescan(self) -> None:
        if not self.rescan():
            self.notify("The library is being read already.")

    def action_quit(self) -> None:
        self.app.exit()
