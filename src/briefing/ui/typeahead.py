"""Keys typed ahead act on what the reader sees: one key at a time, in the order typed.

Textual hands every key to the widget focused *when the key arrives*. Keys that arrive
together (a paste without bracketing, typeahead over a slow SSH link, a fast typist) are
all handed to the same widget before the first of them has run, so ``3ja`` at a brief
moved the facts pane (focused when ``j`` arrived) and wrote a note on the first concern,
and ``enter j`` lost the ``j`` to the library behind the brief it opened.

:class:`TypeAhead` keeps keys (and pastes) in a queue and hands the next one over only
when the one before has been dealt with: consumed by a widget, or bound to an action
that has run. A screen that was just pushed gets its keys once it is mounted, with its
focus set. The app calls :meth:`TypeAhead.arrived` for every key from the terminal and
:meth:`TypeAhead.came_back` for a key that bubbled back up to it (see ``BriefingApp``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App

Typed = events.Key | events.Paste

# A key whose handler runs this long is left to finish while the next key goes ahead: a
# hang guard, so that one stuck handler cannot swallow every later key (never reached in
# use: handlers take milliseconds).
GIVE_UP_AFTER = 10.0
WAIT_STEP = 0.005  # how often a screen still being mounted is looked at
QUIET = 0.1  # no key for this long: the terminal has delivered what was typed


class TypeAhead:
    """The keys waiting to be handled, and the one being handled now."""

    def __init__(self, app: App, dispatch: Callable[[Typed], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch  # Textual's own handling of a new key (App.on_event)
        self.waiting: deque[Typed] = deque()
        self.current: Typed | None = None
        self.node: MessagePump | None = None  # where the current key (or its probe) is
        self.started = 0.0
        self.timer_set = False
        self.held_since: float | None = None  # keys wait while the app loads what they act on
        self.last_arrival = 0.0

    # -- from the app ---------------------------------------------------------

    async def arrived(self, event: Typed) -> None:
        """A key or paste from the terminal: queue it, and hand it over if nothing waits."""
        self.last_arrival = monotonic()
        self.waiting.append(event)
        await self.pump()

    async def came_back(self, event: Typed, handle: Callable[[], Awaitable[None]]) -> bool:
        """A forwarded key reached the app: let ``handle`` run its bindings, then go on
        with the next key. False if it is not the key being handled (not ours)."""
        if event is not self.current:
            return False
        try:
            await handle()
        finally:
            self.finished(event)
        await self.pump()
        return True

    # -- the queue ------------------------------------------------------------

    def hold(self) -> None:
        """Keep keys waiting: what they act on is being loaded (a brief parsed in a worker)."""
        self.held_since = monotonic()

    def release(self) -> None:
        """Hand over the keys that waited, to whatever is in front now."""
        self.held_since = None
        self.app.call_later(self.pump)

    def ready(self) -> bool:
        """Can the screen in front take a key now? (mounted, so its focus is set; not
        waiting for something being loaded, for longer than the hang guard)"""
        if self.held_since is not None:
            if monotonic() - self.held_since < GIVE_UP_AFTER:
                return False
            self.held_since = None
        try:
            return self.app.screen.is_mounted
        except Exception:  # no screen yet
            return False

    async def pump(self) -> None:
        """Hand over waiting keys, one at a time, while each is dealt with at once."""
        while self.current is None and self.waiting:
            if getattr(self.app, "_exit", False) or self.app._closing:
                self.waiting.clear()  # briefing is ending: the keys after "quit" go nowhere
                return
            if not self.ready():
                self.wait()
                return
            event = self.waiting.popleft()
            self.current, self.started = event, monotonic()
            target = self.app.focused or self.app.screen
            await self.dispatch(event)  # priority bindings, else forwarded to ``target``
            if self.current is not event:
                continue  # handled already
            if not event.is_forwarded:
                self.finished(event)  # a priority binding took it
                continue
            self.node = target
            if not target.call_later(self.probe, event, target):
                self.lost(event)  # the widget is closing: try again once the screen settles
            self.wait()
            return

    def wait(self) -> None:
        """Look again shortly (a screen being mounted, a key whose widget may be gone)."""
        if not self.timer_set:
            self.timer_set = True
            self.app.set_timer(WAIT_STEP, self.tick)

    async def tick(self) -> None:
        self.timer_set = False
        event = self.current
        if event is not None:
            node = self.node
            age = monotonic() - self.started
            if node is not None and (node._closing or node._closed):
                self.lost(event)  # its widget went away before it read the key
            elif age > GIVE_UP_AFTER:
                self.finished(event)
            else:
                self.wait()
                return
        await self.pump()

    def probe(self, event: Typed, node: MessagePump) -> None:
        """Runs on ``node`` right after it handled ``event``. If the key went on up, it is
        ahead of this probe in the parent's queue: follow it. At the app, a key that has
        not come back by now was consumed on the way."""
        if event is not self.current:
            return
        parent = node._parent
        if node is self.app or parent is None:
            self.finished(event)
            self.app.call_later(self.pump)
            return
        self.node = parent
        if not parent.call_later(self.probe, event, parent):
            self.finished(event)  # the parent is closing: the key went with it
            self.app.call_later(self.pump)

    def idle(self) -> bool:
        """Nothing typed is waiting or being handled."""
        return self.current is None and not self.waiting

    def when_idle(self, callback: Callable[[], object], timeout: float) -> None:
        """Call ``callback`` once every key typed so far has been handled and none has come
        for a moment (keys the terminal is still delivering included), or after
        ``timeout`` seconds, whichever comes first."""
        deadline = monotonic() + timeout

        def check() -> None:
            now = monotonic()
            if (self.idle() and now - self.last_arrival >= QUIET) or now >= deadline:
                callback()
            else:
                self.app.set_timer(WAIT_STEP, lambda: self.app.call_later(check))

        self.app.call_later(check)  # behind whatever the app has been sent already

    def finished(self, event: Typed) -> None:
        if event is self.current:
            self.current, self.node = None, None

    def lost(self, event: Typed) -> None:
        """The widget it was given to went away unread: it goes to what is in front now."""
        self.finished(event)
        self.waiting.appendleft(fresh(event))


def fresh(event: Typed) -> Typed:
    """A new, unforwarded copy of a key or paste."""
    if isinstance(event, events.Paste):
        return events.Paste(event.text)
    return events.Key(event.key, event.character)
