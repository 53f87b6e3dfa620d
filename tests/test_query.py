"""The search language (core/query.py) and what Index.search finds with it.

The parser is checked on its own (what each operator becomes), then every hostile query is
run through Index.search: none may raise, and none may be read as FTS5 syntax. The rest
searches the hand-written briefs of search_fixtures, whose every word is known."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from briefing.core.index import MARK_OFF, MARK_ON, Hit, Index
from briefing.core.indexing import update
from briefing.core.marks import Bookmark, Note
from briefing.core.query import MAX_QUERY, MAX_TERMS, Query, parse_query

from .search_fixtures import SOURCE_ONLY, UNIQUE_DETAIL, write_hand_written, write_synthetic

# -- the parser ---------------------------------------------------------------------------


def test_words_must_all_match():
    assert parse_query("pandemic contract").match == '"pandemic" AND "contract"'


def test_a_phrase_is_one_quoted_string():
    query = parse_query('"live facial recognition" cameras')
    assert query.match == '"live facial recognition" AND "cameras"'


def test_an_unclosed_phrase_runs_to_the_end():
    assert parse_query('"live facial').match == '"live facial"'


def test_a_prefix_keeps_its_star_outside_the_quotes():
    assert parse_query("polic*").match == '"polic"*'
    assert parse_query("polic**").match == '"polic"*'


def test_or_joins_the_terms_on_either_side():
    assert parse_query("a OR b").match == '("a" OR "b")'
    assert parse_query("x a OR b OR c y").match == '"x" AND ("a" OR "b" OR "c") AND "y"'
    assert parse_query("a or b").match == '"a" AND "or" AND "b"'  # only the upper-case word


@pytest.mark.parametrize("text", ["OR", "OR OR", "OR a", "a OR", "a OR OR b"])
def test_a_stray_or_is_ignored(text: str):
    query = parse_query(text)
    assert "OR" not in (query.match or "").replace('("a" OR "b")', "")


def test_a_left_out_word_or_phrase():
    query = parse_query('budget -police -"four million"')
    assert query.exclude == '"police" OR "four million"'
    assert query.match == '("budget") NOT ("police" OR "four million")'
    only = parse_query("-police")
    assert (only.match, only.exclude, only.empty) == (None, '"police"', False)


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("pane:concerns", "panes", ["concerns"]),
        ("pane:concern", "panes", ["concerns"]),
        ("pane:people", "panes", ["stakeholders"]),
        ("pane:events", "panes", ["timeline"]),
        ("pane:summary", "panes", ["brief"]),
        ("pane:sources", "panes", ["source"]),
        ("pane:note", "panes", ["notes"]),
        ("PANE:Facts", "panes", ["facts"]),
        ("tag:AI", "tags", ["ai"]),
        ("tag:#ai", "tags", ["ai"]),
        ('tag:"value for money"', "tags", ["value for money"]),
        ("status:Draft", "statuses", ["draft"]),
        ("stakeholder:khan", "stakeholders", ["khan"]),
        ('stakeholder:"Zoë  Garbett"', "stakeholders", ["zoe garbett"]),
        ("source:S1", "sources", ["S1"]),
        ('source:"Estate survey"', "sources", ["Estate survey"]),
        ("after:2024-01", "after", "2024-01"),
        ("before:2025", "before", "2025"),
        ('before:"2025-02-03"', "before", "2025-02-03"),
    ],
)
def test_each_filter(text: str, field: str, value):
    query = parse_query(text)
    assert getattr(query, field) == value
    assert query.match is None and query.has_filters and not query.empty and not query.problems


@pytest.mark.parametrize(
    "text, problem",
    [
        ("pane:nowhere", "pane: is one of"),
        ("after:last-week", "after: takes a date"),
        ("before:2024/01", "before: takes a date"),
        ('tag:""', "tag: needs a value"),
    ],
)
def test_a_filter_it_cannot_use_is_said_and_ignored(text: str, problem: str):
    query = parse_query(text)
    assert any(p.startswith(problem) for p in query.problems), query.problems
    assert query.empty


@pytest.mark.parametrize(
    "text, match",
    [
        ("10:30", '"10:30"'),
        ("https://x", '"https://x"'),
        ("a:b", '"a:b"'),
        ("head:x", '"head:x"'),
        ('c:"d e"', '"c:d e"'),
    ],
)
def test_a_word_with_a_colon_that_is_no_filter_is_a_word(text: str, match: str):
    query = parse_query(text)
    assert (query.match, query.has_filters) == (match, False)


def test_a_long_query_is_cut_and_said_so():
    query = parse_query("x" * 10_000)
    assert query.match == '"' + "x" * MAX_QUERY + '"'
    assert query.problems == [f"only the first {MAX_QUERY:,} characters of the query are used"]
    many = parse_query(" ".join(f"w{i}" for i in range(100)))
    assert many.match is not None and many.match.count("AND") == MAX_TERMS - 1
    assert f"only the first {MAX_TERMS} words of the query are used" in many.problems


@pytest.mark.parametrize("text", ["", "   ", "*", '"', '""', "^", "-", "-*", "( )", "\x01\x02", "\u200b"])
def test_a_query_of_no_word_is_empty(text: str):
    assert parse_query(text).empty


# -- hostile queries: never an error, never FTS5 syntax ---------------------------------------

# What parse_query may put in an FTS5 expression: quoted strings (a " inside doubled), a star
# after one, AND, OR, NOT and parentheses.
FTS_TOKEN = re.compile(r'\s*(?:"(?:[^"]|"")*"\*?|AND|OR|NOT|\(|\))')

HOSTILE = [
    '"',
    '"""',
    'a"b',
    '"a',
    "*",
    "**",
    "*a",
    "^",
    "^city",
    "NEAR(",
    "NEAR(contract signed)",
    "NEAR(contract signed, 2)",
    "a:b",
    "head:contract",
    "body:contract",
    "{head body}: contract",
    "{head body}:contract",
    "- contract",
    "-",
    "--a",
    "OR",
    "OR contract",
    "contract OR",
    "AND",
    "NOT",
    "contract NOT signed",
    "contract AND signed",
    "(contract",
    "contract)",
    "+contract",
    "contract + signed",
    "x" * 10_240,
    "contract " * 1_200,
    '"' * 5_000,
    "OR " * 3_000,
    "\x01\x02\x03\x1b[2J\x7f\x9b",
    "\x02contract\x03",
    "\x00",
    "contract\x00",
    "con\x00tract",
    '"live\x00facial"',
    "-\x00a",
    "caf\udce9",  # a command-line argument that was not UTF-8
    "tag:caf\udce9",
    "source:\udce9x",
    "\ud800",
    "²",
    "½ contract",
    "\u0301",
    "\ufeffcontract",
    "pane:",
    "tag:",
    "pane:facts:x",
    "tag:a:b",
    "after:",
    "before:9999-99-99",
    'stakeholder:"',
    "stakeholder:***",
    "source:'",
    "'; DROP TABLE files; --",
    "%_%",
]


@pytest.fixture(scope="module")
def hand_index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    """The hand-written briefs and thirty synthetic ones, indexed in memory."""
    lib = write_hand_written(tmp_path_factory.mktemp("hand") / "lib")
    write_synthetic(lib, 30)
    index = Index.in_memory()
    index.open([lib])
    result = update(index, [lib], processes=0)
    assert (result.read, index.counts()) == (33, (33, 0))
    return index


def search(index: Index, text: str, limit: int = 200) -> list[Hit]:
    return index.search(parse_query(text), limit)


def refs(hits: list[Hit]) -> set[tuple[str, str, str]]:
    return {(h.brief, h.pane, h.ref) for h in hits}


def hand(hits: list[Hit]) -> set[str]:
    """The hand-written briefs among the hits (the synthetic ones share their tags)."""
    return {h.brief for h in hits if not h.brief.startswith("synthetic-")}


def _id(text: str) -> str:
    return ascii(text[:24]) + (f"…{len(text)}" if len(text) > 24 else "")


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: _id(t) if isinstance(t, str) else None)
def test_a_hostile_query_runs_and_is_never_fts5_syntax(hand_index: Index, text: str):
    query = parse_query(text)
    for expression in (query.match, query.exclude):
        if expression is not None:
            assert FTS_TOKEN.sub("", expression).strip() == "", expression
    hits = hand_index.search(query)
    assert isinstance(hits, list)
    for hit in hits:
        assert hit.brief and isinstance(hit.snippet, str)


def test_fts5_operators_typed_are_only_words(hand_index: Index):
    """What each would find as FTS5 syntax, it does not find as typed: its words are searched."""
    db = hand_index.db

    def raw(expression: str) -> int:
        return db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (expression,)).fetchone()[0]

    assert raw("NEAR(contract signed)") > 0 and raw("head : contract") > 0 and raw("^signed") == 0
    assert search(hand_index, "NEAR(contract signed)") == []  # no brief has the word "near"
    assert search(hand_index, "head:contract") == []  # nor "head"
    assert search(hand_index, "{head body}: contract") == []  # nor "body"
    # ^ is no "first word" operator: the word is found wherever it stands.
    assert refs(search(hand_index, "^signed")) == refs(search(hand_index, "signed")) != set()
    assert refs(search(hand_index, "contract AND signed")) == set()  # "and" is a word, not in them
    assert refs(search(hand_index, "contract NOT signed")) == set()


def test_a_nul_or_a_lone_surrogate_in_a_query_is_a_space(hand_index: Index):
    found = refs(search(hand_index, UNIQUE_DETAIL))
    assert found
    for text in (f"{UNIQUE_DETAIL}\x00", f"\x00{UNIQUE_DETAIL}", f"{UNIQUE_DETAIL}\udce9", f"\ud800{UNIQUE_DETAIL}"):
        assert refs(search(hand_index, text)) == found, ascii(text)
    assert parse_query("con\x00tract").match == '"con" AND "tract"'
    assert parse_query("tag:caf\udce9 x").tags == ["caf"]
    assert parse_query("caf\udce9").text == "caf "


def test_a_control_character_in_a_query_is_a_separator_not_a_marker(hand_index: Index):
    hits = search(hand_index, f"\x02{UNIQUE_DETAIL}\x03")
    assert refs(hits) == {("cameras", "concerns", "accuracy")}
    [hit] = hits
    assert hit.snippet.count(MARK_ON) == hit.snippet.count(MARK_OFF) == 1


# -- what a search finds --------------------------------------------------------------------------


def test_case_and_diacritics_are_ignored(hand_index: Index):
    for text in ("zoe", "ZOE", "Zoë", "zoë garbett", "GARBETT"):
        assert ("cameras", "stakeholders", "garbett") in refs(search(hand_index, text)), text
    assert ("housing", "stakeholders", "tenants") in refs(search(hand_index, "emile zola"))


def test_words_are_stemmed(hand_index: Index):
    """Words are stemmed: "police" finds "policing", and "policing" finds "police"."""
    police = search(hand_index, "police")
    snippets = " ".join(h.snippet for h in police)
    assert f"{MARK_ON}policing{MARK_OFF}" in snippets.lower()
    assert ("budget", "facts", "the-police-budget-rose-by-a") in refs(police)
    assert ("budget", "facts", "the-police-budget-rose-by-a") in refs(search(hand_index, "policing"))


def test_a_phrase_needs_its_words_together(hand_index: Index):
    words = refs(search(hand_index, "live facial recognition"))
    phrase = refs(search(hand_index, '"live facial recognition"'))
    # The budget brief's summary has the three words apart: found by the words only.
    assert ("budget", "brief", "") in words and ("budget", "brief", "") not in phrase
    assert ("cameras", "facts", "the-city-signed-a-contract-for") in phrase
    assert phrase < words


def test_a_word_in_an_items_detail_only_is_found(hand_index: Index):
    assert refs(search(hand_index, UNIQUE_DETAIL)) == {("cameras", "concerns", "accuracy")}


def test_a_word_in_a_source_paragraph_only_is_found_with_its_paragraph(hand_index: Index):
    [hit] = search(hand_index, SOURCE_ONLY)
    # Shown under the newest brief citing the source, with how many others cite it.
    assert (hit.kind, hit.pane, hit.brief, hit.source, hit.paragraph, hit.ref) == (
        "para",
        "source",
        "budget",
        "S1",
        4,
        "S1 ¶4",
    )
    assert hit.others == 2


def test_a_prefix_finds_the_words_it_begins(hand_index: Index):
    assert refs(search(hand_index, UNIQUE_DETAIL[:5] + "*")) == {("cameras", "concerns", "accuracy")}
    assert search(hand_index, UNIQUE_DETAIL[:5]) == []


def test_or_finds_either(hand_index: Index):
    either = refs(search(hand_index, f"{UNIQUE_DETAIL} OR {SOURCE_ONLY}"))
    assert either == refs(search(hand_index, UNIQUE_DETAIL)) | refs(search(hand_index, SOURCE_ONLY))
    assert len(either) == 2


def test_a_left_out_word_leaves_out_what_has_it(hand_index: Index):
    budget = search(hand_index, "budget")
    without = search(hand_index, "budget -police")
    assert without and refs(without) < refs(budget)
    assert not any("polic" in h.snippet.lower() for h in without)
    # Only left-out words: the briefs without them.
    assert hand(search(hand_index, f"-{UNIQUE_DETAIL}")) == {"budget", "housing"}


def test_a_left_out_word_of_a_source_paragraph_leaves_out_only_the_briefs_that_have_it(hand_index: Index):
    """A query of only left-out words leaves out the briefs whose own text has them; a
    source paragraph with the word takes no brief with it (and not every brief)."""
    assert {h.brief for h in search(hand_index, "-synthetic")} == {"cameras", "budget", "housing"}
    assert hand(search(hand_index, f"-{SOURCE_ONLY}")) == {"cameras", "budget", "housing"}
    assert hand(search(hand_index, "-cameras")) == {"budget", "housing"}
    assert refs(search(hand_index, "stakeholder:khan -cameras")) == {
        ("budget", "stakeholders", "khan"),
        ("housing", "stakeholders", "mayor"),
    }


def test_pane_filter(hand_index: Index):
    hits = search(hand_index, "value pane:concerns")
    assert hits and {h.pane for h in hits} == {"concerns"}
    assert ("budget", "concerns", "value-for-money") in refs(hits)
    assert {h.pane for h in search(hand_index, "pane:concerns tag:housing")} == {"concerns"}
    assert {h.kind for h in search(hand_index, f"{SOURCE_ONLY} pane:source")} == {"para"}
    assert search(hand_index, f"{SOURCE_ONLY} pane:facts") == []


def test_tag_filter(hand_index: Index):
    assert hand(search(hand_index, "tag:policing")) == {"cameras", "budget"}
    assert hand(search(hand_index, "tag:#HOUSING")) == {"housing"}
    assert {h.brief for h in search(hand_index, "tag:budget")} == {"budget"}
    assert {h.brief for h in search(hand_index, f"{UNIQUE_DETAIL} tag:budget")} == set()
    assert search(hand_index, "tag:polic") == []  # a whole tag, not part of one


def test_status_filter(hand_index: Index):
    assert hand(search(hand_index, "status:review")) == {"housing"}
    assert hand(search(hand_index, "status:draft")) == {"cameras"}
    assert hand(search(hand_index, "status:draft status:published tag:policing")) == {"cameras", "budget"}
    assert hand(search(hand_index, "status:archived")) == set()


def test_stakeholder_filter_across_briefs(hand_index: Index):
    hits = search(hand_index, "stakeholder:khan")
    assert refs(hits) == {
        ("cameras", "stakeholders", "khan"),
        ("budget", "stakeholders", "khan"),
        ("housing", "stakeholders", "mayor"),
    }
    assert refs(search(hand_index, 'stakeholder:"sadiq khan"')) == refs(hits)
    assert refs(search(hand_index, "stakeholder:zoe")) == {("cameras", "stakeholders", "garbett")}
    # With words: the hits of the briefs where the stakeholder stands.
    assert {h.brief for h in search(hand_index, "repairs stakeholder:khan")} == {"housing"}
    assert search(hand_index, "stakeholder:nobody") == []


def test_source_filter(hand_index: Index):
    assert {h.brief for h in search(hand_index, "source:S2")} == {"housing"}
    assert {h.brief for h in search(hand_index, "source:s2")} == {"housing"}
    assert {h.brief for h in search(hand_index, 'source:"estate survey"')} == {"housing"}
    assert hand(search(hand_index, "source:S1 tag:policing")) == {"cameras", "budget"}
    # A paragraph found through the filter is shown under a brief the filter keeps.
    [para] = search(hand_index, f"{SOURCE_ONLY} source:S2")
    assert (para.brief, para.ref) == ("housing", "S2 ¶4")


def test_date_filters(hand_index: Index):
    def briefs(text: str) -> set[str]:
        return hand(search(hand_index, text))

    assert briefs("after:2024") == {"cameras", "budget"}
    assert briefs("before:2024") == {"housing"}
    assert briefs("after:2024-01 before:2025") == {"cameras"}
    assert briefs("after:2024-03-10 before:2024-03-11") == {"cameras"}
    assert briefs("after:2026") == set()


def test_a_tag_or_source_filter_with_letters_beyond_ascii(hand_index: Index):
    assert {h.brief for h in search(hand_index, "tag:Été")} == {"cameras"}
    assert {h.brief for h in search(hand_index, "tag:été")} == {"cameras"}
    assert {h.brief for h in search(hand_index, "tag:ÉTÉ")} == {"cameras"}
    assert {h.brief for h in search(hand_index, "source:Enquête")} == {"housing"}
    assert {h.brief for h in search(hand_index, "source:ENQUÊTE")} == {"housing"}


def test_limit_and_rank(hand_index: Index):
    everything = search(hand_index, "synthetic", limit=1_000)
    assert len(everything) > 30
    assert search(hand_index, "synthetic", limit=7) == everything[:7]
    assert [h.rank for h in everything] == sorted(h.rank for h in everything)


def test_an_empty_query_finds_nothing(hand_index: Index):
    assert hand_index.search(Query()) == []


# -- the reader's notes -------------------------------------------------------------------------


def note(id: str, brief: str, text: str, item: str | None = None, pane: str | None = None) -> Note:
    return Note(id, brief, item, pane, "the quoted item", "me", "2025-01-01", "2025-01-01", text=text)


@pytest.fixture
def noted(tmp_path: Path) -> Index:
    lib = write_hand_written(tmp_path / "lib")
    index = Index.in_memory()
    index.open([lib])
    update(index, [lib], processes=0)
    marks = [
        note("n1", "cameras", "Ask about the tangerine report", "khan", "stakeholders"),
        note("n2", "housing", "A tangerine note on the estate"),
        note("n3", "budget", f"Hostile {MARK_ON}marker{MARK_OFF} and \x1b[2J text"),
        Bookmark("b1", "budget", None, None, "the tangerine budget", "me", "2025-01-01", "2025-01-01"),
    ]
    index.load_notes(marks, {"cameras": "Cameras", "housing": "Housing"}, version=1)
    return index


def test_notes_are_found(noted: Index):
    hits = search(noted, "tangerine")
    assert {(h.kind, h.brief, h.pane, h.ref, h.item) for h in hits} == {
        ("note", "cameras", "notes", "n1", "khan"),
        ("note", "housing", "notes", "n2", ""),
        ("bookmark", "budget", "notes", "b1", ""),
    }
    assert {h.title for h in hits} == {"Cameras", "Housing", "budget"}  # no title known: the id


def test_notes_with_filters(noted: Index):
    assert {h.ref for h in search(noted, "tangerine pane:notes")} == {"n1", "n2", "b1"}
    assert search(noted, "tangerine pane:facts") == []
    assert {h.ref for h in search(noted, "tangerine tag:housing")} == {"n2"}
    assert search(noted, "tangerine stakeholder:khan") == []  # stakeholders are items, not notes


def test_a_note_with_markers_in_it_cannot_fake_a_match(noted: Index):
    [hit] = search(noted, "hostile")
    assert hit.snippet.count(MARK_ON) == hit.snippet.count(MARK_OFF) == 1
    assert f"{MARK_ON}Hostile{MARK_OFF}" in hit.snippet


def test_notes_are_loaded_again_only_for_a_new_version(noted: Index):
    noted.load_notes([note("n9", "cameras", "tangerine only now")], {}, version=1)  # the same version
    assert {h.ref for h in search(noted, "tangerine")} == {"n1", "n2", "b1"}
    noted.load_notes([note("n9", "cameras", "tangerine only now")], {}, version=2)
    assert {h.ref for h in search(noted, "tangerine")} == {"n9"}


def test_notes_are_not_written_to_the_index(tmp_path: Path):
    lib = write_hand_written(tmp_path / "lib")
    index = Index(tmp_path / "index.sqlite")
    index.open([lib])
    update(index, [lib], processes=0)
    index.load_notes([note("n1", "cameras", "tangerine")], {}, version=1)
    assert search(index, "tangerine")
    other = sqlite3.connect(tmp_path / "index.sqlite")
    names = {row[0] for row in other.execute("SELECT name FROM sqlite_master")}
    assert "notes" not in names
    assert other.execute("SELECT count(*) FROM fts WHERE fts MATCH 'tangerine'").fetchone() == (0,)
    other.close()
    index.close()
