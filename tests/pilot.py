"""Pilot tests: the app they drive, and waiting for what it does.

Every wait here is for the work itself (the app's workers, the keys it was sent, a screen
being mounted, then the messages left on its screen), never for a set time. Each has a hang guard, :data:`HANG_GUARD` seconds, there to
turn a hang into a failure that says what never came, with a margin no slow machine
reaches; it is not a bound on how long anything should take.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Callable
from pathlib import Path
from time import monotonic
from typing import TypeVar

from textual import events
from textual.keys import (  # as Pilot does
    REPLACED_KEYS,
    _character_to_key,
    _get_unicode_name_from_key,
)
from textual.screen import Screen
from textual.worker import WorkerState

from briefing.ui.app import BriefingApp, make_app
from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.library import LibraryScreen

from .fixtures import BUNDLED

HANG_GUARD = 60.0

T = TypeVar("T")
S = TypeVar("S", bound=Screen)


def app_for(
    tmp_path: Path, brief: str | None = None, *, store: Path | None = None, library: Path = BUNDLED, **kwargs
) -> BriefingApp:
    """The app on ``library`` (the bundled one), opening ``brief`` if given, with its library
    index in ``tmp_path`` and its notes store at ``store`` (``tmp_path/notes.json``)."""
    return make_app(
        [library], tmp_path / "index.sqlite", open_brief=brief, store_path=store or tmp_path / "notes.json", **kwargs
    )


def messages(app) -> list[str]:
    """The text of every notice the app has shown, oldest first."""
    return [str(n.message) for n in app._notifications]


def keys_pending(app) -> bool:
    """Keys the app was sent that it has not dealt with yet (briefing hands keys over one at
    a time, each once the screen in front can take it: see typeahead.py)."""
    keys = getattr(app, "typeahead", None)
    return keys is not None and not keys.idle()


def screen_mounting(app) -> bool:
    try:
        return not app.screen.is_mounted
    except Exception:  # no screen yet
        return True


async def settled(pilot, timeout: float = HANG_GUARD, what: str = "the app to settle") -> None:
    """Let the app finish the work in hand: its workers (and the ones they start), the keys
    it was sent, the screen it is mounting, then the messages all these left."""
    app = pilot.app
    deadline = monotonic() + timeout

    def left() -> float:
        remaining = deadline - monotonic()
        if remaining <= 0:
            raise AssertionError(f"waiting for {what}: the app was still busy after {timeout:g} s")
        return remaining

    paused = False
    while app.is_running:
        running = [w for w in app.workers if w.state is WorkerState.RUNNING]
        if running:
            try:
                # A worker that fails is the app's to report (exit_on_error, or a notice):
                # the test looks at what the app did about it.
                await asyncio.wait_for(asyncio.gather(*(w.wait() for w in running), return_exceptions=True), left())
            except TimeoutError:
                names = ", ".join(sorted(w.group or w.name for w in running))
                raise AssertionError(
                    f"waiting for {what}: workers still running after {timeout:g} s ({names})"
                ) from None
        elif keys_pending(app) or screen_mounting(app):
            left()
        elif paused:
            break
        await pilot.pause()  # the messages left on the screen, until the app is idle
        paused = True


def key_event(key: str) -> events.Key:
    """The event of a key, named as for Pilot's ``press`` (``"enter"``, ``"ctrl+s"``) or
    given as the character typed, made as Pilot makes it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


async def press(pilot, *keys: str, timeout: float = HANG_GUARD) -> None:
    """Press ``keys`` and wait until briefing has dealt with every one.

    They arrive together, as a terminal delivers keys typed ahead; briefing hands them over
    one at a time, each once the one before is done (typeahead.py), and this waits for that
    work. (Pilot's own ``press`` waits instead for an idle processor after every key, at
    least a twentieth of a second each, which a busy machine can also fool.)"""
    app = pilot.app
    deadline = monotonic() + timeout
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause(0)  # the app takes them in
    while app.is_running and keys_pending(app):
        if monotonic() > deadline:
            raise AssertionError(f"keys {keys!r} still not dealt with after {timeout:g} s")
        await pilot.pause()
    if app.is_running:
        await app.animator.wait_until_complete()
        await pilot.pause()  # what the last key left on the screen


async def until(pilot, condition: Callable[[], T], what: str, timeout: float = HANG_GUARD) -> T:
    """Let the app work until ``condition()`` is true (a screen pushed, a notice shown, a
    store written); its value. Fails, naming ``what``, if it has not come after ``timeout``."""
    deadline = monotonic() + timeout
    while not (value := condition()):
        left = deadline - monotonic()
        if left <= 0:
            raise AssertionError(f"{what} never came (waited {timeout:g} s)")
        await settled(pilot, left, what)
    return value


async def wait_for_library(pilot) -> LibraryScreen:
    """The library screen once its briefs are read and the work that started is done."""

    def loaded() -> LibraryScreen | None:
        screen = pilot.app.screen
        return screen if isinstance(screen, LibraryScreen) and screen.loaded else None

    screen = await until(pilot, loaded, "the library to load")
    await settled(pilot, what="the library's work after loading")
    return screen


async def wait_for_screen(pilot, kind: type[S], what: str | None = None) -> S:
    """The screen of ``kind`` in front, mounted, once the app has settled."""

    def in_front() -> S | None:
        screen = pilot.app.screen
        return screen if isinstance(screen, kind) and screen.is_mounted else None

    what = what or f"the {kind.__name__}"
    screen = await until(pilot, in_front, what)
    await settled(pilot, what=f"{what} to settle")
    return screen


async def wait_for_brief(pilot) -> BriefScreen:
    """The brief screen, mounted, once it is in front and the app has settled."""
    return await wait_for_screen(pilot, BriefScreen, "a brief to open")
