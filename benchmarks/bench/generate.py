"""Synthetic libraries: briefs valid per briefs/FORMAT.md, their sources, and the bare
Textual app the benchmark measures beside briefing.

The briefs are made to be searched like real ones. Each is drawn from its own seeded random
generator (brief ``i`` is the same in every library and every run, and a library of 1,000 is
the first 1,000 of one of 10,000):

- text from a word list of policy vocabulary, drawn with Zipf-like weights, so a few words
  ("public", "council") are in most items and most words are in few, with phrases such as
  "live facial recognition" mixed in;
- one word in the whole library that only one item has: ``unique_word(i)``, in the detail of
  concern ``UNIQUE_CONCERN`` of brief ``i`` (every brief has its own);
- stakeholders shared across many briefs (``STAKEHOLDERS``): some written with an explicit
  ``{#id}``, some by name only, one with diacritics (``Zoë Martínez``);
- timelines with exact, partial and fuzzy dates ("during the pandemic" with ``sort:``,
  "undated");
- ``SOURCE_FILES`` source files, two or three of them cited by each brief.

What the benchmark's checks look for stays in every brief: titles begin
``Synthetic brief 00042``, facts ``Synthetic fact 1 of brief 00042``, and every source
paragraph ``Synthetic source paragraph 3``.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from .common import BARE_MARK

SEED = 12  # the generator of brief i is random.Random(SEED * 1_000_003 + i)
SOURCE_FILES = 12
SOURCE_PARAGRAPHS = 40
STATUSES = ("draft", "review", "published", "archived")
TAGS = ("policing", "procurement", "privacy", "health", "housing", "ai", "transport", "education", "welfare", "data")
KINDS = ("government", "police", "vendor", "public", "civil society")
STANCES = ("supports", "opposes", "neutral", "unknown")
CATEGORIES = ("ethics", "privacy", "value for money", "bias", "surveillance", "accountability", "legality")
ITEMS_PER_PANE = 5
UNIQUE_CONCERN = 2  # the concern (1-based) whose detail holds the brief's unique word

# Policy vocabulary, most frequent first: word k is drawn with weight 1/(k+1), so the first
# words are in most items and the last in few. None ends in the letter q (see unique_word).
WORDS = """
public council data police contract government service local report review system use
people health officers funding data-sharing decision national committee evidence budget
procurement technology department minister community oversight risk policy agency access
records safety housing privacy analysis programme assessment cost project court
consultation guidance law residents staff schools transport camera cameras surveillance
software vendor suppliers audit regulator complaint complaints officials members inquiry
board trust patients hospital hospitals welfare benefits claimants tenants landlords
planning transparency accountability algorithm algorithms model models platform database
databases retention deletion consent lawful basis protection commissioner tribunal appeal
ruling judgment legislation statute amendment framework standard standards criteria
threshold licence licences permit tender tenders bidder bidders award awarded procured
procuring procure spending overspend savings efficiency value money pounds millions
estimate estimates forecast forecasts targets target delivery contractor contractors
outsourcing partnership partners charity charities campaigners campaign petition protest
protesters journalists newspaper broadcast interview statement letter letters memo minutes
meeting meetings hearing hearings witness witnesses testimony disclosure disclosures
request requests freedom information leak leaked whistleblower investigation
investigations misconduct discipline training recruitment vetting workforce shortage
shortages backlog backlogs delay delays waiting list lists capacity demand pressure
pressures winter pandemic lockdown recovery resilience emergency response incident
incidents breach breaches cyber attack attacks ransomware outage failure failures error
errors bias biased discrimination equality fairness accuracy inaccurate flawed
independent scrutiny parliament parliamentary select minority majority opposition
coalition mayor mayoral borough county district region regional city cities town towns
rural urban neighbourhood street streets station stations depot fleet buses trains
rail road roads congestion emissions pollution air quality climate energy heating
insulation retrofit repairs damp mould eviction evictions homelessness shelter
affordable rent rents mortgage arrears debt poverty income wages pension pensions
carers disability disabled children families pupils teachers exams attendance exclusion
exclusions curriculum university universities students loans tuition research
innovation pilot pilots trial trials rollout expansion scheme schemes initiative
pledge pledges manifesto promise promises cuts reduction increase rise fall decline
growth quarterly annual monthly weekly daily historic previous current future
proposed approved rejected paused cancelled extended renewed terminated signed
""".split()
PHRASES = (
    "live facial recognition",
    "value for money",
    "data protection impact assessment",
    "public sector equality duty",
    "freedom of information request",
    "automated decision making",
    "predictive policing",
    "stop and search",
    "body worn video",
    "single source contract",
)
FILLERS = ("the", "of", "and", "to", "in", "for", "on", "with", "by", "a", "as", "at", "from", "that")
FUZZY_DATES = (
    ("during the pandemic", "2020-04"),
    ("early that year", None),
    ("before the election", "2019-11"),
    ("pending", None),
    ("later that spring", None),
)
# Stakeholders shared across the library: (name, explicit id or None, kind). Each brief has
# five of them, so each is in about a quarter of all briefs.
STAKEHOLDERS = (
    ("Mayor of London", "mayor", "government"),
    ("Zoë Martínez", None, "civil society"),
    ("Metropolitan Police Service", "met-police", "police"),
    ("Home Office", "home-office", "government"),
    ("Information Commissioner's Office", "ico", "government"),
    ("Dr Amara Okafor", None, "public"),
    ("Palantir Technologies", "palantir", "vendor"),
    ("Big Brother Watch", None, "civil society"),
    ("NHS England", "nhs-england", "government"),
    ("Siobhán O'Neill", None, "public"),
    ("Liberty", None, "civil society"),
    ("Camden Council", "camden", "government"),
    ("Greater Manchester Combined Authority", "gmca", "government"),
    ("Serco Group", None, "vendor"),
    ("Local Government Association", "lga", "government"),
    ("Professor Kwame Mensah", None, "public"),
    ("Ada Lovelace Institute", None, "civil society"),
    ("Transport for London", "tfl", "government"),
    ("Capita", None, "vendor"),
    ("Renée Dubois", None, "public"),
)
_CUMULATIVE = list(itertools.accumulate(1.0 / (k + 1) for k in range(len(WORDS))))
_LETTERS = "bcdfghjkmnprtvwxz"  # consonants: no stemmer suffix is made of them


def unique_word(i: int) -> str:
    """The word only brief ``i`` has, once, in the detail of its concern ``UNIQUE_CONCERN``.

    ``zorvex`` and brief ``i`` written in consonants, then ``q``: no vocabulary word is like
    it, and no stemmer rule strips an ending from it, so a search finds only that item."""
    digits = ""
    n = i
    for _ in range(5):
        n, r = divmod(n, len(_LETTERS))
        digits = _LETTERS[r] + digits
    return f"zorvex{digits}q"


def unique_item(i: int) -> tuple[str, str, int]:
    """Where ``unique_word(i)`` is: (brief id, pane, item number from 1)."""
    return (brief_id(i), "concerns", UNIQUE_CONCERN)


def brief_id(i: int) -> str:
    return f"synthetic-{i:05d}"


def source_file(s: int) -> str:
    return f"synthetic-source-{s:02d}.txt"


def _words(rng: random.Random, n: int) -> list[str]:
    """``n`` words of running text: vocabulary (Zipf-weighted), fillers and a phrase now and then."""
    out: list[str] = []
    while len(out) < n:
        roll = rng.random()
        if roll < 0.06:
            out += rng.choice(PHRASES).split()
        elif roll < 0.36:
            out.append(rng.choice(FILLERS))
        else:
            out.append(rng.choices(WORDS, cum_weights=_CUMULATIVE)[0])
    return out


def _sentence(rng: random.Random, lo: int = 7, hi: int = 15) -> str:
    words = _words(rng, rng.randint(lo, hi))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def source_text(s: int = 1) -> str:
    """Source ``s``: paragraphs of three or four sentences, separated by blank lines."""
    rng = random.Random(SEED * 7_919 + s)
    paragraphs = []
    for p in range(1, SOURCE_PARAGRAPHS + 1):
        sentences = [f"Synthetic source paragraph {p} of source {s}, written only to benchmark the reader."]
        sentences += [_sentence(rng, 10, 20) for _ in range(rng.randint(2, 3))]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def brief_text(i: int) -> str:
    """Synthetic brief number ``i``: valid per briefs/FORMAT.md, five items in each pane."""
    rng = random.Random(SEED * 1_000_003 + i)
    n = f"{i:05d}"
    date = f"{2020 + i % 6}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
    tags = rng.sample(TAGS, 3)
    topic = " ".join(w for w in _words(rng, 6) if w not in FILLERS) or "public services"
    sources = rng.sample(range(1, SOURCE_FILES + 1), rng.randint(2, 3))
    sids = [f"S{k + 1}" for k in range(len(sources))]

    def cite(k: int) -> str:
        """One citation (every third one of a sentence) of one of the brief's sources."""
        sid = sids[(i + k) % len(sids)]
        paragraph = rng.randint(1, SOURCE_PARAGRAPHS)
        return f"[{sid} ¶{paragraph}.{k % 3 + 1}]" if k % 3 == 0 else f"[{sid} ¶{paragraph}]"

    lines = [
        "---",
        f"id: {brief_id(i)}",
        f"title: Synthetic brief {n} on {topic}",
        f"date: {date}",
        f"status: {STATUSES[i % len(STATUSES)]}",
        f"tags: [{', '.join(tags)}]",
        "summary: >",
        f"  Synthetic brief {n}, generated to benchmark the reader; it describes no real event,",
        "  person or organisation. " + _sentence(rng, 12, 20),
        "sources:",
    ]
    for sid, s in zip(sids, sources, strict=True):
        lines += [
            f"  - id: {sid}",
            f"    title: Synthetic source {s} (generated for benchmarks)",
            f"    file: {source_file(s)}",
            f"    kind: {rng.choice(('report', 'news report', 'minutes', 'letter'))}",
            f"    verified: {'true' if rng.random() < 0.3 else 'false'}",
        ]
    lines += ["---", "", f"# Synthetic brief {n}", "", "## Key facts", ""]
    for k in range(1, ITEMS_PER_PANE + 1):
        lines.append(f"- Synthetic fact {k} of brief {n}: {_sentence(rng)[:-1].lower()}. {cite(k)}")
        if rng.random() < 0.6:
            lines.append(f"  figure: £{rng.randint(1, 900)}m")
        if rng.random() < 0.4:
            lines.append(f"  {_sentence(rng)}")
    people = rng.sample(STAKEHOLDERS, ITEMS_PER_PANE)
    lines += ["", "## Stakeholders", ""]
    for k, (name, sid, kind) in enumerate(people, 1):
        # An explicit id where the library gives one, but not in every brief that names them.
        head = f"{name} {{#{sid}}}" if sid is not None and rng.random() < 0.7 else name
        lines += [
            f"- {head}",
            f"  kind: {kind}",
            f"  stance: {rng.choice(STANCES)}",
            f"  {_sentence(rng, 10, 22)} {cite(k + 5)}",
        ]
    lines += ["", "## Concerns", ""]
    for k in range(1, ITEMS_PER_PANE + 1):
        detail = _sentence(rng, 10, 22)
        if k == UNIQUE_CONCERN:
            detail = f"{detail[:-1]} {unique_word(i)}."
        title = " ".join(w for w in _words(rng, 5) if w not in FILLERS)
        lines += [
            f"- Concern {k} over {title}",
            f"  category: {rng.choice(CATEGORIES)}",
            f"  raised by: {people[(k - 1) % len(people)][0]}",
            f"  {detail} {cite(k + 10)}",
        ]
    lines += ["", "## Timeline", ""]
    year = 2015 + i % 6
    for k in range(1, ITEMS_PER_PANE + 1):
        event = f"{_sentence(rng, 6, 14)} {cite(k + 15)}"
        if k == ITEMS_PER_PANE:
            lines += ["- undated", f"  {event}"]
            continue
        style = rng.random()
        if style < 0.25:
            when, sort = rng.choice(FUZZY_DATES)
            lines.append(f"- {when}")
            if sort is not None:
                lines.append(f"  sort: {sort}")
        elif style < 0.5:
            lines.append(f"- {year + k}")
        elif style < 0.75:
            lines.append(f"- {year + k}-{rng.randint(1, 12):02d}")
        else:
            lines.append(f"- {year + k}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        lines.append(f"  {event}")
    return "\n".join(lines) + "\n"


def generate_library(folder: Path, size: int) -> Path:
    """Write ``size`` synthetic briefs and their sources into ``folder``."""
    (folder / "sources").mkdir(parents=True)
    for s in range(1, SOURCE_FILES + 1):
        (folder / "sources" / source_file(s)).write_text(source_text(s), encoding="utf-8")
    for i in range(1, size + 1):
        (folder / f"{brief_id(i)}.md").write_text(brief_text(i), encoding="utf-8")
    return folder


BARE_APP = f'''\
"""The bare Textual app of the benchmark: one Static, nothing else."""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("{BARE_MARK}")


if __name__ == "__main__":
    Bare().run()
'''


def write_bare_app(folder: Path) -> Path:
    path = folder / "bare_app.py"
    path.write_text(BARE_APP, encoding="utf-8")
    return path
