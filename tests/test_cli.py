"""The command line without the reader: show, locate, library choice, and paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from briefing import paths
from briefing.cli.main import main
from tests.fixtures import BUNDLED, GOOD_BRIEF, write_library


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
    assert data["timeline"][-1]["citations"] == [{"source": "S1", "paragraph": 3, "sentence": 2, "passage": "Short?"}]


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


# -- the shared options go before or after the command ---------------------------


def bookmarked_store(path: Path) -> Path:
    from briefing.store.notes import Store

    store = Store(path)
    store.toggle_bookmark("sample", None, None, "")
    store.close()
    return path


def exported(capsys, *argv: str) -> list[dict]:
    assert main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)["marks"]


@pytest.mark.parametrize("order", ["before", "after", "equals-before", "equals-after"])
def test_store_and_library_before_or_after_export(order, sample_library: Path, tmp_path: Path, capsys):
    """``briefing --store F export`` was the reader on a brief called F (or an error)."""
    store = bookmarked_store(tmp_path / "s" / "notes.json")
    shared = {
        "before": ["--store", str(store), "--library", str(sample_library)],
        "after": ["--store", str(store), "--library", str(sample_library)],
        "equals-before": [f"--store={store}", f"--library={sample_library}"],
        "equals-after": [f"--store={store}", f"--library={sample_library}"],
    }[order]
    command = ["export", "--format", "json"]
    argv = shared + command if order.endswith("before") else command + shared
    [mark] = exported(capsys, *argv)
    assert (mark["kind"], mark["brief"], mark["brief_title"]) == ("bookmark", "sample", "A sample brief")


def test_library_before_show(sample_library: Path, capsys):
    assert main(["--library", str(sample_library), "show", "sample", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "A sample brief"


def test_as_before_import_and_after_export(sample_library: Path, tmp_path: Path, capsys):
    store = bookmarked_store(tmp_path / "s" / "notes.json")
    file = tmp_path / "export.json"
    assert (
        main(["export", "--store", str(store), "--library", str(sample_library), "--format", "json", "-o", str(file)])
        == 0
    )
    assert main(["--as", "alice", "--library", str(sample_library), "import", str(file)]) == 0
    assert "imported 1 new" in capsys.readouterr().out
    assert (paths.data_dir() / "people" / "alice" / "notes.json").is_file()
    assert [
        m["brief"] for m in exported(capsys, "export", "--as=alice", "--format=json", f"--library={sample_library}")
    ] == ["sample"]
    assert exported(capsys, "--library", str(sample_library), "export", "--format", "json") == []


def test_a_shared_option_on_both_sides_of_the_command(sample_library: Path, tmp_path: Path, capsys):
    """--library accumulates wherever it is given; of two --store the last counts, as in argparse."""
    other = write_library(tmp_path / "other", {"x.md": GOOD_BRIEF.replace("id: sample", "id: x")})
    assert (
        main(
            [
                "--library",
                str(sample_library),
                "--store",
                "/a/notes.json",
                "locate",
                f"--library={other}",
                "--store",
                "/b/notes.json",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert f"library:       {sample_library}\nlibrary:       {other}\n" in out
    assert "notes store:   /b/notes.json\n" in out
    assert main(["--library", str(sample_library), "show", "x", "--library", str(other)]) == 0
    assert capsys.readouterr().out.startswith("A sample brief")


def test_the_reader_takes_the_shared_options_from_anywhere(sample_library: Path, tmp_path: Path, monkeypatch):
    """The reader itself is replaced: only what it would be given is checked."""
    import io
    import sys

    import briefing.ui.app

    seen: dict = {}

    def fake_make_app(libraries, index_file, open_brief=None, store_path=None, author=None, kiosk=False):
        seen.update(libraries=list(libraries), open_brief=open_brief, store_path=store_path, author=author, kiosk=kiosk)

        class Done:
            return_code = 0

            def run(self):
                pass

        return Done()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(briefing.ui.app, "make_app", fake_make_app)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    other = write_library(tmp_path / "other", {"x.md": GOOD_BRIEF.replace("id: sample", "id: x")})
    assert main(["--as", "carol", "--library", str(sample_library), "sample", "--kiosk", f"--library={other}"]) == 0
    assert seen == {
        "libraries": [sample_library, other],
        "open_brief": "sample",
        "kiosk": True,
        "author": "carol",
        "store_path": paths.data_dir() / "people" / "carol" / "notes.json",
    }
    # A shared option's value is never taken for the brief (nor for a command).
    assert main(["--store", "export", "--library", str(sample_library)]) == 0
    assert seen["open_brief"] is None and seen["store_path"] == Path("export").absolute()
    assert main([f"--library={sample_library}", "--as", "show"]) == 0
    assert (seen["open_brief"], seen["author"]) == (None, "show")


def test_kiosk_is_for_the_reader_only(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--kiosk", "export"])
    assert exit.value.code == 2
    assert "unrecognized arguments: --kiosk" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["import", "--help"], ["locate", "--help"]])
def test_help_lists_the_shared_options(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 0
    out = capsys.readouterr().out
    for option in ("--library PATH", "--store PATH", "--as NAME"):
        assert option in out


# -- nothing the command line echoes can drive the terminal -------------------------

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\r\x7f\x08\x1b]52;c;ZXZpbA==\x07"


def controls(text: str) -> list[str]:
    """The characters a terminal would act on: C0 but tab and newline, DEL, C1 (as code
    points: in UTF-8 the bytes 0x80-0x9f are also parts of harmless characters such as ␛)."""
    return [hex(ord(c)) for c in text if ord(c) < 0x20 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F]


def echoed(capsys, argv: list[str]) -> tuple[object, str]:
    try:
        code: object = main(argv)
    except SystemExit as exit:
        code = exit.code
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize(
    "argv, status, says",
    [
        (["--library", f"/x{HOSTILE}"], 2, "no such library folder: /x␛]0;PWNED␇"),
        ([f"--library=/x{HOSTILE}", "sample"], 2, "no such library folder: /x␛]0;PWNED␇"),
        (["--store", f"/x{HOSTILE}/notes.json", "locate"], 0, "notes store:   /x␛]0;PWNED␇"),
        (["locate", "--library", f"/x{HOSTILE}"], 0, "library:       /x␛]0;PWNED␇"),
        (["--as", f"al{HOSTILE}", "locate"], 2, "is not a name for --as"),
        ([f"--bogus{HOSTILE}"], 2, "unrecognized arguments: --bogus␛]0;PWNED␇"),
        (["export", f"--bogus{HOSTILE}"], 2, "unrecognized arguments: --bogus␛]0;PWNED␇"),
        (["show", "sample", f"extra{HOSTILE}"], 2, "unrecognized arguments: extra␛]0;PWNED␇"),
        (["show", "sample", "--pane", f"x{HOSTILE}"], 2, "invalid choice"),
        (["show", f"id{HOSTILE}"], 1, "no brief 'id␛]0;PWNED␇"),
        ([HOSTILE], 2, "needs a terminal"),
    ],
    ids=[
        "library",
        "library-reader",
        "store",
        "library-locate",
        "as",
        "unknown-option",
        "unknown-option-export",
        "extra-argument",
        "pane",
        "show-id",
        "reader-id",
    ],
)
def test_hostile_arguments_are_echoed_as_visible_text(argv, status, says, capsys):
    code, text = echoed(capsys, argv)
    assert code == status and says in text, text
    assert not controls(text), repr(text)


def test_locate_with_hostile_xdg_folders(monkeypatch, capsys):
    for var in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(var, f"/{var}{HOSTILE}")
    code, text = echoed(capsys, ["locate"])
    assert code == 0 and "data:          /XDG_DATA_HOME␛]0;PWNED␇" in text
    assert not controls(text), repr(text)


def test_the_installed_command_echoes_no_escape(tmp_path: Path):
    """The example of the bug report, byte for byte, through the real entry point."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "briefing", "--library", "/x\x1b]0;PWNED\x07"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert b"\x1b" not in proc.stderr + proc.stdout and b"\x07" not in proc.stderr + proc.stdout
    assert "no such library folder: /x␛]0;PWNED␇" in proc.stderr.decode()
