"""The command line without the reader: show, locate, library choice, and paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefing import paths
from briefing.__main__ import main

from .fixtures import BUNDLED, GOOD_BRIEF, write_library


def test_show_prints_a_brief_as_text(capsys):
    assert main(["show", "met-palantir-contract"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The Mayor of London blocks")
    for heading in ("## Key facts", "## Stakeholders", "## Concerns", "## Timeline"):
        assert heading in out
    assert "[S1 ¶1.1]" in out and "(unverified)" in out


def test_show_one_pane_as_json_with_passages(sample_library: Path, capsys):
    assert main(["show", "sample", "--library", str(sample_library), "--pane", "timeline", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "sample" and "facts" not in data
    assert [e["when"] for e in data["timeline"]] == ["undated", "2020", "2021-06-01", "during the summer"]
    assert data["timeline"][-1]["citations"] == [
        {"source": "S1", "paragraph": 3, "sentence": 2, "passage": "Short?"}]


def test_show_an_unknown_brief_fails_clearly(capsys):
    assert main(["show", "nope"]) == 1
    assert "no brief 'nope'" in capsys.readouterr().err


def test_library_from_the_environment(sample_library: Path, monkeypatch, capsys):
    monkeypatch.setenv("BRIEFING_LIBRARY", str(sample_library))
    assert main(["show", "sample"]) == 0
    assert paths.resolve_libraries() == [sample_library]
    other = write_library(sample_library.parent / "other", {"x.md": GOOD_BRIEF.replace("id: sample", "id: x")})
    monkeypatch.setenv("BRIEFING_LIBRARY", f"{sample_library}{os.pathsep}{other}")
    assert paths.resolve_libraries() == [sample_library, other]
    # --library wins over the environment, and may be repeated
    assert paths.resolve_libraries([str(other)]) == [other]


def test_the_bundled_library_is_the_default():
    assert paths.resolve_libraries() == [paths.bundled_library()]
    assert paths.bundled_library().samefile(BUNDLED)


def test_locate_prints_every_path(private_home: Path, capsys):
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    for name in ("library:", "sources:", "data:", "config:", "cache:", "library index:"):
        assert name in out
    assert str(private_home / "data" / "briefing") in out
    assert f"library index: {private_home / 'cache' / 'briefing' / 'library-index-'}" in out
    assert paths.library_cache_file([Path("/a")]) != paths.library_cache_file([Path("/b")])


def test_relative_xdg_folders_are_ignored(private_home: Path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/data")
    monkeypatch.setenv("XDG_CACHE_HOME", "")
    assert paths.data_dir() == private_home / ".local" / "share" / "briefing"
    assert paths.cache_dir().is_absolute()


def test_a_missing_library_folder_is_an_error(tmp_path: Path, capsys):
    assert main(["--library", str(tmp_path / "nowhere")]) == 2
    assert "no such library folder" in capsys.readouterr().err


def test_the_reader_without_a_terminal_says_so_and_stops(capsys):
    """Under pytest standard input is not a terminal: as for `ssh -T host briefing`."""
    assert main([]) == 2
    assert "needs a terminal" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["show", "--help"]])
def test_help_texts(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 0
    assert "briefing" in capsys.readouterr().out
