"""Search everything: briefs, items, the source paragraphs they cite, the reader's notes
and bookmarks, as the reader types (the query language is core/query.py's; the index and
its ranking, docs/design.md §10).

Every search runs in one thread of the session (:class:`Searcher`), never on a keystroke:
the index gives each thread its own connection, and the notes it searches are loaded into
that connection. A newer query replaces one still waiting and interrupts one running, and
only the results of the query in the box are shown. Results are grouped by brief, the
brief with the best hit first; enter opens a hit where it is: an item in its pane, a
paragraph in its source, a note or bookmark in the notebook.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widgets import Footer, Input, Static

from briefing.core.enums import PANE_TITLES, PANES, Pane
from briefing.core.index import MARK_OFF, MARK_ON, Hit
from briefing.core.library import Library
from briefing.core.query import Query
from briefing.core.safe import clean_line
from briefing.ui.render.markers import DRAFTED_TAG, GLYPHS
from briefing.ui.screens.base import BriefingScreen
from briefing.ui.widgets.filterable import FilterBox
from briefing.ui.widgets.rowlist import RowList

if TYPE_CHECKING:
    from briefing.store.notes import Store

LIMIT = 200  # hits shown for one query, the best first
SEARCHING_AFTER = 0.2  # seconds a search may take before the header says it is under way
RETRIES = 5  # a search interrupted by nobody, or a table locked by a write, is run again
VERSIONS = itertools.count()  # each change of the reader's notes, as the index is told it

SYNTAX = (  # lines that fit 80 columns
    'Every word must match (police finds policing) · "a phrase" · prefix* · a OR b\n'
    "-word leaves out · filters: pane:concerns · tag:ai · status:draft\n"
    "stakeholder:khan · source:S1 · after:2024-01 · before:2025"
)


class Outcome(NamedTuple):
    """What one search gave: the query as read and its hits; or why it could not be run."""

    text: str
    query: Query | None
    hits: list[Hit]
    problem: str | None = None


# -- the search thread ------------------------------------------------------------------


@dataclass
class _Request:
    text: str
    notes: int  # the version of the reader's notes to search
    future: Future = field(default_factory=Future)
    stale: bool = False  # a newer query came while this one ran


class Searcher:
    """The one thread that runs every search of a session, newest query first.

    :meth:`submit` returns a future of the :class:`Outcome`, or of None for a query that a
    newer one replaced. A query still waiting is dropped for the newer one; one running is
    interrupted (SQLite stops it where it is), so the newest starts at once."""

    def __init__(self, library: Library, store: Store | None, limit: int = LIMIT) -> None:
        self.library = library
        self.store = store
        self.limit = limit
        self._lock = threading.Condition()
        self._waiting: _Request | None = None
        self._running: _Request | None = None
        self._connection: sqlite3.Connection | None = None  # the running search's
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._notes: tuple[object, int] | None = None  # (index, version) of the notes loaded

    def submit(self, text: str, notes: int) -> Future:
        request = _Request(text, notes)
        with self._lock:
            if self._stopped:
                request.future.set_result(None)
                return request.future
            if self._waiting is not None:
                _drop(self._waiting)
            self._waiting = request
            running = self._running
            if running is not None and not running.stale:
                running.stale = True
                if self._connection is not None:
                    self._connection.interrupt()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="briefing-search", daemon=True)
                self._thread.start()
            self._lock.notify()
        return request.future

    def stop(self) -> None:
        """End the thread (briefing is ending): what waits is dropped, what runs stopped."""
        with self._lock:
            self._stopped = True
            if self._waiting is not None:
                _drop(self._waiting)
                self._waiting = None
            if self._running is not None and self._connection is not None:
                self._running.stale = True
                self._connection.interrupt()
            self._lock.notify()

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    while self._waiting is None and not self._stopped:
                        self._lock.wait()
                    if self._stopped:
                        return
                    request, self._waiting = self._waiting, None
                    assert request is not None
                    if not request.future.set_running_or_notify_cancel():
                        continue  # its screen gave up on it
                    self._running = request
                try:
                    outcome = self._search(request)
                except BaseException as exc:  # never leave the screen waiting
                    outcome = Outcome(request.text, None, [], f"{type(exc).__name__}: {exc}")
                finally:
                    with self._lock:
                        self._running = None
                        self._connection = None
                request.future.set_result(outcome)
        finally:
            try:
                self.library.index.close()  # this thread's connection
            except Exception:
                pass

    def _search(self, request: _Request) -> Outcome | None:
        for attempt in range(RETRIES):
            try:
                return self._search_once(request)
            except sqlite3.OperationalError as exc:
                if request.stale:
                    return None  # interrupted for a newer query
                message = str(exc)
                if attempt + 1 == RETRIES or not ("interrupted" in message or "locked" in message):
                    return Outcome(request.text, None, [], message)
                time.sleep(0.05 * attempt)
            except sqlite3.Error as exc:
                return Outcome(request.text, None, [], str(exc))
        return None  # (not reached)

    def _search_once(self, request: _Request) -> Outcome | None:
        index = self.library.index
        with self._lock:
            self._connection = index.db
            if request.stale:
                return None
        if self.store is not None and self._notes != (index, request.notes):
            marks = self.store.marks()
            entries = self.library.entries_of({m.brief for m in marks})
            titles = {brief: e.summary.title for brief, e in entries.items() if e.summary is not None}
            index.load_notes(marks, titles, request.notes)
            self._notes = (index, request.notes)
        query, hits = self.library.search(request.text, self.limit, typing=True)
        return None if request.stale else Outcome(request.text, query, hits)


def _drop(request: _Request) -> None:
    """A query that will not be run: cancelled, and whoever waits for it told."""
    request.future.cancel()
    request.future.set_running_or_notify_cancel()


# -- rows ---------------------------------------------------------------------------------


class Row(NamedTuple):
    brief: str
    title: str
    hit: Hit | None  # None: the heading of a brief's hits
    hits: int = 0  # a heading: how many hits its brief has


def grouped(hits: list[Hit]) -> list[Row]:
    """A heading for each brief, then its hits, best first; the brief with the best hit
    first (the hits come best first)."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.brief, []).append(hit)
    rows: list[Row] = []
    for brief, group in groups.items():
        rows.append(Row(brief, group[0].title, None, len(group)))
        rows += [Row(brief, hit.title, hit) for hit in group]
    return rows


def row_key(row: Row) -> tuple[str, str, str]:
    """What a row stands for, kept when the rows are built again."""
    return (row.brief, "", "") if row.hit is None else (row.brief, row.hit.kind, row.hit.ref)


def where(hit: Hit) -> str:
    """Where a hit is, in a word or two: its pane, "Source [S1 ¶3]", "Note"…"""
    if hit.kind == "para":
        return f"Source [{clean_line(hit.source)} ¶{hit.paragraph}]"
    if hit.kind == "note":
        return f"{GLYPHS.note} Note"
    if hit.kind == "bookmark":
        return f"{GLYPHS.bookmark} Bookmark"
    if hit.kind == "brief":
        return "Brief"
    return PANE_TITLES.get(hit.pane, clean_line(hit.pane))


_SPACE = re.compile(r"\s+")
_MARKERS = re.compile(f"([{MARK_ON}{MARK_OFF}])")


def marked(snippet: str, match: Style | str, width: int = 0) -> Text:
    """A snippet on one line, each match in ``match``'s style. Built from plain strings
    (document text is never read as markup), each piece cleaned for the terminal. Given a
    ``width`` it is narrower than, its start is cut so that the first match is in view."""
    text = Text()
    first: tuple[int, int] | None = None
    on_match = False
    for part in _MARKERS.split(_SPACE.sub(" ", snippet).strip()):
        if part == MARK_ON:
            on_match = True
        elif part == MARK_OFF:
            on_match = False
        elif part:
            piece = clean_line(part)
            if on_match and first is None:
                first = (len(text), len(text) + len(piece))
            text.append(piece, style=match if on_match else "")
    if width > 10 and first is not None and text.cell_len > width and first[1] > width - 1:
        cut = max(1, min(first[0] - width // 3, len(text) - width + 1))
        space = text.plain.find(" ", cut, first[0])
        if space >= 0 and space - cut < 15:  # at the start of a word, the match still in view
            cut = space + 1
        text = Text("…").append_text(text[cut:])
    return text


def counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'s' * (count != 1)}"


# -- the screen ---------------------------------------------------------------------------


class QueryBox(FilterBox):
    """The query. Enter goes on to the results at once, as the key is handled (not by a
    message the screen reads later): the keys typed after it already act there."""

    async def action_submit(self) -> None:
        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.to_results()


class SearchScreen(BriefingScreen):
    # A match in a snippet, and a brief's heading, styled by the theme.
    COMPONENT_CLASSES = {"search--match", "search--heading"}
    DEFAULT_CSS = """
    SearchScreen > .search--match { color: $text-accent; text-style: bold underline; }
    SearchScreen > .search--heading { text-style: bold; }
    """

    BINDINGS = [
        Binding(
            "enter",
            "open_hit",
            "Open",
            id="search.open",
            tooltip="Open the result: an item in its brief, a paragraph in its source, a note in the notebook",
        ),
        Binding("slash,s", "edit_query", "Edit query", id="search.query", tooltip="Back to the query, to change it"),
        Binding(
            "down", "to_results", "Results", id="search.results", show=False, tooltip="From the query to the results"
        ),
        Binding("n", "app.notebook", "Notebook", id="search.notebook", show=False, tooltip="Every note and bookmark"),
        Binding("escape,q", "close", "Close", id="search.close", tooltip="Close the search, back to where you were"),
    ]

    def __init__(
        self,
        library: Library,
        query: str = "",
        outcome: Outcome | None = None,
        select: tuple[str, str, str] | None = None,
        in_list: bool = False,
    ) -> None:
        """``outcome``: results to show at once (a copy of a search screen), ``select`` the
        row to start on, ``in_list`` whether the list (not the query) has the keys."""
        super().__init__()
        self.library = library
        self.start_query = query
        self.outcome = outcome if outcome is not None and outcome.text == query else None
        self.select = select
        self.in_list = in_list
        self.wanted = query  # the query whose results are to be shown
        self.notes_version = next(VERSIONS)
        self.searching = False
        self.holding = False  # keys typed for the results wait for those of the query in the box

    def compose(self) -> ComposeResult:
        yield Static(self.header_text(), id="search-header")
        yield QueryBox(
            self.start_query,
            placeholder='Search briefs, items, sources and notes: words, "a phrase", prefix*, tag:ai…',
            id="search-query",
        )
        yield Static("", id="search-problems")
        yield RowList(self.format_row, empty=self.empty_text(), id="search-results")
        yield Static(self.detail_text(None), id="search-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.hear_notes()
        rows = self.query_one(RowList)
        if self.outcome is not None:
            self.show(self.outcome, self.select)
        elif self.start_query.strip():
            self.search(self.start_query)
        else:
            self.show(Outcome("", None, []))
        self.set_focus(rows if self.in_list and rows.rows else self.box)

    @property
    def box(self) -> QueryBox:
        return self.query_one("#search-query", QueryBox)

    def copy(self) -> SearchScreen:
        """A new search screen as this one is: its query, results and row (to open again
        after the screens under it were closed)."""
        rows = self.query_one(RowList)
        current = rows.current
        return SearchScreen(
            self.library,
            self.box.value,
            self.outcome,
            row_key(current) if current is not None else None,
            in_list=self.focused is rows,
        )

    # -- searching ------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def query_changed(self, event: Input.Changed) -> None:
        if event.value == self.wanted:
            return  # (the query given at the start)
        self.search(event.value)

    def search(self, text: str, keep: tuple[str, str, str] | None = None) -> None:
        self.wanted = text
        self.app.last_search = text
        if not text.strip():
            self.workers.cancel_group(self, "search")
            self.show(Outcome(text, None, []))
            return
        self.run_search(text, keep)

    @work(exclusive=True, group="search", exit_on_error=False)
    async def run_search(self, text: str, keep: tuple[str, str, str] | None) -> None:
        """Ask the search thread; show what it finds if the query is still the one in the
        box (a newer query cancels this worker, and the thread drops the older query)."""
        future = self.app.searcher().submit(text, self.notes_version)
        self.set_timer(SEARCHING_AFTER, lambda: self.say_searching(text))
        outcome = await asyncio.wrap_future(future)
        if outcome is None or not self.in_use or text != self.wanted:
            return
        self.show(outcome, keep)

    def say_searching(self, text: str) -> None:
        """The search is taking a moment: the header says so (never for a quick one)."""
        if self.in_use and text == self.wanted and (self.outcome is None or self.outcome.text != text):
            self.searching = True
            self.query_one("#search-header", Static).update(self.header_text())

    def show(self, outcome: Outcome, keep: tuple[str, str, str] | None = None) -> None:
        """Show ``outcome``: on the row ``keep`` if it is still there, else on the first hit."""
        self.outcome = outcome
        self.searching = False
        rows = self.query_one(RowList)
        shown = grouped(outcome.hits)
        cursor = next((i for i, row in enumerate(shown) if keep and row_key(row) == keep), None)
        if cursor is None:
            cursor = 1 if len(shown) > 1 else 0  # the first hit, under its brief's heading
        rows.empty = self.empty_text()
        rows.set_rows(shown, cursor=cursor)
        self.query_one("#search-header", Static).update(self.header_text())
        problems = self.query_one("#search-problems", Static)
        found = outcome.query.problems if outcome.query is not None else []
        problems.display = bool(found)
        problems.update(self.problems_text(found))
        self.query_one("#search-detail", Static).update(self.detail_text(rows.current))
        self.let_keys_go()

    def refresh_marks(self) -> None:
        """Notes or bookmarks changed: search them again, on the same row."""
        self.notes_version = next(VERSIONS)
        text = self.box.value
        if text.strip():
            current = self.query_one(RowList).current
            self.search(text, row_key(current) if current is not None else None)

    def restyle(self) -> None:
        """Matches are drawn in the theme's style: draw them again."""
        rows = self.query_one(RowList)
        rows.redraw()
        self.query_one("#search-header", Static).update(self.header_text())
        self.query_one("#search-problems", Static).update(
            self.problems_text(self.outcome.query.problems if self.outcome and self.outcome.query else [])
        )
        self.query_one("#search-detail", Static).update(self.detail_text(rows.current))

    # -- drawing --------------------------------------------------------------

    def header_text(self) -> Text:
        header = Text.assemble(("Search", "bold"))
        outcome = self.outcome
        if outcome is not None and outcome.hits:
            hits = len(outcome.hits)
            briefs = len({hit.brief for hit in outcome.hits})
            best = "the best " if hits >= LIMIT else ""
            header.append(f"  {best}{counted(hits, 'result')} in {counted(briefs, 'brief')}")
        if self.searching:
            header.append("  · searching…", style="dim")
        header.append("  · f1 help", style="dim")
        return header

    def problems_text(self, problems: list[str]) -> Text:
        if not problems:
            return Text("")
        return Text(f"{GLYPHS.warning} Ignored: " + "; ".join(problems), style=self.styled("warning"))

    def empty_text(self) -> str:
        """What the list says when it shows no hit: why."""
        outcome = self.outcome
        if outcome is None or not outcome.text.strip():
            return "Type what to search for: every brief, item, cited source paragraph and note."
        typed = clean_line(outcome.text.strip())
        if outcome.problem is not None:
            return f"The search failed: {clean_line(outcome.problem)}"
        if outcome.query is None or outcome.query.empty:
            return f"Nothing to search for in “{typed}”: no word, and no filter that could be read."
        return f"Nothing matches “{typed}”."

    def format_row(self, row: Row) -> Text:
        if row.hit is None:
            return Text.assemble(
                (clean_line(row.title), self.styled("heading")),
                (f"  {clean_line(row.brief)} · {counted(row.hits, 'result')}", "dim"),
            )
        hit = row.hit
        line = Text.assemble("  ", (f"{where(hit):<15} ", "dim"))
        if hit.drafted is not None:
            line.append(f"{DRAFTED_TAG} ", style=self.styled("drafted"))
        room = self.query_one(RowList).text_width - line.cell_len
        line.append_text(marked(hit.snippet, self.styled("match"), room))
        return line

    def detail_text(self, row: Row | None) -> Text:
        """The highlighted result in full, and what enter does with it; or how to search."""
        outcome = self.outcome
        if row is None:
            if outcome is not None and outcome.text.strip() and outcome.query is not None and not outcome.query.empty:
                if "*" not in outcome.text and outcome.text != outcome.text.rstrip():
                    return Text(
                        "A word ended by a space is whole; end it with * to match its start (pand*).\n" + SYNTAX,
                        style="dim",
                    )
            return Text(SYNTAX, style="dim")
        title = clean_line(row.title)
        if row.hit is None:
            return Text.assemble(
                (title, "bold"),
                (f"\n{clean_line(row.brief)} · {counted(row.hits, 'result')} · enter opens the brief", "dim"),
            )
        hit = row.hit
        out = Text.assemble((f"{title} · {where(hit)}", "dim"))
        if hit.kind == "para" and hit.others:
            out.append(f" · also cited by {counted(hit.others, 'other brief')}", style="dim")
        out.append("\n")
        if hit.drafted is not None:
            out.append(f"{DRAFTED_TAG} ", style=self.styled("drafted"))
        out.append_text(marked(hit.snippet, self.styled("match")))
        what = {
            "item": "enter opens the item in its brief",
            "para": "enter opens the source at this paragraph",
            "note": "enter shows the note in the notebook",
            "bookmark": "enter shows the bookmark in the notebook",
        }.get(hit.kind, "enter opens the brief")
        out.append(f"\n{what}", style="dim")
        return out

    @on(RowList.Highlighted, "#search-results")
    def show_detail(self, event: RowList.Highlighted) -> None:
        self.query_one("#search-detail", Static).update(self.detail_text(event.row))

    # -- keys -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """/ and s are typed into the query while it has the keys, and ↓ moves in the results
        while they have them: neither is offered there (the footer and help leave it out)."""
        if action in ("edit_query", "to_results"):
            try:
                return (self.focused is self.box) == (action == "to_results")
            except NoMatches:  # not composed yet
                return True
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_to_results(self) -> None:
        self.to_results()

    def to_results(self) -> None:
        """The keys go to the results; those typed after this wait for the results of the
        query as typed, if they are still to come (enter then opens one of them, not one
        of an earlier query's)."""
        self.set_focus(self.query_one(RowList))
        if not self.shows(self.box.value) and not self.holding:
            self.holding = True
            self.app.typeahead.hold()

    def shows(self, text: str) -> bool:
        """Whether the results shown are those of ``text``."""
        return self.outcome is not None and self.outcome.text == text

    def let_keys_go(self, closing: bool = False) -> None:
        """The keys held for the results go on, once the results are of the query in the
        box (or the screen is closing)."""
        if self.holding and (closing or self.shows(self.box.value)):
            self.holding = False
            self.app.typeahead.release()

    def on_unmount(self) -> None:
        self.let_keys_go(closing=True)

    def action_edit_query(self) -> None:
        self.set_focus(self.box)

    def action_close(self) -> None:
        self.app.pop_screen()

    @on(RowList.Selected, "#search-results")
    def selected(self, event: RowList.Selected) -> None:
        self.open_row(event.row)

    def action_open_hit(self) -> None:
        rows = self.query_one(RowList)
        if rows.current is None:
            self.notify("Nothing to open: type what to search for.", severity="warning")
            return
        self.open_row(rows.current)

    def open_row(self, row: Row | None) -> None:
        if row is None:
            return
        hit = row.hit
        if hit is None or hit.kind == "brief":
            self.open_brief(row.brief)
        elif hit.kind == "item":
            self.open_brief(row.brief, hit.pane, hit.ref)
        elif hit.kind == "para":
            self.open_paragraph(hit)
        else:  # a note or a bookmark
            self.app.show_notebook((hit.brief, hit.ref))

    def open_brief(self, brief_id: str, pane: str = Pane.FACTS, item: str | None = None) -> None:
        self.app.load_brief(brief_id, lambda brief: self.app.show_brief(brief, pane=pane, item=item))

    def open_paragraph(self, hit: Hit) -> None:
        """The source at the paragraph found, marked, with an item of the brief that cites it."""

        def opened(brief) -> None:
            from briefing.core.model import Citation
            from briefing.ui.screens.source import SourceScreen

            try:
                document = self.library.source_document(brief, hit.source)
            except Exception as exc:  # BriefError: the source is missing or unreadable
                self.notify(str(exc), title="Cannot open the source", severity="error")
                return
            citation = Citation(hit.source, hit.paragraph)
            if not document.has(citation):
                self.notify(f"{citation} is not in the source now.", title="Cannot open the source", severity="error")
                return
            citing = (
                item
                for pane in PANES
                for item in brief.pane(pane)
                if any(c.source == hit.source and c.paragraph == hit.paragraph for c in item.citations)
            )
            source = brief.source(hit.source)
            self.app.push_screen(SourceScreen(document, source, [citation], next(citing, None), found=True))

        self.app.load_brief(hit.brief, opened)
