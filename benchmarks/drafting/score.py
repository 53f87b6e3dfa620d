"""Score ``briefing draft`` against hand-labelled documents (docs/drafting.md says how).

Each document in ``documents/`` is drafted the way an author drafts one: taken into a fresh
library and drafted by the ``briefing draft`` command, whose brief is then read back by the
parser and checked by ``briefing check``. The brief's items are compared with the labels in
``labels/`` (written by reading the documents, never from the drafter's output):

- **figures**: a labelled figure is found when a key fact citing its paragraph has it in its
  ``figure:`` line (the same value, allowing for rounding, or the same words); precision
  counts every figure of every drafted fact.
- **dates**: a labelled date is found when a timeline entry citing its paragraph is written
  as the label says (``2025-03-14``, or the words of a date the text gives without a year).
  An **invented date** is a timeline entry whose date is not in its cited sentence.
- **stakeholders**: found when a drafted stakeholder's name is the label's name or one of its
  other names; a second stakeholder for the same label is counted against precision.
- **concerns**: found when a drafted concern cites the labelled sentence.
- **citation accuracy**: the share of drafted items whose cited sentence holds their figure,
  date, name, or a word of their concern's category.

    .venv/bin/python benchmarks/drafting/score.py            # the table, as in docs/drafting.md
    .venv/bin/python benchmarks/drafting/score.py --json     # every number, for tests/test_draft.py
    .venv/bin/python benchmarks/drafting/score.py --show DOC # what was missed and what was extra
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DOCUMENTS = HERE / "documents"
LABELS = HERE / "labels"
# The sets held to the targets (tests/test_draft.py); "all" is these together.
SETS = ("tuning", "held-out")
# Measured and reported on their own rows, outside "all", held to no target: the third
# blind set missed the stakeholder target when first measured (docs/drafting.md); the fourth
# and fifth were written and labelled without reading the rules, to measure them on text they
# never saw.
REPORTED = ("held-out-3", "held-out-4", "held-out-5")


@dataclass
class Count:
    found: int = 0  # labels found
    labels: int = 0
    right: int = 0  # drafted items that match a label
    drafted: int = 0

    def add(self, other: Count) -> None:
        self.found += other.found
        self.labels += other.labels
        self.right += other.right
        self.drafted += other.drafted

    @property
    def recall(self) -> float:
        return self.found / self.labels if self.labels else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.drafted if self.drafted else 1.0


@dataclass
class Score:
    panes: dict[str, Count] = field(default_factory=lambda: {p: Count() for p in PANES})
    cited_ok: int = 0
    cited: int = 0
    invented_dates: int = 0
    unfounded_sorts: int = 0
    wrong_sorts: int = 0  # a sort the label says is not stated, or another date than the label's
    stances_stated: int = 0  # drafted stances that agree with the label's
    stances_wrong: int = 0  # drafted stances the label does not have
    stance_labels: int = 0
    kinds_right: int = 0
    kinds_guessed: int = 0
    attributions_right: int = 0
    attributions: int = 0
    raisers_right: int = 0
    raisers: int = 0
    categories_right: int = 0
    checked: int = 0
    check_errors: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for pane in PANES:
            self.panes[pane].add(other.panes[pane])
        for name in (
            "cited_ok",
            "cited",
            "invented_dates",
            "unfounded_sorts",
            "wrong_sorts",
            "stances_stated",
            "stances_wrong",
            "stance_labels",
            "kinds_right",
            "kinds_guessed",
            "attributions_right",
            "attributions",
            "raisers_right",
            "raisers",
            "categories_right",
            "checked",
            "check_errors",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def citation_accuracy(self) -> float:
        return self.cited_ok / self.cited if self.cited else 1.0


PANES = ("figures", "dates", "stakeholders", "concerns")


def fold(text: str) -> str:
    from briefing.authoring.entities import fold as fold_name

    return fold_name(text)


def draft_document(document: Path, work: Path):
    """Draft ``document`` with the command line into a fresh library in ``work``; the brief,
    its source, and the problems ``briefing check`` reports."""
    from briefing.cli.main import main
    from briefing.core.parse import load_brief
    from briefing.core.sources import load_source

    library = work / document.stem
    library.mkdir()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["draft", "drafted", "--source", str(document), "--library", str(library)])
    if code != 0:
        raise SystemExit(f"briefing draft failed on {document.name}: {err.getvalue().strip()}")
    check_out = io.StringIO()
    with contextlib.redirect_stdout(check_out), contextlib.redirect_stderr(io.StringIO()):
        check_code = main(["check", str(library)])
    problems = [line for line in check_out.getvalue().splitlines() if line.strip()]
    if check_code != 0 and not problems:
        problems = ["briefing check failed"]
    brief = load_brief(library / "drafted.md")
    source = load_source(library, brief.sources[0].file or "")
    return brief, source, problems


def sentence_of(source, citation) -> str:
    if citation.sentence is None:
        return source.paragraphs[citation.paragraph - 1]
    return source.sentences(citation.paragraph)[citation.sentence - 1]


def score_document(name: str, labels: dict, brief, source, problems: list[str]) -> Score:
    from briefing.authoring.draft import CATEGORIES, EXPLICIT_CONCERN, NOT_STATED
    from briefing.authoring.figures import calendar, dates, figures, same_figure
    from briefing.core.model import Concern, Event, Fact, Stakeholder

    score = Score(checked=1, check_errors=len(problems))
    score.misses += [f"{name}: check: {p}" for p in problems]
    facts = [i for i in brief.items() if isinstance(i, Fact)]
    events = [i for i in brief.items() if isinstance(i, Event)]
    people = [i for i in brief.items() if isinstance(i, Stakeholder)]
    concerns = [i for i in brief.items() if isinstance(i, Concern)]
    stakeholder_labels = labels.get("stakeholders") or []

    def names_of(label: dict) -> set[str]:
        return {fold(label["name"]), *(fold(a) for a in label.get("aliases") or [])}

    def same_one(written: str, wanted: str) -> bool:
        """Whether ``written`` (a drafted speaker or raiser) names ``wanted`` (a label's)."""
        a, b = fold(written), fold(wanted)
        if not a or not b:
            return False
        if a == b or a in b.split() or b in a:
            return True
        for label in stakeholder_labels:
            forms = names_of(label)
            if b in forms and a in forms:
                return True
        return False

    # --- figures ------------------------------------------------------------------------
    drafted_figures = []  # (fact, mention)
    for fact in facts:
        seen_spans: set[tuple[int, int]] = set()
        for mention in figures(fact.figure or ""):
            if (mention.start, mention.end) not in seen_spans:  # a range ("£2-3m") is one figure
                seen_spans.add((mention.start, mention.end))
                drafted_figures.append((fact, mention))
    used: set[int] = set()
    pane = score.panes["figures"]
    for label in labels.get("figures") or []:
        keys = [m.key for m in figures(label["figure"])]
        hit = None
        for index, (fact, mention) in enumerate(drafted_figures):
            if fact.citations[0].paragraph != label["paragraph"]:
                continue
            written = fold(mention.text)
            if any(same_figure(k, mention.key) for k in keys) or written.startswith(fold(label["figure"])):
                hit = index
                break
        if hit is not None:
            used.add(hit)
        if label.get("optional"):
            continue
        pane.labels += 1
        if hit is None:
            score.misses.append(f"{name}: figure missed: {label['figure']} (¶{label['paragraph']})")
            continue
        pane.found += 1
        wanted = label.get("according_to")
        if wanted != "any":
            score.attributions += 1
            given = drafted_figures[hit][0].according_to
            if (wanted is None and given is None) or (wanted and given and same_one(given, wanted)):
                score.attributions_right += 1
            else:
                score.misses.append(f"{name}: figure {label['figure']}: according to {given!r}, labelled {wanted!r}")
    pane.drafted = len(drafted_figures)
    pane.right = len(used)
    for index, (fact, mention) in enumerate(drafted_figures):
        if index not in used:
            score.misses.append(f"{name}: figure extra: {mention.text} (¶{fact.citations[0].paragraph})")

    # --- dates --------------------------------------------------------------------------
    pane = score.panes["dates"]
    used = set()
    for label in labels.get("dates") or []:
        wanted = str(label["iso"]) if label.get("iso") else None
        hit = None
        for index, event in enumerate(events):
            if index in used or event.citations[0].paragraph != label["paragraph"]:
                continue
            head = event.when.text
            if (wanted and head == wanted) or (not wanted and fold(head) == fold(label["date"])):
                hit = index
                break
        if hit is not None:
            used.add(hit)
        if hit is not None and "sort" in label:
            given, wanted_sort = events[hit].sort, str(label["sort"])
            if given is not None and given != wanted_sort:
                score.wrong_sorts += 1
                score.misses.append(f"{name}: {label['date']}: sort {given}, labelled {wanted_sort}")
        if label.get("optional"):
            continue
        pane.labels += 1
        if hit is None:
            score.misses.append(f"{name}: date missed: {label['date']} (¶{label['paragraph']})")
        else:
            pane.found += 1
    pane.drafted, pane.right = len(events), len(used)
    for index, event in enumerate(events):
        if index not in used:
            score.misses.append(f"{name}: date extra: {event.when.text} (¶{event.citations[0].paragraph})")

    # --- stakeholders -------------------------------------------------------------------
    pane = score.panes["stakeholders"]
    matched: dict[int, int] = {}  # label index -> drafted index
    for index, person in enumerate(people):
        form = fold(person.name)
        for number, label in enumerate(stakeholder_labels):
            if form in names_of(label):
                if number in matched:
                    score.misses.append(f"{name}: stakeholder twice: {person.name}")
                else:
                    matched[number] = index
                break
        else:
            score.misses.append(f"{name}: stakeholder extra: {person.name}")
    pane.drafted, pane.right = len(people), len(matched)
    for number, label in enumerate(stakeholder_labels):
        if label.get("optional"):
            continue
        pane.labels += 1
        if number not in matched:
            score.misses.append(f"{name}: stakeholder missed: {label['name']}")
            continue
        pane.found += 1
        person = people[matched[number]]
        if label.get("stance", "unknown") != "any":
            if label.get("stance", "unknown") != "unknown":
                score.stance_labels += 1
            if person.stance != "unknown":
                if person.stance == label.get("stance"):
                    score.stances_stated += 1
                else:
                    score.stances_wrong += 1
                    score.misses.append(
                        f"{name}: stance {person.stance} for {label['name']}, labelled {label['stance']}"
                    )
        if person.kind != "unknown" and label.get("kind", "any") != "any":
            score.kinds_guessed += 1
            if person.kind == label["kind"]:
                score.kinds_right += 1
            else:
                score.misses.append(f"{name}: kind {person.kind} for {label['name']}, labelled {label['kind']}")

    # --- concerns -----------------------------------------------------------------------
    pane = score.panes["concerns"]
    used = set()
    for label in labels.get("concerns") or []:
        hit = None
        for index, concern in enumerate(concerns):
            citation = concern.citations[0]
            if citation.paragraph == label["paragraph"] and label["quote"] in sentence_of(source, citation):
                hit = index
                break
        if hit is not None:
            used.add(hit)
        if label.get("optional"):
            continue
        pane.labels += 1
        if hit is None:
            score.misses.append(f"{name}: concern missed: ¶{label['paragraph']} {label['quote']!r}")
            continue
        pane.found += 1
        concern = concerns[hit]
        if concern.category in label["categories"]:
            score.categories_right += 1
        else:
            score.misses.append(f"{name}: concern ¶{label['paragraph']}: category {concern.category}")
        score.raisers += 1
        raisers = [NOT_STATED if r == "not stated" else r for r in label["raised_by"]]
        if any(same_one(concern.raised_by, r) for r in raisers):
            score.raisers_right += 1
        else:
            score.misses.append(f"{name}: concern ¶{label['paragraph']}: raised by {concern.raised_by!r}")
    pane.drafted, pane.right = len(concerns), len(used)
    for index, concern in enumerate(concerns):
        if index not in used:
            score.misses.append(f"{name}: concern extra: {concern.title}")

    # --- citations ----------------------------------------------------------------------
    patterns = {category: re.compile(rf"\b(?:{p})", re.IGNORECASE) for category, p in CATEGORIES}
    for item in brief.items():
        sentences = [sentence_of(source, c) for c in item.citations]
        ok = False
        if isinstance(item, Fact):
            found = [m.key for s in sentences for m in figures(s)]
            wanted_keys = [m.key for m in figures(item.figure or "")]
            ok = bool(wanted_keys) and all(any(same_figure(w, f) for f in found) for w in wanted_keys)
        elif isinstance(item, Event):
            head = item.when.text
            here = [m for s in sentences for m in dates(s)]
            if re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", head):
                ok = any(calendar(m) == head for m in here)
                if not ok:
                    score.invented_dates += 1
                    score.misses.append(f"{name}: invented date: {head}")
            else:
                ok = any(head in s for s in sentences)
            if item.sort:
                paragraph = source.paragraphs[item.citations[0].paragraph - 1]
                years = {m.key[1] for m in dates(paragraph)}
                if int(item.sort[:4]) not in years:
                    score.unfounded_sorts += 1
                    score.misses.append(f"{name}: sort {item.sort} not stated in ¶{item.citations[0].paragraph}")
        elif isinstance(item, Stakeholder):
            forms = {fold(item.name)}
            parts = item.name.split()
            if len(parts) > 1:
                forms.add(fold(parts[-1]))
            for label in stakeholder_labels:
                if fold(item.name) in names_of(label):
                    forms |= names_of(label)
            ok = bool(sentences) and all(
                any(f and f in fold(s).split(" ") or f in fold(s) for f in forms) for s in sentences
            )
        elif isinstance(item, Concern):
            pattern = patterns.get(item.category, EXPLICIT_CONCERN if item.category == "other" else None)
            ok = bool(pattern) and all(pattern.search(s) for s in sentences)  # type: ignore[union-attr]
        score.cited += 1
        if ok:
            score.cited_ok += 1
        else:
            score.misses.append(f"{name}: citation does not bear out: {item.label[:80]}")
    return score


def run(only: str | None = None) -> dict[str, tuple[Score, dict[str, Score]]]:
    """Score every labelled document; per set, the total and each document's score."""
    results: dict[str, tuple[Score, dict[str, Score]]] = {s: (Score(), {}) for s in SETS + REPORTED}
    with tempfile.TemporaryDirectory(prefix="briefing-drafting-") as temp:
        work = Path(temp)
        for label_file in sorted(LABELS.glob("*.yaml")):
            if only and label_file.stem != only:
                continue
            labels = yaml.safe_load(label_file.read_text(encoding="utf-8"))
            document = DOCUMENTS / f"{label_file.stem}.txt"
            brief, source, problems = draft_document(document, work)
            score = score_document(label_file.stem, labels, brief, source, problems)
            total, each = results[labels.get("set", "tuning")]
            total.add(score)
            each[label_file.stem] = score
    return results


def percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def table(results: dict[str, tuple[Score, dict[str, Score]]]) -> str:
    rows = [
        "| set | documents | figures P / R | dates P / R | stakeholders P / R | concerns P / R | "
        "citation accuracy | invented dates | check errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    every = Score()
    for name in SETS:
        total, each = results[name]
        if not each:
            continue
        every.add(total)
        rows.append(_row(name, len(each), total))
    rows.append(_row("all", sum(len(results[name][1]) for name in SETS), every))
    for name in REPORTED:
        total, each = results[name]
        if each:
            rows.append(_row(name, len(each), total))
    lines = ["\n".join(rows), ""]
    lines.append("| set | stances stated right / wrong (of labelled) | kinds right (of guessed) | "
                 "according to right | concern category right | raised by right | sorts not in the paragraph | sorts wrong |")  # fmt: skip
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in SETS:
        total, each = results[name]
        if each:
            lines.append(_detail(name, total))
    lines.append(_detail("all", every))
    for name in REPORTED:
        total, each = results[name]
        if each:
            lines.append(_detail(name, total))
    return "\n".join(lines)


def _row(name: str, documents: int, score: Score) -> str:
    cells = [name, str(documents)]
    for pane in PANES:
        count = score.panes[pane]
        cells.append(
            f"{percent(count.precision)} / {percent(count.recall)} ({count.right}/{count.drafted}, {count.found}/{count.labels})"
        )
    cells += [
        f"{percent(score.citation_accuracy)} ({score.cited_ok}/{score.cited})",
        str(score.invented_dates),
        str(score.check_errors),
    ]
    return "| " + " | ".join(cells) + " |"


def _detail(name: str, score: Score) -> str:
    found = score.panes["concerns"].found
    cells = [
        name,
        f"{score.stances_stated} / {score.stances_wrong} (of {score.stance_labels})",
        f"{score.kinds_right}/{score.kinds_guessed}",
        f"{score.attributions_right}/{score.attributions}",
        f"{score.categories_right}/{found}",
        f"{score.raisers_right}/{score.raisers}",
        str(score.unfounded_sorts),
        str(score.wrong_sorts),
    ]
    return "| " + " | ".join(cells) + " |"


def as_json(results: dict[str, tuple[Score, dict[str, Score]]]) -> dict:
    def one(score: Score) -> dict:
        return {
            **{
                pane: {
                    "precision": c.precision,
                    "recall": c.recall,
                    "found": c.found,
                    "labels": c.labels,
                    "right": c.right,
                    "drafted": c.drafted,
                }
                for pane, c in score.panes.items()
            },
            "citation_accuracy": score.citation_accuracy,
            "invented_dates": score.invented_dates,
            "unfounded_sorts": score.unfounded_sorts,
            "wrong_sorts": score.wrong_sorts,
            "stances_wrong": score.stances_wrong,
            "check_errors": score.check_errors,
            "documents": score.checked,
        }

    out: dict = {}
    every = Score()
    for name in SETS:
        total, each = results[name]
        every.add(total)
        out[name] = {"total": one(total), "documents": {doc: one(s) for doc, s in each.items()}}
    out["all"] = one(every)
    for name in REPORTED:
        total, each = results[name]
        out[name] = {"total": one(total), "documents": {doc: one(s) for doc, s in each.items()}}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print every number as JSON")
    parser.add_argument(
        "--show", metavar="DOC", help="list what was missed or extra in one document ('all' for every one)"
    )
    args = parser.parse_args(argv)
    results = run(None if args.show in (None, "all") else args.show)
    if args.json:
        print(json.dumps(as_json(results), indent=2))
        return 0
    print(table(results))
    if args.show:
        for _, each in results.values():
            for score in each.values():
                for miss in score.misses:
                    print(miss)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent / "src"))
    raise SystemExit(main())
