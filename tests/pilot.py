"""Waiting for the app's screens in Pilot tests (the library loads in a worker)."""

from __future__ import annotations

from briefing.ui.screens.brief import BriefScreen
from briefing.ui.screens.library import LibraryScreen


async def until(pilot, condition, what: str, tries: int = 250):
    """Pause until ``condition()`` is true (a screen pushed, a worker done); its value."""
    for _ in range(tries):
        await pilot.pause(0.02)
        value = condition()
        if value:
            return value
    raise AssertionError(f"timed out waiting for {what}")


async def wait_for_library(pilot) -> LibraryScreen:
    for _ in range(250):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, LibraryScreen) and screen.loaded:
            return screen
    raise AssertionError("the library did not load")


async def wait_for_brief(pilot) -> BriefScreen:
    for _ in range(250):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, BriefScreen):
            await pilot.pause()  # let it mount
            return pilot.app.screen
    raise AssertionError("the brief did not open")
