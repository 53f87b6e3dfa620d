"""Figures and dates found in a source's text (briefing.authoring.figures): what is read, what
is left alone, and how two ways of writing one value compare."""

from __future__ import annotations

import pytest

from briefing.authoring.figures import Mention, calendar, date_key, dates, figures, same_figure


def keys(text: str) -> list[tuple]:
    return [m.key for m in figures(text)]


def date_keys(text: str) -> list[tuple]:
    return [m.key for m in dates(text)]


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "key"),
    [
        ("It cost £2.4m last year.", "£2.4m", ("money", "GBP", 2_400_000.0)),
        ("It cost £2,400,000.", "£2,400,000", ("money", "GBP", 2_400_000.0)),
        ("It cost 2.4 million pounds.", "2.4 million pounds", ("money", "GBP", 2_400_000.0)),
        ("a £50 million contract", "£50 million", ("money", "GBP", 50_000_000.0)),
        ("a £50m contract", "£50m", ("money", "GBP", 50_000_000.0)),
        ("worth $1.2bn in all", "$1.2bn", ("money", "USD", 1_200_000_000.0)),
        ("worth US$4m", "US$4m", ("money", "USD", 4_000_000.0)),
        ("a €3bn fund", "€3bn", ("money", "EUR", 3_000_000_000.0)),
        ("1.2 billion dollars was spent", "1.2 billion dollars", ("money", "USD", 1_200_000_000.0)),
        ("a £500k grant", "£500k", ("money", "GBP", 500_000.0)),
        ("GBP 5m over the term", "GBP 5m", ("money", "GBP", 5_000_000.0)),
        ("up to £1.5 billion", "£1.5 billion", ("money", "GBP", 1_500_000_000.0)),
        ("five million pounds", "five million pounds", ("money", "GBP", 5_000_000.0)),
        ("a fee of 75 pence", "75 pence", ("money", "GBP", 0.75)),
        ("£ 300 a head", "£ 300", ("money", "GBP", 300.0)),
        ("£2024 in fees", "£2024", ("money", "GBP", 2024.0)),
    ],
)
def test_money_in_its_many_forms(text: str, written: str, key: tuple) -> None:
    found = figures(text)
    assert [(m.kind, m.text, m.key) for m in found] == [("money", written, key)]
    assert text[found[0].start : found[0].end] == written


def test_a_range_of_money_shares_its_sign_and_its_multiplier() -> None:
    assert keys("It will cost £2-3m.") == [("money", "GBP", 2_000_000.0), ("money", "GBP", 3_000_000.0)]
    assert keys("between £2m and £3.5m") == [("money", "GBP", 2_000_000.0), ("money", "GBP", 3_500_000.0)]


# --- percentages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("rose 12% in a year", 12.0),
        ("rose 12 per cent", 12.0),
        ("rose 12 percent", 12.0),
        ("rose twelve per cent", 12.0),
        ("a 3.5pc rise", 3.5),
        ("fell by 0.4%.", 0.4),
        ("Forty per cent of them", 40.0),
    ],
)
def test_percentages(text: str, value: float) -> None:
    assert [(m.kind, m.key) for m in figures(text)] == [("percent", ("percent", value))]


def test_a_range_of_percentages_and_percentage_points() -> None:
    assert keys("10-15% of calls") == [("percent", 10.0), ("percent", 15.0)]
    assert keys("between 5 and 10 per cent") == [("percent", 5.0), ("percent", 10.0)]
    assert keys("a rise of 3 percentage points") == [("count", 3.0, "percentage points")]


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "key"),
    [
        ("a five-year contract", "five-year", ("duration", 5.0, "year")),
        ("for 5 years", "5 years", ("duration", 5.0, "year")),
        ("after six months", "six months", ("duration", 6.0, "month")),
        ("an 18-month pilot", "18-month", ("duration", 18.0, "month")),
        ("for two decades", "two decades", ("duration", 2.0, "decade")),
        ("within 28 days", "28 days", ("duration", 28.0, "day")),
        ("a three-week consultation", "three-week", ("duration", 3.0, "week")),
        ("for 2.5 years", "2.5 years", ("duration", 2.5, "year")),
        ("over two and a half years", "two and a half years", ("duration", 2.5, "year")),
        ("to extend by two further years", "two further years", ("duration", 2.0, "year")),
    ],
)
def test_durations(text: str, written: str, key: tuple) -> None:
    assert [(m.kind, m.text, m.key) for m in figures(text)] == [("duration", written, key)]


def test_a_relative_time_is_not_a_duration() -> None:
    assert figures("Two years ago the force said so; three years later it did not.") == []


# --- counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "key"),
    [
        ("3,000 officers were hired", "3,000 officers", ("count", 3000.0, "officers")),
        ("1.2 million people live there", "1.2 million people", ("count", 1_200_000.0, "people")),
        ("five companies bid", "five companies", ("count", 5.0, "companies")),
        ("a dozen firms bid", "a dozen", ("count", 12.0, "firms")),
        ("Twenty-one councils agreed", "Twenty-one councils", ("count", 21.0, "councils")),
        ("two hundred and fifty residents", "two hundred and fifty residents", ("count", 250.0, "residents")),
        ("a hundred staff", "a hundred staff", ("count", 100.0, "staff")),
        ("3m people use it", "3m people", ("count", 3_000_000.0, "people")),
        ("420 responses were received", "420 responses", ("count", 420.0, "responses")),
        ("3,000 more officers", "3,000 more officers", ("count", 3000.0, "officers")),
        ("two dozen cameras", "two dozen cameras", ("count", 24.0, "cameras")),
        ("Some 2000 people came", "2000 people", ("count", 2000.0, "people")),
        ("about 1900 staff", "1900 staff", ("count", 1900.0, "staff")),
        ("The total rose to 15,250.", "15,250", ("count", 15250.0, "")),
        ("3,000 police officers", "3,000 police officers", ("count", 3000.0, "officers")),
        ("the system produced one false alert", "one false alert", ("count", 1.0, "alert")),
        ("The bid scored 87.5 out of 100.", "87.5 out of 100", ("count", 87.5, "out of 100")),
        ("and one in five officers agreed", "one in five officers", ("count", 1.0, "in 5")),
    ],
)
def test_counts(text: str, written: str, key: tuple) -> None:
    assert [(m.kind, m.text, m.key) for m in figures(text)] == [("count", written, key)]


@pytest.mark.parametrize(
    "text",
    [
        "It was the first time.",
        "the 21st report and the 3rd review",
        "one of them said so",
        "No. 10 said so, and Number 10 agreed.",
        "under Section 5 of Article 8, see page 12 and paragraph 4",
        "in Phase 2, at Tier 1, Schedule 3",
        "COVID-19 and the M25 and S1",
        "at 10.30am, or 14:00 GMT, or 9 pm",
        "One shopkeeper said so, and no one else did.",
        "at one point, in one case",
        "Articles 5(1)(a), 13 and 35 of the UK GDPR",
        "a call-off from the G-Cloud 13 framework",
        "two-thirds of councils and half of them",
        "10 Downing Street said",
        "dozens of firms, hundreds of people, thousands of jobs",
        "a 3m high wall",
        "the Data Protection Act 2018 and Vision 2030",
        "the 1990s",
        "1. The council agreed.",
        "1.",
        "see [S1 ¶4] and ¶ 5",
        "(2) the council agreed",
        "three of them",
        "a 5k run",
    ],
)
def test_what_is_not_a_figure(text: str) -> None:
    assert figures(text) == [], figures(text)


def test_numbers_inside_dates_are_not_figures() -> None:
    assert figures("On 14 March 2025 the board met; in 2024 it had not, nor on 7 March.") == []
    assert keys("In 2024 officers made 3,000 arrests.") == [("count", 3000.0, "arrests")]


def test_mentions_keep_their_offsets() -> None:
    text = "The Met spent £2.4m on a five-year deal with 3,000 officers (12%)."
    for mention in figures(text):
        assert isinstance(mention, Mention)
        assert text[mention.start : mention.end] == mention.text
    assert [m.kind for m in figures(text)] == ["money", "duration", "count", "percent"]


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "key"),
    [
        ("On 14 March 2025 it met.", "14 March 2025", ("date", 2025, 3, 14)),
        ("On March 14, 2025 it met.", "March 14, 2025", ("date", 2025, 3, 14)),
        ("On 14th March 2025 it met.", "14th March 2025", ("date", 2025, 3, 14)),
        ("In March 2025 it met.", "March 2025", ("date", 2025, 3, 0)),
        ("In Sept. 2024 it met.", "Sept. 2024", ("date", 2024, 9, 0)),
        ("In 2024 it met.", "2024", ("date", 2024, 0, 0)),
        ("Dated 2025-03-14.", "2025-03-14", ("date", 2025, 3, 14)),
        ("On 7 March it met.", "7 March", ("date", 0, 3, 7)),
        ("On March 7 it met.", "March 7", ("date", 0, 3, 7)),
        ("It met in June.", "June", ("date", 0, 6, 0)),
        ("until mid-July", "July", ("date", 0, 7, 0)),
        ("the FY2024/25 budget", "FY2024/25", ("date", 2024, 0, 0)),
        ("the 2024/25 budget", "2024/25", ("date", 2024, 0, 0)),
        ("Theresa May spoke in May 2019.", "May 2019", ("date", 2019, 5, 0)),
        ("29 February 2024", "29 February 2024", ("date", 2024, 2, 29)),
        ("spent over FY2025/26", "FY2025/26", ("date", 2025, 0, 0)),
        ("Over 2023, the rate fell.", "2023", ("date", 2023, 0, 0)),
    ],
)
def test_explicit_dates(text: str, written: str, key: tuple) -> None:
    found = dates(text)
    assert [(m.text, m.key) for m in found] == [(written, key)]
    assert text[found[0].start : found[0].end] == written


def test_months_listed_after_a_month() -> None:
    assert [m.text for m in dates("a tender in April and May, then from June to August")] == [
        "April",
        "May",
        "June",
        "August",
    ]


def test_spans_of_years() -> None:
    assert date_keys("from 2019–2021") == [("date", 2019, 0, 0), ("date", 2021, 0, 0)]
    assert date_keys("from 2019 to 2021") == [("date", 2019, 0, 0), ("date", 2021, 0, 0)]
    assert [m.text for m in dates("during 2019-21")] == ["2019-21"]
    assert date_keys("3 March–5 April 2025") == [("date", 0, 3, 3), ("date", 2025, 4, 5)]


@pytest.mark.parametrize(
    "text",
    [
        "last Tuesday",
        "next year",
        "this month",
        "yesterday and tomorrow",
        "last June",
        "next March",
        "2,400 officers",
        "£2024",
        "about 2000 people",
        "a 2020% rise",
        "the Data Protection Act 2018",
        "Vision 2030",
        "Theresa May said so",
        "the council may march on",
        "03/04/2025",
        "31 February 2025",
        "the year 1750 and the year 2250",
        "COVID-19",
        "the 1990s",
        "2024 million",
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    assert dates(text) == [], dates(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2025-03", ("date", 2025, 3, 0)),
        ("2025-03-14", ("date", 2025, 3, 14)),
        ("2025", ("date", 2025, 0, 0)),
        ("March 2025", ("date", 2025, 3, 0)),
        ("14 March 2025", ("date", 2025, 3, 14)),
        (" 2024 ", ("date", 2024, 0, 0)),
        ("2025-13", None),
        ("2025-02-30", None),
        ("during the pandemic", None),
        ("undated", None),
        ("March 2025 and after", None),
    ],
)
def test_date_key(text: str, key: tuple | None) -> None:
    assert date_key(text) == key


def test_calendar_dates_only_where_the_text_names_one_outright() -> None:
    text = "On 14 March 2025, in March 2025, in 2024, on 7 March, in FY2024/25 and 2019-21."
    assert [calendar(m) for m in dates(text)] == ["2025-03-14", "2025-03", "2024", None, None, None]


# --- comparing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("£2.4m", "£2,400,000"),
        ("£2.4m", "about £2,381,000"),
        ("£50m", "£49.6 million"),
        ("12%", "12.3 per cent"),
        ("5%", "five per cent"),
        ("18 months", "1.5 years"),
        ("two decades", "20 years"),
        ("3,000 officers", "more than 3,000 police"),
        ("two weeks", "14 days"),
    ],
)
def test_same_figure_allows_rounding_and_wording(a: str, b: str) -> None:
    (x,), (y,) = figures(a), figures(b)
    assert same_figure(x.key, y.key) and same_figure(y.key, x.key)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("£2.4m", "£2.5m"),
        ("£50m", "£45m"),
        ("£3bn", "£3.2bn"),
        ("£5m", "$5m"),
        ("12%", "12.5%"),
        ("12%", "£12"),
        ("five years", "five months"),
        ("3,000 officers", "3,200 officers"),
    ],
)
def test_same_figure_tells_different_figures_apart(a: str, b: str) -> None:
    (x,), (y,) = figures(a), figures(b)
    assert not same_figure(x.key, y.key)


def test_same_figure_for_dates() -> None:
    assert same_figure(("date", 2025, 3, 0), ("date", 2025, 3, 14))
    assert same_figure(("date", 0, 3, 7), ("date", 2025, 3, 7))
    assert not same_figure(("date", 2025, 3, 0), ("date", 2025, 4, 0))
    assert not same_figure(("date", 2024, 0, 0), ("date", 2025, 0, 0))
    assert not same_figure(("date", 2025, 0, 0), ("date", 0, 3, 0))  # nothing in common


@pytest.mark.parametrize(
    "text, days",
    [
        ("The inquiry sat between 7 and 18 October 2024.", [7, 18]),
        ("Hearings on 14, 15 and 16 May 2025.", [14, 15, 16]),
        ("It ran 3–5 June 2024.", [3, 5]),
        ("It ran from 3 to 5 June 2024.", [3, 5]),
    ],
)
def test_days_listed_before_a_date_share_its_month_and_year(text: str, days: list[int]) -> None:
    found = dates(text)
    assert [m.key for m in found] == [("date", *(found[-1].key[1:3]), day) for day in days]
    assert [calendar(m) for m in found] == [f"{found[-1].key[1]}-{found[-1].key[2]:02d}-{day:02d}" for day in days]
    assert figures(text) == []  # the days are no counts
    # A number not listed right before the date stays out of it.
    assert [m.text for m in dates("Of the 7 councils, 5 agreed on 18 October 2024.")] == ["18 October 2024"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("It expects to save £1.5bn–£2bn over five years.", ["£1.5bn–£2bn", "£1.5bn–£2bn", "five years"]),
        ("Costs rose from £94m to £161m.", ["£94m", "£161m"]),
        ("It asked Congress for another $350M.", ["$350M"]),
        ("A 350M file.", []),
        ("See p. 87 and pp. 12–14.", []),
        ("In complaint 24 013 882 the council paid.", []),
        ("(UIN 41782)", []),
        ("Among respondents aged 55 to 64, 41% had been flagged.", ["41%"]),
        ("It is held before payment.[1]", []),
        ("Disabled respondents were twice as likely as others.", ["twice"]),
        ("They were three times as likely; I rang them eleven times.", ["three times", "eleven times"]),
        ("At times it failed, and many times since.", []),
        ("Some 212 led to arrests and 19 waited.", ["212", "19"]),
        ("Of 30 trained officers, 12 left.", ["30 trained officers", "12"]),
        ("Errors in 7.1% of notes (95% CI 5.7–8.6%).", ["7.1%", "5.7–8.6%", "5.7–8.6%"]),
        ("An odds ratio of 2.4 (95% confidence interval 1.9–2.9).", ["2.4", "1.9–2.9", "1.9–2.9"]),
        ("Volume 772: held to ISO/IEC 27001. Press 1 to speak to a robot.", []),
    ],
)
def test_figures_of_many_forms_and_what_is_not_one(text: str, found: list[str]) -> None:
    assert [m.text for m in figures(text)] == found


def test_a_multiple_is_the_same_figure_however_written() -> None:
    [twice] = figures("twice as likely")
    [two] = figures("two times as likely")
    assert same_figure(twice.key, two.key)


class _CountedMention(Mention):
    """A mention that counts how often where it is (start, end) is read."""

    reads = 0

    def __getattribute__(self, name: str):
        if name in ("start", "end"):
            _CountedMention.reads += 1
        return super().__getattribute__(name)


def test_each_twice_is_placed_among_the_mentions_without_comparing_it_with_every_other(monkeypatch) -> None:
    """A text saying "twice" thousands of times: each is checked against the numbers'
    mentions once, not against every "twice" found before it."""
    from briefing.authoring import figures as module

    real = module._twice

    def counted(text: str) -> list[Mention]:
        return [_CountedMention(m.kind, m.text, m.start, m.end, m.key) for m in real(text)]

    monkeypatch.setattr(module, "_twice", counted)
    monkeypatch.setattr(_CountedMention, "reads", 0)
    text = "It rose twice, by 10 per cent; " + "twice " * 3000 + "and 5 twice."
    found = figures(text)
    assert [m.text for m in found[:3]] == ["twice", "10 per cent", "twice"]
    assert len(found) == 1 + 1 + 3000 + 1 and found[-1].text == "5 twice"  # that "twice" is the 5's
    assert _CountedMention.reads < 20 * 3000


def test_many_dates_in_one_paragraph_are_read_in_one_pass(monkeypatch) -> None:
    """A source may hold thousands of dates in a paragraph: looking for the days listed
    before each ("7 and 18 October 2024") reads a few characters before it, not the whole
    paragraph again."""
    from briefing.authoring import figures as module

    read: list[int] = []
    real = module._DAY_BEFORE

    class Counted:
        def search(self, text: str, pos: int = 0, endpos: int = 2**63):
            read.append(min(endpos, len(text)) - pos)
            return real.search(text, pos, endpos)

    monkeypatch.setattr(module, "_DAY_BEFORE", Counted())
    text = "1 January 2020 and " * 3000 + "between 7 and 18 October 2024."
    found = module.dates(text)
    assert len(found) == 3002 and [m.text for m in found[-2:]] == ["7", "18 October 2024"]
    assert sum(read) < 40 * len(found)
