"""``briefing new`` and ``briefing draft`` (briefing.authoring.draft, .entities): what they
write, what they refuse, and the drafting rules, down to the measured bound on the labelled
documents of benchmarks/drafting (docs/drafting.md)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from briefing import paths
from briefing.authoring import entities
from briefing.authoring.draft import (
    NOT_STATED,
    DraftSource,
    concern_category,
    draft,
    escape,
    event_for,
    neutral,
    render,
    sentences_of,
)
from briefing.authoring.entities import Sentence, analyse, attribution, stances
from briefing.authoring.figures import dates
from briefing.cli.main import main
from briefing.core.model import Concern, Event, Fact, Stakeholder
from briefing.core.parse import load_brief, parse_brief
from briefing.core.sources import SourceDocument

ROOT = Path(__file__).resolve().parent.parent
DRAFTING = ROOT / "benchmarks" / "drafting"
DOCUMENTS = sorted((DRAFTING / "documents").glob("*.txt"))

REPORT = """The Mayor's decision

The Metropolitan Police planned to sign a £50m contract with Palantir Technologies UK Ltd on 14 March 2025. The Met said the system would be used by 3,000 officers.

Mayor of London Sadiq Khan blocked the contract. Mr Khan said the deal was poor value for money.

Liberty welcomed the decision, warning that the system raised serious privacy concerns. Critics claim the contract could have cost £80m.

The force had planned to start in June next year. A review will report on 7 March.
"""


def library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    return folder


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- briefing new ------------------------------------------------------------------------------


def test_new_writes_a_skeleton_that_passes_check(tmp_path: Path, capsys) -> None:
    lib = library(tmp_path)
    report = write(tmp_path, "mayor-report.txt", REPORT)
    code, out, err = run(capsys, "new", "mayor-brief", "--source", str(report), "--library", str(lib))
    assert code == 0, err
    target = paths.brief_file(lib, "mayor-brief")
    assert out.strip() == str(target)
    brief = load_brief(target)
    assert brief.id == "mayor-brief" and brief.status == "draft" and brief.tags == ()
    assert brief.title == "The Mayor's decision" and brief.date == _dt.date.today().isoformat()
    assert brief.summary.strip()
    (source,) = brief.sources
    assert (source.id, source.file, source.verified) == ("S1", "mayor-report.txt", False)
    written = paths.sources_dir(lib) / "mayor-report.txt"
    assert source.sha256 == hashlib.sha256(written.read_bytes()).hexdigest()
    assert not list(brief.items())
    text = target.read_text(encoding="utf-8")
    for heading in ("## Key facts", "## Stakeholders", "## Concerns", "## Timeline"):
        assert heading in text
    assert run(capsys, "check", str(lib))[0] == 0


def test_new_takes_a_title_and_names_already_in_sources(tmp_path: Path, capsys) -> None:
    lib = library(tmp_path)
    paths.sources_dir(lib).mkdir()
    (paths.sources_dir(lib) / "kept.txt").write_text("One paragraph.\n", encoding="utf-8")
    other = write(tmp_path, "other.txt", "Another one.\n")
    code, _, err = run(
        capsys,
        "new",
        "two",
        "--source",
        "kept.txt",
        "--source",
        str(other),
        "--title",
        "Two sources",
        "--library",
        str(lib),
    )
    assert code == 0, err
    brief = load_brief(paths.brief_file(lib, "two"))
    assert brief.title == "Two sources"
    assert [(s.id, s.file) for s in brief.sources] == [("S1", "kept.txt"), ("S2", "other.txt")]
    assert sorted(p.name for p in paths.sources_dir(lib).iterdir()) == ["kept.txt", "other.txt"]
    # a path to a file of sources/ is that name, not a document to take in again
    kept = str(paths.sources_dir(lib) / "kept.txt")
    assert run(capsys, "new", "three", "--source", kept, "--library", str(lib))[0] == 0
    assert [s.file for s in load_brief(paths.brief_file(lib, "three")).sources] == ["kept.txt"]
    assert sorted(p.name for p in paths.sources_dir(lib).iterdir()) == ["kept.txt", "other.txt"]


def test_new_refuses_to_overwrite_without_force(tmp_path: Path, capsys) -> None:
    lib = library(tmp_path)
    report = write(tmp_path, "r.txt", REPORT)
    assert run(capsys, "new", "b", "--source", str(report), "--library", str(lib))[0] == 0
    target = paths.brief_file(lib, "b")
    target.write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "new", "b", "--source", str(report), "--library", str(lib))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(capsys, "new", "b", "--source", str(report), "--library", str(lib), "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("---\n")


@pytest.mark.parametrize("bad", ["Bad_Id", "../escape", "a b", ".hidden", "x\n"])
def test_new_refuses_a_bad_id_in_one_line(tmp_path: Path, capsys, bad: str) -> None:
    lib = library(tmp_path)
    report = write(tmp_path, "r.txt", REPORT)
    code, out, err = run(capsys, "new", bad, "--source", str(report), "--library", str(lib))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "brief id" in err
    assert list(lib.iterdir()) == []  # nothing written, no source taken in


def test_new_refuses_a_missing_source(tmp_path: Path, capsys) -> None:
    lib = library(tmp_path)
    code, out, err = run(capsys, "new", "b", "--source", str(tmp_path / "nope.txt"), "--library", str(lib))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "no such file" in err
    assert not paths.brief_file(lib, "b").exists()


def test_new_and_draft_never_write_into_the_bundled_library_unless_named(tmp_path: Path, capsys, monkeypatch) -> None:
    report = write(tmp_path, "r.txt", REPORT)
    bundled = paths.bundled_library()
    before = sorted(p.name for p in bundled.iterdir())
    for command in ("new", "draft"):
        code, out, err = run(capsys, command, "zz-test-brief", "--source", str(report))
        assert code == 2 and out == "" and "bundled library" in err and "--library" in err
    monkeypatch.setenv(paths.LIBRARY_ENV, str(bundled))  # named by the environment only
    code, _, err = run(capsys, "draft", "zz-test-brief", "--source", str(report))
    assert code == 2 and "bundled library" in err
    assert sorted(p.name for p in bundled.iterdir()) == before


# --- briefing draft ----------------------------------------------------------------------------


@pytest.fixture
def drafted(tmp_path: Path, capsys):
    lib = library(tmp_path)
    report = write(tmp_path, "mayor-report.txt", REPORT)
    code, out, err = run(capsys, "draft", "mayor", "--source", str(report), "--library", str(lib))
    assert code == 0, err
    assert "drafted" in err and "key facts" in err
    brief = load_brief(paths.brief_file(lib, "mayor"))
    source = SourceDocument.from_text((paths.sources_dir(lib) / "mayor-report.txt").read_text(encoding="utf-8"))
    return lib, brief, source


def sentence(source: SourceDocument, item) -> str:
    citation = item.citations[0]
    return source.sentences(citation.paragraph)[citation.sentence - 1]


def test_draft_marks_every_item_and_cites_its_sentence(drafted, capsys) -> None:
    lib, brief, source = drafted
    assert brief.status == "draft"
    items = list(brief.items())
    assert items
    for item in items:
        assert item.drafted in ("figure", "date", "named", "concern"), item
        assert item.citations and all(c.sentence for c in item.citations)
    assert run(capsys, "check", str(lib))[0] == 0


def test_draft_key_facts_quote_their_sentence_with_the_figures_as_written(drafted) -> None:
    _, brief, source = drafted
    facts = {f.figure: f for f in list(brief.items()) if isinstance(f, Fact)}
    contract = facts["£50m"]
    assert contract.statement == sentence(source, contract)
    assert contract.according_to is None and contract.drafted == "figure"
    officers = facts["3,000 officers"]
    assert officers.according_to == "Metropolitan Police"  # "The Met said ..."
    claimed = facts["£80m"]
    assert claimed.according_to == "critics"  # "Critics claim ...": their claim, not a fact


def test_draft_timeline_never_invents_a_date(drafted) -> None:
    _, brief, source = drafted
    events = [e for e in list(brief.items()) if isinstance(e, Event)]
    heads = [(e.when.text, e.sort) for e in events]
    assert ("2025-03-14", None) in heads
    assert ("7 March", None) in heads  # no year anywhere near it: no sort
    assert ("June", None) in heads  # "June next year": the month as written, placed by no year
    for event in events:
        text = sentence(source, event)
        if re.fullmatch(r"\d{4}(-\d\d){0,2}", event.when.text):
            assert any(m.key[1] == int(event.when.text[:4]) for m in dates(text))
        else:
            assert event.when.text in text


def test_draft_stakeholders_are_merged_with_stances_only_where_stated(drafted) -> None:
    _, brief, _ = drafted
    people = {p.name: p for p in list(brief.items()) if isinstance(p, Stakeholder)}
    assert "Metropolitan Police" in people and "Met" not in people and "The Met" not in people
    assert people["Metropolitan Police"].kind == "police"
    assert people["Metropolitan Police"].stance == "unknown"
    khan = [p for name, p in people.items() if "Khan" in name]
    assert len(khan) == 1 and khan[0].stance == "opposes" and khan[0].kind == "government"
    # "welcomed the decision" (to block the contract): which way, the words alone do not say
    assert people["Liberty"].stance == "unknown"
    assert people["Palantir Technologies UK Ltd"].kind == "vendor"
    assert people["Palantir Technologies UK Ltd"].stance == "unknown"
    assert not any(name in people for name in ("March", "June", "Critics", "The", "Mayor"))


def test_draft_concerns_say_who_raised_them(drafted) -> None:
    _, brief, source = drafted
    concerns = [c for c in list(brief.items()) if isinstance(c, Concern)]
    by_category = {c.category: c for c in concerns}
    assert by_category["value for money"].raised_by.endswith("Khan")
    assert by_category["privacy"].raised_by == "Liberty"
    for concern in concerns:
        assert concern.detail.startswith(sentence(source, concern)[:20])


def test_draft_output_reads_back_hostile_text_as_written(tmp_path: Path, capsys) -> None:
    text = (
        "Campaigners said [S9 ¶4] was *not* the source of the £2m figure {#fake} <http://x.test> &amp; more.\n\n"
        "note: this line looks like a field and cost £3m in 2024.\n\n"
        "1. A numbered line that cost £4m.\n\n"
        "Evil \x1b]52;c;aGk=\x07 text of £5m in 2023.\n"
    )
    lib = library(tmp_path)
    report = write(tmp_path, "hostile.txt", text)
    code, _, err = run(capsys, "draft", "hostile", "--source", str(report), "--library", str(lib))
    assert code == 0, err
    written = paths.brief_file(lib, "hostile").read_text(encoding="utf-8")
    assert "\x1b" not in written and "\x07" not in written
    brief = load_brief(paths.brief_file(lib, "hostile"))
    source = SourceDocument.from_text((paths.sources_dir(lib) / "hostile.txt").read_text(encoding="utf-8"))
    facts = [i for i in list(brief.items()) if isinstance(i, Fact)]
    assert len(facts) == 4
    for fact in facts:
        assert fact.statement == neutral(sentence(source, fact))  # no link, emphasis, citation or id made of it
        assert len(fact.citations) == 1
    assert run(capsys, "check", str(lib))[0] == 0


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem)
def test_every_evaluation_document_drafts_a_brief_that_passes_check(document: Path, tmp_path: Path, capsys) -> None:
    lib = library(tmp_path)
    code, _, err = run(capsys, "draft", "d", "--source", str(document), "--library", str(lib))
    assert code == 0, err
    text = paths.brief_file(lib, "d").read_text(encoding="utf-8")
    brief = parse_brief(text, "d.md", "d")
    assert len(list(brief.items())) >= 20
    code, out, _ = run(capsys, "check", str(lib))
    assert (code, out) == (0, "")


# --- the rules, one at a time -----------------------------------------------------------------


def sentences(text: str) -> list[Sentence]:
    return sentences_of(SourceDocument.from_text(text))


def test_a_date_without_a_year_is_placed_only_by_a_year_the_text_states() -> None:
    def place(text: str, which: str) -> tuple[str, str | None]:
        (s,) = sentences(text) if len(sentences(text)) == 1 else [x for x in sentences(text) if which in x.text]
        mention = next(m for m in dates(s.text) if m.text == which)
        return event_for(mention, s, SourceDocument.from_text(text).paragraphs[s.paragraph - 1])

    assert place("The trial ran from 3 June to 28 July 2024.", "3 June") == ("3 June", "2024-06-03")
    assert place("It met on 9 October 2024. The consultation closed on 20 December.", "20 December") == (
        "20 December",
        "2024-12-20",
    )
    # told before the dated month in the paragraph: it may be the next year
    assert place("The trial began in September 2024. It will be used from January.", "January") == ("January", None)
    assert place("The plan was agreed in 2024 and starts in June next year.", "June") == ("June", None)
    assert place("It was agreed in 2023 and 2024, and began on 7 March.", "7 March") == ("7 March", None)
    assert place("A review will report on 7 March.", "7 March") == ("7 March", None)
    # a year alone told after it, in another sentence, may be of something else
    assert place("On 23 August it wrote to her. She had left that address in 2022.", "23 August") == (
        "23 August",
        None,
    )
    assert place("In 2024 the rules changed. On 23 August it wrote to her.", "23 August") == ("23 August", "2024-08-23")
    # ... nor a year told in passing after another date without one
    assert place(
        "On 23 August it wrote to an address she left in 2022. On 4 September she found out.", "4 September"
    ) == (
        "4 September",
        None,
    )
    assert place("It covers FY2024/25.", "FY2024/25") == ("FY2024/25", "2024")
    assert place("It ran over 2019-21.", "2019-21") == ("2019-21", "2019")


def test_who_says_it() -> None:
    text = (
        "Liberty said the cameras were unlawful. "
        "The scheme cost £5m, according to the Home Office. "
        '"It is a precise tool," said Chief Constable Mark Ellison. '
        "Critics claim it cost more. "
        "The council installed 212 cameras in 2012."
    )
    found = sentences(text)
    analysis = analyse(found)
    speakers = [attribution(analysis, s) for s in found]
    assert [s.name if s else None for s in speakers] == ["Liberty", "Home Office", "Mark Ellison", "critics", None]


def test_the_group_also_said_is_the_group_named_before() -> None:
    text = (
        "Campaign group Fair Streets warned that the scores rely on arrest data. "
        "The group also raised privacy concerns about location data. "
        "The force has also said it will review the pilot."
    )
    found = sentences(text)
    analysis = analyse(found)
    speakers = [attribution(analysis, s) for s in found]
    assert [s.name if s else None for s in speakers][:2] == ["Fair Streets", "Fair Streets"]


def test_names_with_initials_and_names_an_abbreviation_spells_out() -> None:
    text = (
        "Dr. Helen R. Carver told the committee the tool was unsafe. "
        "The Medicines and Healthcare products Regulatory Agency (MHRA) said it was reviewing it."
    )
    names = {e.name for e in analyse(sentences(text)).entities}
    assert {"Helen R. Carver", "Medicines and Healthcare products Regulatory Agency"} <= names, names
    assert "Regulatory Agency" not in names and "Helen R" not in names


def test_a_stance_is_only_what_the_text_states() -> None:
    text = (
        "Big Brother Watch criticised the plan. Palantir supplies the software. "
        "The Home Affairs Committee criticised the Home Office for its contracts. "
        "The plan was backed by the Local Government Association."
    )
    analysis = analyse(sentences(text))
    stated = {analysis.entities[i].name: said[0] for i, said in stances(analysis).items() if said}
    assert stated == {"Big Brother Watch": "opposes", "Local Government Association": "supports"}


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Fair Streets welcomed the scheme.", "supports"),
        ("Fair Streets welcomed the pause.", "opposes"),
        ("Fair Streets welcomed the council's decision to suspend the tool.", "opposes"),
        ("Fair Streets criticised the decision to expand the scheme.", "opposes"),
        ("Fair Streets criticised the suspension.", "supports"),
        ("Fair Streets welcomed the decision but warned of delays.", None),
    ],
)
def test_a_stance_is_read_from_what_it_is_of(sentence: str, stance: str | None) -> None:
    analysis = analyse(sentences(sentence))
    stated = {analysis.entities[i].name: said[0] for i, said in stances(analysis).items() if said}
    assert stated.get("Fair Streets") == stance


def test_names_are_merged_and_common_words_are_not_names() -> None:
    text = (
        "Dr Jane Smith of the University of Kentford spoke. Smith said the data was biased. "
        "The Information Commissioner's Office (ICO) issued a reprimand. The ICO said so on Monday. "
        "In March, the Home Office agreed. However, Brightpath Data Ltd declined. Brightpath said nothing."
    )
    analysis = analyse(sentences(text))
    names = sorted(e.name for e in analysis.entities if e.mentions)
    assert names == [
        "Brightpath Data Ltd",
        "Home Office",
        "Information Commissioner's Office",
        "Jane Smith",
        "University of Kentford",
    ]
    by_name = {e.name: e for e in analysis.entities}
    assert len(by_name["Jane Smith"].mentions) == 2  # "Smith said": the same person
    assert len(by_name["Information Commissioner's Office"].mentions) == 3  # its name, "(ICO)", "The ICO"
    assert by_name["University of Kentford"].kind == "academia" and by_name["Home Office"].kind == "government"


def test_a_firm_named_with_and_without_its_legal_suffix_is_one() -> None:
    for text in (
        "The tool was bought from Datasift Analytics Ltd. in 2021. Datasift Analytics said it complied.",
        "Datasift Analytics said it complied. The council paid Datasift Analytics Ltd £640,000.",
        "Clearview AI Inc. was fined. Clearview AI said it would appeal.",
    ):
        named = [e for e in analyse(sentences(text)).entities if e.mentions]
        assert len(named) == 1 and len(named[0].mentions) == 2, [(e.name, e.mentions) for e in named]
    # Two firms that share a first word are still two.
    named = {e.name for e in analyse(sentences("Acme Data Ltd bid. Acme Systems Ltd won.")).entities if e.mentions}
    assert named == {"Acme Data Ltd", "Acme Systems Ltd"}


def test_firms_are_matched_with_and_without_their_suffix_once_each(monkeypatch) -> None:
    """A document naming many firms: each name is compared with those of its own name
    without the suffix, not with every firm named before it."""
    names = [f"Firm{chr(97 + i // 26)}{chr(97 + i % 26)} Analytics" for i in range(600)]
    text = " ".join(f"{name} Ltd bid. {name} said it would." for name in names)
    calls = 0
    real = entities._legal_core

    def counted(form: str) -> str:
        nonlocal calls
        calls += 1
        return real(form)

    monkeypatch.setattr(entities, "_legal_core", counted)
    named = [e for e in analyse(sentences(text)).entities if e.mentions]
    assert sorted(e.name for e in named) == sorted(f"{name} Ltd" for name in names)
    assert all(len(e.mentions) == 2 for e in named)
    assert calls < 5 * len(names)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Tom O'Neill spoke first. Later O'Neill said no.", {"O'Neill"}),
        ("Sen. Maria Lopez and Sen. Thomas Greer wrote to the agency.", {"Maria Lopez", "Thomas Greer"}),
        ("Apologies were received from Cllr. Margaret Eze and Cllr. Sam Adebayo.", {"Margaret Eze", "Sam Adebayo"}),
        ("On 23 August the Council emailed her. The Council said so.", set()),  # not "August the Council"
        ("Y has an education, health and care (EHC) plan. The EHC plan said so.", set()),
        ("The contract went to Veridex Systems Inc. of Reston, Va., last year.", {"Veridex Systems Inc."}),
        (
            "It cited a test by the National Institute of Standards and Technology.",
            {"National Institute of Standards and Technology"},
        ),
        (
            "WASHINGTON — The U.S. Department of Homeland Security will add cameras.",
            {"U.S. Department of Homeland Security"},
        ),
        ('"It is safe," TSA Administrator J. R. Holloway said in a statement.', {"J. R. Holloway"}),
        ("A question from Harrowfield Parents' Forum was read.", {"Harrowfield Parents' Forum"}),
        ("The Fair Justice Network said the plan was unlawful.", {"Fair Justice Network"}),
        ("The Local Government and Social Care Ombudsman found fault.", {"Local Government and Social Care Ombudsman"}),
        ("The Port of Seattle Commission voted to pause it.", {"Port of Seattle Commission"}),
        ("The Home Office and the Ministry of Justice agreed.", {"Home Office", "Ministry of Justice"}),
        ("The Home Office and Ministry of Justice agreed.", {"Home Office", "Ministry of Justice"}),
        ("Our survey, carried out by Fieldline Research in March, found gaps.", {"Fieldline Research"}),
        ("The rate, as measured by the National Physical Laboratory, was low.", {"National Physical Laboratory"}),
        (
            "Also present: Mr P. Daniels (Head of Legal Services) and Cllr. Priya Shah (Cabinet Member).",
            {"P. Daniels", "Priya Shah"},
        ),
    ],
)
def test_names_of_many_forms(text: str, named: set[str]) -> None:
    assert {e.name for e in analyse(sentences(text)).entities if e.mentions} == named


def test_a_spokesperson_speaks_for_the_body_named_before() -> None:
    text = (
        "The Information Commissioner's Office said it was making enquiries. "
        "A spokesperson said councils must carry out an assessment first."
    )
    found = sentences(text)
    analysis = analyse(found)
    speaker = attribution(analysis, found[1])
    assert speaker is not None and speaker.name == "Information Commissioner's Office"
    # Named with the body it speaks for: that body.
    found = sentences("Liberty objected. A Home Office spokesperson said the rules were clear.")
    speaker = attribution(analyse(found), found[1])
    assert speaker is not None and speaker.name == "Home Office"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Critics warned that the cameras amount to mass surveillance.", "surveillance"),
        ("Campaigners fear the tool is biased against Black defendants.", "bias"),
        ("The contract was poor value for money, the committee found.", "value for money"),
        ("Patient groups have raised concerns about the contract.", "other"),
        ("The council will complete a data protection impact assessment.", None),
        ("The system complies with privacy law.", None),
        ("A review found it flagged disabled claimants at twice the rate of others.", "bias"),
        ("The director called for an independent inquiry.", "accountability"),
        ("Councils must carry out a data protection impact assessment before using it.", "privacy"),
        ("The charity warned that claimants had been left without money for weeks.", "other"),
        ("The charity welcomed the decision.", None),
        ("These gaps suggest the model may be treating some groups differently.", "bias"),
        ("It has not published that analysis.", "accountability"),
        ("Travellers said officers photographed them without asking.", "privacy"),
        ("The Council was at fault because it did not tell her.", "accountability"),
        ("The system could not read the plans, so it sent the wrong letters.", "accuracy"),
        ('Its own analysis found "no evidence of unfair treatment of claimants".', None),
    ],
)
def test_concern_categories(text: str, category: str | None) -> None:
    found = concern_category(text)
    assert (found[0] if found else None) == category


def test_a_concern_no_one_is_named_for_is_not_stated(tmp_path: Path) -> None:
    doc = SourceDocument.from_text("There is a risk that the system is vulnerable to cyber attack.\n")
    items = draft([DraftSource("S1", "t", "t.txt", "0" * 64, doc)])
    (concern,) = items.concerns
    assert (concern.category, concern.raised_by) == ("security", NOT_STATED)


def test_escape_keeps_text_as_written() -> None:
    raw = r"a *b* _c_ `d` [S1 ¶2] [x](y) <http://z> &amp; {#id} back\slash"
    text = render(
        "x",
        "T",
        [DraftSource("S1", "t", "t.txt", "0" * 64, SourceDocument.from_text("p\n"))],
        _dt.date(2025, 1, 1),
        None,
    )
    brief_text = text.replace("## Key facts\n", f"## Key facts\n\n- {escape(raw)} [S1 ¶1]\n")
    (fact,) = parse_brief(brief_text, "x.md", "x").facts
    assert fact.statement == neutral(raw) and len(fact.citations) == 1
    assert neutral(raw) == raw.replace("¶2]", "¶2 ]").replace("{#id}", "{#id }")


# --- the measured bound ------------------------------------------------------------------------


def load_scorer():
    spec = importlib.util.spec_from_file_location("drafting_score", DRAFTING / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_drafter_meets_its_targets_on_the_labelled_documents() -> None:
    """docs/drafting.md: figures and dates ≥ 90% recall, no invented date, stakeholders ≥ 80%
    recall, ≥ 95% of citations bearing out their item; on the tuning set, on the held-out set,
    and on all of them. A quality bound, not a timing."""
    scorer = load_scorer()
    results = scorer.as_json(scorer.run())
    totals = {name: results[name]["total"] for name in scorer.SETS} | {"all": results["all"]}
    assert results["held-out"]["documents"], "the held-out documents are missing"
    for name, total in totals.items():
        assert total["check_errors"] == 0, name
        assert total["figures"]["recall"] >= 0.90, (name, total["figures"])
        assert total["dates"]["recall"] >= 0.90, (name, total["dates"])
        assert total["invented_dates"] == 0, name
        assert total["stakeholders"]["recall"] >= 0.80, (name, total["stakeholders"])
        assert total["citation_accuracy"] >= 0.95, (name, total["citation_accuracy"])


def test_the_scorer_counts_what_it_should(tmp_path: Path) -> None:
    """The scorer is itself checked: a brief with an invented date, a wrong figure and a
    stakeholder cited where the name is not is scored down."""
    scorer = load_scorer()
    doc_text = "The Home Office paid £5m on 14 March 2025.\n\nLiberty objected.\n"
    source = SourceDocument.from_text(doc_text)
    brief_text = (
        "---\ntitle: t\ndate: 2025\nstatus: draft\nsummary: s\nsources:\n  - {id: S1, title: t, file: t.txt}\n---\n\n"
        "## Key facts\n\n- The Home Office paid £5m. [S1 ¶1.1]\n  figure: £6m\n\n"
        "## Stakeholders\n\n- Liberty\n  stance: opposes\n  Paid. [S1 ¶1.1]\n\n"
        "## Timeline\n\n- 2024-03-14\n  Paid. [S1 ¶1.1]\n"
    )
    brief = parse_brief(brief_text, "t.md", "t")
    labels = {
        "figures": [{"figure": "£5m", "paragraph": 1}],
        "dates": [{"date": "14 March 2025", "iso": "2025-03-14", "paragraph": 1}],
        "stakeholders": [{"name": "Home Office"}, {"name": "Liberty", "stance": "opposes"}],
        "concerns": [],
    }
    score = scorer.score_document("t", labels, brief, source, [])
    assert score.panes["figures"].found == 0 and score.panes["figures"].right == 0
    assert score.panes["dates"].found == 0 and score.invented_dates == 1
    assert score.panes["stakeholders"].found == 1 and score.panes["stakeholders"].labels == 2
    assert score.cited_ok == 0 and score.cited == 3


def test_entities_module_names_no_model() -> None:
    """Rules and word lists only: nothing is downloaded or loaded from a model."""
    source = Path(entities.__file__).read_text(encoding="utf-8")
    assert "spacy" not in source.lower() and "http" not in source


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("Dr Helen Marsh (Kelvedon and Tiptree) (LD): I beg to move the motion.", "Dr Helen Marsh"),
        ("Dr Marsh: I give way to the right hon. Gentleman.", "Dr Marsh"),
        ("The Minister for Digital Government (Mr Ian Pryce): I thank her.", "Mr Ian Pryce"),
        ("It took twenty minutes. Who is it for? — Margaret Pell, Sedgley Cross", "Margaret Pell"),
        ("We should be told. — Cllr. Rob Feeney (Lib Dem, Sedgley Cross ward)", "Cllr. Rob Feeney"),
        ("Summary: Mrs X complains that the council did not tell her.", None),
        ("Key Findings: most of them.", None),
        ("However, the council said: no.", None),
        ("The council paid £5m — a record, said Ms Lee.", None),
    ],
)
def test_who_a_whole_paragraph_is_by(paragraph: str, speaker: str | None) -> None:
    from briefing.authoring.entities import paragraph_speaker

    found = paragraph_speaker(paragraph)
    assert (found[0] if found else None) == speaker
    if found:
        assert paragraph[found[1] : found[2]] == speaker


def test_a_debate_turn_and_a_signed_letter_speak_for_their_paragraph(tmp_path: Path) -> None:
    text = (
        "Dr Helen Marsh (Kelvedon) (LD): A configuration error exposed the names of 41,300 people. "
        "Nobody asked them whether they wanted it.\n\n"
        "Dr Marsh: The contract was worth £18.5 million.\n\n"
        "The saving is put at £420,000 a year. Who, exactly, is this saving money for? "
        "— Margaret Pell, Denby\n"
    )
    doc = SourceDocument.from_text(text)
    items = draft([DraftSource("S1", "t", "t.txt", "0" * 64, doc)])
    said = {tuple(m.text for m in f.figures): f.according_to for f in items.facts}
    assert said[("41,300 people",)] == "Helen Marsh" and said[("£18.5 million",)] == "Helen Marsh"
    assert said[("£420,000",)] == "Margaret Pell"
    assert {c.raised_by for c in items.concerns} == {"Helen Marsh", "Margaret Pell"}
    assert {s.name for s in items.stakeholders} >= {"Helen Marsh", "Margaret Pell"}
    # The signature alone is too short to bear a claim: its paragraph is cited instead.
    pell = next(s for s in items.stakeholders if s.name == "Margaret Pell")
    assert [c.citation for c in pell.lines] == ["[S1 ¶3]"]


class _CountedWord(tuple):
    """A word of a run, (start, end, text), that counts how often it is read whole."""

    reads = 0

    def __iter__(self):
        _CountedWord.reads += 1
        return super().__iter__()


@pytest.mark.parametrize(
    ("pattern", "parts", "first"),
    [
        ("Aaa ", 1, ["Aaa Aaa Aaa Aaa"]),
        ("Aaa's Bbb Sen ", 6000, ["Aaa", "Bbb", "Sen Aaa", "Bbb"]),
        ("Ministry of ", 1, ["Ministry of Min"]),
    ],
)
def test_a_long_run_of_capitalised_words_is_split_reading_each_word_a_few_times(pattern, parts, first, monkeypatch):
    """A source can hold a paragraph of thousands of capitalised words: splitting the run
    reads each word a few times, not once more for every word of the run."""
    text = pattern * 3000
    words = tuple(_CountedWord((m.start(), m.end(), m.group())) for m in re.finditer(r"\S+", text))
    monkeypatch.setattr(_CountedWord, "reads", 0)
    found = entities.split_run(entities._Run(words[0][0], words[-1][1], words))
    assert len(found) == parts
    assert [text[part.start : part.end][:15] for part in found[: len(first)]] == first
    assert _CountedWord.reads < 5 * len(words)


def test_many_pronouns_are_taken_back_without_reading_the_document_again_each_time(monkeypatch) -> None:
    """ "It said." after "It said." ...: each pronoun looks back a sentence or two, not over
    every sentence before it (a source can hold thousands)."""
    reads = 0
    real = entities.Sentence.ref

    def counted(self):
        nonlocal reads
        reads += 1
        return real.fget(self)

    monkeypatch.setattr(entities.Sentence, "ref", property(counted))
    text = "The Home Office said it would act. " + "It said so again. " * 1500 + "A spokesperson said so."
    doc = SourceDocument.from_text(text + "\n")
    items = draft([DraftSource("S1", "t", "t.txt", "0" * 64, doc)])
    assert [s.name for s in items.stakeholders] == ["Home Office"]
    assert reads < 200 * 1500


def test_names_spelled_out_by_many_abbreviations_are_read_near_each(monkeypatch) -> None:
    """Each "(ABC)" reads the words just before it, not the paragraph from its start."""
    read: list[int] = []
    real = entities._NAME_WORD

    class Counted:
        def finditer(self, text: str, pos: int = 0, endpos: int = 2**63):
            read.append(min(endpos, len(text)) - pos)
            return real.finditer(text, pos, endpos)

    monkeypatch.setattr(entities, "_NAME_WORD", Counted())
    text = "The Medicines and Healthcare products Regulatory Agency (MHRA) said so. " + "A text (ABC) and " * 3000
    [name] = entities._spelled_out(text)
    assert text[name.start : name.end] == "Medicines and Healthcare products Regulatory Agency"
    assert sum(read) < 1000 * len(read)
