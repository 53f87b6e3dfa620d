"""One brief: header, summary, and its four panes; the selected item's cited passage below.

Below about 120 columns the panes are tabs (1–4, tab/shift+tab); from there on they stand
side by side. Everything shown is built from the parsed model, never from raw Markdown.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..library import Library, hashtags
from ..model import PANE_TITLES, PANES, Brief, Item
from ..widgets.detail import item_detail
from ..widgets.rowlist import RowList

WIDE = 120


def brief_header(brief: Brief) -> Text:
    """Title, date, status, tags and sources, a line each (cut, never wrapped)."""
    head = Text(brief.title, style="bold", no_wrap=True, overflow="ellipsis")
    head.append("\n")
    head.append(f"{brief.date} · {brief.status}", style="dim")
    if brief.tags:
        head.append(" · " + hashtags(brief.tags), style="italic")
    for source in brief.sources:
        head.append(f"\n[{source.id}] {source.title}")
        head.append(f" ({source.verification})", style="italic")
    return head


class PaneView(Vertical):
    """A pane's title and its list of items."""

    def __init__(self, pane: str, items: list[Item]) -> None:
        super().__init__(id=f"pane-{pane}", classes="pane")
        self.pane = pane
        self.items = items

    def compose(self) -> ComposeResult:
        yield Static(Text(f"{PANE_TITLES[self.pane]} ({len(self.items)})", style="bold"),
                     classes="pane-title")
        yield RowList(lambda item: Text(item.label), empty="No items.", rows=self.items,
                      id=f"list-{self.pane}")


class BriefScreen(Screen[None]):
    BINDINGS = [
        Binding("1", "pane('facts')", "Key facts", id="brief.facts", show=False),
        Binding("2", "pane('stakeholders')", "Stakeholders", id="brief.stakeholders", show=False),
        Binding("3", "pane('concerns')", "Concerns", id="brief.concerns", show=False),
        Binding("4", "pane('timeline')", "Timeline", id="brief.timeline", show=False),
        Binding("tab,right,l", "next_pane", "Next pane", id="brief.next", tooltip="Show the next pane"),
        Binding("shift+tab,left,h", "previous_pane", "Previous pane", id="brief.previous", show=False),
        Binding("o", "source", "Source", id="brief.source", tooltip="Open the source at the cited passage"),
        Binding("s", "summary", "Summary", id="brief.summary",
                tooltip="The whole summary and the sources, in the detail area"),
        Binding("J", "detail_down", "Scroll detail", id="brief.detail_down", show=False),
        Binding("K", "detail_up", "Scroll detail up", id="brief.detail_up", show=False),
        Binding("escape,q", "back", "Back", id="brief.back", tooltip="Back to the library"),
    ]

    pane: reactive[str] = reactive("facts", init=False)
    wide: reactive[bool] = reactive(False, init=False)

    def __init__(self, brief: Brief, library: Library, pane: str = "facts", wide: bool = False) -> None:
        super().__init__(id="brief", classes="-wide" if wide else None)
        self.brief = brief
        self.library = library
        self.set_reactive(BriefScreen.pane, pane)
        self.set_reactive(BriefScreen.wide, wide)

    def compose(self) -> ComposeResult:
        yield Static(brief_header(self.brief), id="brief-header")
        yield Static(Text(self.brief.summary), id="summary")
        yield Static(self.tab_strip(), id="pane-tabs")
        with Horizontal(id="panes"):
            for pane in PANES:
                view = PaneView(pane, list(self.brief.pane(pane)))
                view.set_class(pane == self.pane, "-active")
                yield view
        with VerticalScroll(id="detail"):
            items = self.brief.pane(self.pane)
            yield Static(self.detail_of(items[0] if items else None), id="detail-body")
        yield Footer()


    def on_resize(self) -> None:
        self.wide = self.size.width >= WIDE

    def watch_wide(self, wide: bool) -> None:
        self.set_class(wide, "-wide")

    def watch_pane(self) -> None:
        self.show_pane()

    def on_mount(self) -> None:
        self.rowlist().focus()

    # -- state to screen ----------------------------------------------------

    def rowlist(self, pane: str | None = None) -> RowList:
        return self.query_one(f"#list-{pane or self.pane}", RowList)

    @property
    def current_item(self) -> Item | None:
        return self.rowlist().current

    def tab_strip(self) -> Text:
        tabs = Text()
        counts = self.brief.counts()
        for number, pane in enumerate(PANES, start=1):
            label = f"{number} {PANE_TITLES[pane]} ({counts[pane]})"
            if pane == self.pane:
                tabs.append(f"▸{label}◂", style="bold reverse")
            else:
                tabs.append(f" {label} ", style="dim")
            tabs.append(" ")
        return tabs

    def show_pane(self) -> None:
        for view in self.query(PaneView):
            view.set_class(view.pane == self.pane, "-active")
        self.query_one("#pane-tabs", Static).update(self.tab_strip(), layout=False)
        self.rowlist().focus()
        self.show_detail()

    def detail_of(self, item: Item | None) -> Text:
        passages = [self.library.passage(self.brief, c) for c in item.citations] if item else []
        return item_detail(item, passages)

    def show_detail(self) -> None:
        self.query_one("#detail-body", Static).update(self.detail_of(self.current_item))
        detail = self.query_one("#detail", VerticalScroll)
        if detail.scroll_y:
            detail.scroll_home(animate=False, immediate=True)

    @on(RowList.Highlighted)
    def item_highlighted(self, event: RowList.Highlighted) -> None:
        if event.rowlist.id == f"list-{self.pane}":
            self.show_detail()

    def on_descendant_focus(self, event) -> None:
        """Focus moved to another pane's list (a click, in the wide layout)."""
        widget = event.widget
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
        self.query_one("#detail-body", Static).update(text)

    def action_detail_down(self) -> None:
        self.query_one("#detail", VerticalScroll).scroll_relative(y=3, animate=False)

    def action_detail_up(self) -> None:
        self.query_one("#detail", VerticalScroll).scroll_relative(y=-3, animate=False)

    def action_source(self) -> None:
        from .source import SourceScreen

        item = self.current_item
        if item is None or not item.citations:
            self.notify("This item cites no source.", severity="warning")
            return
        first = item.citations[0]
        try:
            document = self.library.source_document(self.brief, first.source)
        except Exception as exc:  # BriefError: missing or unreadable source
            self.notify(str(exc), title="Cannot open the source", severity="error")
            return
        source = self.brief.source(first.source)
        cited = [c for c in item.citations if c.source == first.source]
        self.app.push_screen(SourceScreen(document, source, cited, item))

    def action_back(self) -> None:
        self.app.pop_screen()
