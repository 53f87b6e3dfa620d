"""Notes keep their items when a brief is edited, and travel between stores (no Textual).

Anchoring: a note is made on an item of a real brief file; the file is rewritten (items
reordered, a word changed, an id changed, an item rewritten, deleted or moved to another
pane) and parsed again; :func:`briefing.core.anchor.settle` says where each mark shows now and
what may be saved. The rules: a mark shows on an item by itself only in its own pane, with
its text word for word (ok) or close to it (edited); anything else is an orphan, kept with
its text. The store is rewritten only for an exact find under a new id, or when the reader
confirms; when the item comes back as it was the mark is found again and its flag goes.

Exchange: ``briefing export`` and ``briefing import`` through the command line, with
``--store`` and ``--library`` (never the user's own store: see conftest).
"""

from __future__ import annotations

import json
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from briefing import paths
from briefing.cli.main import main
from briefing.core import anchor
from briefing.core.library import Library
from briefing.core.marks import Bookmark, Note
from briefing.core.model import Brief
from briefing.core.parse import load_brief
from briefing.store.exchange import FORMAT, VERSION
from briefing.store.notes import Store, login_name, now
from tests.fixtures import GOOD_BRIEF, write_library

# -- a brief to edit -------------------------------------------------------------

HEAD = """\
---
id: council
title: The council's contract
date: 2024-05-01
status: draft
summary: >
  What the council decided about the contract.
sources:
  - id: S1
    title: The sample source
    file: sample.txt
---

"""

APPROVED = "- The council approved the new contract in March. [S1 ¶1]"
COST = "- The contract was worth five million pounds over three years. [S1 ¶2]"
TRAINING = "- Officers will be trained before the system goes live. {#training} [S1 ¶3]"
PILOT = "- A pilot ran in two boroughs during the summer. [S1 ¶1.2]"
MAYOR = """\
- The Mayor {#mayor}
  kind: government
  stance: opposes
  Blocked the contract after the vote. [S1 ¶1]"""
WORRY = """\
- Cost
  category: value for money
  raised by: critics
  Too expensive for a pilot. [S1 ¶2]"""
VOTE = """\
- 2024-03
  The council voted on the contract. [S1 ¶1]"""
LATER = """\
- 2024-06
  The pilot ended early. [S1 ¶3]"""

FACTS = [APPROVED, COST, TRAINING, PILOT]
TIMELINE = [VOTE, LATER]

# The ids the parser derives from the first six words of an item (FORMAT.md, "Item ids").
APPROVED_ID = "the-council-approved-the-new-contract"
PILOT_ID = "a-pilot-ran-in-two-boroughs"
VOTE_ID = "the-council-voted-on-the-contract"


def council(facts=FACTS, stakeholders=(MAYOR,), concerns=(WORRY,), timeline=TIMELINE) -> str:
    def pane(title: str, items) -> str:
        return f"## {title}\n\n" + "\n".join(items) + "\n\n"

    return HEAD + "# The council's contract\n\n" + pane("Key facts", facts) + pane(
        "Stakeholders", stakeholders) + pane("Concerns", concerns) + pane("Timeline", timeline)


class Desk:
    """A library holding the council brief, a store, and a note or bookmark on every item."""

    def __init__(self, root: Path) -> None:
        self.library_root = write_library(root / "lib", {"council.md": council()})
        self.file = self.library_root / "council.md"
        self.store = Store(root / "store" / "notes.json", author="Ada")
        self.brief = self.parse()
        self.marks: dict[str, Note | Bookmark] = {}
        for item in self.brief.items():
            self.marks[item.id] = self.store.add_note(
                "council", item.id, item.pane, item.quote, f"A note on {item.id}.\nSecond line: ü ✓")
        self.marks["whole"] = self.store.add_note("council", None, None, "", "On the whole brief.")
        self.marks["vote-bookmark"] = self.store.toggle_bookmark("council", VOTE_ID, "timeline",
                                                                 self.brief.item(VOTE_ID).quote)
        self.marks["brief-bookmark"] = self.store.toggle_bookmark("council", None, None, "")
        self.shown: dict[str, Note | Bookmark] = {}

    def parse(self) -> Brief:
        # The brief as the reader gets it: through the library, citations checked.
        library = Library([self.library_root])
        library.scan()
        brief = library.brief("council")
        assert brief == load_brief(self.file)
        return brief

    def rewrite(self, text: str) -> Brief:
        self.file.write_text(text, encoding="utf-8")
        self.brief = self.parse()
        return self.brief

    def settle(self) -> list:
        """What the reader does on opening the brief: find every mark, save what may be
        saved (as the brief screen does). Returns the marks saved."""
        shown, save = anchor.settle(self.brief, self.store.marks("council"))
        by_id = {m.id: m for m in shown}
        self.shown = {key: by_id[mark.id] for key, mark in self.marks.items()}
        if save:
            self.store.reanchor(save)
        return save

    def now(self, key: str):
        """The mark made on ``key`` as the store has it now (read back from disk)."""
        found = {m.id: m for m in Store(self.store.path, author="Ada").marks()}
        return found[self.marks[key].id]

    def stored_as_made(self, *keys: str) -> None:
        """These marks are in the store exactly as they were made: nothing rewrote them."""
        for key in keys:
            assert self.now(key) == self.marks[key], key

    def check_nothing_dropped(self) -> None:
        again = Store(self.store.path, author="Ada")  # a fresh instance: what is on disk
        assert len(again.notes()) == len(self.brief_items_at_start) + 1
        assert len(again.bookmarks()) == 2
        assert {m.id for m in again.marks()} == {m.id for m in self.marks.values()}
        for mark in again.marks():
            original = next(m for m in self.marks.values() if m.id == mark.id)
            assert mark.quote == original.quote  # the text it was written on is kept
            assert mark.author == "Ada" and mark.created == original.created
            if isinstance(mark, Note):
                assert mark.text == original.text
        again.close()


@pytest.fixture
def desk(tmp_path: Path):
    d = Desk(tmp_path)
    d.brief_items_at_start = list(d.brief.items())
    yield d
    d.store.close()


def test_the_brief_reads_as_the_tests_expect(desk: Desk):
    ids = [i.id for i in desk.brief.items()]
    assert ids == [APPROVED_ID, "the-contract-was-worth-five-million", "training", PILOT_ID,
                   "mayor", "cost", VOTE_ID, "the-pilot-ended-early"]
    assert desk.brief.item(APPROVED_ID).quote == "The council approved the new contract in March."
    # Straight after the notes are made, nothing needs saving and every mark is ok.
    assert desk.settle() == []
    assert {m.anchor for m in desk.shown.values()} == {"ok"}


def test_reordered_items_keep_their_notes(desk: Desk):
    desk.rewrite(council(facts=FACTS[::-1], timeline=TIMELINE[::-1]))
    assert desk.brief.facts[0].id == PILOT_ID  # the order did change
    assert desk.settle() == []
    for key, mark in desk.marks.items():
        shown = desk.shown[key]
        assert shown.anchor == "ok" and shown.item == mark.item and shown.pane == mark.pane
    desk.stored_as_made(*desk.marks)
    desk.check_nothing_dropped()


def test_a_word_changed_shows_the_note_on_the_item_flagged_and_saves_nothing(desk: Desk):
    desk.rewrite(council(facts=[APPROVED.replace(" new ", " revised "), *FACTS[1:]]))
    new_id = "the-council-approved-the-revised-contract"
    assert desk.brief.item(APPROVED_ID) is None and desk.brief.item(new_id) is not None

    assert desk.settle() == []  # a close match is shown, never written
    shown = desk.shown[APPROVED_ID]
    assert (shown.anchor, shown.item, shown.pane) == ("edited", new_id, "facts")
    assert shown.quote == "The council approved the new contract in March."  # as written on
    assert [k for k, m in desk.shown.items() if m.anchor != "ok"] == [APPROVED_ID]
    desk.stored_as_made(*desk.marks)
    desk.check_nothing_dropped()

    # The reader edits the note seeing it on the edited item: that confirms it there.
    desk.store.edit_note(shown, shown.text, quote=desk.brief.item(new_id).quote)
    stored = desk.now(APPROVED_ID)
    assert (stored.anchor, stored.item, stored.quote) == ("ok", new_id, desk.brief.item(new_id).quote)
    assert desk.settle() == [] and desk.shown[APPROVED_ID].anchor == "ok"


def test_the_edited_item_put_back_as_it_was_clears_the_flag(desk: Desk):
    desk.rewrite(council(facts=[APPROVED.replace(" new ", " revised "), *FACTS[1:]]))
    desk.settle()
    assert desk.shown[APPROVED_ID].anchor == "edited"
    desk.rewrite(council())
    assert desk.settle() == []
    assert desk.shown[APPROVED_ID].anchor == "ok" and desk.shown[APPROVED_ID].item == APPROVED_ID
    desk.stored_as_made(*desk.marks)


def test_the_same_text_under_a_new_explicit_id_is_found_and_saved(desk: Desk):
    desk.rewrite(council(facts=[*FACTS[:2], TRAINING.replace("{#training}", "{#staff-training}"), PILOT]))
    saved = desk.settle()
    assert [m.id for m in saved] == [desk.marks["training"].id]  # an exact find: saved
    note = desk.now("training")
    assert (note.anchor, note.item, note.pane) == ("ok", "staff-training", "facts")
    assert note.quote == "Officers will be trained before the system goes live."
    assert note.text == desk.marks["training"].text and note.updated == desk.marks["training"].updated
    desk.check_nothing_dropped()
    assert desk.settle() == []


def test_the_same_text_in_another_pane_is_offered_never_moved(desk: Desk):
    # The concern "Cost: Too expensive for a pilot." becomes a key fact with the same text.
    desk.rewrite(council(facts=[*FACTS, "- Cost: Too expensive for a pilot. [S1 ¶2]"], concerns=()))
    assert desk.settle() == []
    shown = desk.shown["cost"]
    assert (shown.anchor, shown.item, shown.pane) == ("orphaned", "cost", "concerns")
    desk.stored_as_made("cost")
    # The re-attach list offers the fact first; only the reader's choice moves the note.
    assert anchor.candidates(desk.brief, shown)[0].id == "cost-too-expensive-for-a-pilot"
    desk.check_nothing_dropped()


def test_a_deleted_fact_never_goes_to_a_close_concern(tmp_path: Path):
    """The key fact "No equality impact assessment has been published." is deleted; the
    concern "No equality impact assessment" stays. Its note is an orphan, not on the concern."""
    fact = "- No equality impact assessment has been published. [S1 ¶1]"
    concern = """\
- No equality impact assessment
  category: equality
  raised by: campaigners
  Nobody has looked at who is affected. [S1 ¶2]"""
    root = write_library(tmp_path / "lib", {"council.md": council(facts=[*FACTS, fact], concerns=(WORRY, concern))})
    store = Store(tmp_path / "store" / "notes.json", author="Ada")
    brief = load_brief(root / "council.md")
    item = next(i for i in brief.facts if i.quote.startswith("No equality"))
    note = store.add_note("council", item.id, "facts", item.quote, "Ask who decided")
    before = store.path.read_bytes()
    (root / "council.md").write_text(council(facts=FACTS, concerns=(WORRY, concern)), encoding="utf-8")
    edited = load_brief(root / "council.md")
    [shown], save = anchor.settle(edited, store.marks("council"))
    assert shown.id == note.id and (shown.anchor, shown.item, shown.pane) == ("orphaned", item.id, "facts")
    assert save == [] and store.path.read_bytes() == before
    store.close()


def test_a_short_sentence_in_the_same_pane_is_not_close_enough(desk: Desk):
    """"No equality impact assessment" is about 0.73 like "No equality impact assessment has
    been published.": below the stated similarity (anchor.CLOSE), so not the same item."""
    long, short = "No equality impact assessment has been published.", "No equality impact assessment"
    assert SequenceMatcher(None, long, short, autojunk=False).ratio() < anchor.CLOSE
    desk.rewrite(council(facts=[f"- {long} [S1 ¶1]", *FACTS[1:]]))
    note = desk.store.add_note("council", desk.brief.facts[0].id, "facts", long, "On the long one")
    desk.rewrite(council(facts=[f"- {short} [S1 ¶1]", *FACTS[1:]]))
    item, how = anchor.find(desk.brief, note)
    assert (item, how) == (None, "orphaned")


def test_an_item_rewritten_entirely_orphans_its_note(desk: Desk):
    rewritten = "- Officers were told to stop using the system entirely. [S1 ¶1]"
    desk.rewrite(council(facts=[rewritten, *FACTS[1:]]))
    assert desk.settle() == []
    shown = desk.shown[APPROVED_ID]
    assert shown.anchor == "orphaned"
    # It keeps where it was and what it was written on, so the reader can re-attach it.
    assert (shown.item, shown.pane) == (APPROVED_ID, "facts")
    assert shown.quote == "The council approved the new contract in March."
    desk.stored_as_made(*desk.marks)
    desk.check_nothing_dropped()


def test_a_deleted_item_orphans_its_note_and_bookmark_without_writing_the_store(desk: Desk):
    before = desk.store.path.read_bytes()
    desk.rewrite(council(facts=FACTS[:3], timeline=[LATER]))
    assert desk.settle() == []
    gone = (PILOT_ID, VOTE_ID, "vote-bookmark")
    for key in gone:
        shown = desk.shown[key]
        assert shown.anchor == "orphaned" and shown.item == desk.marks[key].item
        assert shown.pane == desk.marks[key].pane  # never moved to a stakeholder or a fact
    assert isinstance(desk.shown["vote-bookmark"], Bookmark)
    # The notes on the whole brief are not anchored to any item.
    assert desk.shown["whole"].anchor == "ok" and desk.shown["brief-bookmark"].anchor == "ok"
    assert desk.store.path.read_bytes() == before  # the store was not written at all
    desk.check_nothing_dropped()

    # The items come back as they were: the orphans find them again, flags gone.
    desk.rewrite(council())
    assert desk.settle() == []
    assert [desk.shown[key].anchor for key in gone] == ["ok", "ok", "ok"]
    assert desk.store.path.read_bytes() == before


def test_an_old_flag_in_the_store_clears_once_the_item_is_found(desk: Desk):
    """A store written by an earlier briefing may say moved, edited or orphaned: the flag
    goes (and is saved) once the mark is found as written."""
    for key, flag in ((APPROVED_ID, "moved"), (PILOT_ID, "orphaned"), ("mayor", "edited")):
        desk.store.put(replace(desk.marks[key], anchor=flag))
    saved = desk.settle()
    assert {m.id for m in saved} == {desk.marks[k].id for k in (APPROVED_ID, PILOT_ID, "mayor")}
    assert {desk.now(k).anchor for k in (APPROVED_ID, PILOT_ID, "mayor")} == {"ok"}


def test_an_explicit_id_kept_with_new_text_is_offered_first(desk: Desk):
    rewritten = MAYOR.replace("Blocked the contract after the vote.",
                              "Welcomed it at first, then asked officers to review the whole plan.")
    desk.rewrite(council(stakeholders=(rewritten,)))
    assert desk.settle() == []
    shown = desk.shown["mayor"]
    assert (shown.anchor, shown.item, shown.pane) == ("orphaned", "mayor", "stakeholders")
    assert shown.quote == "The Mayor: Blocked the contract after the vote."
    assert anchor.candidates(desk.brief, shown)[0].id == "mayor"
    desk.stored_as_made("mayor")
    desk.check_nothing_dropped()


def test_every_kind_of_edit_at_once(desk: Desk):
    facts = [PILOT.replace(" two ", " three "),  # edited (derived id changes)
             TRAINING.replace("{#training}", "{#staff}"),  # same text, new id: found, saved
             "- Officers were told to stop using the system entirely. [S1 ¶1]",  # APPROVED: orphaned
             COST]
    desk.rewrite(council(facts=facts, concerns=(), timeline=TIMELINE[::-1]))
    saved = desk.settle()
    assert [m.id for m in saved] == [desk.marks["training"].id]
    expected = {
        PILOT_ID: ("edited", "a-pilot-ran-in-three-boroughs"),
        "training": ("ok", "staff"),
        APPROVED_ID: ("orphaned", APPROVED_ID),
        "cost": ("orphaned", "cost"),  # its concern was deleted
        "the-contract-was-worth-five-million": ("ok", "the-contract-was-worth-five-million"),
        "mayor": ("ok", "mayor"),
        VOTE_ID: ("ok", VOTE_ID),
        "vote-bookmark": ("ok", VOTE_ID),
        "whole": ("ok", None),
        "brief-bookmark": ("ok", None),
    }
    for key, (status, item) in expected.items():
        mark = desk.shown[key]
        assert (mark.anchor, mark.item) == (status, item), key
    desk.stored_as_made(*(k for k in desk.marks if k != "training"))
    desk.check_nothing_dropped()


def test_items_that_begin_alike_keep_their_notes_when_swapped(tmp_path: Path):
    """Two items whose first six words match get ids X and X-2; swapping them must not
    swap their notes (the same text elsewhere in the pane wins over the same id)."""
    march = "- The council approved the new contract in March. [S1 ¶1]"
    april = "- The council approved the new contract in April. [S1 ¶2]"
    desk = Desk(tmp_path)
    first = desk.rewrite(council(facts=[march, april, COST]))
    desk.settle()
    ids = [i.id for i in first.facts[:2]]
    assert ids == [APPROVED_ID, APPROVED_ID + "-2"]
    on_march = desk.store.add_note("council", ids[0], "facts", first.facts[0].quote, "March note")
    swapped = desk.rewrite(council(facts=[april, march, COST]))
    assert swapped.item(ids[0]).quote != on_march.quote  # the id now names the April item
    desk.settle()
    found = {m.id: m for m in Store(desk.store.path, author="Ada").notes()}[on_march.id]
    assert swapped.item(found.item).quote == on_march.quote
    assert found.anchor == "ok"


def test_candidates_put_the_likeliest_item_first(desk: Desk):
    desk.rewrite(council(facts=["- Officers were told to stop using the system entirely. [S1 ¶1]",
                                *FACTS[1:]]))
    desk.settle()
    orphan = desk.shown[APPROVED_ID]
    assert orphan.anchor == "orphaned"
    found = anchor.candidates(desk.brief, orphan)
    # Every item is offered once ...
    assert sorted(i.id for i in found) == sorted(i.id for i in desk.brief.items())
    # ... the closest text to "The council approved the new contract in March." first:
    # the timeline's "2024-03: The council voted on the contract."
    assert found[0].id == VOTE_ID
    scores = [SequenceMatcher(None, i.quote, orphan.quote, autojunk=False).ratio() for i in found]
    assert scores == sorted(scores, reverse=True)

    # With the rewritten item now close to its old text, it comes first.
    desk.rewrite(council(facts=["- In March the council put the new contract on hold. [S1 ¶1]",
                                *FACTS[1:]]))
    assert anchor.candidates(desk.brief, orphan)[0].id == "in-march-the-council-put-the"


def test_close_text_is_looked_for_only_in_the_pane_it_was_written_in():
    from briefing.core.parse import parse_brief

    text = council(facts=[*FACTS, "- Cost: Too expensive for a small pilot. [S1 ¶2]"],
                   concerns=(WORRY.replace("Too expensive for a pilot.", "Too expensive for a small pilot."),))
    brief = parse_brief(text, "council.md", "council")
    note = Note(id="n", brief="council", item="gone", pane="concerns", quote="Cost: Too expensive for a pilot.",
                author="Ada", created="2024-01-01T00:00:00.000Z", updated="2024-01-01T00:00:00.000Z")
    item, how = anchor.find(brief, note)
    assert (item.pane, how) == ("concerns", "edited")
    item, how = anchor.find(brief, replace(note, pane="facts"))
    assert (item.pane, how) == ("facts", "edited")
    # With no close item in its own pane, a close one elsewhere does not count.
    only_facts = parse_brief(council(facts=[*FACTS, "- Cost: Too expensive for a small pilot. [S1 ¶2]"],
                                     concerns=()), "council.md", "council")
    assert anchor.find(only_facts, note) == (None, "orphaned")


# -- export and import -----------------------------------------------------------

T0 = "2024-05-02T09:00:00.000Z"
T1 = "2024-05-03T10:30:00.000Z"
NOTE_TEXT = "Coût : trop élevé — « money »\n\tvoir aussi ¶2 日本語 ✓\nthird line"
# In Markdown: hard line breaks, the tab that starts a line as an entity (not indentation).
NOTE_MARKDOWN = "Coût : trop élevé — « money »\\\n&#9;voir aussi ¶2 日本語 ✓\\\nthird line"


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF, "council.md": council()})


@pytest.fixture
def filled(tmp_path: Path, library: Path) -> Path:
    """A store with notes (multi-line, non-ASCII, on the brief, edited, orphaned) and bookmarks."""
    path = tmp_path / "a" / "notes.json"
    zoe = Store(path, author="Zoë Ångström")
    zoe.put(
        Note(id="n-cost", brief="sample", item="it-costs-a-lot", pane="facts", quote="It costs a lot.",
             author="Zoë Ångström", created=T0, updated=T1, text=NOTE_TEXT),
        # Written on text the item no longer has: "edited".
        Note(id="n-stale", brief="sample", item="two", pane="facts", quote="Two sentences were here.",
             author="Zoë Ångström", created=T0, updated=T0, text="Was <b>this</b> reworded?"),
        # Its item is gone from the brief.
        Note(id="n-orphan", brief="sample", item="gone-item", pane="concerns",
             quote="A concern that was removed.", author="Zoë Ångström", created=T0, updated=T0,
             anchor="orphaned", text="Where did this go?"),
    )
    zoe.close()
    me = Store(path)
    me.add_note("sample", None, None, "", "The whole brief, in one thought.")
    me.add_note("council", "mayor", "stakeholders", "The Mayor: Blocked the contract after the vote.",
                "Ask the Mayor's office.")
    me.toggle_bookmark("sample", "the-council", "stakeholders", "The Council: Proposed the plan.")
    me.toggle_bookmark("sample", None, None, "")
    me.close()
    return path


def export_json(capsys, library: Path, store: Path, *more: str) -> dict:
    code, out, err = cli(capsys, "export", "--format", "json", "--store", str(store), "--library", str(library),
                         *more)
    assert code == 0, err
    return json.loads(out)


def test_export_json_names_everything(capsys, library: Path, filled: Path):
    doc = export_json(capsys, library, filled)
    assert (doc["format"], doc["version"], doc["by"]) == (FORMAT, VERSION, login_name())
    marks = {m["id"]: m for m in doc["marks"]}
    assert len(marks) == 7 and sum(m["kind"] == "note" for m in marks.values()) == 5
    cost = marks["n-cost"]
    assert cost["brief_title"] == "A sample brief" and cost["pane"] == "facts"
    assert cost["item_text"] == "It costs a lot." and cost["note"] == NOTE_TEXT
    assert cost["citations"] == [{"citation": "[S1 ¶2]", "source": "The sample source",
                                  "passage": "Second paragraph, about money."}]
    assert (cost["author"], cost["created"], cost["updated"], cost["anchor"]) == ("Zoë Ångström", T0, T1, "ok")
    stale = marks["n-stale"]
    assert (stale["anchor"], stale["item_text"], stale["written_on"]) == (
        "edited", "Two sentences are here.", "Two sentences were here.")
    assert stale["citations"][0]["passage"] == "It has two sentences."
    orphan = marks["n-orphan"]
    assert (orphan["anchor"], orphan["item_text"], orphan["citations"]) == (
        "orphaned", "A concern that was removed.", [])
    assert {m["author"] for m in marks.values() if m["id"] not in ("n-cost", "n-stale", "n-orphan")} \
        == {login_name()}


def test_export_then_import_into_an_empty_store_round_trips(capsys, tmp_path: Path, library: Path, filled: Path):
    first = export_json(capsys, library, filled)
    file = tmp_path / "notes.json"
    file.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")

    other = tmp_path / "b" / "notes.json"
    assert not other.exists()
    code, out, err = cli(capsys, "import", str(file), "--store", str(other))
    assert (code, out, err) == (0, "imported 7 new, 0 updated, 0 already there\n", "")

    second = export_json(capsys, library, other)
    assert second["marks"] == first["marks"]
    b = Store(other)
    assert {n.id: n.text for n in b.notes()}["n-cost"] == NOTE_TEXT
    assert {n.id: n.anchor for n in b.notes()}["n-orphan"] == "orphaned"
    b.close()

    # The same file again adds nothing.
    code, out, _ = cli(capsys, "import", str(file), "--store", str(other))
    assert (code, out) == (0, "imported 0 new, 0 updated, 7 already there\n")
    assert export_json(capsys, library, other)["marks"] == first["marks"]


def test_import_keeps_the_newer_copy(capsys, tmp_path: Path, library: Path, filled: Path):
    doc = export_json(capsys, library, filled)
    file = tmp_path / "notes.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    other = tmp_path / "b" / "notes.json"
    assert cli(capsys, "import", str(file), "--store", str(other))[0] == 0

    def record(note_id: str, **change) -> dict:
        return next(m for m in doc["marks"] if m["id"] == note_id) | change

    newer = record("n-cost", note="Rewritten later.", updated="2024-06-01T00:00:00.000Z")
    older = record("n-stale", note="An old draft.", created="2024-05-01T00:00:00.000Z",
                   updated="2024-05-01T00:00:00.000Z")
    file.write_text(json.dumps(doc | {"marks": [newer, older]}), encoding="utf-8")
    code, out, _ = cli(capsys, "import", str(file), "--store", str(other))
    assert (code, out) == (0, "imported 0 new, 1 updated, 1 already there\n")
    store = Store(other)
    notes = {n.id: n for n in store.notes()}
    assert len(notes) == 5
    assert (notes["n-cost"].text, notes["n-cost"].updated) == ("Rewritten later.", "2024-06-01T00:00:00.000Z")
    assert notes["n-stale"].text == "Was <b>this</b> reworded?"
    store.close()


def test_a_bookmark_under_another_id_is_not_duplicated(capsys, tmp_path: Path, library: Path, filled: Path):
    doc = export_json(capsys, library, filled)
    bookmarks = [m for m in doc["marks"] if m["kind"] == "bookmark"]
    assert {b["item"] for b in bookmarks} == {"the-council", None}
    # Newer than ours (made a moment ago), yet not a second bookmark on the same item.
    renamed = [b | {"id": f"other-{n}", "updated": now()} for n, b in enumerate(bookmarks)]
    file = tmp_path / "renamed.json"
    file.write_text(json.dumps(doc | {"marks": renamed}), encoding="utf-8")
    code, out, _ = cli(capsys, "import", str(file), "--store", str(filled))
    assert (code, out) == (0, "imported 0 new, 0 updated, 2 already there\n")
    store = Store(filled)
    assert sorted((b.item or "") for b in store.bookmarks()) == ["", "the-council"]
    store.close()


def test_export_markdown_for_people(capsys, library: Path, filled: Path):
    code, out, err = cli(capsys, "export", "--store", str(filled), "--library", str(library))
    assert code == 0, err
    assert out.startswith("# Notes and bookmarks\n")
    assert f"by {login_name()}: 5 notes, 2 bookmarks." in out
    for expected in (
        "## A sample brief (sample)",
        "## The council's contract (council)",
        "### Note · Key facts",
        "### Note · Key facts (edited)",
        "### Note · Concerns (orphaned)",
        "### Note · Whole brief",
        "### Bookmark · Stakeholders",
        "### Bookmark · Whole brief",
        "> It costs a lot.",
        "- \\[S1 ¶2\\] The sample source: \u201cSecond paragraph, about money.\u201d",
        "> Two sentences are here.",
        "Written on: Two sentences were here.",
        "- \\[S1 ¶1.2\\] The sample source: \u201cIt has two sentences.\u201d",
        NOTE_MARKDOWN,
        "Was &lt;b>this&lt;/b> reworded?",  # no HTML from a note
        "> A concern that was removed.",
        "> The Council: Proposed the plan.",
        f"*Zoë Ångström, {T0}, edited {T1}*",
        f"*Zoë Ångström, {T0}*",
        f"*{login_name()}, 20",
    ):
        assert expected in out, expected
    # Briefs in title order, the sample's notes in pane order.
    assert out.index("## A sample brief") < out.index("## The council's contract")
    assert out.index("> It costs a lot.") < out.index("> The Council: Proposed") < out.index(
        "> A concern that was removed.")


def test_export_one_brief_and_to_a_file(capsys, tmp_path: Path, library: Path, filled: Path):
    doc = export_json(capsys, library, filled, "--brief", "council")
    assert [m["note"] for m in doc["marks"]] == ["Ask the Mayor's office."]
    code, out, _ = cli(capsys, "export", "--store", str(filled), "--library", str(library), "--brief", "council")
    assert code == 0
    assert "## The council's contract (council)" in out and "A sample brief" not in out

    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    code, out, err = cli(capsys, "export", "--store", str(filled), "--library", str(library),
                         "--output", str(target))
    assert (code, out, err) == (0, "", f"wrote {target}\n")
    text = target.read_text(encoding="utf-8")
    assert "## A sample brief (sample)" in text and NOTE_MARKDOWN in text

    code, _, err = cli(capsys, "export", "--store", str(filled), "--library", str(library), "--brief", "nope")
    assert code == 2 and "no brief with the id 'nope'" in err


def test_export_says_ok_for_an_orphan_whose_item_came_back(capsys, tmp_path: Path, library: Path):
    # An orphaned note whose item is back as it was: reconcile makes it ok, so must export.
    store_path = tmp_path / "a" / "notes.json"
    store = Store(store_path)
    lib = Library([library])
    lib.scan()
    item = lib.brief("sample").item("two")
    note = Note(id="n", brief="sample", item="two", pane="facts", quote=item.quote, author="Ada",
                created=T0, updated=T0, anchor="orphaned", text="Back again")
    store.put(note)
    store.close()
    assert [m.anchor for m in anchor.settle(lib.brief("sample"), [note])[1]] == ["ok"]
    assert export_json(capsys, library, store_path)["marks"][0]["anchor"] == "ok"
    code, out, _ = cli(capsys, "export", "--store", str(store_path), "--library", str(library))
    assert code == 0 and "### Note · Key facts\n" in out and "(orphaned)" not in out


def record(**change) -> dict:
    base = {"kind": "note", "id": "abc", "brief": "sample", "pane": "facts", "item": "two",
            "item_text": "Two sentences are here.", "written_on": "Two sentences are here.",
            "note": "fine", "author": "Ada", "created": T0, "updated": T0, "anchor": "ok"}
    return base | change


def export_bytes(*marks, **doc) -> bytes:
    return json.dumps({"format": FORMAT, "version": VERSION, "marks": list(marks)} | doc).encode()


BAD_FILES = [
    ("not-json", b"{this is not json", "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("a-list", b"[]", "not a briefing export"),
    ("other-format", json.dumps({"format": "something-else", "marks": []}).encode(), "not a briefing export"),
    ("newer-version", export_bytes(version=VERSION + 1), f"version {VERSION + 1}"),
    ("no-version", export_bytes(version=None), "version None"),
    ("marks-not-a-list", export_bytes(marks={"a": 1}), "no list of marks"),
    ("mark-not-object", export_bytes("a note"), "mark 1 is not an object"),
    ("unknown-kind", export_bytes(record(), record(id="x", kind="comment")), "mark 2: unknown kind 'comment'"),
    ("no-kind", export_bytes(record(kind=None)), "mark 1: unknown kind None"),
    ("note-not-text", export_bytes(record(note=["not", "text"])), "mark 1: note is not text"),
    ("id-not-text", export_bytes(record(id=7)), "mark 1: id is not text"),
    ("brief-not-text", export_bytes(record(brief={"id": "x"})), "mark 1: brief is not text"),
    ("updated-not-text", export_bytes(record(updated=1714640000)), "mark 1: updated is not text"),
    ("anchor-not-text", export_bytes(record(anchor=True)), "mark 1: anchor is not text"),
    ("no-id", export_bytes(record(id="")), "mark 1: no id"),
    ("no-brief", export_bytes(record(brief=None)), "mark 1: no brief"),
    ("unknown-pane", export_bytes(record(pane="sidebar")), "mark 1: unknown pane 'sidebar'"),
]


@pytest.mark.parametrize("name,content,message", BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_import_file_is_refused_whole(name, content, message, capsys, tmp_path: Path, filled: Path):
    before = filled.read_bytes()
    file = tmp_path / f"{name}.json"
    file.write_bytes(content)
    code, out, err = cli(capsys, "import", str(file), "--store", str(filled))
    assert code == 2 and out == ""
    assert err.startswith(f"briefing: {file}: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert message in err
    assert filled.read_bytes() == before  # nothing imported, not even the good marks before it

    # Into a store that does not exist yet: it is not even created.
    empty = tmp_path / "new" / "notes.json"
    assert cli(capsys, "import", str(file), "--store", str(empty))[0] == 2
    assert not empty.exists()


def test_an_import_file_that_cannot_be_read(capsys, tmp_path: Path, filled: Path):
    for missing in (tmp_path / "nowhere.json", tmp_path):
        code, out, err = cli(capsys, "import", str(missing), "--store", str(filled))
        assert code == 2 and out == "" and err.count("\n") == 1
        assert err.startswith(f"briefing: cannot read {missing}: ")


def test_terminal_controls_in_an_import_are_made_visible(capsys, tmp_path: Path, library: Path):
    hostile = record(
        id="\x1b[2Jwipe", author="\x1b]52;c;aGk=\x07mallory", note="\x1b[31mred\x1b[0m\nbell\x07 c1\x9b2J \u202eevil",
        written_on="Two sentences\x1b[8m are here.", item_text="ignored")
    hostile_bookmark = record(kind="bookmark", id="bm\x1b", brief="sample\x1b[K", item="two\x07", note=None)
    file = tmp_path / "hostile.json"
    file.write_bytes(export_bytes(hostile, hostile_bookmark))
    store_path = tmp_path / "b" / "notes.json"
    code, out, err = cli(capsys, "import", str(file), "--store", str(store_path))
    assert (code, out, err) == (0, "imported 2 new, 0 updated, 0 already there\n", "")

    store = Store(store_path)
    marks = store.marks()
    assert len(marks) == 2
    for mark in marks:
        for value in vars(mark).values():
            if isinstance(value, str):
                assert not any(c in value for c in "\x1b\x07\x9b\u202e"), repr(value)
    note = store.notes()[0]
    assert note.text == "␛[31mred␛[0m\nbell␇ c1\ufffd2J \ufffdevil"  # visible, newline kept
    assert note.author == "␛]52;c;aGk=␇mallory" and note.id == "␛[2Jwipe"
    assert note.quote == "Two sentences␛[8m are here."
    store.close()
    assert b"\x1b" not in store_path.read_bytes() and b"\\u001b" not in store_path.read_bytes()

    for fmt in ("md", "json"):
        code, out, _ = cli(capsys, "export", "--format", fmt, "--store", str(store_path), "--library", str(library))
        assert code == 0 and "\x1b" not in out and "\\u001b" not in out


def test_file_names_with_controls_are_shown_visibly(capsys, tmp_path: Path, library: Path, filled: Path):
    name = "\x1b]0;pwned\x07"
    missing = tmp_path / f"{name}.json"
    code, _, err = cli(capsys, "import", str(missing), "--store", str(filled))
    assert code == 2 and "cannot read" in err and "\x1b" not in err and "\x07" not in err
    bad = tmp_path / f"{name}-bad.json"
    bad.write_bytes(b"nope")
    code, _, err = cli(capsys, "import", str(bad), "--store", str(filled))
    assert code == 2 and "not valid JSON" in err and "\x1b" not in err
    unwritable = tmp_path / name / "out.md"  # its folder does not exist
    code, out, err = cli(capsys, "export", "--store", str(filled), "--library", str(library),
                         "--output", str(unwritable))
    assert code == 2 and out == "" and "cannot write" in err and "\x1b" not in err
    unwritable.parent.mkdir()
    code, out, err = cli(capsys, "export", "--store", str(filled), "--library", str(library),
                         "--output", str(unwritable))
    assert code == 0 and out == "" and err.startswith("wrote ") and "\x1b" not in err and "\x07" not in err
    assert unwritable.exists()


# -- where the store is ----------------------------------------------------------


def test_locate_names_the_notes_store(capsys, tmp_path: Path, monkeypatch, private_home: Path):
    code, out, _ = cli(capsys, "locate")
    assert code == 0
    assert f"notes store:   {private_home / 'data' / 'briefing' / 'notes.json'}\n" in out

    mine = tmp_path / "elsewhere" / "mine.json"
    code, out, _ = cli(capsys, "locate", "--store", str(mine))
    assert f"notes store:   {mine}\n" in out

    from_env = tmp_path / "env" / "notes.json"
    monkeypatch.setenv(paths.STORE_ENV, str(from_env))
    assert f"notes store:   {from_env}\n" in cli(capsys, "locate")[1]
    assert f"notes store:   {mine}\n" in cli(capsys, "locate", "--store", str(mine))[1]  # --store wins


def test_export_and_import_use_the_store_from_the_environment(capsys, tmp_path: Path, monkeypatch,
                                                              library: Path, filled: Path, private_home: Path):
    monkeypatch.setenv(paths.STORE_ENV, str(filled))
    code, out, _ = cli(capsys, "export", "--format", "json", "--library", str(library))
    assert code == 0 and len(json.loads(out)["marks"]) == 7
    file = tmp_path / "notes.json"
    file.write_text(out, encoding="utf-8")

    other = tmp_path / "env-b" / "notes.json"
    monkeypatch.setenv(paths.STORE_ENV, str(other))
    code, out, _ = cli(capsys, "import", str(file))
    assert (code, out) == (0, "imported 7 new, 0 updated, 0 already there\n")
    assert other.exists()
    assert not (private_home / "data" / "briefing" / "notes.json").exists()  # the default is untouched
