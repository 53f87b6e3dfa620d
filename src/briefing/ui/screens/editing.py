"""Editing a brief from the reader (``e`` on a brief): the editor's command line, whether
this session may edit at all, reading the file again afterwards, and the list of problems
the edit left.

The editor is the user's ``$VISUAL`` or ``$EDITOR`` (else ``vi``), split like a shell
would split it (``EDITOR="code -w"``) but never run through one, and opened at the item's
line in the way that editor understands. The app hands the terminal over with Textual's
``App.suspend()`` and takes it back when the editor exits.
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from briefing.core.errors import BriefError

if TYPE_CHECKING:
    from textual.app import App

    from briefing.core.library import Library
    from briefing.core.model import Brief

FALLBACK_EDITOR = "vi"
# How each editor is told the line to open at; any other takes ``+LINE FILE`` (vi, vim,
# nvim, nano, emacs, emacsclient, micro, kak, joe, ne, gedit, ...).
_GOTO = {"code", "code-insiders", "codium", "vscodium", "cursor"}  # -g FILE:LINE
_COLON = {"subl", "sublime_text", "hx", "helix", "zed", "atom"}  # FILE:LINE
_DASH_L = {"kate", "mate"}  # -l LINE FILE


def editor_words(environ: Mapping[str, str]) -> list[str]:
    """The editor's command as words: ``$VISUAL``, else ``$EDITOR``, else ``vi``. Raises
    ValueError when the variable cannot be split (an unclosed quote)."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            words = shlex.split(value)
            if words:
                return words
    return [FALLBACK_EDITOR]


def editor_command(environ: Mapping[str, str], file: str | Path, line: int) -> list[str]:
    """The argv that opens ``file`` at ``line`` in the user's editor (no shell)."""
    words = editor_words(environ)
    name = os.path.basename(words[0]).lower()
    path = os.path.abspath(file)  # never taken for an option, whatever the name
    line = max(1, line)
    if name in _GOTO:
        return [*words, "-g", f"{path}:{line}"]
    if name in _COLON:
        return [*words, f"{path}:{line}"]
    if name in _DASH_L:
        return [*words, "-l", str(line), path]
    return [*words, f"+{line}", path]


def refusal(kiosk: bool, file: str | Path | None) -> str | None:
    """Why this session may not edit ``file``, or None when it may."""
    if kiosk:
        return "Briefs cannot be edited from this account (kiosk)."
    if file is None:
        return "This brief's file is not known: reload the library (r) and open it again."
    try:
        mode = os.stat(file).st_mode
    except OSError as exc:
        return f"The brief's file cannot be looked at: {file} ({exc.strerror or exc})"
    # Its mode as well as access(): a file marked read-only is read-only, even to root (as
    # the notes store sees its own file).
    if not mode & stat.S_IWUSR or not os.access(file, os.W_OK):
        return f"This library is read-only here: {file} cannot be written."
    return None


def hand_over(app: App, file: str | Path, line: int) -> str | None:
    """Run the user's editor on ``file`` at ``line``, the terminal handed over until it
    exits. Returns why it could not be run, or None once it has exited."""
    import subprocess

    from textual.app import SuspendNotSupported

    try:
        command = editor_command(os.environ, file, line)
    except ValueError as exc:  # an unclosed quote in $VISUAL or $EDITOR
        return f"$VISUAL or $EDITOR cannot be read: {exc}"
    try:
        with app.suspend():
            try:
                subprocess.run(command, close_fds=True, check=False)
            except OSError as exc:
                return f"The editor {command[0]!r} cannot be started: {exc.strerror or exc}"
    except SuspendNotSupported:
        return "This terminal cannot be handed over to an editor."
    return None


def reread(library: Library, file: Path, root: Path) -> Brief | list[BriefError]:
    """The brief in ``file`` read again, with its citations checked against its sources,
    or every problem found (as ``briefing check`` reports them)."""
    from briefing.core.parse import load_brief

    try:
        brief = load_brief(file)
    except BriefError as exc:
        return exc.all
    except OSError as exc:
        return [BriefError(str(file), 0, f"cannot be read: {exc.strerror or exc}")]
    problems = library.check_citations(brief, root)
    return problems or brief


def problems_text(problems: Sequence[BriefError]) -> Text:
    """Every problem as ``file:line: message``, one a line (cleaned when they were made)."""
    text = Text()
    for problem in problems:
        text.append(f"{problem.file}:{problem.line}:", style="bold")
        text.append(f" {problem.message}\n")
    return text


class ProblemsScreen(ModalScreen[bool]):
    """What the edit left wrong, over the brief as it was before it. ``e`` opens the editor
    again at the first problem; escape goes back to the brief. Dismissed with True for e."""

    BINDINGS = [
        Binding("e", "edit_again", "Edit again", id="problems.edit", tooltip="Open the editor at the first problem"),
        Binding("escape,q", "back", "Back", id="problems.back", tooltip="Back to the brief as it was before the edit"),
    ]

    def __init__(self, problems: Sequence[BriefError]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        count = len(self.problems)
        head = Text(f"The brief has {count} problem{'s' * (count != 1)} after the edit\n", style="bold")
        head.append(
            "It is shown as it was before. e opens your editor again at the first problem; "
            "escape goes back to the brief.",
            style="dim",
        )
        with VerticalScroll(id="problems-box"):
            yield Static(head, id="problems-head")
            yield Static(problems_text(self.problems), id="problems-list")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#problems-box", VerticalScroll))

    def action_edit_again(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
