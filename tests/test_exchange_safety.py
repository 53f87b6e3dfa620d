"""``briefing import`` and ``briefing export`` with hostile files and hostile notes (no Textual).

An import file is untrusted: its times must be real (a time in the future would win every
merge), its version known, its notes and the file itself of a sane size, and an error
quotes a little of a bad value, never all of it. The Markdown export must read as the text
it holds: a note, title, id or author makes no heading, link, image or HTML. ``--output``
writes a private file (0600), atomically, and never through a symbolic link or into a FIFO.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefing.core.library import Library
from briefing.core.marks import NOTE_MAX_BYTES, Bookmark, Note
from briefing.store import exchange
from briefing.store.exchange import (
    FORMAT,
    IMPORT_MAX_BYTES,
    VERSION,
    export_markdown,
    records,
)
from briefing.store.notes import Store, now

from .exchange_fixtures import T0, T1, cli, export_bytes, record
from .fixtures import GOOD_BRIEF, write_library


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store with one note, ``abc``, written at T0."""
    path = tmp_path / "store" / "notes.json"
    store = Store(path, author="Ada")
    store.put(
        Note(
            id="abc",
            brief="sample",
            item="two",
            pane="facts",
            quote="Two sentences are here.",
            author="Ada",
            created=T0,
            updated=T0,
            text="mine",
        )
    )
    store.close()
    return path


def refused(capsys, tmp_path: Path, store: Path, content: bytes) -> str:
    """Import ``content``: it must fail with one line on stderr and leave the store as it was."""
    before = store.read_bytes()
    file = tmp_path / "in.json"
    file.write_bytes(content)
    code, out, err = cli(capsys, "import", str(file), "--store", str(store))
    assert (code, out) == (2, ""), err
    assert err.startswith(f"briefing: {file}: ") and err.count("\n") == 1 and err.endswith("\n"), err
    assert store.read_bytes() == before
    return err


def imported(capsys, tmp_path: Path, content: bytes) -> Store:
    """Import ``content`` into a new store; the store."""
    file = tmp_path / "ok.json"
    file.write_bytes(content)
    store = tmp_path / "new" / "notes.json"
    code, out, err = cli(capsys, "import", str(file), "--store", str(store))
    assert (code, err) == (0, ""), err
    return Store(store)


# -- times ---------------------------------------------------------------------------


def test_a_far_future_updated_does_not_replace_a_note(capsys, tmp_path: Path, store_path: Path):
    # Compared as text, "9999" is newer than any real time: it would win every merge.
    err = refused(capsys, tmp_path, store_path, export_bytes(record(note="hijacked", updated="9999")))
    assert "mark 1: updated '9999' is not a time" in err
    err = refused(
        capsys, tmp_path, store_path, export_bytes(record(note="hijacked", updated="9999-12-31T23:59:59.999Z"))
    )
    assert "mark 1: updated '9999-12-31T23:59:59.999Z' is in the future" in err
    store = Store(store_path)
    assert [(n.text, n.updated) for n in store.notes()] == [("mine", T0)]
    store.close()


BAD_TIMES = [
    "9999",
    "yesterday",
    "2024-05-02",
    "2024-05-02T09:00:00",
    "2024-05-02 09:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2024-05-02T25:00:00Z",
    "2024-05-02T09:00:00+24:00",
    f"{T0}\x1b[1m",
    f" {T0}",
    "+2024-05-02T09:00:00Z",
    "\uff12\uff10\uff12\uff14-05-02T09:00:00Z",
    "0000-01-01T00:00:00Z",
]


@pytest.mark.parametrize("field", ["created", "updated"])
def test_a_time_that_is_not_a_timestamp_is_refused(field, capsys, tmp_path: Path, store_path: Path):
    for value in BAD_TIMES:
        marks = [record(id="good"), record(id="bad", created=T0, updated=T1) | {field: value}]
        err = refused(capsys, tmp_path, store_path, export_bytes(*marks))
        assert f"mark 2: {field} " in err and "is not a time" in err, (value, err)
        assert "\x1b" not in err


def test_a_time_in_the_future_is_refused_beyond_a_little_clock_skew(capsys, tmp_path: Path, store_path: Path):
    def stamp(minutes: float) -> str:
        moment = datetime.now(UTC) + timedelta(minutes=minutes)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    late = stamp(10)
    err = refused(capsys, tmp_path, store_path, export_bytes(record(created=late, updated=late)))
    assert f"mark 1: created '{late}' is in the future" in err
    err = refused(capsys, tmp_path, store_path, export_bytes(record(updated=late)))
    assert f"mark 1: updated '{late}' is in the future" in err
    # Another machine's clock a minute ahead is fine.
    soon = stamp(1)
    store = imported(capsys, tmp_path, export_bytes(record(created=soon, updated=soon)))
    assert [n.updated for n in store.notes()] == [soon]
    store.close()


def test_updated_before_created_is_refused(capsys, tmp_path: Path, store_path: Path):
    err = refused(capsys, tmp_path, store_path, export_bytes(record(created=T1, updated=T0)))
    assert f"mark 1: updated '{T0}' is before created '{T1}'" in err


@pytest.mark.parametrize(
    "given,stored",
    [
        ("2024-05-02T09:00:00Z", "2024-05-02T09:00:00.000Z"),
        ("2024-05-02T09:00:00.123Z", "2024-05-02T09:00:00.123Z"),
        ("2024-05-02T09:00:00.123+00:00", "2024-05-02T09:00:00.123Z"),
        ("2024-05-02T09:00:00.123456Z", "2024-05-02T09:00:00.123Z"),
        ("2024-05-02T11:00:00+02:00", "2024-05-02T09:00:00.000Z"),
        ("2024-05-02T04:30:00.5-04:30", "2024-05-02T09:00:00.500Z"),
    ],
)
def test_times_are_stored_as_briefing_writes_them(given, stored, capsys, tmp_path: Path):
    store = imported(capsys, tmp_path, export_bytes(record(created=given, updated=given)))
    note = store.notes()[0]
    assert (note.created, note.updated) == (stored, stored)
    assert len(stored) == len(now())
    store.close()


def test_missing_times_are_now_or_the_other_time(capsys, tmp_path: Path):
    before = now()
    store = imported(
        capsys,
        tmp_path,
        export_bytes(
            record(id="none", created=..., updated=...),
            record(id="no-updated", updated=...),
            record(id="no-created", created=..., updated=T1),
            record(id="empty", created="", updated=""),
        ),
    )
    after = now()
    notes = {n.id: n for n in store.notes()}
    assert before <= notes["none"].created == notes["none"].updated <= after
    assert before <= notes["empty"].created == notes["empty"].updated <= after
    assert (notes["no-updated"].created, notes["no-updated"].updated) == (T0, T0)
    assert (notes["no-created"].created, notes["no-created"].updated) == (T1, T1)
    store.close()


# -- version, sizes, messages -----------------------------------------------------------


def test_only_a_version_this_reader_knows_is_read(capsys, tmp_path: Path, store_path: Path):
    # True is an int to Python, and equal to 1.
    for version in (True, False, 1.0, "1", 0, -1, VERSION + 1, 10**18, None, [1], {"v": 1}):
        err = refused(capsys, tmp_path, store_path, export_bytes(record(), version=version))
        assert "version" in err and f"this briefing reads {VERSION}" in err, (version, err)
    store = imported(capsys, tmp_path, export_bytes(record(), version=VERSION))
    assert len(store.notes()) == 1
    store.close()


def test_a_note_over_the_limit_is_refused(capsys, tmp_path: Path, store_path: Path):
    # Counted in UTF-8 bytes: half as many characters as the limit, but each of two bytes.
    long = "é" * (NOTE_MAX_BYTES // 2) + "x"
    assert len(long) < NOTE_MAX_BYTES < len(long.encode("utf-8"))
    err = refused(capsys, tmp_path, store_path, export_bytes(record(id="ok"), record(id="big", note=long)))
    assert f"mark 2: the note is {NOTE_MAX_BYTES + 1:,} bytes" in err
    assert f"{NOTE_MAX_BYTES:,}" in err and len(err) < 200
    store = imported(capsys, tmp_path, export_bytes(record(note=long[:-1])))
    assert store.notes()[0].text == long[:-1]
    store.close()


def test_a_file_over_the_limit_is_refused_before_it_is_read(capsys, tmp_path: Path, store_path: Path):
    before = store_path.read_bytes()
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(IMPORT_MAX_BYTES + 1)  # sparse: no disk used
    tracemalloc.start()
    try:
        code, out, err = cli(capsys, "import", str(big), "--store", str(store_path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (code, out) == (2, "")
    assert err.startswith(f"briefing: {big}: the file is ") and "at most 100 MiB" in err, err
    assert peak < IMPORT_MAX_BYTES // 10  # it was not read
    assert store_path.read_bytes() == before


def test_a_pipe_is_read_no_further_than_the_limit(monkeypatch, capsys, tmp_path: Path, store_path: Path):
    monkeypatch.setattr(exchange, "IMPORT_MAX_BYTES", 1000)
    content = export_bytes(record(note="x" * 5000))
    read, write = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write, content), os.close(write)))
    writer.start()
    writer.join()
    try:
        code, out, err = cli(capsys, "import", f"/dev/fd/{read}", "--store", str(store_path))
        rest = len(os.read(read, 100_000))
    finally:
        os.close(read)
    assert (code, out) == (2, "") and "the file is" in err and "at most" in err, err
    assert rest == len(content) - 1001  # the limit and one byte were read, no more


def test_an_error_quotes_a_little_of_a_bad_value(capsys, tmp_path: Path, store_path: Path):
    huge = "\x1b[2J" + "A" * 100_000
    for bad in (record(kind=huge), record(pane=huge), record(created=huge), record(updated=huge)):
        err = refused(capsys, tmp_path, store_path, export_bytes(bad))
        quoted = re.findall("'[^']*'", err)
        assert len(quoted) == 1 and len(quoted[0]) <= 82 and quoted[0].endswith("\u2026'"), err
        assert "A" * 70 in quoted[0] and len(err) < 250, err
        assert "\x1b" not in err and "\u241b[2J" in err
    err = refused(capsys, tmp_path, store_path, export_bytes(record(), version="9" * 100_000))
    assert len(err) < 250 and "\u2026" in err


# -- Markdown ----------------------------------------------------------------------------

PAYLOADS = [
    "# Heading",
    "## Heading ##",
    "```",
    "```python\ncode\n```",
    "~~~",
    "---",
    "***",
    "___",
    "- - -",
    "![x](http://e/x.png)",
    "[a](http://e)",
    "[a][b]\n\n[b]: http://e",
    "<http://e>",
    "<me@example.com>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!-- comment -->",
    "<div>\nblock\n</div>",
    "&lt; &amp; &#60; &copy;",
    "    indented code",
    "\tindented by a tab",
    "> quote",
    ">> quote",
    "1. list",
    "1) list",
    "- item",
    "+ item",
    "* item",
    "| a | b |\n| - | - |\n| 1 | 2 |",
    "Title\n===",
    "Title\n---",
    "*em* _em_ **strong** __strong__ `code` ~~gone~~",
    "line one  \nline two  ",
    "back\\slash\\",
    "\\# escaped already",
    "a\n\n\nb, after blank lines",
    "\nstarts with a newline",
    "   three spaces\n      six spaces",
    "\u00a0no-break space at the edges\u00a0",
    "a{#id} $x$ ^y^ [^1] :smile:",
]

HOSTILE_BRIEF = """\
---
id: hostile
title: "# Title <img src=x onerror=alert(1)> [a](http://e) *em* `code` ##"
date: 2024-05-01
status: review
summary: >
  A short summary.
sources:
  - id: S1
    title: "<script>alert(1)</script> ![x](http://e/x.png) _u_"
    file: sample.txt
---

# x

## Key facts

- <http://e> & &lt; **bold** | a | b | {#evil} [S1 ¶1]
"""

HOSTILE_SOURCE = "<b>passage</b> [x](http://e) `c` *d*\nSecond.\n"


def parse(markdown: str) -> list:
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).parse(markdown)


def text_of(inline) -> str:
    """What an inline token reads as: escapes and entities undone, line breaks as newlines."""
    out = []
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
    return "".join(out)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Store, Library]:
    """Notes that hold every payload, on briefs whose ids, titles, items, sources and
    passages are hostile too, by authors with hostile names and dates."""
    root = write_library(
        tmp_path / "lib", {"hostile.md": HOSTILE_BRIEF, "sample.md": GOOD_BRIEF}, source=HOSTILE_SOURCE
    )
    library = Library([root])
    library.scan()
    assert library.brief("hostile").item("evil") is not None
    store = Store(tmp_path / "s" / "notes.json", author="<b>me</b> *me*")
    marks = [
        Note(
            id=f"n{i}",
            brief="sample",
            item=None,
            pane=None,
            quote="",
            author="Ada",
            created=T0,
            updated=T0,
            text=payload,
        )
        for i, payload in enumerate(PAYLOADS)
    ]
    marks += [
        Note(
            id=f"b{i}",
            brief=payload.replace("\n", " "),
            item=None,
            pane=None,
            quote="",
            author=payload,
            created=payload,
            updated=T1,
            text="on a brief that is not there",
        )
        for i, payload in enumerate(PAYLOADS[:12])
    ]
    marks += [
        Note(
            id="evil",
            brief="hostile",
            item="evil",
            pane="facts",
            quote="old\n# heading\n<img src=x>\n---",
            author="[a](http://e)",
            created=T0,
            updated="<script>",
            text="on the hostile item",
        ),
        Bookmark(
            id="mark",
            brief="hostile",
            item="evil",
            pane="facts",
            quote=library.brief("hostile").item("evil").quote,
            author="`x`",
            created=T0,
            updated=T0,
        ),
    ]
    store.put(*marks)
    return store, library


def test_markdown_export_renders_hostile_text_as_text(hostile):
    store, library = hostile
    markdown = export_markdown(store, library)
    tokens = parse(markdown)
    rows = records(store, library)

    # No block but the export's own.
    types = [t.type for t in tokens]
    for banned in ("fence", "code_block", "hr", "html_block", "table_open", "ordered_list_open"):
        assert banned not in types, banned
    headings = [(tokens[i].tag, text_of(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]
    briefs = {r["brief"]: f"{r['brief_title']} ({r['brief']})".replace("\n", " ") for r in rows}
    assert headings[0] == ("h1", "Notes and bookmarks")
    assert sorted(text for tag, text in headings if tag == "h2") == sorted(briefs.values())
    h3 = [text for tag, text in headings if tag == "h3"]
    assert len(headings) == 1 + len(briefs) + len(h3) and len(h3) == len(rows)
    assert all(text.startswith(("Note · ", "Bookmark · ")) for text in h3)
    assert types.count("blockquote_open") == sum(r["item"] is not None for r in rows)
    assert types.count("bullet_list_open") == sum(bool(r["citations"]) for r in rows)

    # No inline structure but the italic author lines.
    inlines = [t for t in tokens if t.type == "inline"]
    children = [c.type for t in inlines for c in t.children or []]
    for banned in ("image", "link_open", "html_inline", "code_inline", "s_open", "strong_open"):
        assert banned not in children, banned
    assert children.count("em_open") == len(rows)

    # Every value reads exactly as it was written.
    paragraphs = [text_of(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    for row in rows:
        if row["note"]:
            assert row["note"].lstrip("\n") in paragraphs or row["note"] in paragraphs, repr(row["note"])
        # A one-line value's line breaks read as spaces.
        changed = f", edited {row['updated']}" if row["updated"] != row["created"] else ""
        line = f"{row['author']}, {row['created']}{changed}".replace("\n", " ")
        assert line in paragraphs, row["author"]
        for cite in row["citations"]:
            assert f"{cite['citation']} {cite['source']}: \u201c{cite['passage']}\u201d" in paragraphs
    evil = next(r for r in rows if r["id"] == "evil")
    assert evil["item_text"] in paragraphs
    # Its text is nothing like the item's now: an orphan, quoted with what it was written on.
    assert evil["anchor"] == "orphaned" and evil["item_text"] == evil["written_on"]
    assert sum(p == note for p in paragraphs for note in PAYLOADS if "\n" not in note[:1]) >= len(PAYLOADS) - 1

    # And in HTML: no tag from a value.
    html = MarkdownIt("commonmark", {"html": True}).render(markdown)
    assert "<img" not in html and "<script" not in html and "<a " not in html and "<b>" not in html
    store.close()


def test_a_multi_line_note_keeps_its_line_breaks(tmp_path: Path):
    store = Store(tmp_path / "notes.json")
    text = "first line\n  second, indented\n\nfourth after a blank line"
    store.add_note("nowhere", None, None, "", text)
    tokens = parse(export_markdown(store, Library([tmp_path / "lib"])))
    notes = [
        t
        for i, t in enumerate(tokens)
        if t.type == "inline"
        and tokens[i - 1].type == "paragraph_open"
        and any(c.type == "hardbreak" for c in t.children)
    ]
    assert [text_of(t) for t in notes] == [text]
    store.close()


def test_markdown_export_counts_in_the_singular_for_one(tmp_path: Path):
    store = Store(tmp_path / "notes.json")
    library = Library([tmp_path / "lib"])
    store.add_note("sample", None, None, "", "one")
    store.toggle_bookmark("sample", None, None, "")
    assert ": 1 note, 1 bookmark.\n" in export_markdown(store, library)
    store.add_note("sample", None, None, "", "two")
    assert ": 2 notes, 1 bookmark.\n" in export_markdown(store, library)
    store.close()
    assert ": 0 notes, 0 bookmarks.\n" in export_markdown(Store(tmp_path / "empty.json"), library)


# -- --output ------------------------------------------------------------------------------


@pytest.fixture
def filled(tmp_path: Path) -> tuple[Path, Path]:
    """A library and a store with a note: (library, store)."""
    library = write_library(tmp_path / "lib", {"sample.md": GOOD_BRIEF})
    path = tmp_path / "s" / "notes.json"
    store = Store(path)
    store.add_note("sample", "two", "facts", "Two sentences are here.", "a private thought")
    store.close()
    return library, path


def export_to(capsys, filled: tuple[Path, Path], target: Path, fmt: str = "md") -> tuple[int, str, str]:
    library, store = filled
    return cli(
        capsys, "export", "--format", fmt, "--store", str(store), "--library", str(library), "--output", str(target)
    )


def test_export_file_is_private_whatever_the_umask(capsys, tmp_path: Path, filled, open_umask):
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    assert export_to(capsys, filled, target) == (0, "", f"wrote {target}\n")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert "a private thought" in target.read_text(encoding="utf-8")
    # An older export there, readable by all, is replaced by a private one.
    target.write_text("old")
    os.chmod(target, 0o644)
    assert export_to(capsys, filled, target, "json")[0] == 0
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == FORMAT
    assert sorted(p.name for p in target.parent.iterdir()) == ["notes.md"]  # no temporary file left


def test_export_file_is_written_atomically(monkeypatch, capsys, tmp_path: Path, filled):
    target = tmp_path / "notes.md"
    target.write_text("the last export")

    def broken_disk(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_disk)
    code, out, err = export_to(capsys, filled, target)
    assert (code, out) == (2, "") and err == f"briefing: cannot write {target}: Input/output error\n"
    assert target.read_text() == "the last export"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("dangling", [False, True])
def test_export_refuses_a_symbolic_link(dangling, capsys, tmp_path: Path, filled, open_umask):
    elsewhere = tmp_path / "elsewhere.txt"
    if not dangling:
        elsewhere.write_text("not yours to overwrite")
        os.chmod(elsewhere, 0o644)
    link = tmp_path / "notes.md"
    link.symlink_to(elsewhere)
    code, out, err = export_to(capsys, filled, link)
    assert (code, out) == (2, "")
    assert err.startswith(f"briefing: cannot write {link}: ") and "symbolic link" in err and err.count("\n") == 1
    assert link.is_symlink() and os.readlink(link) == str(elsewhere)
    if dangling:
        assert not elsewhere.exists()
    else:
        assert elsewhere.read_text() == "not yours to overwrite"
        assert stat.S_IMODE(os.stat(elsewhere).st_mode) == 0o644


def test_export_refuses_a_folder_a_fifo_and_a_missing_folder(capsys, tmp_path: Path, filled):
    folder = tmp_path / "folder"
    folder.mkdir()
    code, _, err = export_to(capsys, filled, folder)
    assert code == 2 and err == f"briefing: cannot write {folder}: it is a folder\n"
    assert list(folder.iterdir()) == []

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # A reader is there, so a writer would not block: it must still not write.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, _, err = export_to(capsys, filled, fifo)
        assert code == 2 and err == f"briefing: cannot write {fifo}: it is not a regular file\n"
        assert os.read(reader, 100) == b""
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)

    missing = tmp_path / "no" / "such" / "notes.md"
    code, _, err = export_to(capsys, filled, missing)
    assert code == 2 and err == f"briefing: cannot write {missing}: no such folder {missing.parent}\n"
    assert not (tmp_path / "no").exists()


# -- round trip ------------------------------------------------------------------------------


def test_a_json_export_imports_into_a_new_store_as_it_was(capsys, tmp_path: Path, filled):
    library, path = filled
    store = Store(path)
    store.add_note("sample", None, None, "", "multi\nline <b>note</b> # not a heading\n\tindented")
    store.add_note("elsewhere", None, None, "", "é" * (NOTE_MAX_BYTES // 2))
    store.toggle_bookmark("sample", "two", "facts", "Two sentences are here.")
    edited = store.edit_note(store.notes()[0], "edited later")
    assert edited.updated >= edited.created
    before = sorted((m.kind, *vars(m).values()) for m in store.marks())
    store.close()

    target = tmp_path / "notes.json"
    assert export_to(capsys, filled, target, "json")[0] == 0
    other = tmp_path / "other" / "notes.json"
    code, out, err = cli(capsys, "import", str(target), "--store", str(other))
    assert (code, out, err) == (0, "imported 4 new, 0 updated, 0 already there\n", "")
    store = Store(other)
    assert sorted((m.kind, *vars(m).values()) for m in store.marks()) == before
    store.close()
    code, out, _ = cli(capsys, "import", str(target), "--store", str(other))
    assert (code, out) == (0, "imported 0 new, 0 updated, 4 already there\n")
