"""Hostile briefs in the installed ``briefing`` in a real terminal: escape sequences, markup
and C1 controls in titles, items and sources are drawn visibly, and none of their bytes
reaches the terminal. The briefs are those of ``hostile_fixtures`` (see test_hostile.py)."""

from __future__ import annotations

from pathlib import Path

from ..hostile_fixtures import PAYLOAD_BYTES, build_library
from .terminal import Terminal, terminal_env


def assert_no_payload_bytes(raw: bytes) -> None:
    for marker in PAYLOAD_BYTES:
        assert marker not in raw, f"{marker!r} reached the terminal"
    assert b"ZWNobyBwd25lZA==\x07" not in raw, "the OSC 52 body, ended by a real BEL, reached the terminal"
    decoded = raw.decode("utf-8", "replace")
    for code in range(0x80, 0xA0):
        assert chr(code) not in decoded, f"C1 U+{code:04X} reached the terminal"


def test_a_real_terminal_never_receives_the_payloads(briefing_command: Path, tmp_path: Path):
    lib, _ = build_library(tmp_path / "root")
    env = terminal_env(tmp_path / "home")  # HOME and XDG folders in tmp_path, TERM=xterm-256color
    assert env["TERM"] == "xterm-256color" and env["HOME"] == str(tmp_path / "home")
    with Terminal([briefing_command, "--library", lib], env, columns=80, rows=24, cwd=tmp_path) as term:
        try:
            term.wait_for("with errors")  # the library, with the broken briefs listed
            term.press("/", *"escapes-everywhere", "enter")
            term.wait_until(lambda s: "Escapes ␛]52;c;" in s and "⚠ error" not in s, what="the filtered row")
            term.press("enter")
            screen = term.wait_for("Key facts")
            assert "Escapes ␛]52;c;" in screen  # the title, visible and inert
            for key, label in (("2", "Stakeholders"), ("3", "Concerns"), ("4", "Timeline"), ("1", "Key facts")):
                term.press(key)
                term.wait_for(f"▸{key} {label}")
            term.press("o")
            term.wait_for("The second ␛]52;c;")  # the hostile source, at the cited paragraph
            term.press("q")
            term.wait_for("▸1 Key facts")
            term.press("q")
            term.wait_for("with errors")
            term.press("q")
            assert term.wait_exit() == 0
        finally:  # a leak is the finding that matters, even if the screen went wrong
            assert_no_payload_bytes(bytes(term.raw))
    assert b"Escapes \xe2\x90\x9b]52;c;" in bytes(term.raw)  # what was drawn: U+241B, not ESC
