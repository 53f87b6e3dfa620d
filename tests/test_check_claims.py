"""``briefing check`` reads a whole brief in one pass and checks its claims against their
cited passages: figures, dates, attributions, passage length, drafted marks, and a source
that changed since the brief recorded its SHA-256."""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path

import pytest

from briefing.cli.checking import run_check, watch
from briefing.cli.main import main

from .fixtures import BUNDLED, line_of

SOURCE = (
    "The council approved a £50 million contract in March 2025. It runs for five years.\n"
    "\n"
    "Critics claim the system misidentifies one in three people. The scheme began in March.\n"
    "\n"
    "Dr. Patel of St. Albans said the trial would start in 2024. Yes.\n"
    "\n"
    "According to the Home Office, 3,000 officers were trained last year.\n"
)


def brief(
    facts: str = "", timeline: str = "", status: str = "draft", extra_source: str = "", concerns: str = ""
) -> str:
    return f"""\
---
id: claims
title: Claims
date: 2026-11-30
status: {status}
summary: A brief to check claims with.
sources:
  - id: S1
    title: A council report
    file: report.txt{extra_source}
---

## Key facts

{facts or "- The council approved a contract. [S1 ¶1.1]"}

## Concerns

{concerns}

## Timeline

{timeline}
"""


def library(tmp_path: Path, text: str, source: str = SOURCE, pin: bool = True) -> Path:
    """A library of the brief ``text`` and its source; ``pin``: the brief records the
    source's SHA-256 (as the tools write it), when it records none of its own."""
    root = tmp_path / "lib"
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "report.txt").write_text(source, encoding="utf-8")
    if pin and "sha256:" not in text:
        text = text.replace("file: report.txt", f"file: report.txt\n    sha256: {digest(root)}")
    (root / "claims.md").write_text(text, encoding="utf-8")
    return root


def check(root: Path, capsys, *options: str) -> tuple[int, list[str]]:
    code = main(["check", *options, str(root)])
    return code, capsys.readouterr().out.splitlines()


def warnings(lines: list[str]) -> list[str]:
    return [line.split(": warning: ", 1)[1] for line in lines if ": warning: " in line]


# -- the lints ------------------------------------------------------------------------------


def test_an_invented_year_is_caught(tmp_path: Path, capsys):
    text = brief(timeline="- 2027-03\n  The scheme began. [S1 ¶2.2]")
    root = library(tmp_path, text)
    code, out = check(root, capsys)
    assert code == 0  # a warning, not an error, until --strict
    [said] = warnings(out)
    assert said.startswith("2027-03: the year 2027 is in none of its cited passages")
    written = (root / "claims.md").read_text(encoding="utf-8")
    assert out[0].startswith(f"{root / 'claims.md'}:{line_of(written, '- 2027-03')}: warning: ")
    code, out = check(root, capsys, "--strict")
    assert code == 1
    assert out == [f"{root / 'claims.md'}:{line_of(written, '- 2027-03')}: {said}"]


def test_a_date_the_passage_gives_passes_however_it_is_written(tmp_path: Path, capsys):
    text = brief(
        facts="- The contract was approved in March 2025. [S1 ¶1.1]",
        timeline="- 2025-03\n  The council approves the contract. [S1 ¶1.1]\n- March\n  The scheme begins. [S1 ¶2.2]",
    )
    code, out = check(library(tmp_path, text), capsys, "--strict")
    assert (code, out) == (0, [])


def test_a_timeline_date_more_precise_than_its_passage(tmp_path: Path, capsys):
    text = brief(timeline="- 2024-06-01\n  Dr. Patel says the trial starts. [S1 ¶3.1]")
    code, out = check(library(tmp_path, text), capsys)
    assert warnings(out) == ["2024-06-01: more precise than its cited passages, which give only the year ([S1 ¶3.1])"]


def test_a_figure_not_in_its_passage_is_caught_and_one_that_is_passes(tmp_path: Path, capsys):
    text = brief(
        facts="- The contract was worth £60m. [S1 ¶1.1]\n"
        "- The contract was worth £50m. [S1 ¶1.1]\n  figure: £50,000,000\n"
        "- It runs for 5 years. [S1 ¶1.2]\n  figure: five-year"
    )
    root = library(tmp_path, text)
    code, out = check(root, capsys)
    assert warnings(out) == ["£60m is in none of its cited passages ([S1 ¶1.1])"]
    written = (root / "claims.md").read_text(encoding="utf-8")
    assert f"claims.md:{line_of(written, '£60m')}: warning:" in out[0]


def test_reported_speech_written_as_fact_is_caught(tmp_path: Path, capsys):
    text = brief(facts="- The system misidentifies one in three people. [S1 ¶2.1]")
    code, out = check(library(tmp_path, text), capsys)
    [said] = warnings(out)
    assert said.startswith("stated as fact, but [S1 ¶2.1] attributes it (“Critics”)")
    assert "according to: WHO" in said
    # The same with a reporting verb before the claim ("According to X, ...").
    text = brief(facts="- 3,000 officers were trained. [S1 ¶4]")
    _, out = check(library(tmp_path, text), capsys)
    assert [w[:40] for w in warnings(out)] == ["stated as fact, but [S1 ¶4] attributes i"]


@pytest.mark.parametrize(
    "fact",
    [
        "- The system misidentifies one in three people. [S1 ¶2.1]\n  according to: critics",
        "- Critics claim the system misidentifies one in three people. [S1 ¶2.1]",
        "- 3,000 officers were trained, according to the Home Office. [S1 ¶4]",
    ],
)
def test_a_claim_that_names_who_makes_it_passes(fact, tmp_path: Path, capsys):
    code, out = check(library(tmp_path, brief(facts=fact)), capsys, "--strict")
    assert (code, out) == (0, [])


def test_the_source_own_statement_beside_an_attribution_is_not_reported_speech(tmp_path: Path, capsys):
    source = "The use of AI by police has been a contentious issue, with critics raising alarms about bias.\n"
    text = brief(facts="- Police use of AI has been a contentious issue. [S1 ¶1]")
    code, out = check(library(tmp_path, text, source=source), capsys, "--strict")
    assert (code, out) == (0, [])


def test_a_passage_under_four_words(tmp_path: Path, capsys):
    text = brief(facts="- The trial was agreed. [S1 ¶3.2]")
    _, out = check(library(tmp_path, text), capsys)
    assert warnings(out) == [
        "[S1 ¶3.2] is “Yes.”: under 4 words, too little to bear a claim (cite the whole sentence or paragraph)"
    ]


@pytest.mark.parametrize("status, warned", [("draft", False), ("review", True), ("published", True)])
def test_drafted_items_are_flagged_once_the_brief_is_for_review(status, warned, tmp_path: Path, capsys):
    text = brief(facts="- The council approved a contract. [S1 ¶1.1]\n  drafted: figure", status=status)
    _, out = check(library(tmp_path, text), capsys)
    expected = (
        f"still marked 'drafted: figure' in a brief whose status is {status}: "
        "read it against its passage, then delete the drafted: line"
    )
    assert warnings(out) == ([expected] if warned else [])


def test_a_raiser_the_passage_does_not_show_raising_it(tmp_path: Path, capsys):
    concern = "- Cost\n  category: value for money\n  raised by: the council\n  Too costly. [S1 ¶1.2]"
    _, out = check(library(tmp_path, brief(concerns=concern)), capsys)
    assert warnings(out) == [
        "raised by: the council, but none of its cited passages ([S1 ¶1.2]) has them raising it: "
        "cite the passage that does, or name who did"
    ]
    concern = "- Accuracy\n  category: accuracy\n  raised by: critics\n  Misidentification. [S1 ¶2.1]"
    code, out = check(library(tmp_path, brief(concerns=concern)), capsys, "--strict")
    assert (code, out) == (0, [])


def test_the_bundled_briefs_pass_strict(capsys):
    code, out = check(BUNDLED, capsys, "--strict")
    assert (code, out) == (0, [])


# -- one pass -------------------------------------------------------------------------------


def test_every_problem_is_reported_in_one_pass(tmp_path: Path, capsys):
    """A bad date used to hide the status, the sources and the citations; a structure error
    used to hide the paragraph errors."""
    text = (
        brief(facts="- A claim. [S1 ¶9]\n- Another. [S1 ¶2.3]")
        .replace("date: 2026-11-30", "date: 2026-02-30")
        .replace("status: draft", "status: finished")
        .replace("## Concerns", "## Worries")
    )
    code, out = check(library(tmp_path, text), capsys)
    assert code == 1
    found = [line.split(": ", 1)[1] for line in out]
    assert found == [
        "front matter: 'date' has a value that cannot be read: day is out of range for month",
        "status 'finished' is not one of draft, review, published, archived",
        "[S1 ¶9]: source S1 has 4 paragraphs",
        "¶2 of source S1 has 2 sentences; [S1 ¶2.3] cites a third",
        "unknown section 'Worries': use Key facts, Stakeholders, Concerns or Timeline",
    ]


def test_an_empty_sources_list_says_a_source_is_needed(tmp_path: Path, capsys):
    text = brief().replace("sources:\n  - id: S1\n    title: A council report\n    file: report.txt", "sources: []")
    text = text.replace(" [S1 ¶1.1]", "")
    code, out = check(library(tmp_path, text), capsys)
    assert code == 1
    assert any(line.endswith("a brief needs at least one source: 'sources' is empty") for line in out), out


# -- a source that changed ------------------------------------------------------------------


def digest(root: Path) -> str:
    return hashlib.sha256((root / "sources" / "report.txt").read_bytes()).hexdigest()


def test_a_changed_source_names_the_citations_that_now_read_otherwise(tmp_path: Path, capsys):
    text = brief(facts="- It runs for five years. [S1 ¶1.2]\n- The scheme began in March. [S1 ¶2.2]")
    root = library(tmp_path, text)
    pinned = (root / "claims.md").read_text(encoding="utf-8")
    assert check(root, capsys, "--strict") == (0, [])  # and the text it matches is kept
    (root / "sources" / "report.txt").write_text(
        SOURCE.replace("It runs for five years.", "It was signed in public. It runs for five years."),
        encoding="utf-8",
    )
    code, out = check(root, capsys)
    said = warnings(out)
    assert said[0].startswith(f"source S1 (report.txt) changed since the brief recorded it (sha256 {digest(root)[:0]}")
    assert said[0].endswith(f"then record sha256: {digest(root)}")
    assert said[1:] == [
        "[S1 ¶1.2] now reads “It was signed in public.”; it read “It runs for five years.” "
        "when the brief recorded the source",
        "five years is in none of its cited passages ([S1 ¶1.2])",  # the claim no longer holds
    ]
    assert f"claims.md:{line_of(pinned, 'five years. [S1')}: warning: [S1 ¶1.2] now reads" in out[-2]


def test_a_changed_source_whose_earlier_text_is_unknown_says_so(tmp_path: Path, capsys):
    text = brief().replace("file: report.txt", "file: report.txt\n    sha256: " + "ab" * 32)
    root = library(tmp_path, text)
    _, out = check(root, capsys)
    [said] = warnings(out)
    assert "its earlier text is not on this machine, so read every citation of it again" in said
    assert said.startswith("source S1 (report.txt) changed since the brief recorded it (sha256 abababababab…")


def test_a_citation_numbered_by_the_old_sentence_split_is_reported(tmp_path: Path, capsys):
    """The split used to end sentences at "Dr." and "St.": a brief written then that cites
    ¶3.2 meant "Patel of St." and now gets another sentence; check says so."""
    text = brief(facts="- Dr. Patel spoke about the trial. [S1 ¶3.2]")
    root = library(tmp_path, text, pin=False)
    _, out = check(root, capsys)
    assert warnings(out) == [
        "[S1 ¶3.2] is “Yes.”: under 4 words, too little to bear a claim (cite the whole sentence or paragraph)",
        "[S1 ¶3.2] now reads “Yes.”; sentences are split more carefully than when the brief was written, "
        "and it read “Patel of St.”: check the number, then record sha256: "
        + hashlib.sha256((root / "sources" / "report.txt").read_bytes()).hexdigest()
        + " under source S1 (its citations are then read only the new way)",
    ]
    # A brief that records the source's SHA-256 was written with the split of today.
    _, out = check(library(tmp_path, text), capsys)
    assert [w[:20] for w in warnings(out)] == ["[S1 ¶3.2] is “Yes.”:"]


# -- --watch --------------------------------------------------------------------------------


def test_watch_checks_again_on_every_save(tmp_path: Path, capsys):
    root = library(tmp_path, brief())
    done: list[int] = []
    runner = threading.Thread(target=lambda: done.append(watch([root], rounds=2)), daemon=True)
    runner.start()
    deadline = time.monotonic() + 30  # a hang guard, far above the half-second poll
    while "watching for saves" not in capsys.readouterr().err and time.monotonic() < deadline:
        time.sleep(0.05)
    (root / "claims.md").write_text(brief().replace("status: draft", "status: odd"), encoding="utf-8")
    runner.join(timeout=30)
    assert not runner.is_alive() and done == [1]
    assert "status 'odd'" in capsys.readouterr().out


def test_run_check_counts_briefs(tmp_path: Path):
    root = library(tmp_path, brief())
    report = run_check([root])
    assert (report.count, report.errors, report.warnings) == (1, [], [])


def test_show_json_keeps_every_field_as_written(tmp_path: Path, capsys):
    text = brief(
        facts="- The system misidentifies one in three people. [S1 ¶2.1]\n  according to: critics\n  drafted: figure",
        timeline="- 7 March\n  sort: 2025-03-07\n  The scheme begins. [S1 ¶2.2]",
    )
    root = library(tmp_path, text)
    assert main(["show", "claims", "--library", str(root), "--format", "json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    [fact] = data["facts"]
    assert (fact["statement"], fact["according_to"], fact["drafted"], fact["figure"]) == (
        "The system misidentifies one in three people.",
        "critics",
        "figure",
        None,
    )
    [event] = data["timeline"]
    assert (event["when"], event["sort"], event["event"]) == ("7 March", "2025-03-07", "The scheme begins.")
    assert data["sources"][0]["sha256"] == digest(root)
    assert main(["show", "claims", "--library", str(root)]) == 0
    shown = capsys.readouterr().out
    assert "- critics say: The system misidentifies one in three people. [S1 ¶2.1]" in shown
    assert "    Drafted: figure" in shown and "    Sort: 2025-03-07" in shown


def test_many_briefs_are_checked_in_workers_with_the_same_report(tmp_path: Path, monkeypatch):
    from briefing.cli import checking

    root = library(tmp_path, brief(facts="- The contract was worth £60m. [S1 ¶1.1]"))
    for n in range(3):
        text = brief(timeline="- 2027-03\n  The scheme began. [S1 ¶2.2]").replace("id: claims", f"id: claims-{n}")
        (root / f"claims-{n}.md").write_text(text, encoding="utf-8")
    (root / "twin.md").write_text((root / "claims-0.md").read_text(encoding="utf-8"), encoding="utf-8")
    alone = run_check([root])
    monkeypatch.setattr(checking, "POOL_FROM", 2)
    monkeypatch.setattr(checking, "BATCH", 2)
    pooled = run_check([root])
    assert (pooled.count, pooled.errors, pooled.warnings) == (alone.count, alone.errors, alone.warnings)
    assert alone.count == 5 and len(alone.warnings) == 5  # £60m, and the year of each of four
    assert [e.message for e in alone.errors] == [f"brief id 'claims-0' is also used by {root / 'claims-0.md'}"]
