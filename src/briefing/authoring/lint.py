"""Claims checked against their citations: what ``briefing check`` adds to the parser's errors.

Errors (a citation that cannot be resolved) and warnings (a claim its passage does not bear
out), for one brief that parsed well enough to have items (docs/design.md §9):

- a figure or date in an item that appears in none of its cited passages, compared by value
  (£50m = £50 million = £50,000,000; 2025-03 = March 2025);
- a timeline date more precise than anything its cited passage gives, or with a year the
  passage does not give ("March" in the source, 2027-03 in the brief);
- an item stated as fact whose cited sentence attributes it ("said", "claimed", "according
  to", "critics") when the item does not say who;
- a cited passage under four words (a sentence split in the wrong place, or a fragment);
- drafted items still marked in a brief whose status is review or published;
- a source file whose SHA-256 is not the one the brief recorded, and each citation that now
  points at other text; and, for a brief that records no SHA-256, each sentence citation
  whose sentence the earlier sentence split numbered differently.

``check --strict`` makes the warnings errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from briefing.authoring.entities import paragraph_speaker
from briefing.authoring.figures import date_key, dates, figures, same_figure
from briefing.core.errors import BriefError
from briefing.core.model import Brief, Citation, Concern, Event, Fact, Item, Stakeholder
from briefing.core.safe import clean_line
from briefing.core.segment import legacy_sentences, sentences
from briefing.core.sources import SourceDocument

MIN_PASSAGE_WORDS = 4
QUOTE_CHARS = 90
PUBLISHING = ("review", "published")

# A sentence that reports what someone said, claimed or argued, rather than stating it.
ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|saying|claimed|claims|claiming|according to|critics?|alleged|alleges|allegedly|"
    r"argued|argues|argue|arguing|told|warned|warns|believes?|insisted|insists|asserted|asserts|"
    r"contended|contends|maintained|maintains|reportedly|suggested|suggests|stated|described|"
    r"proponents|supporters|opponents|campaigners|accused|accuses)\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[\w£$€%]+(?:[-'’][\w]+)*")


@dataclass
class Findings:
    """What one brief's check found: errors, then warnings, each as file:line: message."""

    errors: list[BriefError] = field(default_factory=list)
    warnings: list[BriefError] = field(default_factory=list)


def quoted(text: str, limit: int = QUOTE_CHARS) -> str:
    text = clean_line(" ".join(text.split()))
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def item_text(item: Item) -> str:
    """What an item claims, as one text: the words a reader takes as its claim."""
    if isinstance(item, Fact):
        return item.statement
    if isinstance(item, Stakeholder):
        return item.role
    if isinstance(item, Concern):
        return f"{item.title}. {item.detail}"
    if isinstance(item, Event):
        return item.event
    return ""


class Lint:
    """The checks of one brief against its sources in ``root``'s sources/ folder."""

    def __init__(
        self,
        brief: Brief,
        root: Path,
        load: Callable[[Path, str], SourceDocument],
        earlier: Callable[[str], SourceDocument | None] = lambda sha: None,
    ) -> None:
        self.brief = brief
        self.root = root
        self.load = load
        self.earlier = earlier  # a source's text as it was, by SHA-256, when known
        self.found = Findings()
        self.documents: dict[str, SourceDocument | BriefError | None] = {}

    def error(self, line: int, message: str) -> None:
        self.found.errors.append(BriefError(self.brief.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.found.warnings.append(BriefError(self.brief.path, line, message))

    def document(self, source_id: str) -> SourceDocument | BriefError | None:
        if source_id not in self.documents:
            source = self.brief.source(source_id)
            if source is None or source.file is None:
                self.documents[source_id] = None
            else:
                try:
                    self.documents[source_id] = self.load(self.root, source.file)
                except BriefError as exc:
                    self.documents[source_id] = exc
        return self.documents[source_id]

    def run(self, line_of_sources: int = 1) -> Findings:
        changed = self.check_sources(line_of_sources)
        for item in self.brief.items():
            passages = self.passages(item, changed)
            if passages is None:
                continue
            self.check_figures(item, passages)
            if isinstance(item, Event):
                self.check_when(item, passages)
            self.check_attribution(item, passages)
            if isinstance(item, Concern):
                self.check_raiser(item, passages)
            if isinstance(item, Stakeholder) and item.stance != "unknown" and UNREPORTED_VIEW.search(item.role):
                self.warn(
                    item.line,
                    f"stance: {item.stance}, but the item says their view is not reported: use stance: unknown",
                )
            if item.drafted and self.brief.status in PUBLISHING:
                self.warn(
                    item.line,
                    f"still marked 'drafted: {clean_line(item.drafted)}' in a brief whose status is "
                    f"{self.brief.status}: read it against its passage, then delete the drafted: line",
                )
        return self.found

    # -- sources ----------------------------------------------------------------------

    def check_sources(self, line: int) -> dict[str, SourceDocument | None]:
        """Sources whose file changed since the brief recorded its SHA-256: their text as
        it was then (None when it is not known here)."""
        changed: dict[str, SourceDocument | None] = {}
        for source in self.brief.sources:
            document = self.document(source.id)
            if not isinstance(document, SourceDocument) or source.sha256 is None or document.sha256 is None:
                continue
            if document.sha256 != source.sha256:
                before = self.earlier(source.sha256)
                changed[source.id] = before
                how = (
                    "the citations whose text changed are listed at their items"
                    if before is not None
                    else "its earlier text is not on this machine, so read every citation of it again"
                )
                self.warn(
                    line,
                    f"source {source.id} ({clean_line(source.file or '')}) changed since the brief recorded it "
                    f"(sha256 {source.sha256[:12]}…, now {document.sha256[:12]}…): {how}; "
                    f"then record sha256: {document.sha256}",
                )
        return changed

    def passages(self, item: Item, changed: dict[str, SourceDocument | None]) -> list[tuple[Citation, str]] | None:
        """Each citation of ``item`` with its passage; errors for those that cannot be had.
        None when a citation is broken (the claim cannot be checked against it)."""
        out: list[tuple[Citation, str]] = []
        broken = False
        for citation in item.citations:
            document = self.document(citation.source)
            if document is None:  # an online source: nothing to check against
                continue
            if isinstance(document, BriefError):
                self.error(item.line, f"{citation}: {document.message}")
                broken = True
                continue
            problem = document.problem(citation)
            if problem is not None:
                self.error(item.line, problem)
                broken = True
                continue
            text = document.passage(citation)
            out.append((citation, text))
            words = len(WORD.findall(text))
            if words < MIN_PASSAGE_WORDS:
                self.warn(
                    item.line,
                    f"{citation} is {quoted(text)}: under {MIN_PASSAGE_WORDS} words, too little to bear a "
                    "claim (cite the whole sentence or paragraph)",
                )
            source = self.brief.source(citation.source)
            if citation.source in changed:
                before = changed[citation.source]
                if before is not None:
                    was = before.passage(citation) if before.has(citation) else None
                    if was != text:
                        self.warn(
                            item.line,
                            f"{citation} now reads {quoted(text)}"
                            + (f"; it read {quoted(was)}" if was is not None else "; it did not exist")
                            + " when the brief recorded the source",
                        )
            elif source is not None and source.sha256 is None and citation.sentence is not None:
                old = legacy_sentences(document.paragraphs[citation.paragraph - 1])
                was = old[citation.sentence - 1] if citation.sentence <= len(old) else None
                if was != text:
                    self.warn(
                        item.line,
                        f"{citation} now reads {quoted(text)}; sentences are split more carefully than "
                        f"when the brief was written, and it read {quoted(was) if was else 'nothing'}: "
                        f"check the number, then record sha256: {document.sha256} under source "
                        f"{citation.source} (its citations are then read only the new way)",
                    )
        return None if broken else out

    # -- claims -----------------------------------------------------------------------

    def check_figures(self, item: Item, passages: list[tuple[Citation, str]]) -> None:
        if not passages:
            return
        text = item_text(item)
        where = " ".join(str(c) for c, _ in passages)
        have = [key for _, p in passages for key in passage_figures(p)]
        wanted = figures(text)
        if isinstance(item, Fact) and item.figure:
            wanted += figures(item.figure)
        seen: set[tuple] = set()
        for mention in wanted:
            if mention.key in seen:
                continue
            seen.add(mention.key)
            if not any(same_figure(mention.key, key) for key in have) and not said_in(mention.text, passages):
                self.warn(item.line, f"{clean_line(mention.text)} is in none of its cited passages ({where})")
        given = [key for _, p in passages for key in passage_dates(p)]
        for mention in dates(text):
            if mention.key in seen:
                continue
            seen.add(mention.key)
            problem = date_support(mention.key, given)
            if problem and not said_in(mention.text, passages):
                self.warn(item.line, f"{clean_line(mention.text)}: {problem} ({where})")

    def check_when(self, item: Event, passages: list[tuple[Citation, str]]) -> None:
        if not passages:
            return
        key = date_key(item.when.text)
        if key is None:
            return
        problem = date_support(key, [key for _, p in passages for key in passage_dates(p)])
        if problem:
            where = " ".join(str(c) for c, _ in passages)
            self.warn(item.line, f"{clean_line(item.when.text)}: {problem} ({where})")

    def check_attribution(self, item: Item, passages: list[tuple[Citation, str]]) -> None:
        """A fact or event whose cited sentence reports what someone said, written as if it
        were simply so."""
        if not isinstance(item, (Fact, Event)) or not passages:
            return
        if isinstance(item, Fact) and item.according_to:
            return
        text = item_text(item)
        if ATTRIBUTION.search(text):
            return  # the item says who said it
        claim = stems(text)
        for citation, passage_text in passages:
            said = reported_overlap(claim, best_sentence(text, passage_text))
            if said:
                fix = "add 'according to: WHO'" if isinstance(item, Fact) else "say who said it"
                self.warn(
                    item.line,
                    f"stated as fact, but {citation} attributes it (“{said}”): {fix}, or cite a passage that states it",
                )
                return

    def check_raiser(self, item: Concern, passages: list[tuple[Citation, str]]) -> None:
        """A concern's ``raised by:`` names someone its cited passages show raising it: a
        sentence that raises, says, calls for or quotes, by someone named in it, in the rest
        of its paragraph or in the paragraph before ("He said…" after "David Marsh, of…")."""
        if not passages or NOBODY.search(item.raised_by):
            return
        raiser = re.sub(r"\(.*?\)", " ", item.raised_by)
        who = stems(raiser) | short_names(raiser)  # "Margaret Eze" is named by "Cllr. Eze"
        if not who:
            return
        initials = "".join(w[0] for w in re.findall(r"\b[A-Z][\w'’]*", raiser))
        for citation, text in passages:
            document = self.document(citation.source)
            if isinstance(document, SourceDocument) and 0 < citation.paragraph <= len(document.paragraphs):
                # A debate's turn or a signed letter: everything in it is its speaker's.
                turn = paragraph_speaker(document.paragraphs[citation.paragraph - 1])
                if turn is not None and who & (stems(turn[0]) | short_names(turn[0])):
                    return
            raising = any(RAISING.search(s) or s.lstrip()[:1] in '“"' for s in sentences(text))
            if not raising:
                continue
            context = text
            if isinstance(document, SourceDocument):
                context = " ".join(document.paragraphs[max(0, citation.paragraph - 2) : citation.paragraph])
            if who & (stems(context) | short_names(context)) or (
                len(initials) >= 2 and re.search(rf"\b{initials}\b", context)
            ):
                return
        where = " ".join(str(c) for c, _ in passages)
        self.warn(
            item.line,
            f"raised by: {clean_line(item.raised_by)}, but none of its cited passages ({where}) has them "
            "raising it: cite the passage that does, or name who did",
        )


STOP = frozenset(
    "that this with from have been were their they there which would will about after into over "
    "more most such than then them these those what when where while also only other some".split()
)
RAISING = re.compile(
    r"\b(?:rais\w*|cit\w*|question\w*|warn\w*|critici[sz]\w*|concern\w*|fear\w*|object\w*|"
    r"oppos\w*|challeng\w*|complain\w*|call\w* (?:for|on)|doubt\w*|alarm\w*|protest\w*|said|says|"
    r"argu\w*|claim\w*|accus\w*|condemn\w*|told|tells|found|finds|heard|urg\w*|demand\w*|"
    r"criticism|disput\w*|reprimand\w*|ruled|infring\w*|breach\w*|conclud\w*|singled out|say|flag\w*|"
    r"added|adds|wrote|writes|asked|asks)\b",
    re.IGNORECASE,
)
# A raiser who is no one in particular, or the source itself: nobody to find in the passage.
NOBODY = re.compile(
    r"\b(?:no one|nobody|not (?:stated|named|reported|said)|unnamed|unknown|unattributed)\b|"
    r"^the (?:report|source|article|document)(?:'s author| itself)?\b",
    re.I,
)
UNREPORTED_VIEW = re.compile(
    r"\b(?:view|position|stance|reaction|response)s?\b[^.;]{0,40}?\b(?:is|are|was|were) not "
    r"(?:reported|stated|known|given)\b",
    re.I,
)


def stems(text: str) -> set[str]:
    """The content words of ``text``, cut to five letters so that forms of a word meet."""
    return {w.casefold()[:5] for w in WORD.findall(text) if len(w) > 3 and w.casefold() not in STOP}


def short_names(text: str) -> set[str]:
    """Capitalised words of two or three letters, which :func:`stems` leaves out: surnames
    such as "Eze", "Lee" or "Ng"."""
    return {w.casefold() for w in re.findall(r"\b[A-Z][a-z'’]{1,2}\b", text) if w.casefold() not in SHORT_WORDS}


SHORT_WORDS = frozenset("the and but for its his her our who why how was are has had mr mrs ms dr st".split())


VERBS = re.compile(
    r"^(?:said|says|say|claimed|claims|argued|argues|told|warned|warns|insisted|insists|asserted|stated)$", re.I
)


def reported_overlap(claim: set[str], sentence: str) -> str | None:
    """The attribution in ``sentence`` that ``claim`` is drawn from, if any: its words come
    from what follows "X said (that)", "critics claim", "according to X,", or from what
    comes before a closing "…, X said." Words of the rest of the sentence (the source's own
    statement beside it) do not count."""
    for match in ATTRIBUTION.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        closing = VERBS.match(match.group(0)) and len(after.strip(" .,;:”’\"'")) < 30
        reported, rest = (before, after) if closing else (after, before)
        ours, theirs = len(claim & stems(reported)), len(claim & stems(rest))
        if ours >= 2 and ours >= theirs:
            return match.group(0)
    return None


def said_in(words: str, passages: list[tuple[Citation, str]]) -> bool:
    """Whether a passage has ``words`` as written (a figure the rules read in one place and
    not the other: "One shopkeeper" starting a sentence)."""
    folded = " ".join(words.casefold().split())
    return any(folded in " ".join(text.casefold().split()) for _, text in passages)


@lru_cache(maxsize=8192)
def passage_figures(text: str) -> tuple[tuple, ...]:
    """The figures' values of a passage (cited again and again, across briefs: kept)."""
    return tuple(m.key for m in figures(text))


@lru_cache(maxsize=8192)
def passage_dates(text: str) -> tuple[tuple, ...]:
    return tuple(m.key for m in dates(text))


def best_sentence(claim: str, text: str) -> str:
    """The sentence of ``text`` that shares most words with ``claim``."""
    parts = sentences(text)
    if len(parts) <= 1:
        return text
    words = {w.casefold() for w in WORD.findall(claim) if len(w) > 3}
    return max(parts, key=lambda s: len(words & {w.casefold() for w in WORD.findall(s)}))


def date_support(key: tuple, given: list[tuple]) -> str | None:
    """Why the date ``key`` (("date", year, month, day), 0 for a part not given) is not borne
    out by the dates of a passage; None when one of them gives it."""
    _, year, month, day = key
    if any(_covers(other, key) for other in given):
        return None
    same_year = [g for g in given if g[1] == year]
    if year and not same_year:
        undated = [g for g in given if g[1] == 0 and (g[2] == month or not month)]
        if undated:
            return f"the year {year} is in none of its cited passages (they give the date without a year)"
        return f"{year} is in none of its cited passages"
    if month and not any(g[2] == month for g in same_year):
        if all(g[2] == 0 for g in same_year):
            return "more precise than its cited passages, which give only the year"
        return "that month is in none of its cited passages"
    if day:
        if all(g[3] == 0 for g in same_year if g[2] == month):
            return "more precise than its cited passages, which give no day"
        return "that day is in none of its cited passages"
    return "not in its cited passages"


def _covers(given: tuple, key: tuple) -> bool:
    """``given`` (a passage's date) states ``key`` (an item's) at least as precisely."""
    _, year, month, day = key
    _, g_year, g_month, g_day = given
    if year != g_year:
        return False
    return (not month or month == g_month) and (not day or day == g_day)


def check_brief(
    brief: Brief,
    root: Path,
    load: Callable[[Path, str], SourceDocument],
    earlier: Callable[[str], SourceDocument | None] = lambda sha: None,
    line_of_sources: int = 1,
) -> Findings:
    return Lint(brief, root, load, earlier).run(line_of_sources)
