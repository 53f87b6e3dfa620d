"""The library: every brief with its date, status, tags and item counts; filter as you type.

The list is sorted by date (newest first), title, status or number of notes (o), and may be
grouped under headings by tag, status or library folder (w); a brief with several tags
stands under each of them. From here open the views across briefs: people and bodies (p),
one timeline (t), concerns by category (c).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterator, Sequence
from typing import overload

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Static

from briefing import paths
from briefing.core.entries import Entry, hashtags
from briefing.core.enums import Pane
from briefing.core.index import Rows
from briefing.core.library import Library
from briefing.store.orphans import OrphanCounts
from briefing.ui.render.markers import GLYPHS
from briefing.ui.screens.base import BriefingScreen
from briefing.ui.widgets.filterable import FilterableList, FilterBox
from briefing.ui.widgets.rowlist import Heading, RowList

SORTS = ("date", "title", "status", "notes")
SORT_WORDS = {"date": "newest first", "title": "title", "status": "status", "notes": "most notes"}
GROUPS = ("none", "tag", "status", "folder")
STATUS_ORDER = ("draft", "review", "published", "archived")  # core.model.STATUSES (not loaded at start-up)
NO_TAG = "\x00no tag"  # group keys of their own: no tag or status can be these
ERRORS = "\x00errors"
COUNTS_WIDTH = 15  # "F9  S10 C8  T6": each count under its letter in the column header
COMPACT_COUNTS_WIDTH = 12  # "F9 S10 C8 T6": in a list narrower than NARROW
NARROW = 70  # columns of row text below which the counts are compact
PANE_NOUNS = (("F", "key fact"), ("S", "stakeholder"), ("C", "concern"), ("T", "timeline entry"))


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"{count:,} {noun}"
    return f"{count:,} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


class Arranged(Sequence[Entry | Heading]):
    """The library list as shown: the entries of ``rows`` (read a page at a time as they
    are drawn), with a heading over each group when the list is grouped (``layout``: each
    heading, or the position in ``rows`` of the entry shown there)."""

    def __init__(self, rows: Rows, layout: list[Heading | int] | None = None) -> None:
        self.rows = rows
        self.layout = layout

    def __len__(self) -> int:
        return len(self.layout) if self.layout is not None else len(self.rows)

    @overload
    def __getitem__(self, i: int) -> Entry | Heading: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Entry | Heading]: ...
    def __getitem__(self, i: int | slice) -> Entry | Heading | Sequence[Entry | Heading]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if self.layout is None:
            return self.rows[i]
        slot = self.layout[i]
        return slot if isinstance(slot, Heading) else self.rows[slot]

    def __iter__(self) -> Iterator[Entry | Heading]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Arranged):
            return self.rows == other.rows and self.layout == other.layout
        if isinstance(other, (list, tuple)):  # what is shown, row by row
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def position(self, rowid: int) -> int | None:
        """Where the file of this row id is first shown."""
        at = self.rows.position(rowid)
        if at is None or self.layout is None:
            return at
        return self.layout.index(at)  # a heading is never equal to a number


def folder_labels(roots: Sequence[str]) -> dict[str, str]:
    """A short name for each library folder: its own name, with as many of the folders
    above it as it takes to tell it from the others."""
    labels: dict[str, str] = {}
    for depth in range(1, 8):
        labels = {root: os.sep.join(root.rstrip(os.sep).split(os.sep)[-depth:]) for root in roots}
        if len(set(labels.values())) == len(labels):
            break
    return labels


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
        Binding(
            "o",
            "sort",
            "Sort",
            id="library.sort",
            show=False,
            tooltip="Sort: newest first, title, status, most notes",
        ),
        Binding(
            "w",
            "group",
            "Group",
            id="library.group",
            show=False,
            tooltip="Group: none, by tag, status, folder (if several)",
        ),
        Binding(
            "p",
            "people",
            "People and bodies",
            id="library.people",
            show=False,
            tooltip="People and bodies across the library's briefs",
        ),
        Binding(
            "t",
            "timeline",
            "One timeline",
            id="library.timeline",
            show=False,
            tooltip="One timeline: every brief's entries, by date",
        ),
        Binding(
            "c",
            "concerns",
            "Concerns by category",
            id="library.concerns",
            show=False,
            tooltip="Concerns by category, across the briefs",
        ),
        Binding(
            "e",
            "edit_file",
            "Edit",
            id="library.edit",
            show=False,
            tooltip="Open the highlighted brief's file in your editor (a file with errors at its first error)",
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
        self.froze = False  # gc.freeze() was called: undone when the library screen goes
        self.progress: tuple[int, int] | None = None  # briefs read, of how many, while indexing
        self.shown_at = 0.0
        self.sort = "date"  # one of SORTS
        self.group = "none"  # one of GROUPS
        # Every file's brief id, tags, status and folder by row id, read from the index when
        # the list is sorted by notes or grouped (again after the index changed).
        self.keys: dict[int, tuple[str | None, tuple[str, ...], str | None, str]] | None = None
        self.folders = folder_labels([str(root) for root in library.roots])
        self.views_read: dict = {}  # what the views read from the index, until it changes

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
        if self.sort == "notes":  # the counts it sorts by may have changed
            self.apply_filter(self.query_one(FilterableList).query_text)
        self.query_one(RowList).redraw()
        self.show_columns()
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
            self.show_columns()
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
            RowList(self.format_row, empty=self.empty_text(), rows=Arranged(self.library.entries), id="briefs"),
            header=Static("", id="library-columns"),
        )
        yield Static(self.detail_text(self.library.entries[0] if self.library.entries else None), id="library-detail")
        yield Footer()

    def on_unmount(self) -> None:
        # The app is ending: what it froze may be collected again (a process that runs the
        # app more than once, as the tests do, would otherwise keep every app it ran).
        if self.froze:
            gc.unfreeze()

    def on_mount(self) -> None:
        self.hear_notes()
        rows = self.query_one(RowList)
        self.set_focus(rows)
        if self.resume.get("brief") and not self.open_brief:
            self.select_brief(self.resume["brief"])
        if self.loaded:
            self.open_requested(final=False)
        self.call_after_refresh(self.show_columns)
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
        self.keys = None
        self.views_read.clear()
        self.apply_filter(self.query_one(FilterableList).query_text, reread=True)
        now = rows.current
        if isinstance(current, Entry) and isinstance(now, Entry) and now.path != current.path:
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
            self.froze = True
        self.loaded = True
        self.keys = None
        self.views_read.clear()
        rows = self.query_one(RowList)
        rows.empty = self.empty_text()
        self.apply_filter(self.query_one(FilterableList).query_text, reread=True)
        self.query_one("#library-header", Static).update(self.header_text())
        self.open_requested(final)

    def restyle(self) -> None:
        """Rows are drawn with the theme's colours: draw them again."""
        self.query_one(RowList).redraw()
        self.show_columns()
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
        header.append(f"  · sort: {SORT_WORDS[self.sort]} (o) · group: {self.group} (w)", style="dim")
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

    def apply_filter(self, query: str, force: bool = False, reread: bool = False) -> None:
        """Show the briefs that match ``query``. ``reread``: the index changed (a scan), so
        rows that are still the same briefs in the same place are read again."""
        rows = self.query_one(RowList)
        shown = self.arranged(query)
        if shown == rows.rows and not force:
            if reread:
                rows.renew_rows(shown)  # the same briefs, perhaps edited: their rows anew
            return  # the same briefs match, in the same order: nothing to move
        current = rows.current
        keep = self.library.position(shown, path=current.path) if isinstance(current, Entry) else None  # type: ignore[arg-type]
        rows.set_rows(shown, cursor=keep or 0)

    def arranged(self, query: str) -> Arranged:
        """The briefs that match ``query``, in the order and groups chosen (o, w)."""
        entries = self.library.filter(query)
        if self.sort != "notes" and self.group == "none":
            return Arranged(entries)
        index = self.library.index
        if self.keys is None:
            self.keys = index.arrangement()
        keys = self.keys
        ids = entries.ids
        if self.sort == "notes":
            counts = self.note_counts
            no_key = (None, (), None, "")

            def most_notes(rowid: int) -> tuple[int, int]:
                brief = keys.get(rowid, no_key)[0]
                return (0, -counts.get(brief, 0)) if brief is not None else (1, 0)

            ids = sorted(ids, key=most_notes)  # stable: newest first among equals
        if self.group == "none":
            return Arranged(Rows(index, ids))
        groups: dict[str, list[int]] = {}
        titles: dict[str, str] = {}
        for rowid in ids:
            brief, tags, status, root = keys.get(rowid, (None, (), None, ""))
            if self.group == "folder":
                labels = [(root, self.folders.get(root, root))]
            elif brief is None:
                labels = [(ERRORS, "Files with errors")]
            elif self.group == "tag":
                labels = [(tag.casefold(), f"#{tag}") for tag in tags] or [(NO_TAG, "No tag")]
            else:
                labels = [(status or "", status or "")]
            for key, title in labels:
                groups.setdefault(key, []).append(rowid)
                titles.setdefault(key, title)
        layout: list[Heading | int] = []
        flat: list[int] = []
        for key in sorted(groups, key=self.group_order):
            members = groups[key]
            layout.append(Heading(titles[key], plural(len(members), "brief"), key))
            for rowid in members:
                layout.append(len(flat))
                flat.append(rowid)
        return Arranged(Rows(index, flat), layout)

    def group_order(self, key: str) -> tuple:
        """Where a group stands: statuses in their order, folders as given, tags by name;
        files with errors last."""
        if key == ERRORS:
            return (3, 0, "")
        if self.group == "status":
            return (0, STATUS_ORDER.index(key), "") if key in STATUS_ORDER else (1, 0, key)
        if self.group == "folder":
            roots = list(self.folders)
            return (0, roots.index(key), "") if key in roots else (1, 0, key)
        return (2, 0, "") if key == NO_TAG else (0, 0, key)

    # -- drawing ------------------------------------------------------------

    def widths(self) -> tuple[int, int, int, int]:
        """The columns that vary: title, tags (0: not shown), folder (0: not shown), and
        the notes that lost their item (0: no brief has any)."""
        width = self.query_one(RowList).text_width
        tags_width = 26 if width >= 110 else 0
        folder_width = 0
        if len(self.folders) > 1 and self.group != "folder":
            folder_width = min(16, max(len(label) for label in self.folders.values())) + 1
        orphaned = 3 if self.orphans else 0
        counts = COUNTS_WIDTH if width >= NARROW else COMPACT_COUNTS_WIDTH
        title_width = max(10, width - 3 - 11 - 10 - folder_width - 1 - tags_width - 4 - orphaned - counts)
        return title_width, tags_width, folder_width, orphaned

    def columns_text(self) -> Text:
        """The line over the list that names its columns (aligned with format_row)."""
        title_width, tags_width, folder_width, orphaned = self.widths()
        line = Text("  " + " " * 3 + f"{'Date':<11}{'Status':<10}", no_wrap=True, overflow="ellipsis")
        if folder_width:
            line.append(f"{'Folder':<{folder_width}}")
        line.append(f"{'Title':<{title_width}} ")
        if tags_width:
            line.append(f"{'Tags':<{tags_width}}")
        line.append(f"{GLYPHS.note:<4}")
        if orphaned:
            line.append(f"{GLYPHS.warning:<3}")
        # A narrow list gives the counts one space each, so they cannot stand under letters.
        line.append("F   S   C   T" if self.query_one(RowList).text_width >= NARROW else "Counts")
        return line

    def show_columns(self) -> None:
        self.query_one("#library-columns", Static).update(self.columns_text(), layout=False)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_columns)  # once the list has its new width

    def format_row(self, row: Entry | Heading) -> Text:
        if isinstance(row, Heading):
            return Text.assemble((row.title, self.styled("heading")), (f"  {row.note}", "dim"))
        entry = row
        summary = entry.summary
        if summary is None:  # an entry holds a summary or its error
            return Text.assemble(("⚠ error   ", self.styled("error")), str(entry.error))
        f, s, c, t = (*summary.counts, 0, 0, 0, 0)[:4]
        if self.query_one(RowList).text_width >= NARROW:
            counts = f"F{f:<3}S{s:<3}C{c:<3}T{t}"
        else:  # at 60 columns the title needs the room more than the counts need aligning
            counts = f"F{f} S{s} C{c} T{t}"
        notes = self.note_counts.get(summary.id, 0)
        noted = f"{GLYPHS.note}{notes:<3}" if notes else "    "
        lost = self.orphans.get(summary.id, 0)
        title_width, tags_width, folder_width, orphan_width = self.widths()
        # Notes that lost their item: a column of its own while any brief has some.
        orphaned = (f"{GLYPHS.warning}{lost:<2}" if lost else "   ") if orphan_width else ""
        room = COUNTS_WIDTH if self.query_one(RowList).text_width >= NARROW else COMPACT_COUNTS_WIDTH
        title_width -= max(0, len(counts) - room)  # thousands of items: the counts stay whole
        unread = GLYPHS.unread if summary.id not in self.read else " "
        bookmark = GLYPHS.bookmark if summary.id in self.bookmarked else " "
        title = Text(summary.title, no_wrap=True, overflow="ellipsis")
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row_text = Text.assemble(
            (f"{unread}{bookmark} ", self.styled("mark")),
            (f"{summary.date:<10} ", "dim"),
            (f"{summary.status:<9} ", self.styled(summary.status)),
        )
        if folder_width:
            folder = Text(self.folders.get(entry.library, entry.library), style="dim", no_wrap=True)
            folder.truncate(folder_width - 1, overflow="ellipsis", pad=True)
            row_text.append_text(folder)
            row_text.append(" ")
        row_text.append_text(title)
        row_text.append(" ")
        if tags_width:
            tags = Text(hashtags(summary.tags), style="italic", no_wrap=True)
            tags.truncate(tags_width - 1, overflow="ellipsis", pad=True)
            row_text.append_text(tags)
            row_text.append(" ")
        row_text.append(noted, style=self.styled("mark"))
        row_text.append(orphaned, style=self.styled("warning"))
        row_text.append(counts, style="dim")
        return row_text

    @on(RowList.Highlighted, "#briefs")
    def show_detail(self, event: RowList.Highlighted) -> None:
        detail = self.query_one("#library-detail", Static)
        detail.update(self.detail_text(event.rowlist.current), layout=False)

    def detail_text(self, entry: Entry | Heading | None) -> Text:
        """Two lines about the highlighted brief: how many of its notes lost their item,
        its tags in full, its id (and folder, with several); then what its counts count.
        For a file with errors, its first error."""
        if entry is None:
            return Text("")
        if isinstance(entry, Heading):
            return Text(f"{entry.title}: {entry.note}")
        if entry.summary is None:
            more = len(entry.error.all) - 1 if entry.error else 0
            return Text(str(entry.error) + (f" (and {more} more)" if more else ""), style=self.styled("error"))
        summary = entry.summary
        line = Text()
        lost = self.orphans.get(summary.id, 0)
        if lost:
            line.append(
                f"{GLYPHS.warning} {lost} note{'s' * (lost != 1)} or bookmark{'s' * (lost != 1)} "
                f"lost {'its' if lost == 1 else 'their'} item · ",
                style=self.styled("warning"),
            )
        tags = hashtags(summary.tags) or "no tags"
        line.append(f"{tags} · {summary.id}", style="italic")
        if len(self.folders) > 1:
            line.append(f" · in {self.folders.get(entry.library, entry.library)}", style="italic")
        line.append("\n")
        line.append(
            " · ".join(
                f"{letter} {plural(n, noun)}" for (letter, noun), n in zip(PANE_NOUNS, summary.counts, strict=False)
            )
        )
        notes = self.note_counts.get(summary.id, 0)
        if notes:
            line.append(f" · {GLYPHS.note} {plural(notes, 'note')}", style=self.styled("mark"))
        return line

    def help_legend(self) -> Text:
        """What the list's marks and counts mean, for help (?)."""
        return Text(
            f"In the list: {GLYPHS.unread} unread · {GLYPHS.bookmark} bookmarked · {GLYPHS.note} notes · "
            f"{GLYPHS.warning} notes that lost their item · F S C T: the brief's key facts, stakeholders, "
            "concerns and timeline entries."
        )

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

    def open_entry(self, entry: Entry | Heading | None) -> None:
        if not isinstance(entry, Entry):
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
        if not isinstance(entry, Entry) or entry.summary is None:
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

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        order = self.sort if self.sort != "notes" else "date"
        if order != self.library.order:
            self.library.order = order
            self.library.refresh()
        self.rearrange()

    def action_group(self) -> None:
        groups = GROUPS if len(self.folders) > 1 else tuple(g for g in GROUPS if g != "folder")
        self.group = groups[(groups.index(self.group) + 1) % len(groups)] if self.group in groups else "none"
        self.rearrange()

    def rearrange(self) -> None:
        """Show the list in the order and groups chosen, on the same brief."""
        rows = self.query_one(RowList)
        rows.redraw()  # the columns may have changed (the folder column goes when grouped by it)
        self.apply_filter(self.query_one(FilterableList).query_text, force=True)
        self.query_one("#library-header", Static).update(self.header_text())
        self.show_columns()

    def action_people(self) -> None:
        from briefing.ui.screens.views import PeopleScreen

        self.app.push_screen(PeopleScreen(self.library, self.views_read))

    def action_timeline(self) -> None:
        from briefing.ui.screens.views import TimelineScreen

        self.app.push_screen(TimelineScreen(self.library, self.views_read))

    def action_concerns(self) -> None:
        from briefing.ui.screens.views import ConcernsScreen

        self.app.push_screen(ConcernsScreen(self.library, self.views_read))

    def action_edit_file(self) -> None:
        """The highlighted file in the user's editor, at its first error if it has one (a
        brief that cannot be opened can still be mended from here); then the library is read
        again, so the row shows what the edit made of it."""
        from briefing.ui.screens.editing import hand_over, refusal

        entry = self.query_one(RowList).current
        if not isinstance(entry, Entry):
            self.notify("No brief is highlighted.", severity="warning")
            return
        refused = refusal(self.app.kiosk, entry.path)
        if refused is not None:
            self.notify(refused, title="Edit", severity="warning")
            return
        line = entry.error.line if entry.error is not None and entry.error.line else 1
        failed = hand_over(self.app, entry.path, line)
        if failed is not None:
            self.notify(failed, title="Edit", severity="error")
            return
        self.action_rescan()

    def action_rescan(self) -> None:
        if not self.rescan():
            self.notify("The library is being read already.")

    def action_quit(self) -> None:
        self.app.exit()
