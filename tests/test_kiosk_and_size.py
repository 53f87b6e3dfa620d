"""A terminal smaller than 60x20 gets a notice; --kiosk and --as for a hosted account."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from briefing import paths
from briefing.cli.main import main
from briefing.store.notes import Store
from briefing.ui.screens.library import LibraryScreen
from briefing.ui.screens.too_small import TooSmallScreen

from .fixtures import BUNDLED
from .pilot import app_for, messages, press, settled, until, wait_for_library


async def test_a_small_terminal_gets_a_notice_until_it_grows(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await pilot.resize_terminal(59, 24)
        await settled(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        shown = str(app.screen.query_one("#too-small").content)
        assert "60×20" in shown and "59×24" in shown
        await pilot.resize_terminal(80, 19)
        await settled(pilot)
        assert "80×19" in str(app.screen.query_one("#too-small").content)
        await pilot.resize_terminal(60, 20)
        await settled(pilot)
        assert isinstance(app.screen, LibraryScreen)
        # Help opened over the notice, the terminal grown meanwhile: closing help shows the app.
        await pilot.resize_terminal(50, 15)
        await settled(pilot)
        await press(pilot, "question_mark")
        await settled(pilot)
        await pilot.resize_terminal(80, 24)
        await settled(pilot)
        await press(pilot, "escape")
        await settled(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_starting_small_shows_the_notice(tmp_path: Path):
    app = app_for(tmp_path)
    async with app.run_test(size=(40, 12)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TooSmallScreen), "the notice that the terminal is too small")
        await settled(pilot)  # the library read behind it
        assert isinstance(app.screen, TooSmallScreen)
        await press(pilot, "q")
    assert app.return_code == 0


def test_as_gives_each_person_a_store_and_checks_the_name(tmp_path: Path, capsys):
    assert paths.store_file(person="alice") == paths.data_dir() / "people" / "alice" / "notes.json"
    assert paths.store_file(person="bob") != paths.store_file(person="alice")
    for bad in ("../bob", "Alice", "", "a" * 40, "al ice", "-x"):
        with pytest.raises(ValueError):
            paths.store_file(person=bad)
    assert main(["locate", "--as", "alice"]) == 0
    assert str(paths.data_dir() / "people" / "alice" / "notes.json") in capsys.readouterr().out
    assert main(["locate", "--as", "../etc"]) == 2
    assert "not a name for --as" in capsys.readouterr().err


async def test_notes_written_as_someone_carry_their_name(tmp_path: Path):
    store_path = paths.store_file(person="alice")
    app = app_for(tmp_path, store=store_path, author="alice")
    async with app.run_test(size=(80, 24)):
        note = app.store.add_note("b", None, None, "q", "hello")
    assert note.author == "alice"
    assert [n.author for n in Store(store_path).notes()] == ["alice"]
    assert not paths.store_file().exists()


async def test_kiosk_keeps_to_what_the_command_line_says(tmp_path: Path, monkeypatch):
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\n')
    app = app_for(tmp_path, kiosk=True)
    async with app.run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        assert "mine" not in app.available_themes
        assert "briefing-dark" in app.available_themes
        titles = [c.title for c in app.get_system_commands(library)]
        assert "Screenshot" not in titles
        assert signal.getsignal(signal.SIGTSTP) == signal.SIG_IGN
        app.action_suspend_process()
        await settled(pilot)
        assert any("cannot be suspended" in m for m in messages(app))
    signal.signal(signal.SIGTSTP, signal.SIG_DFL)
    ordinary = app_for(tmp_path / "o")
    async with ordinary.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        assert "mine" in ordinary.available_themes


def test_kiosk_ignores_libraries_and_stores_from_the_environment(tmp_path: Path, monkeypatch, capsys):
    """In a kiosk the account's forced command is all that counts: BRIEFING_LIBRARY and
    BRIEFING_STORE from a client's environment are not followed."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("BRIEFING_LIBRARY", str(elsewhere))
    monkeypatch.setenv("BRIEFING_STORE", str(tmp_path / "their-store.json"))
    seen = {}

    def fake_make_app(libraries, index_file, open_brief=None, store_path=None, author=None, kiosk=False):
        seen.update(libraries=list(libraries), store_path=store_path, author=author, kiosk=kiosk)

        class Done:
            return_code = 0

            def run(self):
                pass

        return Done()

    import io
    import sys

    import briefing.ui.app

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(briefing.ui.app, "make_app", fake_make_app)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert main(["--kiosk", "--as", "carol", "--library", str(BUNDLED)]) == 0
    assert seen["libraries"] == [BUNDLED] and seen["kiosk"] is True and seen["author"] == "carol"
    assert seen["store_path"] == paths.data_dir() / "people" / "carol" / "notes.json"
    assert main(["--kiosk"]) == 0
    assert seen["libraries"] == [paths.bundled_library()]
    assert seen["store_path"] == paths.data_dir() / "notes.json"
