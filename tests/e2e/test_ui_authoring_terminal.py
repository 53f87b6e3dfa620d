"""e on a brief in a real terminal: the reader hands the terminal to the editor (App.suspend)
and takes it back. A script stands for the editor: it says what it was given and how the
terminal was left for it (line mode, not the reader's raw mode), reads a line typed at it, writes it
into the brief, and exits; the reader then shows the brief as edited."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from briefing.core.parse import load_brief
from briefing.paths import bundled_library

from ..fixtures import CONTRACT
from .reader import START_TIMEOUT, assert_terminal_restored, shown, tab_marker
from .terminal import Terminal

EDITOR = """\
#!{python}
import sys, termios
from pathlib import Path
line, file = sys.argv[1], Path(sys.argv[2])
mode = termios.tcgetattr(0)[3]
print(f"EDITOR {{line}} lines={{bool(mode & termios.ICANON)}}", flush=True)
typed = sys.stdin.readline().strip()
text = file.read_text(encoding="utf-8")
file.write_text(text.replace({old!r}, "- " + typed + " " + {old!r}[2:], 1), encoding="utf-8")
"""


def test_e_hands_the_terminal_to_the_editor_and_takes_it_back(
    briefing_command: Path, term_env: dict[str, str], tmp_path: Path
) -> None:
    library = tmp_path / "library"
    shutil.copytree(bundled_library(), library)
    brief = load_brief(library / f"{CONTRACT}.md")
    fact = brief.facts[0]
    old = "- " + " ".join(fact.statement.split()[:4])  # its first line's start: the editor adds a word
    assert (library / f"{CONTRACT}.md").read_text(encoding="utf-8").count(old) == 1
    editor = tmp_path / "editor"
    editor.write_text(EDITOR.format(python=sys.executable, old=old), encoding="utf-8")
    editor.chmod(0o755)
    env = dict(term_env, EDITOR=str(editor))
    with Terminal(
        [briefing_command, "--library", str(library), CONTRACT], env, columns=80, rows=24, cwd=tmp_path
    ) as term:
        term.wait_for(tab_marker("facts"), timeout=START_TIMEOUT)
        term.wait_for(shown(fact.label))
        term.settle()
        term.press("e")
        # The editor has the terminal as briefing found it (line mode: the reader's raw mode
        # is undone), and what is typed goes to it, not to the reader.
        term.wait_for(f"EDITOR +{fact.line} lines=True")
        term.send("Edited\r")
        term.wait_for(shown("Edited " + fact.statement))
        term.wait_for("The brief was read again.")
        # The reader left its alternate screen before the editor wrote, and came back after.
        raw = bytes(term.raw)
        at = raw.find(b"EDITOR +")
        assert raw.rfind(b"\x1b[?1049l", 0, at) > raw.rfind(b"\x1b[?1049h", 0, at)
        assert raw.find(b"\x1b[?1049h", at) > at
        assert tab_marker("facts") in term.screen_text()
        assert "EDITOR" not in term.screen_text()  # the reader's screen is back, whole
        term.settle()
        term.press("q", "q")
        assert term.wait_exit() == 0
        assert_terminal_restored(bytes(term.raw))
    assert load_brief(library / f"{CONTRACT}.md").facts[0].statement.startswith("Edited ")
