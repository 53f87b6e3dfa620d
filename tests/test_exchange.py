"""``briefing export`` and ``briefing import`` through the command line, with ``--store`` and
``--library`` (never the user's own store: see conftest): what an export names, a round trip,
the newer copy winning, nothing duplicated, Markdown for people, a file refused whole, and
controls made visible. Hostile files and notes are in test_exchange_safety.py (no Textual).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing import paths
from briefing.core import anchor
from briefing.core.library import Library
from briefing.core.marks import Note
from briefing.store.exchange import FORMAT, VERSION
from briefing.store.notes import Store, login_name, now

from .exchange_fixtures import T0, T1, cli, export_bytes, record
from .fixtures import GOOD_BRIEF, council, write_library

NOTE_TEXT = "Coût : trop élevé — « money »\n\tvoir aussi ¶2 日本語 ✓\nthird line"
# In Markdown: hard line breaks, the tab that starts a line as an entity (not indentation).
NOTE_MARKDOWN = "Coût : trop élevé — « money »\\\n&#9;voir aussi ¶2 日本語 ✓\\\nthird line"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF, "council.md": council()})


@pytest.fixture
def filled(tmp_path: Path, library: Path) -> Path:
    """A store with notes (multi-line, non-ASCII, on the brief, edited, orphaned) and bookmarks."""
    path = tmp_path / "a" / "notes.json"
    zoe = Store(path, author="Zoë Ångström")
    zoe.put(
        Note(
            id="n-cost",
            brief="sample",
            item="it-costs-a-lot",
            pane="facts",
            quote="It costs a lot.",
            author="Zoë Ångström",
            created=T0,
            updated=T1,
            text=NOTE_TEXT,
        ),
        # Written on text the item no longer has: "edited".
        Note(
            id="n-stale",
            brief="sample",
            item="two",
            pane="facts",
            quote="Two sentences were here.",
            author="Zoë Ångström",
            created=T0,
            updated=T0,
            text="Was <b>this</b> reworded?",
        ),
        # Its item is gone from the brief.
        Note(
            id="n-orphan",
            brief="sample",
            item="gone-item",
            pane="concerns",
            quote="A concern that was removed.",
            author="Zoë Ångström",
            created=T0,
            updated=T0,
            anchor="orphaned",
            text="Where did this go?",
        ),
    )
    zoe.close()
    me = Store(path)
    me.add_note("sample", None, None, "", "The whole brief, in one thought.")
    me.add_note(
        "council", "mayor", "stakeholders", "The Mayor: Blocked the contract after the vote.", "Ask the Mayor's office."
    )
    me.toggle_bookmark("sample", "the-council", "stakeholders", "The Council: Proposed the plan.")
    me.toggle_bookmark("sample", None, None, "")
    me.close()
    return path


def export_json(capsys, library: Path, store: Path, *more: str) -> dict:
    code, out, err = cli(capsys, "export", "--format", "json", "--store", str(store), "--library", str(library), *more)
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
    assert cost["citations"] == [
        {"citation": "[S1 ¶2]", "source": "The sample source", "passage": "Second paragraph, about money."}
    ]
    assert (cost["author"], cost["created"], cost["updated"], cost["anchor"]) == ("Zoë Ångström", T0, T1, "ok")
    stale = marks["n-stale"]
    assert (stale["anchor"], stale["item_text"], stale["written_on"]) == (
        "edited",
        "Two sentences are here.",
        "Two sentences were here.",
    )
    assert stale["citations"][0]["passage"] == "It has two sentences."
    orphan = marks["n-orphan"]
    assert (orphan["anchor"], orphan["item_text"], orphan["citations"]) == (
        "orphaned",
        "A concern that was removed.",
        [],
    )
    assert {m["author"] for m in marks.values() if m["id"] not in ("n-cost", "n-stale", "n-orphan")} == {login_name()}


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
    older = record(
        "n-stale", note="An old draft.", created="2024-05-01T00:00:00.000Z", updated="2024-05-01T00:00:00.000Z"
    )
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
    assert (
        out.index("> It costs a lot.")
        < out.index("> The Council: Proposed")
        < out.index("> A concern that was removed.")
    )


def test_export_one_brief_and_to_a_file(capsys, tmp_path: Path, library: Path, filled: Path):
    doc = export_json(capsys, library, filled, "--brief", "council")
    assert [m["note"] for m in doc["marks"]] == ["Ask the Mayor's office."]
    code, out, _ = cli(capsys, "export", "--store", str(filled), "--library", str(library), "--brief", "council")
    assert code == 0
    assert "## The council's contract (council)" in out and "A sample brief" not in out

    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    code, out, err = cli(capsys, "export", "--store", str(filled), "--library", str(library), "--output", str(target))
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
    note = Note(
        id="n",
        brief="sample",
        item="two",
        pane="facts",
        quote=item.quote,
        author="Ada",
        created=T0,
        updated=T0,
        anchor="orphaned",
        text="Back again",
    )
    store.put(note)
    store.close()
    assert [m.anchor for m in anchor.settle(lib.brief("sample"), [note])[1]] == ["ok"]
    assert export_json(capsys, library, store_path)["marks"][0]["anchor"] == "ok"
    code, out, _ = cli(capsys, "export", "--store", str(store_path), "--library", str(library))
    assert code == 0 and "### Note · Key facts\n" in out and "(orphaned)" not in out


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
        id="\x1b[2Jwipe",
        author="\x1b]52;c;aGk=\x07mallory",
        note="\x1b[31mred\x1b[0m\nbell\x07 c1\x9b2J \u202eevil",
        written_on="Two sentences\x1b[8m are here.",
        item_text="ignored",
    )
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
    code, out, err = cli(
        capsys, "export", "--store", str(filled), "--library", str(library), "--output", str(unwritable)
    )
    assert code == 2 and out == "" and "cannot write" in err and "\x1b" not in err
    unwritable.parent.mkdir()
    code, out, err = cli(
        capsys, "export", "--store", str(filled), "--library", str(library), "--output", str(unwritable)
    )
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


def test_export_and_import_use_the_store_from_the_environment(
    capsys, tmp_path: Path, monkeypatch, library: Path, filled: Path, private_home: Path
):
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


def test_a_note_on_a_claim_is_exported_as_the_claim_it_is(capsys, tmp_path: Path):
    """A fact the brief attributes (``according to:``) is a claim: the export quotes it as the
    reader shows it, "X says: ...", never as the brief's own fact; and the note is not taken
    for one written on other text."""
    claimed = GOOD_BRIEF.replace(
        "- It costs a lot. [S1 ¶2]\n  figure: £5m\n",
        "- It costs a lot. [S1 ¶2]\n  figure: £5m\n  according to: the council's critics\n",
    )
    assert claimed != GOOD_BRIEF
    library = write_library(tmp_path / "lib", {"sample.md": claimed})
    store = tmp_path / "notes.json"
    notes = Store(store)
    notes.add_note("sample", "it-costs-a-lot", "facts", "It costs a lot.", "Who are the critics?")
    notes.close()
    [mark] = export_json(capsys, library, store)["marks"]
    assert (mark["item_text"], mark["written_on"], mark["anchor"]) == (
        "the council's critics say: It costs a lot.",
        "It costs a lot.",
        "ok",
    )
    code, out, err = cli(capsys, "export", "--store", str(store), "--library", str(library))
    assert code == 0, err
    assert "> the council's critics say: It costs a lot.\n" in out
    assert "> It costs a lot." not in out and "Written on" not in out
