"""A brief drafted from its sources: ``briefing new`` (the skeleton) and ``briefing draft``
(candidate items), docs/design.md §9.

Every drafted item quotes the sentence it was drawn from and cites it (``[S1 ¶3.2]``,
numbered as :class:`~briefing.core.sources.SourceDocument` numbers sentences), and carries a
``drafted:`` line that says what it was drawn from, until an author takes that line out:

- **key facts** (``drafted: figure``): each sentence with money, a percentage, a duration or
  a count (:func:`briefing.authoring.figures.figures`); the statement is the sentence,
  ``figure:`` the figures as written. A sentence the source attributes to someone ("X
  said", "according to X") keeps that: ``according to: X``.
- **timeline** (``drafted: date``): each explicit date (:func:`~briefing.authoring.figures.dates`).
  A calendar date is written ``2025-03-14``, ``2025-03`` or ``2025``; anything else
  (``7 March``, ``FY2024/25``, ``2019-21``) as the text writes it, with ``sort:`` the year
  it states, or for a date without a year the year stated elsewhere in the same sentence,
  else the paragraph, when exactly one is and no relative year ("next year") is near.
  Relative dates are never turned into calendar dates.
- **stakeholders** (``drafted: named``): the people, bodies and firms named
  (:mod:`briefing.authoring.entities`), with ``kind:`` from clear cues only and ``stance:``
  only where the text states one; the first line of what they did is the first sentence that
  names them, and the sentence that states their stance.
- **concerns** (``drafted: concern``): sentences that raise one, found by the words of a
  category and a word that raises something ("concern", "warned", "unlawful", "without",
  "lack of" ...), ``raised by:`` whoever the text says raised it, else ``not stated in the
  source``.

The brief's text is the source's own, escaped so that the brief format reads it back as
written (no emphasis, links, citations or ids are made of it).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from briefing.authoring import entities as names
from briefing.authoring.entities import AUTHORS, Analysis, Sentence, Speaker, attribution
from briefing.authoring.figures import Mention, calendar, dates, figures, iso
from briefing.core.parse import CITATION_RE, EXPLICIT_ID_RE
from briefing.core.safe import clean_line
from briefing.core.sources import SourceDocument

PANE_HEADINGS = ("Key facts", "Stakeholders", "Concerns", "Timeline")
NOT_STATED = "not stated in the source"


@dataclass(frozen=True)
class DraftSource:
    id: str  # S1, S2, ...
    title: str
    file: str  # its name in sources/
    sha256: str
    document: SourceDocument
    kind: str = "document"


@dataclass(frozen=True)
class Cited:
    """A sentence of a source and its citation."""

    source: str
    sentence: Sentence

    @property
    def citation(self) -> str:
        if len(_PASSAGE_WORD.findall(self.sentence.text)) < 4:
            # Too short to bear a claim by itself ("— Janet Hurst, Denby"): its paragraph.
            return f"[{self.source} ¶{self.sentence.paragraph}]"
        return f"[{self.source} ¶{self.sentence.paragraph}.{self.sentence.number}]"


_PASSAGE_WORD = re.compile(r"[\w£$€%]+(?:[-'’][\w]+)*")  # as check counts a passage's words (lint.WORD)


@dataclass(frozen=True)
class DraftFact:
    cited: Cited
    figures: tuple[Mention, ...]
    according_to: str | None = None
    drafted: str = "figure"


@dataclass(frozen=True)
class DraftEvent:
    cited: Cited
    when: str  # the first line: a date, or the words
    date: Mention
    sort: str | None = None
    drafted: str = "date"


@dataclass(frozen=True)
class DraftStakeholder:
    name: str
    kind: str
    stance: str
    lines: tuple[Cited, ...]
    drafted: str = "named"
    forms: frozenset[str] = frozenset()  # the names it goes by, folded


@dataclass(frozen=True)
class DraftConcern:
    cited: Cited
    category: str
    raised_by: str
    drafted: str = "concern"


@dataclass
class Draft:
    facts: list[DraftFact] = field(default_factory=list)
    stakeholders: list[DraftStakeholder] = field(default_factory=list)
    concerns: list[DraftConcern] = field(default_factory=list)
    events: list[DraftEvent] = field(default_factory=list)


# --- the source's sentences ----------------------------------------------------------------


def sentences_of(document: SourceDocument) -> list[Sentence]:
    out = []
    for paragraph in range(1, len(document.paragraphs) + 1):
        for number, text in enumerate(document.sentences(paragraph), start=1):
            out.append(Sentence(paragraph, number, text))
    return out


# --- dates ---------------------------------------------------------------------------------

_RELATIVE_YEAR = re.compile(
    r"\b(?:next|last|this|coming|previous|following|past) (?:year|financial year|calendar year)\b|"
    r"\bthe year (?:before|after)\b|\ba year (?:earlier|later|ago)\b",
    re.IGNORECASE,
)


def _years(mentions: list[Mention]) -> set[int]:
    return {m.key[1] for m in mentions if m.key[1]}


def event_for(mention: Mention, sentence: Sentence, paragraph_text: str) -> tuple[str, str | None]:
    """The timeline entry's first line and its ``sort:`` for a date mention."""
    exact = calendar(mention)
    if exact is not None:
        return exact, None
    year, month, day = mention.key[1:]
    if year:  # a financial year, a span: words, placed by the year it starts
        return mention.text, f"{year:04d}"
    # No year given: the year stated elsewhere, if exactly one and nothing relative is near,
    # and the months in the order the text tells them ("from 3 June to 28 July 2024"; "on 9
    # October 2024 ... closed on 20 December"), else it may be another year.
    for scope, offset in ((sentence.text, mention.start), (paragraph_text, paragraph_text.find(sentence.text))):
        if _RELATIVE_YEAR.search(scope):
            return mention.text, None
        dated = [m for m in dates(scope) if m.key[1]]
        years = _years(dated)
        if len(years) > 1:
            return mention.text, None
        if len(years) == 1:
            if scope is paragraph_text:
                offset = max(0, offset) + mention.start
                if not any(other.key[2] or other.start < offset for other in dated):
                    # "On 23 August ... an address she had stopped using in 2022": a year
                    # told after it, alone, may be of something else
                    return mention.text, None
                if not any(other.key[2] for other in dated):
                    # a year alone sets the paragraph's frame only when it comes before every
                    # date without one ("In 2024 ... On 23 August ... on 4 September"), not
                    # when told in passing between them
                    first_year = min(other.start for other in dated)
                    if any(not m.key[1] and m.start < first_year for m in dates(paragraph_text)):
                        return mention.text, None
            for other in dated:
                other_month = other.key[2]
                if other_month and (
                    (other.start > offset and month > other_month) or (other.start < offset and month < other_month)
                ):
                    return mention.text, None
            return mention.text, iso(("date", years.pop(), month, day))
    return mention.text, None


# --- concerns ------------------------------------------------------------------------------

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("legality", r"unlawful|illegal|lawful basis|legal challenge|judicial review|infring\w*|breach\w* (?:of )?\w* ?rights|"
     r"human rights|no legal basis|without (?:a )?lawful|necessary and proportionate|proportionate|banned|"
     r"lawful|statutory|legality"),
    ("bias", r"bias\w*|discriminat\w*|disproportionat\w*|racial\w*|unfair\w*|fairness|\bfair\b|over-represent\w*|"
     r"hardest on|poorest|treat\w* (?:\w+ ){0,2}differently|(?:twice|three times|four times|\w+ times) (?:the rate|as (?:likely|often))|"
     r"disparit\w*|less accurate for|black defendants"),
    ("accuracy", r"accura\w*|inaccura\w*|error rates?|errors?|mistakes?|wrong\w*|incorrect\w*|underestimat\w*|"
     r"overestimat\w*|"
     r"false (?:alerts?|positives?|matches?|alert rate)|misidentif\w*|unreliab\w*|"
     r"(?:could|can|did)(?: not|n['’]t) (?:read|take account of|recognise|recognize|cope with|handle)|"
     r"faults?|faulty|before anyone noticed"),
    ("privacy", r"privacy|personal data|personal information|data protection|intrusi\w*|children's data|"
     r"retained|retention|their information|(?:patients?|medical|health|personal)['’]? records|"
     r"kept for too long|(?:images|footage|data|records) (?:are|is|were|was|would be|will be) (?:kept|held|shared)|"
     r"how long [\w ]{0,40}(?:kept|held|stored)|"
     r"without (?:asking|consent|permission|their (?:consent|knowledge|permission))|nobody asked|"
     r"(?:recordings|data|conversations) (?:\w+ ){0,3}used to (?:train|improve)|"
     r"(?:can|could) (?:read|see|access|listen to) what"),
    ("surveillance", r"surveillance|facial recognition|dragnet|monitoring of|mass monitoring|tracking"),
    ("security", r"security|cyber|hack\w*|vulnerab\w*|data breach\w*|leak\w*|failures? to protect|"
     r"exposed (?:the )?(?:names|data|details|records|personal)"),
    ("accountability", r"accountab\w*|oversight|scrutiny|transparen\w*|consultation|consulted|explain|"
     r"independent (?:checks?|audit|evaluation|inquiry|investigation|review)|inquiry|"
     r"no single body responsible|not told|rarely told|"
     r"poorly governed|governance|audit\w*|(?:could|can)(?:not| not) show|unable to (?:show|explain)|no evidence|"
     r"lack of clarity|unclear|public trust|no clear policy|no record|without telling|without informing|"
     r"not (?:been )?informed|(?:has|have|had|did) not (?:published|said how|explained|disclosed|told|tell)|"
     r"withh[oe]ld\w*|did not know|were not aware|unaware|(?:could|would)(?: not|n['’]t) (?:tell|explain)|"
     r"nobody could|at fault|maladministration|took \w+ (?:days|weeks|months) to (?:tell|inform|notify|report)|"
     r"without (?:competition|a tender|tendering)|few (?:\w+ ){0,6}knew|(?:had|has|was|were) (?:not )?been tested"),
    ("value for money", r"value for money|delivers value|public money|taxpayers?['’]? money|cost overruns?|"
     r"rose in cost|over budget|overspen\w*|wasted?|expensive|poor value|rising [\w ]*prices|costs? rose|"
     r"worth the (?:money|cost)|best value|good value|saving money for"),
    ("ethics", r"ethic\w*|moral\w*"),
)  # fmt: skip
_CONCERN_CUE = re.compile(
    r"\b(?:concern\w*|worr\w*|fears?|feared|risks?|warn\w*|critic\w*|question\w*|object\w*|oppos\w*|"
    r"challeng\w*|alarm\w*|threat\w*|danger\w*|lack\w*|fail\w*|without|not (?:been )?(?:told|consulted|"
    r"carried out|go far enough)|cannot|can't|could not|unable|complain\w*|mistakes?|poor value|waste\w*|"
    r"overspen\w*|cost overruns?|error rates?|false positives?|intrusi\w*|no (?:way|single|public|lawful|legal)|nobody|undermin\w*|may reinforce|reinforce\w*|"
    r"infring\w*|unlawful|illegal|breach\w*|vulnerab\w*|less accurate|disparit\w*|halt\w*|suspend\w*|"
    r"ban(?:ned)?|rose in cost|poorly|over-represent\w*|inaccura\w*|misidentif\w*|wrongly|must show|"
    r"must be able|deserves|amounted to|innocent|unfair\w*|bias\w*|discriminat\w*|almost no|rarely|"
    r"questioned|doubts?|not (?:yet )?(?:shown|proven|demonstrated)|underestimat\w*|overestimat\w*|"
    r"did not have|does not have|no clear|no record|without telling|without informing|falls? hardest|"
    r"called for|calls? for|(?<!fraud and )errors?|exposed|wrong|before anyone noticed|nobody asked|took \w+ "
    r"(?:days|weeks|months) to (?:tell|inform|notify|report)|without competition|few (?:\w+ ){0,6}knew|opted out|"
    r"(?:can|could) (?:read|see|access|listen to) what|differently|withh[oe]ld\w*|at fault|maladministration|unaware|were not aware|"
    r"did not (?:know|tell)|(?:has|have|had) not (?:published|said how|explained|disclosed)|"
    r"without (?:asking|consent|permission|their)|(?:twice|three times|four times|\w+ times) (?:the rate|as (?:likely|often))|"
    r"must (?:first |still )?(?:carry out|complete|publish|consult))\b",
    re.IGNORECASE,
)
# A sentence that says outright that a concern is raised, whatever it is about.
EXPLICIT_CONCERN = re.compile(
    r"\b(?:raised|raises|raising|expressed|voiced|shared|have|has) (?:\w+ ){0,2}concerns?\b|\bconcerned (?:that|about)\b|"
    r"\bfears? (?:that|about)\b|\bcomplaints? (?:from [^,.;]{1,40} )?(?:about|that)\b|"
    r"\bwarn(?:ed|s|ing)? (?:\w+ )?(?:that|of|against)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\b(?:found |finds |saw |showed |shows )?no evidence (?:of|that)\b[^.;]*|"
    # a promise: "no resident would be enrolled without their consent", "will not be used
    # to train its models without the council's written agreement"
    r"\bno (?:\w+ ){1,3}(?:would|will|shall|can|could|is|are) (?:ever )?be \w+ (?:\w+ ){0,3}without\b[^.;]*|"
    r"\b(?:would|will|shall) not (?:ever )?be \w+ (?:\w+ ){0,5}without\b[^.;]*",
    re.IGNORECASE,
)
_CATEGORY_RES = [(name, re.compile(rf"\b(?:{pattern})", re.IGNORECASE)) for name, pattern in CATEGORIES]


def concern_category(text: str, masked: list[tuple[int, int]] = ()) -> tuple[str, int] | None:  # type: ignore[assignment]
    """The category of the concern a sentence raises and where its word is, or None if it
    raises none. Words inside ``masked`` spans (names: "Fair Justice Network") do not count.
    A denial ("found no evidence of unfair treatment") raises nothing by its own words."""
    question = text.rstrip(" \"'”’)").endswith("?")  # a question raises what it asks about
    if not (question or _CONCERN_CUE.search(_DENIAL.sub("", text))):
        return None
    text = _DENIAL.sub(lambda m: " " * len(m.group()), text)
    hits = []
    for name, pattern in _CATEGORY_RES:
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e in masked):
                hits.append((match.start(), name))
                break
    if not hits:
        explicit = EXPLICIT_CONCERN.search(text)
        if explicit is None:
            return None
        return "other", explicit.start()  # "raised concerns about ...", in no category of ours
    at, name = min(hits)
    return name, at


def concern_of(analysis: Analysis, sentence: Sentence) -> tuple[str, int] | None:
    return concern_category(sentence.text, [(s, e) for s, e, _ in analysis.in_sentence(sentence)])


# --- drafting ------------------------------------------------------------------------------


def draft(sources: list[DraftSource]) -> Draft:
    """Candidate items drawn from the sources, in the order the sources give them."""
    out = Draft()
    for source in sources:
        sentences = sentences_of(source.document)
        analysis = names.analyse(sentences)
        quoted = _quoted(analysis)
        paragraphs = source.document.paragraphs
        # A debate's turn or a signed letter: the whole paragraph is that person's.
        by: dict[int, Speaker] = {}
        for number, text in enumerate(paragraphs, 1):
            written = names.paragraph_speaker(text)
            if written is not None:
                by[number] = names.speaker_of(analysis, written[0])
        for sentence in sentences:
            cited = Cited(source.id, sentence)
            previous = quoted.get(sentence.ref)
            found = figures(sentence.text)
            if found:
                speaker = attribution(analysis, sentence, previous, at=found[0].start) or by.get(sentence.paragraph)
                said = speaker.name if speaker and speaker.name != AUTHORS else None  # "we": the source itself
                out.facts.append(DraftFact(cited, tuple(found), said))
            for mention in dates(sentence.text):
                when, sort = event_for(mention, sentence, paragraphs[sentence.paragraph - 1])
                out.events.append(DraftEvent(cited, when, mention, sort))
            concern = concern_of(analysis, sentence)
            if concern is not None:
                category, at = concern
                speaker = attribution(analysis, sentence, previous, at=at) or by.get(sentence.paragraph)
                out.concerns.append(DraftConcern(cited, category, speaker.name if speaker else NOT_STATED))
        out.stakeholders.extend(_stakeholders(source.id, analysis))
    return out


def _quoted(analysis: Analysis) -> dict[tuple[int, int], Speaker]:
    """For each sentence, who spoke the sentence before it in its paragraph: a quotation
    that goes on into the next sentence is still theirs."""
    out: dict[tuple[int, int], Speaker] = {}
    previous: Speaker | None = None
    paragraph = 0
    for sentence in analysis.sentences:
        if sentence.paragraph != paragraph:
            previous, paragraph = None, sentence.paragraph
        if previous is not None:
            out[sentence.ref] = previous
        previous = attribution(analysis, sentence, previous)
    return out


def _stakeholders(source_id: str, analysis: Analysis) -> list[DraftStakeholder]:
    by_ref = {s.ref: s for s in analysis.sentences}
    stated = names.stances(analysis)
    out = []
    for index, entity in enumerate(analysis.entities):
        if not entity.mentions:
            continue
        first = by_ref[entity.mentions[0][:2]]
        lines = [Cited(source_id, first)]
        stance = "unknown"
        said = stated.get(index)
        if said is not None:
            stance = said[0]
            if said[1].ref != first.ref:
                lines.append(Cited(source_id, said[1]))
        out.append(DraftStakeholder(entity.name, entity.kind, stance, tuple(lines), forms=frozenset(entity.forms)))
    return out


# --- writing the brief ----------------------------------------------------------------------

_ESCAPED = re.compile(r"([\\`*_\[\]<&])")


def neutral(text: str) -> str:
    """Source text with what the brief format would take out of it made plain text: a
    citation ("[S1 ¶2]") or an item id ("{#id}") in the source gets a space before its
    closing bracket, so it stays text (the format reads citations after Markdown)."""
    text = CITATION_RE.sub(lambda m: m.group()[:-1] + " ]", clean_line(text))
    return EXPLICIT_ID_RE.sub(lambda m: m.group()[:-1] + " }", text)


def escape(text: str) -> str:
    """Source text as brief text that the brief format reads back as :func:`neutral` gives
    it: Markdown's markup characters escaped, no citation and no item id."""
    return _ESCAPED.sub(r"\\\1", neutral(text))


def _line(text: str) -> str:
    """A continuation line: also not read as a list item or a heading."""
    text = escape(text)
    numbered = re.match(r"^\d{1,9}(?=[.)])", text)
    if numbered:  # "1." opens a numbered list: escape its stop (a backslash before a digit stays text)
        return f"{text[: numbered.end()]}\\{text[numbered.end() :]}"
    if re.match(r"^[-+*#=>]", text):
        text = "\\" + text
    return text


def _quote(cited: Cited) -> str:
    """The sentence and its citation, as a line under an item's first line. A sentence that
    starts like a field ("note: ...") is written after its citation, so it is not read as one."""
    if re.match(r"^[a-z]+(?: [a-z]+)?:\s", neutral(cited.sentence.text)):
        return f"{cited.citation} {_line(cited.sentence.text)}"
    return f"{_line(cited.sentence.text)} {cited.citation}"


def _title_of(cited: Cited, category: str, words: int = 8) -> str:
    parts = cited.sentence.text.split()
    head = " ".join(parts[:words]) + ("…" if len(parts) > words else "")
    return f"{category.capitalize()}: {head}"


def render(brief_id: str, title: str, sources: list[DraftSource], today: _dt.date, items: Draft | None) -> str:
    """The brief's text: front matter, then the four panes (empty for a skeleton)."""
    import yaml

    listed = [
        {
            "id": s.id,
            "title": clean_line(s.title),
            "file": s.file,
            "kind": s.kind,
            "verified": False,
            "sha256": s.sha256,
        }
        for s in sources
    ]
    front = {
        "id": brief_id,
        "title": clean_line(title),
        "date": today,  # a date, so that YAML writes it bare
        "status": "draft",
        "tags": [],
        "summary": "Drafted from its sources: replace with a short paragraph of what this brief is about."
        if items is not None
        else "To be written: a short paragraph of what this brief is about.",
        "sources": listed,
    }
    # Block style throughout: a brief reads well raw, its sources one key to a line.
    text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    lines = ["---", text.rstrip("\n"), "---", ""]
    panes = _panes(items) if items is not None else {name: [] for name in PANE_HEADINGS}
    for heading in PANE_HEADINGS:
        lines.append(f"## {heading}")
        lines.append("")
        for item in panes[heading]:
            lines.extend(item)
        if panes[heading]:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _panes(items: Draft) -> dict[str, list[list[str]]]:
    panes: dict[str, list[list[str]]] = {name: [] for name in PANE_HEADINGS}
    for fact in items.facts:
        block = [f"- {_quote(fact.cited)}", f"  drafted: {fact.drafted}"]
        written = dict.fromkeys(m.text for m in fact.figures)  # a range's two ends are one figure
        block.append(f"  figure: {escape('; '.join(written))}")
        if fact.according_to:
            block.append(f"  according to: {escape(fact.according_to)}")
        panes["Key facts"].append(block)
    for person in items.stakeholders:
        block = [f"- {escape(person.name)}", f"  drafted: {person.drafted}"]
        block += [f"  kind: {escape(person.kind)}", f"  stance: {person.stance}"]
        block += [f"  {_quote(cited)}" for cited in person.lines]
        panes["Stakeholders"].append(block)
    for concern in items.concerns:
        panes["Concerns"].append(
            [
                f"- {escape(_title_of(concern.cited, concern.category))}",
                f"  drafted: {concern.drafted}",
                f"  category: {concern.category}",
                f"  raised by: {escape(concern.raised_by)}",
                f"  {_quote(concern.cited)}",
            ]
        )
    for event in items.events:
        block = [f"- {escape(event.when)}", f"  drafted: {event.drafted}"]
        if event.sort:
            block.append(f"  sort: {event.sort}")
        block.append(f"  {_quote(event.cited)}")
        panes["Timeline"].append(block)
    return panes


__all__ = [
    "AUTHORS",
    "NOT_STATED",
    "Cited",
    "Draft",
    "DraftConcern",
    "DraftEvent",
    "DraftFact",
    "DraftSource",
    "DraftStakeholder",
    "concern_category",
    "draft",
    "escape",
    "neutral",
    "event_for",
    "render",
    "sentences_of",
]
