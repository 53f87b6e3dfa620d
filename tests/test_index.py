"""The library index (core/index.py, core/indexing.py): an SQLite cache of every brief, item
and cited source paragraph, one file per set of library folders.

A brief unchanged since is taken from it, not parsed; a changed one (or one whose source
changed) is read again; a brief only touched is not; a corrupt index, one of another schema
or of other folders is rebuilt; two processes may bring one index up to date at once; a
library's shared index is read without writing a byte, until it is stale. What is parsed is
counted (``Update.read``, and every call of ``read_brief``), never timed."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from briefing import paths
from briefing.cli.main import main
from briefing.core import indexing
from briefing.core.index import SCHEMA_VERSION, Index, IndexUnavailable, Rows
from briefing.core.indexing import is_fresh, update
from briefing.core.library import Library
from briefing.core.query import parse_query

from .fixtures import GOOD_BRIEF, SOURCE_TEXT, write_library
from .search_fixtures import briefing_as_a_user, fingerprint, write_hand_written, write_synthetic

HANG_GUARD = 60.0  # seconds: only a hang comes near it


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file name of every brief parsed in this process from now on."""
    seen: list[str] = []
    real = indexing.read_brief

    def counting(root: str, path: str):
        seen.append(Path(path).name)
        return real(root, path)

    monkeypatch.setattr(indexing, "read_brief", counting)
    return seen


def brief(i: int, **changes: str) -> str:
    """GOOD_BRIEF as brief number ``i`` (its own id), with fields replaced."""
    text = GOOD_BRIEF.replace("id: sample", f"id: sample-{i}")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def library_of(tmp_path: Path, count: int = 3) -> Path:
    return write_library(tmp_path / "lib", {f"b{i}.md": brief(i) for i in range(count)})


def fresh_index(path: Path, lib: Path) -> Index:
    index = Index(path)
    index.open([lib])
    return index


def consistent(index: Index) -> None:
    """The index holds each file once, nothing that belongs to no file or source, and an
    FTS index that agrees with its documents."""
    db = index.db
    paths_ = [row[0] for row in db.execute("SELECT path FROM files")]
    assert len(paths_) == len(set(paths_))
    for table in ("items", "cites"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE file NOT IN (SELECT id FROM files)").fetchone() == (0,)
    assert db.execute(
        "SELECT count(*) FROM docs WHERE file IS NOT NULL AND file NOT IN (SELECT id FROM files)"
    ).fetchone() == (0,)
    assert db.execute(
        "SELECT count(*) FROM docs WHERE source IS NOT NULL AND source NOT IN (SELECT id FROM sources)"
    ).fetchone() == (0,)
    db.execute("INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)")
    db.commit()  # (the check is an INSERT: it opened a transaction)
    assert db.execute("SELECT count(*) FROM fts").fetchone() == db.execute("SELECT count(*) FROM docs").fetchone()


# -- a warm start, and changes picked up --------------------------------------------------------


def test_a_warm_start_reads_no_brief(tmp_path: Path, parsed: list[str]):
    lib = library_of(tmp_path)
    index_file = tmp_path / "cache" / "index.sqlite"
    first = Library([lib], index_file)
    assert first.load_index() is False  # nothing indexed yet
    assert first.scan() is True
    assert sorted(parsed) == ["b0.md", "b1.md", "b2.md"]
    assert index_file.is_file() and index_file.read_bytes().startswith(b"SQLite format 3\x00")
    parsed.clear()
    second = Library([lib], index_file)
    assert second.load_index() is True  # the list, before any file is looked at
    assert [s.id for s in second.summaries] == [s.id for s in first.summaries]
    assert second.scan() is False  # nothing changed
    assert parsed == []
    assert second.entries == first.entries and list(second.entries) == list(first.entries)


def test_entries_read_from_the_index_equal_a_full_reading(tmp_path: Path):
    lib = write_library(
        tmp_path / "lib",
        {f"b{i:03d}.md": brief(i, **{"date: 2024-05-01": f"date: 2024-05-{i % 28 + 1:02d}"}) for i in range(150)},
    )
    index_file = tmp_path / "index.sqlite"
    scanned = Library([lib], index_file)
    scanned.scan()
    read = Library([lib], index_file)
    assert read.load_index() is True
    assert isinstance(read.entries, Rows) and len(read.entries) == 150 > Rows.PAGE
    assert list(read.entries) == [scanned.summarise(lib, Path(e.path)) for e in scanned.entries]
    assert read.entries[-1] == list(read.entries)[-1] and read.entries[5:8] == list(read.entries)[5:8]
    dates = [e.summary.date for e in read.entries if e.summary]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_an_edited_brief_is_read_again_and_only_it(tmp_path: Path, parsed: list[str]):
    lib = library_of(tmp_path)
    index = fresh_index(tmp_path / "index.sqlite", lib)
    assert update(index, [lib], processes=0).read == 3
    parsed.clear()
    (lib / "b1.md").write_text(brief(1, **{"A sample brief": "A renamed brief"}), encoding="utf-8")
    result = update(index, [lib], processes=0)
    assert (result.read, result.removed, parsed) == (1, 0, ["b1.md"])
    assert index.entry("sample-1").summary.title == "A renamed brief"
    library = Library([lib], tmp_path / "index.sqlite")
    library.load_index()
    assert library.scan() is False  # the next start sees it already
    assert [s.title for s in library.summaries].count("A renamed brief") == 1


def test_a_touched_brief_is_not_parsed_again(tmp_path: Path, parsed: list[str]):
    """Only the time changed: the content hash says it is the same brief."""
    lib = library_of(tmp_path)
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    parsed.clear()
    st = (lib / "b2.md").stat()
    os.utime(lib / "b2.md", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert not is_fresh(index, [lib])
    result = update(index, [lib], processes=0)
    assert (result.read, result.changed, parsed) == (0, False, [])
    assert is_fresh(index, [lib])  # the new time is kept: not hashed again next time
    # The same size with other bytes, and a new time: read again.
    text = (lib / "b2.md").read_text(encoding="utf-8")
    (lib / "b2.md").write_text(text.replace("A short summary.", "A brief summary."), encoding="utf-8")
    os.utime(lib / "b2.md", ns=(st.st_atime_ns, st.st_mtime_ns + 9_000_000_000))
    assert (lib / "b2.md").stat().st_size == st.st_size
    assert update(index, [lib], processes=0).read == 1
    assert parsed == ["b2.md"]


def test_a_new_brief_is_read_and_others_are_not(tmp_path: Path, parsed: list[str]):
    lib = library_of(tmp_path)
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    parsed.clear()
    (lib / "b9.md").write_text(brief(9), encoding="utf-8")
    assert not is_fresh(index, [lib])
    assert update(index, [lib], processes=0).read == 1 and parsed == ["b9.md"]
    assert index.entry("sample-9") is not None and is_fresh(index, [lib])


def test_a_deleted_brief_is_gone_with_all_it_held(tmp_path: Path):
    lib = library_of(tmp_path)
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    (lib / "b1.md").write_text(brief(1, **{"Too expensive.": "Too expensive and zanzibar."}), encoding="utf-8")
    update(index, [lib], processes=0)
    assert [h.brief for h in index.search(parse_query("zanzibar"))] == ["sample-1"]
    (lib / "b1.md").unlink()
    assert not is_fresh(index, [lib])
    result = update(index, [lib], processes=0)
    assert (result.read, result.removed) == (0, 1)
    assert index.entry("sample-1") is None and index.counts() == (2, 0)
    assert index.search(parse_query("zanzibar")) == []
    assert index.db.execute("SELECT count(*) FROM items WHERE brief = 'sample-1'").fetchone() == (0,)
    consistent(index)


# -- source files --------------------------------------------------------------------------------


def test_a_source_that_loses_a_cited_paragraph_makes_its_briefs_errors_and_back(tmp_path: Path, parsed: list[str]):
    """GOOD_BRIEF cites ¶3 of sample.txt; a brief citing another file is not read again."""
    lib = library_of(tmp_path, 2)
    other = brief(7, **{"file: sample.txt": "file: other.txt", "[S1 ¶3.2]": "[S1 ¶3]"})
    (lib / "other.md").write_text(other, encoding="utf-8")
    (lib / "sources" / "other.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    assert index.counts() == (3, 0)
    assert {h.ref for h in index.search(parse_query("third paragraph"))} == {"S1 ¶3"}
    parsed.clear()

    (lib / "sources" / "sample.txt").write_text(SOURCE_TEXT.rsplit("Third", 1)[0], encoding="utf-8")
    assert not is_fresh(index, [lib])
    assert update(index, [lib], processes=0).read == 2
    assert sorted(parsed) == ["b0.md", "b1.md"]
    assert index.counts() == (1, 2)
    entry = Library([lib], tmp_path / "index.sqlite")
    entry.load_index()
    assert {Path(e.file).name for e in entry.errors} == {"b0.md", "b1.md"}
    assert all("source S1 has 2 paragraphs" in e.message for e in entry.errors)
    # Only other.txt's third paragraph is left to find, under the brief that cites it.
    assert {(h.brief, h.ref) for h in index.search(parse_query("third paragraph"))} == {("sample-7", "S1 ¶3")}
    consistent(index)

    parsed.clear()
    (lib / "sources" / "sample.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    assert update(index, [lib], processes=0).read == 2 and sorted(parsed) == ["b0.md", "b1.md"]
    assert index.counts() == (3, 0) and is_fresh(index, [lib])
    assert len(index.search(parse_query("third paragraph"))) == 2
    consistent(index)


def test_a_source_file_added_later(tmp_path: Path):
    lib = write_library(tmp_path / "lib", {"late.md": brief(1, **{"file: sample.txt": "file: late.txt"})})
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    library = Library([lib], tmp_path / "index.sqlite")
    library.load_index()
    assert [e.message for e in library.errors][0].endswith("source file not found")
    assert is_fresh(index, [lib])
    (lib / "sources" / "late.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    assert not is_fresh(index, [lib])
    assert update(index, [lib], processes=0).read == 1
    assert index.counts() == (1, 0)
    assert [h.brief for h in index.search(parse_query("money pane:source"))] == ["sample-1"]


def test_a_source_file_removed_makes_its_briefs_errors(tmp_path: Path):
    lib = library_of(tmp_path, 2)
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    (lib / "sources" / "sample.txt").unlink()
    assert update(index, [lib], processes=0).read == 2
    assert index.counts() == (0, 2)
    assert index.search(parse_query("money")) == []
    consistent(index)


def test_an_update_cut_short_after_a_source_changed_is_finished_by_the_next(tmp_path: Path, monkeypatch):
    """The reader may quit (or be killed) while it reads the briefs again: the next update
    must still know they need it."""
    lib = library_of(tmp_path, 2)
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    (lib / "sources" / "sample.txt").write_text(SOURCE_TEXT.rsplit("Third", 1)[0], encoding="utf-8")

    def quit_now(batch):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(indexing, "read_briefs", quit_now)
        with pytest.raises(KeyboardInterrupt):
            update(index, [lib], processes=0)
    assert not is_fresh(index, [lib])
    assert update(index, [lib], processes=0).read == 2
    assert index.counts() == (0, 2)
    (lib / "sources" / "sample.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    update(index, [lib], processes=0)
    assert index.counts() == (2, 0) and len(index.search(parse_query("third paragraph"))) == 1
    consistent(index)


# -- duplicates ----------------------------------------------------------------------------------


def test_a_duplicate_id_is_an_error_naming_the_brief_that_keeps_it(tmp_path: Path):
    lib = write_library(
        tmp_path / "lib",
        {
            "old.md": brief(1, **{"date: 2024-05-01": "date: 2023-01-01", "Too expensive.": "Too expensive, old."}),
            "new.md": brief(1, **{"Too expensive.": "Too expensive, new."}),
        },
    )
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    assert index.counts() == (1, 1)
    assert Path(index.entry("sample-1").path).name == "new.md"  # the first in display order
    library = Library([lib], tmp_path / "index.sqlite")
    library.load_index()
    [error] = library.errors
    assert Path(error.file).name == "old.md"
    assert error.message == f"brief id 'sample-1' is also used by {lib / 'new.md'}"
    [hit] = index.search(parse_query("expensive"))
    assert hit.snippet.endswith("Too \x02expensive\x03, new.")
    assert index.brief_ids() == ["sample-1"]

    (lib / "new.md").unlink()  # the other one takes the id
    update(index, [lib], processes=0)
    assert index.counts() == (1, 0)
    assert Path(index.entry("sample-1").path).name == "old.md"
    [hit] = index.search(parse_query("expensive"))
    assert hit.snippet.endswith("Too \x02expensive\x03, old.")


def test_duplicates_are_marked_after_an_update_cut_short_after_its_last_commit(tmp_path: Path):
    lib = write_library(tmp_path / "lib", {"a.md": brief(1), "b.md": brief(1)})
    index = fresh_index(tmp_path / "index.sqlite", lib)

    def quit_now() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        update(index, [lib], processes=0, committed=quit_now)
    update(index, [lib], processes=0)
    assert index.counts() == (1, 1)


def test_a_duplicate_mark_naming_no_brief_is_taken_off_by_an_update_that_reads_nothing(tmp_path: Path):
    """As an update cut short after deleting the brief that kept the id leaves it."""
    lib = write_library(tmp_path / "lib", {"a.md": brief(1)})
    index = fresh_index(tmp_path / "index.sqlite", lib)
    update(index, [lib], processes=0)
    with index.db as db:
        db.execute("UPDATE files SET dup = ?", (str(lib / "gone.md"),))
    assert index.counts() == (0, 1)
    assert update(index, [lib], processes=0).read == 0
    assert index.counts() == (1, 0)


def test_an_update_with_nothing_to_do_writes_nothing(tmp_path: Path):
    lib = write_library(tmp_path / "lib", {"a.md": brief(1), "b.md": brief(1), "c.md": brief(2)})
    index_file = tmp_path / "index.sqlite"
    index = fresh_index(index_file, lib)
    update(index, [lib], processes=0)
    index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    changes = index.db.total_changes
    assert update(index, [lib], processes=0).changed is False
    assert index.db.total_changes == changes
    assert index.counts() == (2, 1)


# -- an index it cannot use as it is -------------------------------------------------------------


def built(tmp_path: Path, count: int = 30) -> tuple[Path, Path, bytes]:
    """A library of ``count`` synthetic briefs, its index file, and that file's bytes."""
    lib = write_synthetic(tmp_path / "lib", count)
    index_file = tmp_path / "cache" / "index.sqlite"
    index = fresh_index(index_file, lib)
    update(index, [lib], processes=0)
    index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index.close()
    return lib, index_file, index_file.read_bytes()


def rebuilt_cleanly(lib: Path, index_file: Path, count: int) -> None:
    library = Library([lib], index_file)
    library.load_index()
    library.scan()
    assert library.counts() == (count, 0)
    assert len(library.search("synthetic fact 3", limit=1000)[1]) == count
    assert library.index is not None and not library.index.read_only
    consistent(library.index)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"not an index at all\n" * 500, id="garbage"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[:100], id="header-only"),
        pytest.param(lambda data: data[: len(data) // 10], id="truncated-to-a-tenth"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated-to-a-half"),
        pytest.param(lambda data: data[: len(data) - 4096], id="last-page-lost"),
        pytest.param(lambda data: data[:16] + bytes(len(data) - 16), id="zeroed-after-the-magic"),
    ],
)
def test_a_corrupt_index_is_rebuilt_without_error(tmp_path: Path, damage):
    lib, index_file, data = built(tmp_path)
    index_file.write_bytes(damage(data))
    rebuilt_cleanly(lib, index_file, 30)


def test_an_index_with_damaged_pages_inside_is_rebuilt_without_error(tmp_path: Path):
    lib, index_file, data = built(tmp_path)
    noise = random.Random(12).randbytes(16 * 4096)
    middle = len(data) // 2 // 4096 * 4096
    index_file.write_bytes(data[:middle] + noise + data[middle + len(noise) :])
    rebuilt_cleanly(lib, index_file, 30)


def test_an_index_that_is_a_folder_is_worked_around(tmp_path: Path):
    lib = library_of(tmp_path)
    index_file = tmp_path / "cache" / "index.sqlite"
    index_file.mkdir(parents=True)
    library = Library([lib], index_file)
    library.load_index()
    library.scan()
    assert library.counts() == (3, 0) and index_file.is_dir()


@pytest.mark.parametrize("version", [0, 1, SCHEMA_VERSION - 1, SCHEMA_VERSION + 1, -7])
def test_an_index_of_another_schema_version_is_rebuilt(tmp_path: Path, parsed: list[str], version: int):
    lib = library_of(tmp_path)
    index_file = tmp_path / "index.sqlite"
    update(fresh_index(index_file, lib), [lib], processes=0)
    other = sqlite3.connect(index_file)
    other.execute(f"PRAGMA user_version = {version}")
    if version != 0:  # and tables of another shape, as an older briefing made them
        other.execute("DROP TABLE items")
        other.execute("CREATE TABLE items(anything)")
    other.commit()
    other.close()
    parsed.clear()
    index = Index(index_file)
    index.open([lib])
    assert index.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    result = update(index, [lib], processes=0)
    if version == 0:  # 0 is a new file's: the tables are its own, kept
        assert result.read == 0
    else:
        assert result.read == 3 and sorted(parsed) == ["b0.md", "b1.md", "b2.md"]
    assert index.counts() == (3, 0)
    assert len(index.stakeholders()) == 3
    consistent(index)


def test_an_index_of_other_library_folders_is_replaced(tmp_path: Path):
    first = write_hand_written(tmp_path / "first")
    second = library_of(tmp_path)
    index_file = tmp_path / "index.sqlite"
    update(fresh_index(index_file, first), [first], processes=0)
    index = Index(index_file)
    assert index.open([second]) is False  # no rows: the first library's are gone
    assert index.count_all() == 0 and index.search(parse_query("quixotic")) == []
    assert json.loads(index.meta("roots") or "[]") == [str(second)]
    update(index, [second], processes=0)
    assert sorted(index.brief_ids()) == ["sample-0", "sample-1", "sample-2"]
    assert index.db.execute("SELECT count(*) FROM sources").fetchone() == (1,)
    consistent(index)
    # Two folders are another set again.
    assert Index(index_file).open([second, first]) is False


def test_a_fifo_named_like_a_brief_is_an_error_not_a_hang(tmp_path: Path):
    lib = library_of(tmp_path, 1)
    os.mkfifo(lib / "fifo.md")
    index = Index.in_memory()
    index.open([lib])
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(update(index, [lib], processes=0)), daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    if worker.is_alive():  # let the stuck open() return, then fail
        os.close(os.open(lib / "fifo.md", os.O_WRONLY | os.O_NONBLOCK))
        worker.join(HANG_GUARD)
        pytest.fail("indexing waited on a FIFO")
    assert index.counts() == (1, 1)
    library = Library([lib], None)
    library.scan()
    assert [e.message for e in library.errors] == ["not a regular file"]


# -- two processes at once ----------------------------------------------------------------------


def _update_in_a_child(index_file: str, lib: str, barrier, results) -> None:
    try:
        index = Index(Path(index_file))
        index.open([Path(lib)])
        barrier.wait(HANG_GUARD)  # both have read the index before either writes to it
        result = update(index, [Path(lib)], processes=0)
        results.put(("ok", result.read, index.counts()))
    except BaseException as exc:  # noqa: BLE001 - said to the test, which fails on it
        results.put(("failed", repr(exc), None))


def _open_new_indexes_in_a_child(folder: str, lib: str, rounds: int, barrier, results) -> None:
    outcomes = []
    for n in range(rounds):
        try:
            barrier.wait(HANG_GUARD)  # both open the same new index at the same moment
            outcomes.append(repr(Index(Path(folder) / f"{n}" / "index.sqlite").open([Path(lib)])))
        except BaseException as exc:  # noqa: BLE001 - said to the test, which fails on it
            outcomes.append(repr(exc))
    results.put(outcomes)


def test_two_sessions_starting_at_once_both_open_a_new_index(tmp_path: Path):
    """Two sessions of one user started together on a cold cache: SQLite answers one of two
    connections making the same new database "busy" at once (no busy timeout helps: each
    holds a lock the other needs). Neither may fail, round after round."""
    lib = write_synthetic(tmp_path / "lib", 3)
    rounds = 25
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    args = (str(tmp_path / "cache"), str(lib), rounds, barrier, results)
    children = [context.Process(target=_open_new_indexes_in_a_child, args=args) for _ in range(2)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=HANG_GUARD * 2) for _ in children]
    for child in children:
        child.join(HANG_GUARD)
    assert outcomes == [["False"] * rounds] * 2
    for n in range(rounds):
        index = Index(tmp_path / "cache" / f"{n}" / "index.sqlite")
        assert index.open([lib]) is False and index.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        consistent(index)


def test_a_session_waiting_to_make_the_index_goes_on_once_another_has_made_it(tmp_path: Path, monkeypatch):
    """The first of two sessions started together makes the new index, then reads the library
    holding the writer lock all along. The second, which found no index and waits for the
    lock to make one, goes on as soon as the first has made it, not after the first's whole
    reading of the library (the reader shows that reading's rows meanwhile)."""
    from briefing.core import index as module

    monkeypatch.setattr(module, "LOCK_WAIT", HANG_GUARD * 10)  # it is not waited out here
    lib = write_synthetic(tmp_path / "lib", 3)
    path = tmp_path / "cache" / "index.sqlite"
    first, second = Index(path), Index(path)
    waiting = threading.Event()
    wait_for_the_lock = second.writing

    def writing(*args, **kwargs):
        waiting.set()
        return wait_for_the_lock(*args, **kwargs)

    monkeypatch.setattr(second, "writing", writing)
    outcome: list[bool] = []
    opening = threading.Thread(target=lambda: outcome.append(second.open([lib])))
    with first.writing():  # the first is making the index
        opening.start()
        assert waiting.wait(HANG_GUARD)  # the second found none, and waits to make it
        first._make([lib], json.dumps([str(lib)], ensure_ascii=True))
        # the first now reads the library, still holding the lock
        opening.join(HANG_GUARD)
        assert not opening.is_alive(), "the second waited for the lock although the index is made"
        assert outcome == [False]
    assert second.db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_a_second_session_waits_for_the_first_and_finds_nothing_left(tmp_path: Path):
    """Two connections to one index, the second starting its update while the first is
    between two of its commits: it waits for the first to end (the writer lock), then reads
    nothing (without the lock it would read again every brief not yet committed)."""
    lib = write_synthetic(tmp_path / "lib", 150)
    index_file = tmp_path / "index.sqlite"
    first, second = fresh_index(index_file, lib), fresh_index(index_file, lib)
    results: list[indexing.Update] = []
    started = threading.Event()

    def second_session() -> None:
        started.set()
        results.append(update(second, [lib], processes=0))

    waiter = threading.Thread(target=second_session, daemon=True)

    def committed() -> None:
        if not waiter.is_alive() and not started.is_set():
            waiter.start()
            assert started.wait(HANG_GUARD)

    assert update(first, [lib], processes=0, committed=committed).read == 150
    waiter.join(HANG_GUARD)
    assert not waiter.is_alive()
    assert [r.read for r in results] == [0]
    for index in (first, second):
        assert index.counts() == (150, 0) and is_fresh(index, [lib])
    consistent(first)
    assert first.db.execute("SELECT count(*) FROM docs WHERE file IS NOT NULL").fetchone() == (150 * 21,)


@pytest.mark.slow  # two processes, each parsing the library
def test_two_processes_bringing_one_index_up_to_date_at_once(tmp_path: Path):
    lib = write_synthetic(tmp_path / "lib", 150)
    index_file = tmp_path / "cache" / "index.sqlite"
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    children = [
        context.Process(target=_update_in_a_child, args=(str(index_file), str(lib), barrier, results)) for _ in range(2)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=HANG_GUARD * 2) for _ in children]
    for child in children:
        child.join(HANG_GUARD)
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert all(o[2] == (150, 0) for o in outcomes)
    index = Index(index_file)
    assert index.open([lib]) is True
    assert index.counts() == (150, 0) and is_fresh(index, [lib])
    consistent(index)
    # Every brief's documents once: its title and summary, and twenty items.
    assert index.db.execute("SELECT count(*) FROM docs WHERE file IS NOT NULL").fetchone() == (150 * 21,)
    assert index.db.execute("SELECT count(*) FROM docs WHERE source IS NOT NULL").fetchone() == (40,)
    assert len(index.search(parse_query("synthetic fact 3"), limit=1000)) == 150


# -- the index fills while it is built ---------------------------------------------------------


def test_rows_are_visible_to_another_connection_before_the_build_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # Commits come at most every COMMIT_EVERY seconds; with none between them, every batch is
    # committed, whatever the speed of the machine.
    monkeypatch.setattr(indexing, "COMMIT_EVERY", 0.0)
    lib = write_synthetic(tmp_path / "lib", 300)
    index_file = tmp_path / "index.sqlite"
    index = fresh_index(index_file, lib)
    seen: list[tuple[int, int]] = []
    progress: list[tuple[int, int]] = []

    def committed() -> None:
        other = sqlite3.connect(f"{index_file.as_uri()}?mode=ro", uri=True)
        try:
            briefs = other.execute("SELECT count(*) FROM files").fetchone()[0]
            found = other.execute("SELECT count(*) FROM fts WHERE fts MATCH '\"fact 3\"'").fetchone()[0]
        finally:
            other.close()
        seen.append((briefs, found))

    result = update(index, [lib], processes=0, committed=committed, progress=lambda *a: progress.append(a))
    assert result.read == 300
    assert len(seen) >= 3
    assert seen[0][0] < 300 and seen[0][1] > 0  # found before the build ended
    assert [b for b, _ in seen] == sorted({b for b, _ in seen}) and seen[-1] == (300, 300)
    assert progress[-1] == (300, 300) and [p[0] for p in progress] == [b for b, _ in seen]


def test_the_library_list_fills_while_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    lib = write_synthetic(tmp_path / "lib", 200)
    library = Library([lib], tmp_path / "index.sqlite")
    assert library.load_index() is False
    real = indexing.update
    monkeypatch.setattr(indexing, "update", lambda *a, **k: real(*a, **{**k, "processes": 0}))
    shown: list[int] = []
    found: list[int] = []

    def committed() -> None:
        library.refresh()
        shown.append(len(library.entries))
        found.append(len(library.search('"fact 3"', limit=1000)[1]))

    assert library.scan(committed=committed) is True
    assert shown[0] < 200 and shown[-1] == 200 and shown == sorted(shown)
    assert found == shown  # searched as it fills: one such fact a brief


# -- the shared index ----------------------------------------------------------------------------


def make_read_only(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        path.chmod(path.stat().st_mode & ~0o222)


def make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)


@pytest.fixture
def shared_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A library with a shared index built by ``briefing index``, then made read-only."""
    lib = write_hand_written(tmp_path / "shared")
    write_synthetic(lib, 20)
    assert main(["index", "--library", str(lib)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{paths.shared_index_file(lib)}: 23 briefs, 0 with errors; 23 read in ")
    make_read_only(lib)
    try:
        yield lib
    finally:
        make_writable(lib)


def test_a_fresh_shared_index_is_read_without_writing_anything(shared_library: Path):
    lib = shared_library
    before = fingerprint(lib)
    library = Library.of([lib])
    assert library.load_index() is True
    assert library.index.read_only and library.index.path == paths.shared_index_file(lib)
    assert library.scan() is False
    assert library.index.read_only  # still fresh: still the shared one
    assert library.counts() == (23, 0)
    assert {h.brief for h in library.search("quixotic")[1]} == {"cameras"}
    assert len(library.index.stakeholders()) == 20 * 5 + 5
    library.index.close()
    assert fingerprint(lib) == before
    assert not paths.library_cache_file([lib]).exists()  # no copy of it was needed


def test_a_stale_shared_index_is_left_alone_and_the_readers_own_sees_the_change(shared_library: Path):
    lib = shared_library
    target = lib / "cameras.md"
    mode = target.stat().st_mode
    target.chmod(mode | 0o200)
    target.write_text(target.read_text(encoding="utf-8").replace("quixotic", "quizzical"), encoding="utf-8")
    target.chmod(mode)
    before = fingerprint(lib)
    library = Library.of([lib])
    assert library.load_index() is True  # the first frame from the shared index, stale as it is
    assert library.index.read_only
    assert library.scan() is True
    assert not library.index.read_only and library.index.path == paths.library_cache_file([lib])
    assert paths.library_cache_file([lib]).is_file()
    assert library.search("quixotic")[1] == []
    assert {h.brief for h in library.search("quizzical")[1]} == {"cameras"}
    assert library.counts() == (23, 0)
    library.index.close()
    assert fingerprint(lib) == before
    # The next start takes the shared index for its first frame and its own for the rest.
    again = Library.of([lib])
    again.load_index()
    assert again.scan() is True and {h.brief for h in again.search("quizzical")[1]} == {"cameras"}


def test_a_shared_index_of_another_library_or_version_is_not_used(shared_library: Path, tmp_path: Path):
    lib = shared_library
    # The same folder reached by another path: the index records the folder it was built for.
    alias = tmp_path / "alias"
    alias.symlink_to(lib)
    library = Library([alias], tmp_path / "own.sqlite", paths.shared_index_file(lib))
    assert library.load_index() is False and not library.index.read_only
    library.scan()
    assert library.counts() == (23, 0)
    # A copy of it made by another version of briefing.
    other = tmp_path / "other-version.sqlite"
    shutil.copyfile(paths.shared_index_file(lib), other)
    with sqlite3.connect(other) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    library = Library([lib], tmp_path / "own-too.sqlite", other)
    assert library.load_index() is False and not library.index.read_only
    library.scan()
    assert library.counts() == (23, 0)


def test_a_shared_index_that_cannot_be_read_is_not_used(tmp_path: Path):
    lib = library_of(tmp_path)
    shared = paths.shared_index_file(lib)
    shared.parent.mkdir()
    shared.write_bytes(b"garbage" * 100)
    library = Library.of([lib])
    assert library.load_index() is False
    library.scan()
    assert library.counts() == (3, 0) and shared.read_bytes() == b"garbage" * 100


def test_briefing_index_builds_beside_the_old_one_and_reads_only_what_changed(tmp_path: Path, capsys):
    lib = library_of(tmp_path)
    assert main(["index", "--library", str(lib)]) == 0
    assert "3 briefs, 0 with errors; 3 read in" in capsys.readouterr().out
    (lib / "b1.md").write_text(brief(1, **{"A sample brief": "A renamed brief"}), encoding="utf-8")
    assert main(["index", "--library", str(lib)]) == 0
    assert "3 briefs, 0 with errors; 1 read in" in capsys.readouterr().out
    assert sorted(p.name for p in paths.shared_index_file(lib).parent.iterdir()) == ["index.sqlite"]
    shared = Index(paths.shared_index_file(lib), read_only=True)
    shared.open([lib])
    assert shared.entry("sample-1").summary.title == "A renamed brief"
    assert shared.db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # no WAL for readers
    shared.close()


def test_briefing_index_of_a_missing_folder_says_so(tmp_path: Path, capsys):
    assert main(["index", "--library", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err == f"briefing: no such library folder: {tmp_path / 'nowhere'}\n"


def test_briefing_index_on_a_folder_it_cannot_write_says_so(tmp_path: Path):
    lib = library_of(tmp_path)
    make_read_only(lib)
    try:
        before = fingerprint(lib)
        done = briefing_as_a_user("index", "--library", str(lib))
        assert done.returncode == 2, done
        assert done.stdout == ""
        target = paths.shared_index_file(lib)
        assert done.stderr == f"briefing: cannot write {target}: Permission denied\n"
        assert fingerprint(lib) == before
    finally:
        make_writable(lib)


# -- a cache folder that cannot be written ----------------------------------------------------


def test_a_cache_folder_that_cannot_be_made_still_works(tmp_path: Path, private_home: Path):
    """The cache folder's place is taken by a file: the index lives in memory instead."""
    lib = library_of(tmp_path)
    cache = paths.cache_dir()
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"in the way")
    library = Library.of([lib])
    assert library.load_index() is False
    assert library.scan() is True
    assert library.counts() == (3, 0)
    assert sorted(h.brief for h in library.search("expensive pane:concerns")[1]) == ["sample-0", "sample-1", "sample-2"]
    assert cache.read_bytes() == b"in the way"


def test_an_index_that_cannot_be_made_says_so(tmp_path: Path):
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(IndexUnavailable, match="cannot make the index"):
        Index(tmp_path / "file" / "index.sqlite").open([tmp_path])


def test_a_cache_folder_without_write_permission_still_works(tmp_path: Path):
    lib = library_of(tmp_path)
    cache = paths.cache_dir()
    cache.mkdir(parents=True)
    cache.chmod(0o500)
    try:
        done = briefing_as_a_user("search", "--library", str(lib), "expensive", "pane:concerns", "--format", "json")
        assert done.returncode == 0, done.stderr
        assert sorted(hit["brief"] for hit in json.loads(done.stdout)) == ["sample-0", "sample-1", "sample-2"]
        assert list(cache.iterdir()) == []
    finally:
        cache.chmod(0o700)


@pytest.mark.parametrize("since", ["nothing", "a-brief-changed", "no-lock-file"])
def test_a_cache_folder_without_write_permission_holding_an_old_index_still_works(tmp_path: Path, since: str):
    lib = library_of(tmp_path)
    Library.of([lib]).scan()
    cache_file = paths.library_cache_file([lib])
    assert cache_file.is_file()
    if since == "a-brief-changed":
        (lib / "b1.md").write_text(brief(1, **{"Too expensive.": "Too expensive, zanzibar."}), encoding="utf-8")
    if since == "no-lock-file":  # as an older briefing left it
        paths.index_lock_file(cache_file).unlink(missing_ok=True)
    cache_file.chmod(0o400)
    cache_file.parent.chmod(0o500)
    try:
        before = fingerprint(cache_file.parent)
        done = briefing_as_a_user("search", "--library", str(lib), "expensive", "pane:concerns", "--format", "json")
        assert done.returncode == 0, done.stderr
        hits = json.loads(done.stdout)
        assert sorted(hit["brief"] for hit in hits) == ["sample-0", "sample-1", "sample-2"]
        assert ("zanzibar" in json.dumps(hits)) is (since == "a-brief-changed")
        assert fingerprint(cache_file.parent) == before
    finally:
        cache_file.parent.chmod(0o700)


@pytest.mark.parametrize("folders", ["the-same", "others"])
def test_an_index_another_session_holds_is_not_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folders):
    """A session stopped in the middle of a write (ctrl-z) holds the index's lock for as long
    as it likes: a second one waits, then works without it; it does not start the file again
    (for other folders, opening it means writing to it)."""
    monkeypatch.setattr("briefing.core.index.BUSY_MS", 100)
    lib = library_of(tmp_path)
    index_file = tmp_path / "index.sqlite"
    holder = fresh_index(index_file, lib)
    update(holder, [lib], processes=0)
    holder.db.execute("INSERT INTO meta VALUES ('held', 'by the first session')")  # and not committed
    inode = index_file.stat().st_ino
    other = lib if folders == "the-same" else write_hand_written(tmp_path / "other")
    library = Library([other], index_file)
    library.load_index()
    library.scan()
    assert library.counts() == (3, 0)
    assert index_file.stat().st_ino == inode
    holder.db.commit()
    assert fresh_index(index_file, lib).meta("held") == "by the first session"


def test_notes_loaded_in_one_thread_are_searched_there_and_another_thread_loads_its_own(tmp_path: Path):
    """The notes go into a temporary table of the loading thread's connection: a search in
    another thread finds none of them (rather than failing), and that thread's own load_notes,
    of the same version, is not skipped."""
    from briefing.core.marks import Note

    lib = write_library(tmp_path / "lib", {"b.md": GOOD_BRIEF})
    library = Library([lib], tmp_path / "cache" / "index.sqlite")
    library.scan()
    stamp = "2026-01-01T00:00:00.000Z"
    note = Note(
        id="n1", brief="sample", item=None, pane=None, quote="A sample brief", author="a",
        created=stamp, updated=stamp, anchor="ok", text="zebra crossing",
    )  # fmt: skip
    library.index.load_notes([note], {"sample": "A sample brief"}, 1)
    assert [(h.kind, h.ref) for h in library.search("zebra")[1]] == [("note", "n1")]
    found: dict[str, object] = {}

    def other() -> None:
        try:
            found["before"] = [h.kind for h in library.search("zebra")[1]]
            library.index.load_notes([note], {"sample": "A sample brief"}, 1)
            found["after"] = [h.kind for h in library.search("zebra")[1]]
        except Exception as exc:  # what the thread met, for the assertion below
            found["error"] = repr(exc)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert found == {"before": [], "after": ["note"]}
    library.index.close()  # the connection goes, and its notes with it
    assert library.search("zebra")[1] == []


READ_IN_PROCESSES = r"""
import sys
from pathlib import Path

from briefing.core.index import Index
from briefing.core.indexing import update


class Stand_in:  # what Textual puts in place of sys.stderr while the reader runs
    def write(self, text):
        return len(text)

    def flush(self):
        pass

    def fileno(self):
        return -1


root = Path(sys.argv[1])
sys.stderr = Stand_in()
index = Index(Path(sys.argv[2]))
index.open([root])
try:
    update(index, [root], processes=2)
except Exception as exc:  # said on stdout: stderr is the stand-in
    print(f"{type(exc).__name__}: {exc}")
    raise SystemExit(1) from None
print(index.counts()[0])
"""


def test_a_large_library_is_read_in_processes_while_stderr_has_no_descriptor(tmp_path: Path):
    """The reader's first reading of a large library starts worker processes while Textual
    stands in for sys.stderr (its descriptor is -1): they start, and every brief is read."""
    import subprocess
    import sys

    from briefing.core.indexing import POOL_FROM

    briefs = {f"b{i}.md": GOOD_BRIEF.replace("id: sample", f"id: sample-{i}") for i in range(POOL_FROM)}
    lib = write_library(tmp_path / "lib", briefs)
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_PROCESSES, str(lib), str(tmp_path / "index.sqlite")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout.strip()) == (0, str(POOL_FROM)), done.stdout + done.stderr[-2000:]
