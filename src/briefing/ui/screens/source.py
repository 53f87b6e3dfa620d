"""A source document, opened at the passage an item cites, or at a paragraph search found;
either is marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing.core.model import Citation, Item, Source
from briefing.core.sources import SourceDocument
from briefing.ui.render.markers import fitted
from briefing.ui.widgets.sourceview import SourceView


def _sentence_span(document: SourceDocument, citation: Citation) -> tuple[int, int] | None:
    if citation.sentence is None:
        return None
    paragraph = document.paragraphs[citation.paragraph - 1]
    sentence = document.passage(citation)
    start = paragraph.find(sentence)
    return (start, start + len(sentence)) if start >= 0 else None


class SourceScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "next_citation", "Next cited", id="source.next", tooltip="The next cited passage"),
        Binding(
            "p",
            "previous_citation",
            "Previous cited",
            id="source.previous",
            show=False,
            tooltip="The previous cited passage",
        ),
        Binding("escape,q", "back", "Back", id="source.back", tooltip="Back to the item, or to the search"),
    ]

    def __init__(
        self,
        document: SourceDocument,
        source: Source | None,
        citations: list[Citation],
        item: Item | None,
        found: bool = False,
    ) -> None:
        """``found``: opened from the search at the paragraph of ``citations``; ``item`` is
        then an item of the brief that cites it, or None."""
        super().__init__()
        self.document = document
        self.source = source
        self.citations = [c for c in citations if document.has(c)]
        self.item = item
        self.found = found
        self.index = 0

    def header(self) -> Text:
        """The source's title and whether it is verified; the item that cites it, and where
        (or that search found it there). Titles and the item's text are cut to fit; the
        verification and citations never."""
        width = (self.size.width or self.app.size.width) - 2  # the header's padding
        title = self.source.title if self.source else "Source"
        verification = ""
        if self.source is not None:
            verification = " (verified)" if self.source.verified else " (unverified: not checked against the original)"
        head = fitted(width, (title, "bold", True), (verification, "italic", False))
        head.append("\n")
        cited = ", ".join(str(c) for c in self.citations)
        if self.found and self.item is None:
            head.append_text(
                fitted(
                    width,
                    (f"Found by search at {cited}", "dim", False),
                    ("; no item of the brief cites it", "dim", True),
                )
            )
        elif self.found and self.item is not None:
            head.append_text(
                fitted(
                    width,
                    (f"Found by search at {cited}, cited by “", "dim", False),
                    (self.item.label, "dim", True),
                    ("”", "dim", False),
                )
            )
        elif self.item is not None:
            head.append_text(
                fitted(
                    width, ("Cited by “", "dim", False), (self.item.label, "dim", True), (f"” at {cited}", "dim", False)
                )
            )
        return head

    def on_resize(self) -> None:
        self.query_one("#source-header", Static).update(self.header(), layout=False)

    def compose(self) -> ComposeResult:
        yield Static(self.header(), id="source-header")
        # Per cited paragraph: the spans of its cited sentences, or None for all of it.
        spans: dict[int, list[tuple[int, int]] | None] = {}
        for citation in self.citations:
            span = _sentence_span(self.document, citation)
            if span is None:
                spans[citation.paragraph] = None
            elif citation.paragraph not in spans:
                spans[citation.paragraph] = [span]
            else:
                cited = spans[citation.paragraph]
                if cited is not None:
                    cited.append(span)
        yield SourceView(self.document.paragraphs, spans, id="source-view")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(SourceView)
        self.set_focus(view)
        self.call_after_refresh(self.show_citation)

    def show_citation(self) -> None:
        if self.citations:
            self.query_one(SourceView).scroll_to_paragraph(self.citations[self.index].paragraph)

    def action_next_citation(self) -> None:
        if self.citations:
            self.index = (self.index + 1) % len(self.citations)
            self.show_citation()

    def action_previous_citation(self) -> None:
        if self.citations:
            self.index = (self.index - 1) % len(self.citations)
            self.show_citation()

    def action_back(self) -> None:
        self.app.pop_screen()
