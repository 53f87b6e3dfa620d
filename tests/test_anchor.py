"""Notes keep their items when a brief is edited (no Textual).

Anchoring: a note is made on an item of a real brief file; the file is rewritten (items
reordered, a word changed, an id changed, an item rewritten, deleted or moved to another
pane) and parsed again; :func:`briefing.core.anchor.settle` says where each mark shows now and
what may be saved. The rules: a mark shows on an item by itself only in its own pane, with
its text word for word (ok) or close to it (edited); anything else is an orphan, kept with
its text. The store is rewritten only for an exact find under a new id, or when the reader
confirms; when the item comes back as it was the mark is found again and its flag goes.
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from briefing.core import anchor
from briefing.core.library import Library
from briefing.core.marks import Bookmark, Note
from briefing.core.model import Brief
from briefing.core.parse import load_brief
from briefing.store.notes import Store

from .fixtures import (
    APPROVED,
    APPROVED_ID,
    COST,
    FACTS,
    LATER,
    MAYOR,
    PILOT,
    PILOT_ID,
    TIMELINE,
    TRAINING,
    VOTE_ID,
    WORRY,
    council,
    write_library,
)


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
                "council", item.id, item.pane, item.quote, f"A note on {item.id}.\nSecond line: ü ✓"
            )
        self.marks["whole"] = self.store.add_note("council", None, None, "", "On the whole brief.")
        self.marks["vote-bookmark"] = self.store.toggle_bookmark(
            "council", VOTE_ID, "timeline", self.brief.item(VOTE_ID).quote
        )
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
    assert ids == [
        APPROVED_ID,
        "the-contract-was-worth-five-million",
        "training",
        PILOT_ID,
        "mayor",
        "cost",
        VOTE_ID,
        "the-pilot-ended-early",
    ]
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
    """ "No equality impact assessment" is about 0.73 like "No equality impact assessment has
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
    rewritten = MAYOR.replace(
        "Blocked the contract after the vote.", "Welcomed it at first, then asked officers to review the whole plan."
    )
    desk.rewrite(council(stakeholders=(rewritten,)))
    assert desk.settle() == []
    shown = desk.shown["mayor"]
    assert (shown.anchor, shown.item, shown.pane) == ("orphaned", "mayor", "stakeholders")
    assert shown.quote == "The Mayor: Blocked the contract after the vote."
    assert anchor.candidates(desk.brief, shown)[0].id == "mayor"
    desk.stored_as_made("mayor")
    desk.check_nothing_dropped()


def test_every_kind_of_edit_at_once(desk: Desk):
    facts = [
        PILOT.replace(" two ", " three "),  # edited (derived id changes)
        TRAINING.replace("{#training}", "{#staff}"),  # same text, new id: found, saved
        "- Officers were told to stop using the system entirely. [S1 ¶1]",  # APPROVED: orphaned
        COST,
    ]
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
    desk.rewrite(council(facts=["- Officers were told to stop using the system entirely. [S1 ¶1]", *FACTS[1:]]))
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
    desk.rewrite(council(facts=["- In March the council put the new contract on hold. [S1 ¶1]", *FACTS[1:]]))
    assert anchor.candidates(desk.brief, orphan)[0].id == "in-march-the-council-put-the"


def test_close_text_is_looked_for_only_in_the_pane_it_was_written_in():
    from briefing.core.parse import parse_brief

    text = council(
        facts=[*FACTS, "- Cost: Too expensive for a small pilot. [S1 ¶2]"],
        concerns=(WORRY.replace("Too expensive for a pilot.", "Too expensive for a small pilot."),),
    )
    brief = parse_brief(text, "council.md", "council")
    note = Note(
        id="n",
        brief="council",
        item="gone",
        pane="concerns",
        quote="Cost: Too expensive for a pilot.",
        author="Ada",
        created="2024-01-01T00:00:00.000Z",
        updated="2024-01-01T00:00:00.000Z",
    )
    item, how = anchor.find(brief, note)
    assert (item.pane, how) == ("concerns", "edited")
    item, how = anchor.find(brief, replace(note, pane="facts"))
    assert (item.pane, how) == ("facts", "edited")
    # With no close item in its own pane, a close one elsewhere does not count.
    only_facts = parse_brief(
        council(facts=[*FACTS, "- Cost: Too expensive for a small pilot. [S1 ¶2]"], concerns=()),
        "council.md",
        "council",
    )
    assert anchor.find(only_facts, note) == (None, "orphaned")
