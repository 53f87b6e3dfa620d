"""A source document, opened at the passage an item cites, or at a paragraph search found;
either is marked. A sentence cursor starts on the cited sentence (or the paragraph's first),
the line under the source says where it is (``[S1 ¶3.2]``), and ``c`` copies that citation
to the terminal's clipboard, as ``y`` copies an item on the brief (OSC 52)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing.core.model import Citation, Item, Source
from briefing.core.sources import SourceDocument
from briefing.ui.render.markers import fitted, sentence_number
from briefing.ui.widgets.rowlist import CURSOR_GLYPH
from briefing.ui.widgets.sourceview import SourceView


def cited_spans(document: SourceDocument, citations: list[Citation]) -> dict[int, list[tuple[int, int]] | None]:
    """Per cited paragraph: where its cited sentences are in its text (the document's own
    split), or None when all of it is cited."""
    spans: dict[int, list[tuple[int, int]] | None] = {}
    for citation in citations:
        if citation.sentence is None:
            spans[citation.paragraph] = None
            continue
        span = document.spans(citation.paragraph)[citation.sentence - 1]
        if citation.paragraph not in spans:
            spans[citation.paragraph] = [span]
        else:
            cited = spans[citation.paragraph]
            if cited is not None and span not in cited:
                cited.append(span)
    return spans


class SourceScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "c",
            "copy_citation",
            "Copy citation",
            id="source.copy",
            tooltip="Copy the cursor's citation, e.g. [S1 ¶3.2]",
        ),
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
        # What a citation of this source starts with: the brief's id for it.
        self.source_id = source.id if source is not None else citations[0].source if citations else "?"
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
        first = self.citations[0] if self.citations else Citation(self.source_id, 1)
        yield SourceView(
            self.document,
            cited_spans(self.document, self.citations),
            (first.paragraph, first.sentence or 1),
            numbered=sentence_number,
            id="source-view",
        )
        yield Static(id="source-status")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(SourceView)
        self.set_focus(view)
        self.show_status()
        self.call_after_refresh(self.show_cited_passage)

    @property
    def cursor(self) -> Citation:
        """The citation of the cursor's sentence."""
        paragraph, sentence = self.query_one(SourceView).cursor
        return Citation(self.source_id, paragraph, sentence)

    def cites(self, citation: Citation) -> bool:
        """Whether the item (or the search) points at this sentence."""
        return any(
            c.paragraph == citation.paragraph and c.sentence in (None, citation.sentence) for c in self.citations
        )

    def status(self) -> Text:
        """Where the cursor is, as a citation, and whether that is the cited passage."""
        from briefing.core.citation import one_line

        view = self.query_one(SourceView)
        if not view.paragraphs:
            return Text("This source has no text.", style="dim")
        cursor = self.cursor
        text = Text.assemble((f"{CURSOR_GLYPH} ", "bold"), (one_line(str(cursor)), "bold"))
        text.append(f"  sentence {cursor.sentence} of {view.sentences_in(cursor.paragraph)}", style="dim")
        if self.cites(cursor):
            text.append(" · found by search" if self.found else " · cited", style="bold")
        text.append("   j/k sentence · J/K paragraph · c copy", style="dim")
        return text

    def show_status(self) -> None:
        self.query_one("#source-status", Static).update(self.status())

    @on(SourceView.Moved)
    def cursor_moved(self, event: SourceView.Moved) -> None:
        self.show_status()

    def show_cited_passage(self) -> None:
        """Once the view has its size: the cited passage in view, and the cursor, which
        starts on it and which keys typed with 'o' may have moved on already (so it is not
        put back)."""
        view = self.query_one(SourceView)
        if self.citations:
            view.scroll_to_paragraph(self.citations[self.index].paragraph)
        view.scroll_to_cursor()

    def show_citation(self) -> None:
        """The cited passage in view, the cursor on its sentence (or its paragraph's first)."""
        if self.citations:
            citation = self.citations[self.index]
            view = self.query_one(SourceView)
            view.scroll_to_paragraph(citation.paragraph)
            view.move_to(citation.paragraph, citation.sentence or 1)

    def help_legend(self) -> Text:
        """What the gutter and the numbers mean, for help (?)."""
        example = sentence_number(2)
        return Text(
            f"In the source: ¶3 starts paragraph 3, and {example} its second sentence, cited as "
            f"[{self.source_id} ¶3.2] · ┃ a cited paragraph, its cited sentences marked · "
            f"{CURSOR_GLYPH} the cursor's sentence, whose citation the line below the source gives."
        )

    def action_copy_citation(self) -> None:
        """The cursor's citation, exactly as a brief writes it, to the terminal's clipboard
        (OSC 52, as y does on the brief), cleaned once more on the way."""
        from briefing.core.citation import one_line

        if not self.query_one(SourceView).paragraphs:
            self.notify("This source has no text to cite.", severity="warning")
            return
        text = one_line(str(self.cursor))
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied: {text}", timeout=3)

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
