"""briefing search, end to end: what it prints (text and JSON), --limit, its exit status (1
when nothing matches, 2 for a query of no word), the reader's notes, and output free of
terminal controls for a hostile library.

The first tests call the command in this process, on the hand-written briefs; those marked
slow run the installed ``briefing`` in its own process, as a user does, on a library of a
few hundred generated briefs and the hand-written ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing import paths
from briefing.cli.main import main
from briefing.core.index import Index
from briefing.core.indexing import is_fresh

from .hostile_fixtures import ESCAPES, build_library
from .search_fixtures import (
    SOURCE_ONLY,
    UNIQUE_DETAIL,
    briefing_as_a_user,
    fingerprint,
    write_hand_written,
    write_synthetic,
)
from .test_output_channels import controls_in

SYNTHETIC = 300

# -- in this process -------------------------------------------------------------------------


@pytest.fixture
def hand_lib(tmp_path: Path) -> Path:
    lib = write_hand_written(tmp_path / "lib")
    write_synthetic(lib, 12)
    return lib


def search(capsys, lib: Path, *args: str) -> tuple[int, str, str]:
    status = main(["search", "--library", str(lib), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_text_output_names_the_brief_pane_and_item_and_marks_the_match(hand_lib: Path, capsys):
    status, out, err = search(capsys, hand_lib, UNIQUE_DETAIL)
    assert (status, err) == (0, "")
    assert (
        out
        == "cameras  concerns  accuracy\n    bias civil liberties groups A «quixotic» hope that the cameras never err.\n"
    )


def test_text_output_of_a_source_paragraph(hand_lib: Path, capsys):
    status, out, _ = search(capsys, hand_lib, SOURCE_ONLY)
    assert status == 0
    assert out == "budget  source  S1 ¶4\n    A «mangrove» of paperwork followed the decision.\n"


def test_json_output(hand_lib: Path, capsys):
    status, out, _ = search(capsys, hand_lib, "--format", "json", f"{UNIQUE_DETAIL} OR {SOURCE_ONLY} OR garbett")
    assert status == 0
    hits = {hit["kind"]: hit for hit in json.loads(out)}
    assert hits["item"] in (
        {
            "brief": "cameras",
            "title": "The city's facial recognition cameras",
            "kind": "item",
            "pane": "concerns",
            "snippet": "bias civil liberties groups A quixotic hope that the cameras never err.",
            "marked": "bias civil liberties groups A «quixotic» hope that the cameras never err.",
            "item": "accuracy",
        },
        {
            "brief": "cameras",
            "title": "The city's facial recognition cameras",
            "kind": "item",
            "pane": "stakeholders",
            "snippet": "Zoë Garbett",
            "marked": "Zoë «Garbett»",
            "item": "garbett",
        },
    )
    assert hits["para"] == {
        "brief": "budget",
        "title": "The Mayor's budget for policing",
        "kind": "para",
        "pane": "source",
        "snippet": "A mangrove of paperwork followed the decision.",
        "marked": "A «mangrove» of paperwork followed the decision.",
        "source": "S1",
        "paragraph": 4,
        "also_cited_by": 2,
    }
    assert len(json.loads(out)) == 3


def test_limit(hand_lib: Path, capsys):
    status, out, _ = search(capsys, hand_lib, "--format", "json", "synthetic")
    assert status == 0 and len(json.loads(out)) == 50  # the default
    status, out, _ = search(capsys, hand_lib, "--limit", "3", "synthetic")
    assert status == 0 and len(out.splitlines()) == 3 * 2
    status, _, err = search(capsys, hand_lib, "--limit", "0", "synthetic")
    assert (status, err) == (2, "briefing: --limit takes a number of 1 or more\n")


def test_nothing_matches_is_exit_status_1(hand_lib: Path, capsys):
    status, out, err = search(capsys, hand_lib, "zyzzyva")
    assert (status, out, err) == (1, "", "briefing: nothing matches 'zyzzyva'\n")
    status, out, err = search(capsys, hand_lib, "--format", "json", "zyzzyva", "tag:policing")
    assert (status, json.loads(out), err) == (1, [], "briefing: nothing matches 'zyzzyva tag:policing'\n")


@pytest.mark.parametrize("words", [[""], ["*"], ['"'], ["-"], ["OR"], ["  ", "^"]])
def test_a_query_of_no_word_is_exit_status_2(hand_lib: Path, capsys, words: list[str]):
    status, out, err = search(capsys, hand_lib, *words)
    assert (status, out, err) == (2, "", "briefing: the query has no word to search for\n")


def test_what_the_query_could_not_use_is_said(hand_lib: Path, capsys):
    status, out, err = search(capsys, hand_lib, "garbett", "pane:nowhere", "after:soon")
    assert status == 0 and out.startswith("cameras  stakeholders  garbett\n")
    assert err.splitlines() == [
        "briefing: pane: is one of facts, stakeholders, concerns, timeline, brief, source, notes",
        "briefing: after: takes a date: YYYY, YYYY-MM or YYYY-MM-DD",
    ]


def test_the_readers_notes_are_searched(hand_lib: Path, tmp_path: Path, capsys, stores):
    store = tmp_path / "notes.json"
    stores(store).add_note("housing", "tenants", "stakeholders", "Émile Zola Tenants", "Call the tangerine office")
    status, out, _ = search(capsys, hand_lib, "--store", str(store), "--format", "json", "tangerine")
    assert status == 0
    [hit] = json.loads(out)
    assert (hit["kind"], hit["brief"], hit["title"], hit["pane"], hit["item"]) == (
        "note",
        "housing",
        "Housing on the estate",
        "notes",
        "tenants",
    )
    status, out, _ = search(capsys, hand_lib, "--store", str(store), "tangerine")
    assert out.startswith(f"housing  notes  note {hit['note']}\n    Call the «tangerine» office")
    assert search(capsys, hand_lib, "--store", str(store), "tangerine", "pane:facts")[0] == 1


def test_a_left_out_word_in_the_query(hand_lib: Path, capsys):
    status, out, _ = search(capsys, hand_lib, "budget -police")
    assert status == 0 and "polic" not in out.lower() and "budget  " in out
    assert search(capsys, hand_lib, "--", "budget", "-police") == (status, out, "")


def test_a_left_out_word_as_an_argument_of_its_own(hand_lib: Path, capsys):
    assert search(capsys, hand_lib, "budget", "-police")[0] == 0


def test_search_keeps_the_readers_index_and_reads_only_what_changed(hand_lib: Path, capsys):
    assert search(capsys, hand_lib, UNIQUE_DETAIL)[0] == 0
    own = paths.library_cache_file([hand_lib])
    assert own.is_file()
    index = Index(own)
    index.open([hand_lib])
    assert is_fresh(index, [hand_lib])
    index.close()
    text = (hand_lib / "budget.md").read_text(encoding="utf-8")
    (hand_lib / "budget.md").write_text(text.replace("by a tenth", "by a zillionth"), encoding="utf-8")
    status, out, _ = search(capsys, hand_lib, "zillionth")
    assert status == 0 and out.startswith("budget  facts  the-police-budget-rose-by-a\n")


# -- the installed command, in its own process -------------------------------------------------


def env_for(home: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "LANG") if k in os.environ}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return env


def briefing(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).parent / "briefing"
    return subprocess.run(
        [str(command), *args], capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A library of a few hundred generated briefs and the hand-written ones, searched once
    (which builds the reader's index) before the tests."""
    root = tmp_path_factory.mktemp("search")
    lib = write_synthetic(write_hand_written(root / "lib"), SYNTHETIC)
    env = env_for(root / "home")
    first = briefing(env, "search", "--library", str(lib), UNIQUE_DETAIL)
    assert first.returncode == 0, first.stderr
    return {"root": root, "lib": lib, "env": env}


def run(site: dict, *args: str) -> subprocess.CompletedProcess[str]:
    return briefing(site["env"], "search", "--library", str(site["lib"]), *args)


def heads(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.startswith("    ")]


@pytest.mark.slow
def test_a_word_only_in_one_items_detail(site: dict):
    done = run(site, UNIQUE_DETAIL)
    assert (done.returncode, heads(done.stdout), done.stderr) == (0, ["cameras  concerns  accuracy"], "")


@pytest.mark.slow
def test_a_phrase_and_its_words(site: dict):
    phrase = run(site, "--format", "json", '"live facial recognition"')
    words = run(site, "--format", "json", "live", "facial", "recognition")
    found = {(h["brief"], h["pane"], h.get("item", h.get("source"))) for h in json.loads(phrase.stdout)}
    assert found == {
        ("cameras", "brief", None),
        ("cameras", "facts", "the-city-signed-a-contract-for"),
        ("budget", "source", "S1"),
    }
    assert ("budget", "brief", None) in {
        (h["brief"], h["pane"], h.get("item", h.get("source"))) for h in json.loads(words.stdout)
    }


@pytest.mark.slow
def test_a_stakeholder_named_in_several_briefs(site: dict):
    done = run(site, "stakeholder:khan")
    assert done.returncode == 0
    assert sorted(heads(done.stdout)) == [
        "budget  stakeholders  khan",
        "cameras  stakeholders  khan",
        "housing  stakeholders  mayor",
    ]
    assert run(site, "--format", "json", "sadiq", "khan").stdout.count('"pane": "stakeholders"') == 3


@pytest.mark.slow
def test_a_name_with_diacritics_is_found_without_them(site: dict):
    for words in (["zoe"], ["Zoë", "garbett"], ["ZOE"]):
        done = run(site, *words)
        assert (done.returncode, heads(done.stdout)) == (0, ["cameras  stakeholders  garbett"]), words
        assert "Zoë «Garbett»" in done.stdout or "«Zoë»" in done.stdout
    assert heads(run(site, "emile").stdout) == ["housing  stakeholders  tenants"]


@pytest.mark.slow
def test_json_limit_and_exit_statuses(site: dict):
    many = run(site, "--format", "json", "--limit", "120", "synthetic", "fact")
    hits = json.loads(many.stdout)
    assert many.returncode == 0 and len(hits) == 120
    assert all(h["brief"].startswith("synthetic-") and h["kind"] in ("item", "brief", "para") for h in hits)
    assert len(heads(run(site, "--limit", "7", "synthetic").stdout)) == 7
    assert len(heads(run(site, "synthetic").stdout)) == 50
    nothing = run(site, "zyzzyva")
    assert (nothing.returncode, nothing.stdout, nothing.stderr) == (1, "", "briefing: nothing matches 'zyzzyva'\n")
    empty = run(site, "")
    assert (empty.returncode, empty.stderr) == (2, "briefing: the query has no word to search for\n")
    assert run(site, "-").returncode == 2


@pytest.mark.slow
def test_a_source_paragraph_cited_by_hundreds_of_briefs(site: dict):
    done = run(site, "--format", "json", '"synthetic source paragraph 17"')
    [hit] = json.loads(done.stdout)
    assert (hit["kind"], hit["source"], hit["paragraph"], hit["also_cited_by"]) == ("para", "S1", 17, SYNTHETIC - 1)


@pytest.mark.slow
def test_two_searches_at_once_on_a_library_not_yet_indexed(site: dict, tmp_path: Path):
    env = env_for(tmp_path / "home")  # a cache of its own: nothing indexed yet
    command = [str(Path(sys.executable).parent / "briefing"), "search", "--library", str(site["lib"])]
    children = [
        subprocess.Popen(
            [*command, "--format", "json", "stakeholder:khan"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] and len(json.loads(outputs[0][0])) == 3
    index = Index(Path(env["XDG_CACHE_HOME"]) / "briefing" / paths.library_cache_file([site["lib"]]).name)
    index.open([site["lib"]])
    assert index.counts() == (SYNTHETIC + 3, 0) and is_fresh(index, [site["lib"]])
    paths_ = [row[0] for row in index.db.execute("SELECT path FROM files")]
    assert len(paths_) == len(set(paths_)) == SYNTHETIC + 3
    index.db.execute("INSERT INTO fts(fts, rank) VALUES ('integrity-check', 1)")
    index.close()


@pytest.mark.slow
def test_a_read_only_shared_index_is_used_without_writing_in_the_library(tmp_path: Path):
    """Built by briefing index, then made read-only; searched by a user who cannot write
    there (without CAP_DAC_OVERRIDE when the tests run as root)."""
    lib = write_synthetic(write_hand_written(tmp_path / "lib"), 30)
    built = subprocess.run(
        [str(Path(sys.executable).parent / "briefing"), "index", "--library", str(lib)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"{paths.shared_index_file(lib)}: 33 briefs, 0 with errors; 33 read in ")
    targets = [lib, *lib.rglob("*")]
    for path in targets:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        before = fingerprint(lib)
        done = briefing_as_a_user("search", "--library", str(lib), "--format", "json", UNIQUE_DETAIL)
        assert done.returncode == 0, done.stderr
        assert [h["item"] for h in json.loads(done.stdout)] == ["accuracy"]
        assert fingerprint(lib) == before
        assert not paths.library_cache_file([lib]).exists()  # the shared index was enough

        cameras = lib / "cameras.md"
        cameras.chmod(0o644)
        cameras.write_text(cameras.read_text(encoding="utf-8").replace(UNIQUE_DETAIL, "quizzical"), encoding="utf-8")
        cameras.chmod(0o444)
        before = fingerprint(lib)
        done = briefing_as_a_user("search", "--library", str(lib), "quizzical")
        assert done.returncode == 0, done.stderr
        assert heads(done.stdout) == ["cameras  concerns  accuracy"]
        assert briefing_as_a_user("search", "--library", str(lib), UNIQUE_DETAIL).returncode == 1
        assert fingerprint(lib) == before
        assert paths.library_cache_file([lib]).is_file()  # the reader's own took over
    finally:
        for path in targets:
            path.chmod(path.stat().st_mode | 0o200)


# -- a hostile library: nothing printed that a terminal would act on -----------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("hostile-search")
    lib, _ = build_library(root / "hostile")
    return {"lib": lib, "env": env_for(root / "home")}


HOSTILE_QUERIES = [
    ["paragraph"],
    ["summary"],
    ["click"],
    ["evil"],
    ["boom"],
    ["link"],
    ["a"],
    ["x"],
    ["brief"],
    ["pane:facts"],
    ["pane:stakeholders"],
    ["pane:concerns"],
    ["pane:timeline"],
    ["--", "-zzz"],
    ["stakeholder:a"],
    [f"nothing{ESCAPES}"],
    [f"tag:{ESCAPES}"],
    [f"pane:{ESCAPES}"],
]


@pytest.mark.slow
def test_no_search_prints_a_control_character(hostile: dict):
    found_something = 0
    for words in HOSTILE_QUERIES:
        for fmt in ("text", "json"):
            done = briefing(hostile["env"], "search", "--library", str(hostile["lib"]), "--format", fmt, *words)
            assert done.returncode in (0, 1), (words, done.stderr)
            output = done.stdout + done.stderr
            bad = controls_in(output)
            assert not bad, f"briefing search {words!r} --format {fmt} printed {bad[:5]} in:\n{output[:2000]}"
            if fmt == "json":
                json.loads(done.stdout)
            found_something += done.returncode == 0
    assert found_something >= 20  # the walk printed hits worth checking
