"""Figures and dates in a source's text, found by rules: what ``briefing draft`` draws key facts
and timeline entries from, and what ``check`` compares a claim with its cited passage by
(docs/design.md §9).

Each mention keeps the text as written, its offsets, and a *key*: the value normalised, equal
for equal values however they are written (``£2.4m``, ``£2,400,000`` and ``2.4 million
pounds`` all have the key ``("money", "GBP", 2400000.0)``). :func:`same_figure` compares two
keys allowing for rounding.

What is read (the rules are deliberately narrow: a figure or a date that is not found is
better than one that is made up):

- **money**: a currency sign or code before the number (``£``, ``$``, ``US$``, ``€``,
  ``GBP``, ``USD``, ``EUR``) or a currency word after it (pounds, sterling, dollars, euros,
  pence), with a multiplier attached or as a word (``k``, ``m``, ``bn``, ``tn``, thousand,
  million, billion, trillion): ``£2.4m``, ``$1.2bn``, ``GBP 5m``, ``1.2 billion dollars``.
- **percent**: ``12%``, ``12 per cent``, ``12 percent``, ``12pc``, ``twelve per cent``.
  "Percentage points" are a count whose unit is ``percentage points``.
- **duration**: a number with a unit of time, spaced or hyphenated: ``five-year``,
  ``5 years``, ``six months``, ``18-month``, ``two decades``, ``three weeks``. A number of
  years followed by "ago", "earlier" or "later" is a relative time, not a figure.
- **multiple**: ``twice``, ``three times``, ``eleven times`` (a count whose unit is ``times``;
  not "at times", "many times").
- **count**: any other number written in digits (``3,000 officers``, ``1.2 million
  people``, ``420``), and a number written in words when a noun follows it (``five
  companies``, ``twenty-one councils``), or ``a dozen``, ``a hundred``, ``a thousand``,
  ``a million``. The count's unit is the noun after it (skipping one of "more", "new",
  "extra", ...), or ``""``.
- Number words: one to nineteen, the tens, and hundred, thousand, million, billion,
  trillion in any combination ("two hundred and fifty", "twenty-one thousand"; converted by
  text2num), and "dozen". "One" alone is not a count (it is a pronoun as often as a number),
  nor are "zero", fractions ("two-thirds", "half"), vague plurals ("dozens", "hundreds of",
  "thousands of") and ordinals ("first", "21st").
- Not figures: years and every number inside a date; ordinals; times of day (``10.30am``,
  ``14:00``); numbers that label something (``No. 10``, ``Section 5``, ``Article 8``,
  ``page 3``, ``p. 87``, ``Phase 2``, ``complaint 24 013 882``, ``aged 55 to 64`` ...);
  footnote markers (``[3]``); identifiers (``COVID-19``, ``M25``, ``S1``); a list's own
  numbering (``1.``, ``(2)``); a small number before a capitalised word (``10 Downing
  Street``); ratios (``one in five``).

Dates are only explicit calendar dates: ``14 March 2025``, ``March 14, 2025``, ``March
2025``, ``2024``, ``2025-03-14``, ``7 March``, ``March 7``, and a month alone after a word
such as "in", "since", "by", "until", "early" or "mid-" (``in June``). A year is 1800–2199,
written in four digits and used as a year: not after a currency sign or "about"/"nearly"/
"more than", nor before "%", a multiplier or a unit, nor in a name ("the Data Protection
Act 2018", "Vision 2030"). A financial year or a short range (``FY2024/25``, ``2024/25``,
``2019-21``) is one mention keyed by its first year; ``2019–2021`` is two years. Relative
dates ("last Tuesday", "next year", "this month", "yesterday", "last June") are never
dates, and neither are dates written with slashes (``03/04/2025`` is read differently on
the two sides of the Atlantic).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import itertools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

KINDS = ("money", "percent", "count", "duration", "date")  # what a Mention may be


@dataclass(frozen=True)
class Mention:
    kind: str  # "money" | "percent" | "count" | "duration" | "date"
    text: str  # as written in the text
    start: int  # offsets in the text given
    end: int
    key: tuple  # the normalised value (see the module's docstring and same_figure)


# --- dates ---------------------------------------------------------------------------------

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_ABBREVIATIONS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_SHORT = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# A month with an initial capital ("may" and "march" in lower case are verbs), a short
# form with an optional full stop.
_MONTH = rf"(?:(?:{_FULL})|(?:{_SHORT})\.?)(?![\w'’])"
_YEAR = r"(?:1[89]\d\d|2[01]\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_B = r"(?<![\w£$€/.,-])"  # nothing number-like or word-like right before
_BA = r"(?![\w%/]|[.,]\d|-\d)"  # nothing number-like or word-like right after

_ISO = re.compile(rf"{_B}(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01]){_BA}")
_DMY = re.compile(rf"{_B}(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR}){_BA}")
_DAY_BEFORE = re.compile(rf"{_B}(?P<d>{_DAY})(?:\s*(?:,|and|to|-|–|—)\s*|,\s*and\s+)\Z")
_MDY = re.compile(rf"(?<![\w])(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR}){_BA}")
_MY = re.compile(rf"(?<![\w])(?P<m>{_MONTH}),?\s+(?:of\s+)?(?P<y>{_YEAR}){_BA}")
_FISCAL = re.compile(rf"(?<![\w£$€/.,-])(?P<fy>FY\s?)?(?P<y>{_YEAR})(?:[/–-](?P<to>\d\d))?(?![\w%/]|[.,]\d|-\d)")
_DM = re.compile(rf"{_B}(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})")
_MD = re.compile(
    rf"(?<![\w])(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?![\w%/]|[.,:]\d|\s+(?:per\b|%|people\b|of\b|more\b|[a-z]+s\b))"
)
# A month alone is a date only after one of these (so "Theresa May" is not one).
_MONTH_ALONE = re.compile(
    r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Tt]ill|[Dd]uring|[Bb]efore|[Aa]fter|[Bb]etween|[Tt]hroughout"
    r"|[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]nd of|[Bb]eginning of|[Ss]tart of|[Mm]iddle of|[Cc]lose of)"
    rf"\s*(?P<m>(?:{_FULL})(?![\w'’]))"
)
# Before a number: what makes it a label or a part of a name ("No. 10", "Section 5",
# "Data Protection Act 2018", "Vision 2030").
_NAMES_BEFORE = (
    r"\b(?:No|Nos|[Nn]o\.|[Nn]umber|[Ss]ections?|[Aa]rticles?|[Cc]lauses?|[Ss]chedule|Part|[Rr]ules?|[Rr]egulations?|"
    r"[Cc]hapter|Annex|Appendix|Table|Figure|[Pp]ages?|[Pp]aragraph|[Pp]ara|[Ll]ot|[Pp]hase|[Tt]ier|[Ll]evel|"
    r"[Ss]tage|[Gg]rade|[Bb]and|Room|[Vv]ersion|[Ii]tem|[Cc]ase|Bill|Flight|Route|Platform|Ward|Unit|Box|ISO|Cm|"
    r"HC|CM|Windows|Acts?|Order|[Ss]tep|Key Stage|[Cc]ategory|[Cc]lass|Form|[Qq]uestion|Directive|"
    r"Strategy|Plan|Vision|Agenda|Programme|Framework|Review|Report|Goals|Target|Mission|Horizon|pp?|"
    r"[Cc]omplaint|[Rr]eference|[Rr]ef|[Aa]ged|UIN|Volume|Vol|IEC|[Pp]ress|[Dd]ial|[Oo]ption)\.?\s*"
)
_MONTH_LIST = re.compile(rf"\s*(?:,|and|or|to|-|–)\s*(?P<m>(?:{_FULL})(?![\w'’]))")
_RELATIVE_BEFORE = re.compile(r"\b(?:last|next|this|coming|past|previous|following|every|each)\s+$", re.IGNORECASE)
# Before a year: what makes it an amount ("about 2000", "£2024") or part of a name
# ("Data Protection Act 2018", "Vision 2030", "Section 2000", "No. 1900").
_NOT_YEAR_BEFORE = re.compile(
    r"(?:[£$€]\s?|\b(?i:about|around|approximately|roughly|nearly|almost|some|than|least|most|"
    r"GBP|USD|EUR)\s+|" + _NAMES_BEFORE + r")$"
)
# A year is a number of things when a plural noun follows it and no word of time comes before
# it ("2000 people came"; but "in 2024 officers made ...").
_COUNTED = re.compile(r"\s+(?:more\s+|new\s+|extra\s+)?(?:people|staff|[a-z]{3,}s)\b(?<!\bwas)")
_TIME_WORD_BEFORE = re.compile(
    r"\b(?:in|since|by|from|until|till|during|before|after|of|between|and|to|or|through|throughout|early|late|"
    r"mid|end|year|[Ii]n|[Ss]ince|[Bb]y|[Ff]rom|[Uu]ntil|[Dd]uring|[Bb]efore|[Aa]fter)\s*-?\s*$|[–-]\s*$|^\s*$"
)
_NOT_YEAR_AFTER = re.compile(
    r"^(?:\s*(?:%|per\s?cent|percent|pc\b)|[\s-]*(?:k|m|bn|tn|million|billion|thousand|trillion|pounds|dollars|"
    r"euros|years?|months?|weeks?|days?|hours?|minutes?|decades?)\b)",
    re.IGNORECASE,
)


def _month(word: str) -> int:
    word = word.rstrip(".").lower()
    return MONTHS.get(word) or MONTH_ABBREVIATIONS.get(word, 0)


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _valid(year: int, month: int, day: int) -> bool:
    if not day:
        return True
    try:
        _dt.date(year or 2000, month, day)  # 2000: a leap year, so "29 February" stands
    except ValueError:
        return False
    return True


def dates(text: str) -> list[Mention]:
    """The explicit calendar dates in ``text``, in order (the module's docstring says which)."""
    found: list[Mention] = []
    starts: list[int] = []  # the spans taken, which never overlap, in order (a source can hold thousands)
    ends: list[int] = []

    def free(start: int, end: int) -> bool:
        at = bisect.bisect_right(starts, start)
        return (at == 0 or ends[at - 1] <= start) and (at == len(starts) or starts[at] >= end)

    def add(start: int, end: int, year: int, month: int, day: int) -> None:
        if not free(start, end):
            return
        at = bisect.bisect_right(starts, start)
        starts.insert(at, start)  # an impossible date ("31 February 2025") is no date at all
        ends.insert(at, end)
        if not _valid(year, month, day):
            return
        found.append(Mention("date", text[start:end], start, end, ("date", year, month, day)))

    def relative(start: int) -> bool:
        return bool(_RELATIVE_BEFORE.search(text[max(0, start - 12) : start]))

    for match in _ISO.finditer(text):
        add(match.start(), match.end(), int(match["y"]), int(match["m"]), int(match["d"]))
    for pattern in (_DMY, _MDY):
        for match in pattern.finditer(text):
            add(match.start(), match.end(), int(match["y"]), _month(match["m"]), _day(match["d"]))
            if pattern is _DMY:
                # The days listed before it share its month and year: "between 7 and 18 October
                # 2024", "14, 15 and 16 May 2025", "3–5 June 2024".
                at = match.start()
                while (day := _DAY_BEFORE.search(text, max(0, at - 24), at)) is not None:
                    add(day.start("d"), day.end("d"), int(match["y"]), _month(match["m"]), _day(day["d"]))
                    at = day.start("d")
    for match in _MY.finditer(text):
        if not relative(match.start()):
            add(match.start(), match.end(), int(match["y"]), _month(match["m"]), 0)
    for match in _FISCAL.finditer(text):
        start, end = match.start(), match.end()
        if not free(start, end):
            continue
        before, after = text[max(0, start - 40) : start], text[end : end + 20]
        if not match["fy"] and (_NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(after)):
            continue
        if not match["fy"] and _COUNTED.match(after) and not _TIME_WORD_BEFORE.search(before):
            continue  # "2000 people", "over 2000 staff": a number of them
        year = int(match["y"])
        if match["to"] is not None and int(match["to"]) <= year % 100:
            continue  # "1999-12"? not a span of years
        add(start, end, year, 0, 0)
    for pattern in (_DM, _MD):
        for match in pattern.finditer(text):
            if not relative(match.start()):
                add(match.start(), match.end(), 0, _month(match["m"]), _day(match["d"]))
    for match in _MONTH_ALONE.finditer(text):
        if not relative(match.start("m")):
            add(match.start("m"), match.end("m"), 0, _month(match["m"]), 0)
            # and the months listed after it: "in April and May", "from June to August"
            end = match.end("m")
            while (more := _MONTH_LIST.match(text, end)) is not None:
                add(more.start("m"), more.end("m"), 0, _month(more["m"]), 0)
                end = more.end("m")
    found.sort(key=lambda m: m.start)
    return found


_LISTED_DAY = re.compile(_DAY)
_CALENDAR_FORMS = (
    re.compile(rf"{_YEAR}(?:-\d\d-\d\d)?"),
    re.compile(rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"),
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
    re.compile(rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}"),
)


def calendar(mention: Mention) -> str | None:
    """The date as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` when the mention is a calendar date
    outright (its year given; not a financial year or a span such as ``2019-21``), else None."""
    if mention.kind != "date" or not mention.key[1]:
        return None
    listed_day = bool(mention.key[2] and mention.key[3] and _LISTED_DAY.fullmatch(mention.text))
    if not listed_day and not any(form.fullmatch(mention.text) for form in _CALENDAR_FORMS):
        return None  # (a day listed before a full date, "7" of "7 and 18 October 2024", has its year)
    return iso(mention.key)


def iso(key: tuple) -> str | None:
    """A date key written ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (None without a year)."""
    _, year, month, day = key
    if not year:
        return None
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


_ISO_KEY = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")


def date_key(text: str) -> tuple | None:
    """The key of a date as a brief writes it (``2025-03``, ``2025-03-14``, ``2025``) or in
    words (``March 2025``, ``14 March 2025``): ``("date", 2025, 3, 0)``; None if it is not one."""
    text = text.strip()
    match = _ISO_KEY.fullmatch(text)
    if match:
        year, month, day = (int(g) if g else 0 for g in match.groups())
        if (month and not 1 <= month <= 12) or not _valid(year, month, day):
            return None
        return ("date", year, month, day)
    found = dates(text)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(text):
        return found[0].key
    return None


# --- figures -------------------------------------------------------------------------------

_UNITS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen"
)
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SCALES = "hundred|thousand|million|billion|trillion"
_WORD = rf"(?:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_UNITS}|{_SCALES})"
_WORDS = re.compile(rf"(?<![\w-])(?:{_WORD})(?:(?:\s+and\s+|[ -])(?:{_WORD}))*(?![\w])", re.IGNORECASE)
_DIGITS = re.compile(
    r"(?<![\w.,:/#§¶])(?<!¶ )(?<![A-Za-z]-)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?P<att>k|m|bn|b|tn|trn|K|MM|M|BN|Bn|B|TN|Tn)|\s?(?P<word>million|billion|thousand|trillion))?"
    r"(?!(?!pc\b)[\w]|[.,]\d)"
)
_CURRENCY_RANGE = re.compile(r"[£$€]\s?\d[\d.,]*\s*(?:-|–|to)\s*$")
_MILLION_OF = re.compile(r"^\s+(?!(?:high|long|wide|tall|deep|away|metres|meters|across|above|below)\b)[a-z]")
_MULTIPLIERS = {
    "k": 1_000,
    "mm": 1_000_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
    "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
    "trillion": 1_000_000_000_000,
}
_CURRENCY_BEFORE = re.compile(r"(?:(?P<sym>US\$|A\$|C\$|[£$€¥])\s?|\b(?P<code>GBP|USD|EUR|JPY)\s?)$")
_CURRENCY_CODES = {"£": "GBP", "$": "USD", "US$": "USD", "A$": "AUD", "C$": "CAD", "€": "EUR", "¥": "JPY"}
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:(?P<mult>million|billion|thousand|trillion)\s+)?(?P<word>pounds?(?:\s+sterling)?|sterling|dollars?|"
    r"euros?|pence|GBP|USD|EUR)\b",
    re.IGNORECASE,
)
_CURRENCY_WORDS = {"pound": "GBP", "sterling": "GBP", "dollar": "USD", "euro": "EUR", "pence": "GBP"}
_PERCENT_AFTER = re.compile(r"^\s?(?:%|per\s?cent\b|percent\b|pc\b)", re.IGNORECASE)
_POINTS_AFTER = re.compile(r"^\s+percentage\s+points?\b", re.IGNORECASE)
_DURATION_AFTER = re.compile(
    r"^(?P<half>\s+and\s+a\s+half)?(?:\s+(?:further|more|additional|extra|consecutive|full|whole))?(?:\s+|-)"
    r"(?P<unit>years?|months?|weeks?|days?|decades?|centuries|century|hours?|minutes?|fortnights?)\b"
    r"(?P<rel>\s+(?:ago|earlier|later)\b)?",
    re.IGNORECASE,
)
_LABEL_BEFORE = re.compile(_NAMES_BEFORE + "$")
_ELEMENT = r"\d+(?:\([0-9a-z]{1,4}\))*"
_LIST_AFTER_LABEL = re.compile(
    _NAMES_BEFORE
    + _ELEMENT
    + r"(?:(?:,\s*|\s+(?:and|or|to)\s+|\s*[-–]\s*)"
    + _ELEMENT
    + r")*(?:,\s*|\s+(?:and|or|to)\s+|\s*[-–]\s*)$"
)
_IDENTIFIER_BEFORE = re.compile(r"\b[A-Z][A-Za-z]*-[A-Z][A-Za-z]*\s$")
_RATIO_BEFORE = re.compile(r"\b(?:in|out of)\s+$")
_RATIO_AFTER = re.compile(
    r"\s+(?P<how>out of|in)\s+(?P<base>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d,.]*\d)|(?:"
    + _UNITS
    + r"|"
    + _TENS
    + r"|hundred|thousand)(?![\w-]))(?!\s*(?:%|per\s?cent))",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"^(?:\s?(?:am|pm|a\.m\.|p\.m\.|GMT|BST|hrs)\b|:\d\d)", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s+(?:(?:more|new|extra|additional|further|fewer|other|full-time|part-time|frontline|"
                         r"front-line|existing|serving|eligible|separate|different|individual|such)\s+)?"
                         r"(?P<unit>[a-z][a-z'’-]*[a-z])\b")  # fmt: skip
_NOT_UNITS = frozenset(
    "the a an and or but nor of to in on at for by with from into onto over under than as is are was were be been "
    "being has have had do does did will would could should may might must can shall that which who whom whose "
    "this these those it its their there here per times time said says say not also only so if when while "
    "since until because before after about around between among against during within without across "
    "through including include includes included each every all any both either neither some such what where "
    "how why yet still then more most less least fewer other others another same up down out off "
    # verbs that follow a number as its subject ("212 led to arrests", "one in five knew")
    "led lost knew said told made took got gave went came saw found felt kept left won fell rose paid met ran "
    "sat spent thought became began".split()
)
_PARTITIVE = re.compile(r"\s+of\s+(?:the|its|their|these|those|our|his|her|your)\s")
_PLURALS = frozenset("people children men women staff personnel data media".split())
_ONE_IS_NOT = frozenset("another day time way thing point case side hand example stage reason person".split())
_SCALE_WORDS = frozenset(("hundred", "thousand", "million", "billion", "trillion"))
_FRACTION_AFTER = re.compile(r"^-?(?:thirds?|quarters?|halves|half|fifths?|sixths?|tenths?)\b", re.IGNORECASE)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _words_value(text: str) -> int | None:
    from text_to_num import text2num  # type: ignore[import-untyped]

    try:
        return int(text2num(" ".join(text.lower().replace("-", " ").split()), "en"))
    except (ValueError, TypeError):
        return None


@dataclass
class _Number:
    start: int
    end: int
    value: Decimal
    words: bool  # written in words
    multiplier: int = 1  # attached or following (k, m, bn, million, ...)
    currency: str | None = None
    currency_start: int | None = None
    kind: str | None = None  # what its own context says it is
    unit: str = ""
    end_with_unit: int | None = None  # the end of the mention with its %, unit or currency word
    dropped: bool = False


def _word_numbers(text: str, skip: list[tuple[int, int]]) -> list[_Number]:
    """Runs of number words, each split into the longest parts text2num reads."""
    out: list[_Number] = []
    for match in _WORDS.finditer(text):
        if any(not (match.end() <= s or match.start() >= e) for s, e in skip):
            continue
        # Split the run into words (keeping offsets), then take the longest readable prefixes.
        parts = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)?", match.group())]
        parts = [(match.start() + s, match.start() + e) for s, e in parts]
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                if text[parts[j - 1][0] : parts[j - 1][1]].lower() == "and":
                    continue
                value = _words_value(text[parts[i][0] : parts[j - 1][1]])
                if value is not None:
                    out.append(_Number(parts[i][0], parts[j - 1][1], Decimal(value), True))
                    i = j
                    break
            else:
                i += 1
    return out


def _numbers(text: str, dated: list[tuple[int, int]]) -> list[_Number]:
    found: list[_Number] = []
    for match in _DIGITS.finditer(text):
        mult_word = match["att"] or match["word"]
        number = _Number(match.start(), match.end(), _number(match["num"]), False)
        number.multiplier = _MULTIPLIERS.get((mult_word or "").lower(), 1)
        before = text[max(0, match.start() - 20) : match.start()]
        if match["att"] and (match["att"] in ("k", "m", "b") or not match["att"].islower()):
            if not (_CURRENCY_BEFORE.search(before) or _CURRENCY_RANGE.search(before)):
                # Without a currency: "3m people" is three million, but "3m high", "5k run",
                # "5b" and "350M" are measures or labels.
                if match["att"] != "m" or not _MILLION_OF.match(text[match.end() : match.end() + 30]):
                    continue
        found.append(number)
    digit_spans = [(n.start, n.end) for n in found]
    found += _word_numbers(text, digit_spans)
    found.sort(key=lambda n: n.start)
    return [n for n in found if not any(not (n.end <= s or n.start >= e) for s, e in dated)]


def _classify(text: str, number: _Number) -> None:
    before, after = text[max(0, number.start - 40) : number.start], text[number.end : number.end + 60]
    currency = _CURRENCY_BEFORE.search(before)
    if currency:
        number.currency = _CURRENCY_CODES.get(currency["sym"] or "", currency["code"])
        number.currency_start = number.start - len(currency.group())
        number.kind = "money"
        return
    words = _CURRENCY_AFTER.match(after)
    if words:
        if words["mult"]:
            number.multiplier *= _MULTIPLIERS[words["mult"].lower()]
        word = words["word"].split()[0].lower().rstrip("s")
        code = _CURRENCY_WORDS.get(word, word.upper())
        number.currency, number.kind = code, "money"
        if word == "pence":
            number.multiplier = 1
            number.value = number.value / 100
        number.end_with_unit = number.end + words.end()
        return
    percent = _PERCENT_AFTER.match(after)
    if percent and re.match(r"\s*(?:CI\b|confidence)", after[percent.end() :]):
        number.dropped = True  # "95% CI": how sure, not what was found
        return
    if percent:
        number.kind, number.end_with_unit = "percent", number.end + percent.end()
        return
    points = _POINTS_AFTER.match(after)
    if points:
        number.kind, number.unit, number.end_with_unit = "count", "percentage points", number.end + points.end()
        return
    duration = _DURATION_AFTER.match(after)
    if duration:
        if duration["rel"] or number.multiplier != 1:
            number.dropped = True  # "two years ago": a relative time
            return
        unit = duration["unit"].lower()
        unit = {"centuries": "century"}.get(unit, unit.rstrip("s"))
        if duration["half"]:
            number.value += Decimal("0.5")
        number.kind, number.unit, number.end_with_unit = "duration", unit, number.end + duration.end("unit")
        return


def _drop(text: str, number: _Number) -> bool:
    """Whether a number with no currency, percent or unit is something other than a count."""
    before, after = text[max(0, number.start - 40) : number.start], text[number.end : number.end + 60]
    if _LABEL_BEFORE.search(before) or _TIME_AFTER.match(after) or _FRACTION_AFTER.match(after):
        return True
    if _RATIO_BEFORE.search(before) and re.search(r"\b(?:\d[\d,.]*|[A-Za-z]+)\s+(?:in|out of)\s+$", before):
        return True
    if _LIST_AFTER_LABEL.search(before) or _IDENTIFIER_BEFORE.search(before):
        return True  # "Articles 5(1)(a), 13 and 35", "G-Cloud 13"
    line_start = before.rfind("\n") + 1 if "\n" in before else (0 if number.start < 40 else None)
    if line_start is not None and not before[line_start:].strip(" (") and re.match(r"^[.)](?:\s|$)", after):
        return True  # a list's own numbering: "1. ...", "(2) ..."
    if (before.endswith("(") and after.startswith(")")) or (before.endswith("[") and after.startswith("]")):
        return True  # "(2)", and a footnote's marker "[3]"
    if re.search(r"\d\s$", before) and re.fullmatch(r"\d{3}", text[number.start : number.end]):
        return True  # a group of a reference number written in threes: "complaint 24 013 882"
    if not number.words and number.multiplier == 1 and "." not in text[number.start : number.end]:
        if re.match(r"^\s+[A-Z][a-z]", after) and number.value < 1000 and not re.match(r"^\s+(?:UK|US|EU)\b", after):
            return True  # "10 Downing Street", "3 Metropolitan ..."
    return False


_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|and)\s*(?:[£$€]\s?)?")


def _joined(text: str, last: _Number, number: _Number) -> bool:
    """Whether ``number`` is the other end of a range that ``last`` starts."""
    gap = text[last.end : number.start]
    if last.end_with_unit is not None or not _RANGE_GAP.fullmatch(gap):
        return False
    if gap.strip(" £$€") == "and" and not re.search(
        r"\bbetween\s+(?:[£$€]\s?)?$", text[max(0, last.start - 12) : last.start]
    ):
        return False
    if last.kind == "money" and number.kind == "money":
        # "£1.5bn–£2bn", "between £5m and £6m": the sign written again; but "from £94m to
        # £161m" is two amounts
        return last.currency == number.currency and gap.strip(" £$€") in ("-", "–", "—", "and")
    return last.words == number.words or (last.kind == "money" and number.kind is None)


def _unit_after(text: str, end: int) -> tuple[str, int]:
    """The noun a count counts, and where it ends: the word after the number (past "more",
    "new", ...), or the word after that when the first is not plural ("3,000 police
    officers", "one false alert"); ("", end) if there is none."""
    match = _UNIT_AFTER.match(text[end : end + 60])
    if not match or match["unit"].lower() in _NOT_UNITS:
        return "", end
    unit, unit_end = match["unit"].lower(), end + match.end("unit")
    if not unit.endswith("s") and unit not in _PLURALS:
        verb = unit.endswith("ed")  # "19 waited", unless a plural follows ("12 trained officers")
        # The plural noun a few words on ("two live facial recognition vans"), else the
        # word after the first ("one false alert").
        words = list(itertools.takewhile(lambda w: w[0] not in _NOT_UNITS, _following(text, unit_end)))
        plural = next((i for i, w in enumerate(words[:3]) if w[0].endswith("s") or w[0] in _PLURALS), None)
        if plural is not None:
            unit, unit_end = words[plural]
        elif verb:
            return "", end
        elif words:
            unit, unit_end = words[0]
    return unit, unit_end


def _following(text: str, at: int):
    """The lower-case words right after ``at``, each with where it ends, up to a non-word."""
    for match in re.finditer(r"\s+([a-z][a-z'’-]*[a-z])\b|.", text[at : at + 80], re.DOTALL):
        if match.group(1) is None:
            return
        yield match.group(1), at + match.end(1)


def figures(text: str) -> list[Mention]:
    """Money, percentages, durations and counts in ``text``, in order (never the numbers of a
    date); see the module's docstring for what is read and what is not."""
    dated = [(m.start, m.end) for m in dates(text)]
    numbers = _numbers(text, dated)
    for number in numbers:
        _classify(text, number)
    # A range shares what one side says: "£2-3m" (the currency forward, the multiplier back),
    # "10-15%", "two to three years", "between 5 and 10 per cent".
    groups: list[list[_Number]] = []
    for number in numbers:
        if groups and _joined(text, groups[-1][-1], number):
            groups[-1].append(number)
        else:
            groups.append([number])
    mentions: list[Mention] = []
    for group in groups:
        tail = group[-1]
        kind = next((n.kind for n in reversed(group) if n.kind), None)
        currency = next((n.currency for n in group if n.currency), None)
        if kind == "money" and currency is None:
            kind = None
        mult = next((n.multiplier for n in reversed(group) if n.multiplier != 1), 1)
        if len(group) > 1:
            start = group[0].currency_start if group[0].currency_start is not None else group[0].start
            end = tail.end_with_unit or tail.end
            for number in group:
                if number.multiplier == 1 and tail.multiplier != 1:
                    number.multiplier = mult
                number.kind = number.kind or kind
                number.currency = number.currency or currency
                number.unit = number.unit or tail.unit
        for number in group:
            if number.dropped:
                continue
            if len(group) > 1:
                span = (start, end)
            else:
                span = (
                    number.currency_start if number.currency_start is not None else number.start,
                    number.end_with_unit or number.end,
                )
            mention = _mention(text, number, span)
            if mention is not None:
                mentions.append(mention)
    # "a dozen", "twice" where no number's mention is: the mentions that start before one
    # ends, and the furthest any of them reaches (they are never one another's words).
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))
    for dozen in _dozens(text) + _twice(text):
        before = bisect.bisect_left(starts, dozen.end)
        if before == 0 or reach[before - 1] <= dozen.start:
            mentions.append(dozen)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _mention(text: str, number: _Number, span: tuple[int, int]) -> Mention | None:
    value = float(number.value * number.multiplier)
    kind = number.kind
    if kind == "money" and number.currency:
        return Mention("money", text[span[0] : span[1]], span[0], span[1], ("money", number.currency, value))
    if kind == "percent":
        return Mention("percent", text[span[0] : span[1]], span[0], span[1], ("percent", value))
    if kind == "duration":
        return Mention("duration", text[span[0] : span[1]], span[0], span[1], ("duration", value, number.unit))
    if kind == "count" and number.unit:
        return Mention("count", text[span[0] : span[1]], span[0], span[1], ("count", value, number.unit))
    # A count, if it is one.
    if _drop(text, number):
        return None
    end = max(number.end, span[1])  # a range's first number reaches to its other end ("1.9–2.9")
    ratio = _RATIO_AFTER.match(text, end)
    if ratio:  # "87.5 out of 100", "one in five officers": the second number is part of it
        unit, end = _unit_after(text, ratio.end())
        key = ("count", value, f"{ratio['how']} {_ratio_base(ratio['base'])}")
        return Mention("count", text[span[0] : end], span[0], end, key)
    times = re.match(r"\s+times\b", text[end : end + 8])
    if times and not re.search(r"\b(?:at|many|several|some|other)\s+$", text[max(0, number.start - 10) : number.start]):
        end += times.end()  # "three times as likely", "rang eleven times"
        return Mention("count", text[span[0] : end], span[0], end, ("count", value, "times"))
    unit, unit_end = _unit_after(text, end)
    if number.words:
        written = text[number.start : number.end].lower()
        dozen = re.match(r"\s+dozen\b", text[end : end + 10])
        article = text[max(0, number.start - 2) : number.start] == "a " and written in _SCALE_WORDS
        if dozen:  # "two dozen cameras"
            value *= 12
            end += dozen.end()
            unit, unit_end = _unit_after(text, end)
        elif not unit and (partitive := _PARTITIVE.match(text, end)) is not None:
            # "three of its secondary schools": a count of what follows
            unit, unit_end = _unit_after(text, partitive.end() - 1)
            if not unit or written == "one":
                return None
        elif written == "one" and not _one_counts(text, number, unit):
            return None  # "one" is a pronoun or an article as often as a number
        elif (written in _SCALE_WORDS and not article) or not (unit or article):
            return None  # "hundred" alone is a part of something else; "five" alone is not a count
        if article:  # "a hundred staff"
            span = (number.start - 2, span[1])
    if re.match(r"-\w", text[end : end + 2]):
        return None  # "three-member": hyphenated to a word that is not a unit
    if unit:
        end = unit_end
    return Mention("count", text[span[0] : end], span[0], end, ("count", value, unit))


def _ratio_base(text: str) -> str:
    value = _words_value(text) if text[:1].isalpha() else None
    return str(value) if value is not None else text.replace(",", "")


def _one_counts(text: str, number: _Number, unit: str) -> bool:
    """ "one" is a count only inside a sentence, before a noun, not after a determiner:
    "produced one false alert", but not "One shopkeeper said", "one of them", "no one"."""
    before = text[max(0, number.start - 12) : number.start]
    if not unit or unit in _ONE_IS_NOT:
        return False
    if not text[: number.start].strip():
        # a figure written alone ("one false alert"), not a sentence that starts with "One"
        rest = text[number.end :].split(";")[0].split()
        return len(rest) <= 3 and not any(word.lower().strip(".,") in _NOT_UNITS for word in rest)
    if before.rstrip().endswith((".", '"', "“")):
        return False
    return not re.search(r"\b(?:no|the|any|each|every|this|that|which|at|in|on|for|such|another)\s+$", before, re.I)


def _dozens(text: str) -> list[Mention]:
    out = []
    for match in re.finditer(r"(?<![\w-])[Aa] dozen\b", text):
        key = ("count", 12.0, _unit_after(text, match.end())[0])
        out.append(Mention("count", match.group(), match.start(), match.end(), key))
    return out


def _twice(text: str) -> list[Mention]:
    """ "twice as likely", "twice the rate": two times."""
    return [
        Mention("count", m.group(), m.start(), m.end(), ("count", 2.0, "times"))
        for m in re.finditer(r"(?<![\w-])[Tt]wice\b", text)
    ]


# --- comparing keys ------------------------------------------------------------------------

_MONTHS_IN = {"month": 1, "year": 12, "decade": 120, "century": 1200}
_DAYS_IN = {"day": 1, "week": 7, "fortnight": 14}
_MINUTES_IN = {"minute": 1, "hour": 60}


def _significant(value: Decimal) -> int:
    digits = value.normalize().as_tuple().digits
    return max(1, len(digits))


def _round_to(value: Decimal, places: int) -> Decimal:
    if value == 0:
        return value
    exponent = value.adjusted() - places + 1
    return value.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP).scaleb(exponent)


def _close(a: float, b: float) -> bool:
    """Equal, or equal once the more precise is rounded to the other's significant figures
    (at least two: "£50m" is not "£45m", "£3bn" is not "£3.2bn")."""
    if a == b:
        return True
    try:
        x, y = Decimal(repr(a)), Decimal(repr(b))
    except InvalidOperation:
        return False
    if x == 0 or y == 0 or (x < 0) != (y < 0):
        return False
    places = max(2, min(_significant(x), _significant(y)))
    return _round_to(x, places) == _round_to(y, places)


def _close_percent(a: float, b: float) -> bool:
    """Equal once both are rounded to the decimal places of the less precise: 12% ≈ 12.3%."""
    x, y = Decimal(repr(a)).normalize(), Decimal(repr(b)).normalize()
    places = min(max(0, -int(x.as_tuple().exponent)), max(0, -int(y.as_tuple().exponent)))
    quantum = Decimal(1).scaleb(-places)
    return x.quantize(quantum, rounding=ROUND_HALF_UP) == y.quantize(quantum, rounding=ROUND_HALF_UP)


def _in_base(value: float, unit: str) -> tuple[str, float] | None:
    for family, table in (("months", _MONTHS_IN), ("days", _DAYS_IN), ("minutes", _MINUTES_IN)):
        if unit in table:
            return family, value * table[unit]
    return None


def same_figure(a: tuple, b: tuple) -> bool:
    """Whether two keys name the same figure, allowing for rounding (``£2.4m`` and
    ``£2,381,000``; ``12%`` and ``12.3%``; ``18 months`` and ``1.5 years``). Counts compare
    their numbers alone (``3,000 officers`` and ``3,000 police``). Dates agree when every
    part that both give is the same and they share at least one part (``2025-03`` and
    ``14 March 2025``; ``7 March`` and ``2025-03-07``)."""
    if not a or not b or a[0] != b[0]:
        return False
    kind = a[0]
    if kind == "money":
        return a[1] == b[1] and _close(a[2], b[2])
    if kind == "percent":
        return _close_percent(a[1], b[1])
    if kind == "count":
        return _close(a[1], b[1])
    if kind == "duration":
        x, y = _in_base(a[1], a[2]), _in_base(b[1], b[2])
        if x is None or y is None:
            return a[2] == b[2] and _close(a[1], b[1])
        return x[0] == y[0] and _close(x[1], y[1])
    if kind == "date":
        shared = False
        for p, q in zip(a[1:], b[1:], strict=True):
            if p and q:
                if p != q:
                    return False
                shared = True
        return shared
    return a == b


def mentions(text: str) -> list[Mention]:
    """Every figure and date in ``text``, in order."""
    return sorted([*figures(text), *dates(text)], key=lambda m: (m.start, m.end))
