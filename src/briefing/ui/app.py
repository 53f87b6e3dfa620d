"""BriefingApp: wires the library, the notes store and the settings into the screens.
Built by :func:`make_app`."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import sys
import termios
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import OptionList

from briefing import paths
from briefing.core.enums import Pane
from briefing.core.library import Library
from briefing.ui.notes import Notes
from briefing.ui.typeahead import TypeAhead

if TYPE_CHECKING:
    from briefing.core.model import Brief
    from briefing.store.notes import Aside, Store
    from briefing.ui.screens.search import Searcher

# How often the store file is looked at for notes saved by another instance (a stat).
STORE_POLL_SECONDS = 2.0
# The longest briefing waits, when it must end, for keys already typed into a note.
KEYS_AT_EXIT = 1.0


# Textual's OptionList (the command palette's list) pages with a table of its lines that is
# built when the list is laid out: page down pressed before that (keys typed fast after
# ctrl+p) raised KeyError and ended briefing. Until then there is no page to move by.
_move_page = OptionList._move_page


def _move_page_once_laid_out(self: OptionList, direction) -> None:
    if (self.highlighted or 0) not in self._index_to_line:
        return
    _move_page(self, direction)


OptionList._move_page = _move_page_once_laid_out  # type: ignore[method-assign]


class BriefingApp(App[None]):
    CSS_PATH = "briefing.tcss"
    TITLE = "briefing"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", id="help", tooltip="Every key of this screen"),
        Binding("ctrl+p", "command_palette", "Commands", id="commands", show=False),
        Binding(
            "T",
            "pick_theme",
            "Theme",
            id="theme",
            show=False,
            tooltip="Pick a theme (applies at once, kept for next time)",
        ),
    ]

    def __init__(
        self,
        library: Library,
        open_brief: str | None = None,
        store: Store | None = None,
        store_problem: str | None = None,
        kiosk: bool = False,
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        self.library = library
        self.open_brief = open_brief
        self.store = store
        self.notes = Notes(self, store, store_problem)
        # Where the reader is: kept in memory as they move, saved when they leave a brief
        # and when briefing ends (a key press costs no disk write).
        self.place: dict[str, Any] = {"brief": None, "pane": None, "item": None, "open": False}
        self.resume: dict[str, Any] | None = None
        self.theme_problems: list[str] = []
        self.load_themes()
        self.sighup_before: Any = None  # the SIGHUP handler to put back at the end
        self.typeahead = TypeAhead(self, super().on_event)
        from briefing.ui.paste import install

        install()  # bracketed pastes read whole, whatever they hold
        self.ending = False  # exit() has begun (it may wait a moment for keys typed into a note)
        self.last_search = ""  # what the search screen was given last: a new one starts with it
        self._searcher: Searcher | None = None  # the thread searches run in, made at the first
        if store is not None and open_brief is None:
            self.resume = store.last_place()
            if self.resume and self.resume.get("open"):
                self.open_brief = self.resume.get("brief")

    def get_default_screen(self) -> Screen:
        """The library is the bottom screen: no blank default screen is built first."""
        from briefing.ui.screens.library import LibraryScreen

        return LibraryScreen(self.library, open_brief=self.open_brief, resume=self.resume)

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        # A dropped SSH connection or a kill ends briefing through its normal exit:
        # the reading place is saved and every acknowledged note is on disk already.
        loop.add_signal_handler(signal.SIGTERM, self.exit)
        if self.kiosk:
            # No suspending to a shell: a hosted account has none to return to.
            signal.signal(signal.SIGTSTP, signal.SIG_IGN)
        # SIGHUP is taken as it arrives, not as a loop callback: on a hang-up the kernel
        # sends SIGCONT with it, and Textual's SIGCONT handler (a plain signal handler,
        # run before any loop callback) re-enters application mode and redraws. By then
        # the output must no longer be the dead terminal. Python runs the handlers of
        # pending signals in signal-number order, so SIGHUP's runs first.
        self.sighup_before = signal.signal(signal.SIGHUP, lambda number, frame: self.hung_up(loop))
        self.theme = self.starting_theme()
        self.theme_changed_signal.subscribe(self, self.theme_chosen)
        if self.store is not None:
            self.set_interval(STORE_POLL_SECONDS, self.notes.poll)
        if self.notes.problem:
            self.notify(self.notes.problem, title="Notes store", severity="error", timeout=30)
        if self.store is not None and self.store.read_only:  # said once, at the start
            self.notify(self.store.read_only, title="Notes store", severity="warning", timeout=30)
        for problem in self.theme_problems:
            self.notify(problem, title="Theme", severity="warning", timeout=20)
        asides = self.store.asides() if self.store is not None else []
        if self.store is not None and asides:  # the dialog says it (with the paths); a notice is noise
            self.notes.told = len(self.store.problems)
            self.call_after_refresh(self.tell_asides, self.store, asides)
        self.notes.tell_problems()
        self.call_after_refresh(self.check_size)

    def tell_asides(self, store: Store, asides: list[Aside]) -> None:
        """Stores moved aside that the reader has not acknowledged: said at every start."""
        from briefing.ui.screens.dialogs import AsideDialog

        def answered(seen: bool | None) -> None:
            if seen:
                self.notes.save(lambda store: store.acknowledge(asides), "It will not be said again.")

        self.push_screen(AsideDialog(asides, can_acknowledge=not store.read_only), answered)

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes are handled one at a time, each where the one before left the
        reader (typeahead.py); everything else as Textual does."""
        if isinstance(event, (events.Key, events.Paste)):
            if not event.is_forwarded:
                arrived = typed(event)
                if arrived is not None:
                    await self.typeahead.arrived(arrived)
                return
            if await self.typeahead.came_back(event, lambda: super(BriefingApp, self).on_event(event)):
                return
        await super().on_event(event)

    def on_resize(self, event) -> None:
        self.check_size(event.size)  # self.size follows a moment later

    def check_size(self, size=None) -> None:
        """Below 60x20 a notice takes the screen; it goes as soon as the terminal grows."""
        from briefing.ui.screens.too_small import TooSmallScreen, too_small

        small = too_small(*(size or self.size))
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not small:
            self.pop_screen()

    def on_unmount(self) -> None:
        signal.signal(signal.SIGHUP, self.sighup_before or signal.SIG_DFL)
        if self._searcher is not None:
            self._searcher.stop()
        if self.store is not None:
            self.store.close()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """End briefing: what is being typed is kept as a draft, the reading place saved.
        Keys typed into a note before a hang-up or a kill are let in first (a moment at
        most), so the draft holds all of them."""
        from briefing.ui.screens.dialogs import NoteDialog

        writing = any(isinstance(screen, NoteDialog) for screen in self.screen_stack)
        if writing and not self.ending:
            self.ending = True
            self.typeahead.when_idle(lambda: self.exit(*args, **kwargs), timeout=KEYS_AT_EXIT)
            return
        self.ending = True
        self.keep_drafts()
        self.save_place()
        super().exit(*args, **kwargs)

    def keep_drafts(self) -> None:
        """Whatever is being typed in a note dialog goes to the store now (briefing is
        ending: a hang-up, a kill, or quit)."""
        from briefing.ui.screens.dialogs import NoteDialog

        for screen in self.screen_stack:
            if isinstance(screen, NoteDialog):
                screen.keep_draft()

    def hung_up(self, loop: asyncio.AbstractEventLoop) -> None:
        """SIGHUP (in the signal handler): leave the terminal if it is gone, then exit
        normally, from the loop (never from here: a store write may be half done)."""
        leave_hung_up_terminal()
        try:
            loop.call_soon_threadsafe(self.exit)
        except RuntimeError:  # the loop is closed: briefing is ending already
            pass

    # -- the store ----------------------------------------------------------

    def save_place(self) -> None:
        """Write where the reader is (quietly: a reading place is not a note)."""
        from briefing.store.notes import StoreError

        if self.store is None:
            return
        place = self.place
        try:
            self.store.save_place(place["brief"], place["pane"], place["item"], opened=place["open"])
        except StoreError:
            pass

    def place_changed(
        self,
        brief: str | None,
        pane: str | None = None,
        item: str | None = None,
        opened: bool = True,
        save: bool = False,
    ) -> None:
        self.place = {"brief": brief, "pane": pane, "item": item, "open": opened}
        if save and self.store is not None:
            self.run_worker(self.save_place, thread=True, group="place", exit_on_error=False)

    # -- themes -------------------------------------------------------------

    def load_themes(self) -> None:
        """Register the shipped themes and the user's; a file that cannot be used is
        said once (in a notice at start-up) and skipped."""
        from textual.color import Color, ColorParseError
        from textual.theme import Theme

        from briefing.ui.themes import load_themes

        # A kiosk uses only the themes shipped with briefing: nothing from the user's folders.
        user = None if self.kiosk else paths.user_themes_dir()
        folders = [p for p in (paths.bundled_themes(), user) if p is not None]
        specs, problems = load_themes(folders)
        self.theme_problems = [str(p) for p in problems]
        self.user_themes = {s.name for s in specs if user is not None and Path(s.path).parent == user}
        for spec in specs:
            bad = []
            for key, value in spec.colours().items():
                if key.endswith("text-style"):
                    continue
                try:
                    Color.parse(value)
                except ColorParseError:
                    bad.append(f"{key} = {value!r}")
            if bad:
                self.theme_problems.append(f"{spec.path}: not a colour: {', '.join(bad)}")
                continue
            self.register_theme(Theme(**spec.fields))

    def starting_theme(self) -> str:
        """Monochrome under NO_COLOR; else the theme chosen last time; else the default."""
        from briefing.ui.themes import DEFAULT, NO_COLOR

        wanted = self.store.setting("theme") if self.store is not None else None
        for candidate in ((NO_COLOR,) if self.no_color else ()) + (wanted, DEFAULT, "textual-dark"):
            if isinstance(candidate, str) and candidate in self.available_themes:
                if candidate != wanted and wanted and not self.no_color:
                    self.theme_problems.append(f"The theme {wanted!r} is not available now; using {candidate!r}.")
                return candidate
        return self.theme

    def action_suspend_process(self) -> None:
        if self.kiosk:
            self.notify("This account cannot be suspended to a shell.", severity="warning")
            return
        super().action_suspend_process()

    def action_pick_theme(self) -> None:
        """The theme picker: briefing's own themes first, then Textual's. The one chosen
        applies at once and is kept for the next start."""
        from textual.command import CommandPalette

        self.push_screen(
            CommandPalette(providers=[ThemePicker], placeholder="Pick a theme: briefing's first, then Textual's…")
        )

    def action_change_theme(self) -> None:
        self.action_pick_theme()

    def theme_choices(self) -> list[tuple[str, str]]:
        """(name, whose it is) of every theme, in the picker's order: the five shipped with
        briefing (a user's file of the same name replaces one), the user's own, Textual's."""
        from textual.theme import BUILTIN_THEMES

        from briefing.ui.themes import SHIPPED

        names = self.available_themes
        mine = sorted(n for n in self.user_themes if n not in SHIPPED)
        textual = sorted(n for n in names if n not in SHIPPED and n not in mine)
        choices = [
            (n, "briefing, from your file" if n in self.user_themes else "briefing") for n in SHIPPED if n in names
        ]
        choices += [(n, "your theme") for n in mine if n in names]
        choices += [(n, "Textual" if n in BUILTIN_THEMES else "") for n in textual]
        return [(n, f"{whose} · in use" if n == self.theme else whose) for n, whose in choices]

    def theme_chosen(self, theme: Any) -> None:
        if self.store is not None:
            self.notes.save(lambda store: store.set_setting("theme", theme.name))

    # -- actions ------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications quote brief text, file names and what the store said: never read
        as markup, and cleaned for the terminal (a path given with --store may hold anything)."""
        from briefing.core.safe import clean, clean_line

        super().notify(clean(str(message)), title=clean_line(title), severity=severity, timeout=timeout, markup=False)

    def action_help(self) -> None:
        from briefing.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- where the reader goes -------------------------------------------------
    #
    # The library is always at the bottom; right above it, at most one view across briefs
    # (people, timeline, concerns: opened from the library only); above those at most one
    # brief, one notebook and one search, then what opens over them (the source, help, a
    # dialog). Going to a screen of a kind already open goes back to it, so the stack stays
    # small however the reader moves. What the notebook or the search opens goes over it, so
    # escape returns there: opening another brief (or, from the search, another notebook)
    # closes the one open, and the notebook and search that were open are opened again
    # under it, as they were; a view under them all stays as it was.

    def action_notebook(self) -> None:
        """The notebook: back to the one already open (what is over it closes), else a new one."""
        from briefing.ui.screens.notebook import NotebookScreen

        if not self.notes.available():  # says why there are no notes
            return
        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, NotebookScreen):
                self.back_to(index)
                return
        self.push_screen(NotebookScreen(self.library, self.store))

    def show_brief(self, brief: Brief, pane: str = Pane.FACTS, item: str | None = None) -> None:
        """Open ``brief`` at ``pane`` and ``item``. Opened from the notebook, the search or a
        view, it goes over it (escape returns there); a brief left open under the notebook or
        the search is closed, and a view under that brief stays as it was."""
        from briefing.ui.screens.brief import WIDE, BriefScreen

        if any(isinstance(screen, BriefScreen) for screen in self.screen_stack):
            self.reopen_lists()
        self.push_screen(BriefScreen(brief, self.library, pane=pane, item=item, wide=self.size.width >= WIDE))

    def show_notebook(self, select: tuple[str, str | None]) -> None:
        """The notebook on the mark ``select`` (brief, mark id), over what is in front (the
        search). A notebook open already is closed first, the search kept under the new one."""
        from briefing.ui.screens.notebook import NotebookScreen

        if not self.notes.available():
            return
        if any(isinstance(screen, NotebookScreen) for screen in self.screen_stack):
            self.reopen_lists(notebook=False)
        self.push_screen(NotebookScreen(self.library, self.store, select=select))

    def reopen_lists(self, notebook: bool = True) -> None:
        """Close every screen over the library (and the view across briefs right above it,
        if one is open), then open again the search and (unless ``notebook`` is False) the
        notebook that were open, in their order, each as it was."""
        from briefing.ui.screens.notebook import NotebookScreen
        from briefing.ui.screens.search import SearchScreen
        from briefing.ui.screens.views import ViewScreen

        stack = self.screen_stack
        kept = [
            screen
            for screen in stack
            if isinstance(screen, SearchScreen) or (notebook and isinstance(screen, NotebookScreen))
        ]
        # A view across briefs right above the library stays, as it was.
        self.back_to(1 if len(stack) > 1 and isinstance(stack[1], ViewScreen) else 0)
        for screen in kept:
            self.push_screen(screen.copy())

    def action_search(self) -> None:
        """Search everything: back to the search already open (what is over it closes), else
        a new one, starting from the last query."""
        from briefing.ui.screens.search import SearchScreen

        for index, screen in enumerate(self.screen_stack):
            if isinstance(screen, SearchScreen):
                self.back_to(index)
                return
        self.push_screen(SearchScreen(self.library, self.last_search))

    def searcher(self) -> Searcher:
        """The one thread every search runs in (made at the first search): the index's
        connections, and the notes loaded into one for search, are each thread's own."""
        from briefing.ui.screens.search import Searcher

        if self._searcher is None:
            self._searcher = Searcher(self.library, self.store)
        return self._searcher

    def load_brief(self, brief_id: str, then: Callable[[Any], None]) -> None:
        """Parse a brief in a worker (never on this thread: a big file takes a moment),
        then call ``then(brief)`` here; or say why it cannot be opened. Keys typed
        meanwhile wait, and act on what is in front once it is done."""
        from briefing.core.errors import BriefError

        self.typeahead.hold()

        def load() -> None:
            outcome: Any
            try:
                outcome = self.library.brief(brief_id)
            except BriefError as exc:
                outcome = ("This brief has an error", str(exc))
            except (KeyError, OSError) as exc:
                outcome = ("Cannot open it", f"{brief_id}: {exc}")
            except Exception as exc:  # never leave the keys waiting
                outcome = ("Cannot open it", f"{brief_id}: {exc}")
            self.call_from_thread(loaded, outcome)

        def loaded(outcome: Any) -> None:
            try:
                if isinstance(outcome, tuple):
                    title, message = outcome
                    self.notify(message, title=title, severity="error")
                else:
                    then(outcome)
            finally:
                self.typeahead.release()

        self.run_worker(load, thread=True, group="open-brief", exit_on_error=False)

    def back_to(self, index: int) -> None:
        """Close every screen above the one at ``index`` in the stack."""
        while len(self.screen_stack) > max(1, index + 1):
            self.pop_screen()

    def action_export(self, fmt: str) -> None:
        """Write every note and bookmark to a file in the data folder and say where."""
        if not self.notes.available():
            return
        self.run_worker(lambda: self._export(fmt), thread=True, group="export", exit_on_error=False)

    def _export(self, fmt: str) -> None:
        from datetime import datetime

        from briefing.store.durable import private_folder, write_atomic
        from briefing.store.exchange import export_json, export_markdown

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = paths.export_file(fmt, stamp)
        number = 1
        while os.path.lexists(target):  # two exports within a second: a name each
            number += 1
            target = paths.export_file(fmt, f"{stamp}-{number}")
        try:
            assert self.store is not None  # (action_export checked)
            text = (export_json if fmt == "json" else export_markdown)(self.store, self.library)
            private_folder(target.parent, enforce=False)
            write_atomic(target, text.encode("utf-8"))  # 0600, whole or not at all
        except Exception as exc:  # an OSError or StoreError: say it, keep running
            self.call_from_thread(self.notify, f"Export failed: {exc}", severity="error")
            return
        self.call_from_thread(self.notify, f"Notes exported to {target}", title="Export", timeout=15)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen in the screenshots folder (made 0700), the file 0600
        whatever the umask and written atomically, and say where; or say why not. Textual's
        ``filename`` and ``path`` are not used: screenshots go where paths.py says."""
        from datetime import datetime

        if self.kiosk:
            self.notify("This account saves no screenshots.", severity="warning")
            return
        svg = self.export_screenshot()  # now, on this thread: the file is written in another
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.run_worker(lambda: self._save_screenshot(svg, stamp), thread=True, group="screenshot", exit_on_error=False)

    def _save_screenshot(self, svg: str, stamp: str) -> None:
        from briefing.core.safe import clean_line
        from briefing.store.durable import private_folder, write_atomic

        folder = paths.screenshots_dir()
        try:
            private_folder(folder, enforce=False)
        except OSError as exc:
            self.call_from_thread(
                self.notify,
                f"The screenshot was not saved: the folder {clean_line(str(folder))} "
                f"cannot be made ({exc.strerror or exc}).",
                title="Screenshot",
                severity="error",
                timeout=15,
            )
            return
        target = paths.screenshot_file(stamp)
        try:
            write_atomic(target, svg.encode("utf-8"))
        except OSError as exc:
            self.call_from_thread(
                self.notify,
                f"The screenshot was not saved: {clean_line(str(target))} cannot be written ({exc.strerror or exc}).",
                title="Screenshot",
                severity="error",
                timeout=15,
            )
            return
        self.call_from_thread(
            self.notify, f"Screenshot saved to {clean_line(str(target))}", title="Screenshot", timeout=15
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action a key does something for on the screen, as help lists them, so the
        palette, help and the keys never disagree."""
        from briefing.ui.screens.help import live_bindings
        from briefing.ui.screens.search import SearchScreen

        titles = set()
        for live in live_bindings(screen):
            _, node, binding = live.keys[0]
            if binding.action == "command_palette":
                continue
            titles.add(binding.description)
            yield SystemCommand(
                binding.description,
                f"{live.text} ({' '.join(live.shown)})",
                lambda node=node, action=binding.action: self.call_later(self.run_action, action, node),
            )
        if "Notebook" not in titles:  # a screen without n
            yield SystemCommand("Notebook", "Every note and bookmark, grouped by brief (n)", self.action_notebook)
        if "Search" not in titles and not isinstance(screen, SearchScreen):  # a screen without s (or S)
            yield SystemCommand(
                "Search everything…",
                "Briefs, items, cited source paragraphs, your notes and bookmarks (s in the library)",
                self.action_search,
            )
        yield SystemCommand(
            "Export notes as Markdown", "Write every note and bookmark to a .md file", lambda: self.action_export("md")
        )
        yield SystemCommand(
            "Export notes as JSON",
            "Write every note and bookmark to a .json file (for briefing import)",
            lambda: self.action_export("json"),
        )
        if not self.kiosk:  # a kiosk writes no screenshots
            # Later, so the palette has closed by then and the screen is what is saved.
            yield SystemCommand(
                "Screenshot",
                "Save an SVG picture of this screen in briefing's screenshots folder (briefing locate names it)",
                lambda: self.set_timer(0.1, self.action_screenshot),
            )


class ThemePicker(Provider):
    """The theme picker's list (``BriefingApp.theme_choices``), each theme named with whose it is."""

    def choices(self) -> list[tuple[str, str, Callable[[], None]]]:
        app = cast(BriefingApp, self.app)

        def choose(name: str) -> None:
            app.theme = name

        return [(name, whose, partial(choose, name)) for name, whose in app.theme_choices()]

    @staticmethod
    def shown(name: Content, whose: str, width: int) -> Content:
        """The theme's name, then whose it is, dim, in a column."""
        return name + Content.styled(f"{'':{width - len(name.plain) + 2}}{whose}", "dim") if whose else name

    async def discover(self) -> Hits:
        choices = self.choices()
        width = max((len(name) for name, _, _ in choices), default=0)
        for name, whose, choose in choices:
            yield DiscoveryHit(self.shown(Content(name), whose, width), choose, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        choices = self.choices()
        width = max((len(name) for name, _, _ in choices), default=0)
        for name, whose, choose in choices:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, self.shown(matcher.highlight(name), whose, width), choose, text=name)


def typed(event: events.Key | events.Paste) -> events.Key | events.Paste | None:
    """A key or paste from the terminal, made safe before any widget sees it: a paste's
    control characters shown visibly (paste.py); a character typed that the cleaner would
    drop (a C1 control, a joiner) dropped, and one it spells out given as that text."""
    from briefing.ui.paste import clean_typed

    if isinstance(event, events.Paste):
        text = clean_typed(event.text)
        return event if text == event.text else events.Paste(text)
    character = event.character
    if not character or event.key != character or len(character) != 1:
        return event  # a named key (escape, ctrl+s, a letter's name): nothing to clean
    shown = clean_typed(character)
    if shown == character:
        return event
    return events.Paste(shown) if shown.strip() else None


def leave_hung_up_terminal() -> None:
    """Point stdout and stderr at /dev/null when they are a terminal that hung up.

    Every write to a hung-up terminal fails with EIO: Textual's output thread would die on
    the next frame (and later writes pile up in its bounded queue), and Python could not
    flush stderr at the very end (exit status 120 instead of 0). A terminal that is still
    there (``kill -HUP`` from another shell) is kept, and restored as on any exit.
    """
    for stream in (sys.__stdout__, sys.__stderr__):
        if stream is None:
            continue
        try:
            fd = stream.fileno()
            termios.tcgetattr(fd)
        except (AttributeError, ValueError, OSError):
            continue  # no stream, or not a file
        except termios.error as exc:
            if exc.args and exc.args[0] == errno.EIO:  # a hung-up terminal (not one: ENOTTY)
                devnull = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(devnull, fd)
                finally:
                    os.close(devnull)


def open_store(store_path: Path | None, author: str | None = None) -> tuple[Store | None, str | None]:
    """The store, or None and why it cannot be used (briefing still reads briefs then).
    A store another briefing holds is waited for, then opened read-only."""
    from briefing.core.safe import clean_line
    from briefing.store.notes import StoreError, open_store

    try:
        return open_store(store_path, author), None
    except StoreError as exc:
        return None, clean_line(f"Notes cannot be saved this time: {exc}")


def make_app(
    libraries: Iterable[Path],
    index_file: Path | None,
    open_brief: str | None = None,
    store_path: Path | None = None,
    author: str | None = None,
    kiosk: bool = False,
) -> BriefingApp:
    """The one factory of the app, for the command line and for the tests."""
    store, problem = open_store(store_path, author)
    roots = [Path(p) for p in libraries]
    # One library folder may have a shared index, built for all its readers (briefing index).
    shared = paths.shared_index_file(roots[0]) if len(roots) == 1 and index_file is not None else None
    return BriefingApp(
        Library(roots, index_file, shared), open_brief=open_brief, store=store, store_problem=problem, kiosk=kiosk
    )
