"""Views across briefs, opened from the library: people and bodies (p), one timeline (t) and
concerns by category (c).

Each reads the library's index (core/index.py) in a worker, so it opens at once at 10,000
briefs (keys typed meanwhile wait, then act on what it shows); the list draws only the rows
on screen. Enter opens a brief at the item, over the view: escape from the brief comes back
to the view as it was, and escape from the view back to the library. Everything shown is
document text, drawn as plain ``Text``, never as markup.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Input, Static

from briefing.core.enums import Pane
from briefing.core.library import Library
from briefing.core.model import STANCES
from briefing.core.query import fold, parse_query
from briefing.core.safe import clean_line
from briefing.ui.render.markers import DRAFTED_HOW, DRAFTED_TAG
from briefing.ui.screens.base import BriefingScreen
from briefing.ui.widgets.filterable import FilterableList, FilterBox
from briefing.ui.widgets.rowlist import Heading, RowList

LINE_CHARS = 400  # of a text in a row or the detail: a long paragraph stays quick to draw


def flat(text: str | None, limit: int = LINE_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters (then "…")."""
    text = clean_line(" ".join((text or "")[: limit * 2].split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"


def cell(text: str, width: int, style: Any = "") -> Text:
    """``text`` cut (with …) or padded to ``width`` columns."""
    out = Text(text, style=style, no_wrap=True, overflow="ellipsis")
    out.truncate(max(0, width), overflow="ellipsis", pad=True)
    return out


def words_match(words: list[str], hay: str) -> bool:
    return all(word in hay for word in words)


_ASCII_FOLD = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})


def folded(text: str) -> str:
    """``core.query.fold``, quick for the plain ASCII most text is (a view folds every row)."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    return fold(text)


class ViewScreen(BriefingScreen):
    """What the three views share: a header, a line naming the columns, a list with a filter
    line over it, a detail area about the highlighted row, the footer."""

    VIEW_NAME = ""
    PLACEHOLDER = "Filter: type words"
    EMPTY = "Nothing here."
    DEFAULT_CSS = """
    ViewScreen #view-header {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ViewScreen #view-columns {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $text-muted;
        text-style: bold;
    }
    ViewScreen #view-list {
        scrollbar-gutter: stable;
    }
    ViewScreen #view-detail {
        height: 3;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, library: Library, kept: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.library = library
        # What the views read from the index, kept by the library until the index changes:
        # a view opened again shows it at once.
        self.kept = kept if kept is not None else {}
        self.data: Any = None  # what the worker read from the index (None: not yet)
        self.problem: str | None = None  # why it could not be read

    # -- building -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        if type(self).__name__ not in self.kept:
            # Keys typed from now on act on the rows, once they are read (index_read).
            self.app.typeahead.hold()
        yield Static(self.header_text(), id="view-header")
        yield FilterableList(
            FilterBox(placeholder=self.PLACEHOLDER, id="view-filter"),
            RowList(self.format_row, empty="Reading the library…", id="view-list"),
            header=Static("", id="view-columns"),
        )
        yield Static("", id="view-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.hear_notes()  # the theme: rows take their colours from it
        self.set_focus(self.rowlist)
        kept = self.kept.get(type(self).__name__)
        if kept is not None:
            self.data = kept
            self.show(self.filter_text)
        else:
            self.read_index()

    @work(thread=True, exclusive=True, group="view")
    def read_index(self) -> None:
        try:
            data, problem = self.read(self.library), None
        except Exception as exc:  # an index that cannot be read: say so, keep running
            data, problem = None, f"The library's index cannot be read: {exc}"
        self.app.call_from_thread(self.index_read, data, problem)

    def index_read(self, data: Any, problem: str | None) -> None:
        try:
            if not self.in_use:
                return
            self.data, self.problem = data, problem
            if data is not None:
                self.kept[type(self).__name__] = data
            self.show(self.filter_text)
        finally:
            self.app.typeahead.release()

    def read(self, library: Library) -> Any:
        """(In a worker.) What the view shows, from the index."""
        raise NotImplementedError

    def rows_for(self, text: str) -> Sequence[Any]:
        """The rows to show for the filter ``text``."""
        raise NotImplementedError

    def show(self, text: str, where: Callable[[Sequence[Any]], int | None] | None = None) -> None:
        """Show the rows for ``text``, on the row ``where`` finds in them (else on the same
        row as before, if it is still there)."""
        rows = self.rowlist
        current = rows.current
        shown = self.rows_for(text) if self.data is not None else []
        rows.empty = self.problem or self.empty_text(text)
        at = where(shown) if where is not None else self.locate(shown, current)
        rows.set_rows(shown, cursor=at or 0)
        self.redraw_frame()

    def locate(self, shown: Sequence[Any], row: Any) -> int | None:
        """Where ``row`` is in ``shown``."""
        if row is None or isinstance(row, Heading):
            return None
        return next((n for n, other in enumerate(shown) if other == row), None)

    def redraw_frame(self) -> None:
        """The header, the column names and the detail, as the rows are now."""
        self.query_one("#view-header", Static).update(self.header_text())
        self.query_one("#view-columns", Static).update(self.columns_text())
        self.query_one("#view-detail", Static).update(self.detail_text(self.rowlist.current))

    def restyle(self) -> None:
        self.rowlist.redraw()
        self.redraw_frame()

    def refresh_marks(self) -> None:
        """No notes here: what changed while another screen was in front is the theme."""
        self.restyle()

    def on_resize(self) -> None:
        if self.data is not None:
            self.call_after_refresh(self.redraw_frame)  # the columns follow the list's width

    def empty_text(self, text: str) -> str:
        if text.strip():
            return "Nothing matches the filter: escape clears it."
        return self.EMPTY

    # -- drawing --------------------------------------------------------------

    @property
    def rowlist(self) -> RowList:
        return self.query_one("#view-list", RowList)

    @property
    def width(self) -> int:
        return max(20, self.rowlist.text_width)

    def header_text(self) -> Text:
        header = Text.assemble((self.VIEW_NAME, "bold"))
        header.append_text(self.header_detail())
        header.append("  · ? help", style="dim")
        return header

    def header_detail(self) -> Text:
        return Text()

    def columns_text(self) -> Text:
        return Text()

    def format_row(self, row: Any) -> Text:
        raise NotImplementedError

    def detail_text(self, row: Any) -> Text:
        raise NotImplementedError

    def heading_row(self, heading: Heading) -> Text:
        return Text.assemble((heading.title, self.styled("heading")), (f"  {heading.note}", "dim"))

    @on(RowList.Highlighted, "#view-list")
    def highlighted(self, event: RowList.Highlighted) -> None:
        self.query_one("#view-detail", Static).update(self.detail_text(event.row))

    # -- the filter -----------------------------------------------------------

    @property
    def filter_text(self) -> str:
        return self.query_one(FilterableList).query_text

    def action_filter(self) -> None:
        self.query_one(FilterableList).open_filter()

    def drafted_cell(self, drafted: str | None, text: str, width: int) -> list[Text]:
        """``text`` in ``width`` columns, after the word [drafted] if the item is one that
        `briefing draft` proposed and an author has not accepted yet."""
        if drafted is None:
            return [cell(text, width)]
        tag = DRAFTED_TAG + " "
        return [cell(tag, min(len(tag), width), self.styled("drafted")), cell(text, max(0, width - len(tag)))]

    def drafted_note(self, drafted: str | None) -> Text:
        if drafted is None:
            return Text("")
        return Text.assemble(
            "\n",
            (f"{DRAFTED_TAG} {flat(drafted or 'proposed', 40)}", self.styled("drafted")),
            (DRAFTED_HOW, "dim"),
        )

    @on(Input.Changed, "#view-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.typed(event.value)

    def typed(self, text: str) -> None:
        """The filter now reads ``text``."""
        if self.data is not None:
            self.show(text)

    def action_clear_filter(self) -> None:
        if not self.query_one(FilterableList).close_filter():
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- opening a brief --------------------------------------------------------

    @on(RowList.Selected, "#view-list")
    def selected(self, event: RowList.Selected) -> None:
        if event.row is not None:
            self.choose(event.row)

    def action_choose(self) -> None:
        row = self.rowlist.current
        if row is None or isinstance(row, Heading):
            self.notify("Nothing to open: the list is empty.", severity="warning")
            return
        self.choose(row)

    def choose(self, row: Any) -> None:
        raise NotImplementedError

    def open_at(self, brief_id: str, pane: str, item: str) -> None:
        """Open the brief at the item, over this view (escape there comes back here)."""

        def opened(brief) -> None:
            if not self.in_use:
                return
            if brief.item(item) is None:
                self.notify(
                    "This item is not in the brief as it is now (it changed since the library was read): "
                    "the brief opens at its first item.",
                    severity="warning",
                )
            self.app.show_brief(brief, pane=pane, item=item)

        self.app.load_brief(brief_id, opened)


def view_bindings(name: str, enter: str, back: str) -> list[BindingType]:
    """The keys of a view (help shows each tooltip on a line of its own at 80 columns)."""
    return [
        Binding("slash", "filter", "Filter", id=f"{name}.filter", tooltip="Filter the list as you type"),
        Binding("enter", "choose", "Open", id=f"{name}.open", tooltip=enter),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id=f"{name}.clear",
            show=False,
            tooltip="Clear and close the filter, else back as q",
        ),
        Binding("q", "back", "Back", id=f"{name}.back", tooltip=back),
    ]


# -- people and bodies -----------------------------------------------------------------


class Appearance(NamedTuple):
    """One stakeholder item of one brief (a row of ``Index.stakeholders``)."""

    brief: str
    title: str
    date: str
    item: str
    name: str
    norm: str
    explicit: int
    kind: str
    stance: str
    drafted: str | None = None  # as `briefing draft` proposed it, not yet accepted


class Person(NamedTuple):
    """A person or body across the library: the stakeholder items taken to be the same."""

    key: str  # "#id" (matched by the author's explicit id) or "=name" (by normalised name)
    name: str  # the name most written
    names: tuple[str, ...]  # every name written, most written first
    kinds: tuple[str, ...]
    briefs: int
    stances: tuple[tuple[str, int], ...]  # most first
    items: tuple[Appearance, ...]  # newest brief first

    @property
    def by_id(self) -> str | None:
        return self.key[1:] if self.key.startswith("#") else None


def most_first(values: Sequence[str], order: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Each value with how often it comes, most first; ties in ``order``, then as they come."""
    counted = Counter(values)
    rank = {value: n for n, value in enumerate(order)}
    first = {value: n for n, value in reversed(list(enumerate(values)))}
    return sorted(counted.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), first[kv[0]]))


def newest_first(rows: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """Stakeholder rows, the newest brief first (then by its title)."""
    return sorted(rows, key=lambda row: (row[2], row[1].casefold()), reverse=True)


def shown_name(rows: Sequence[Sequence[Any]]) -> str:
    """The name a person or body goes by: the one its items with the explicit id give most
    (those matched by name only already bear one of theirs), the newest brief's on a tie."""
    own = [row[4] for row in rows if row[6]] or [row[4] for row in rows]
    return most_first(own)[0][0]


def person(key: str, rows: Sequence[Sequence[Any]]) -> Person:
    """The person or body of these stakeholder items (rows of ``Index.stakeholders``)."""
    rows = newest_first(rows)
    items = [Appearance(*row) for row in rows]
    name = shown_name(rows)
    names = (name, *(other for other, _ in most_first([p.name for p in items]) if other != name))
    kinds = tuple(kind for kind, _ in most_first([p.kind for p in items]))
    stances = tuple(most_first([p.stance for p in items], STANCES))
    return Person(key, name, names, kinds, len({p.brief for p in items}), stances, tuple(items))


class People(Sequence[Person]):
    """Stakeholder items (``Index.stakeholders`` rows) matched into people and bodies
    (briefs/FORMAT.md, "People and bodies across briefs"):

    - items with the same explicit id (``{#mayor}``) are one person or body, whatever their
      names;
    - an item without one joins the explicit-id group one of whose items has its normalised
      name (``core.query.fold``: case, diacritics and punctuation aside); if several do,
      the one in the most briefs (then the first id in alphabetical order);
    - the rest are grouped by normalised name.

    Most briefs first, then by name. A :class:`Person` is made when first asked for (the
    rows on screen), so that 50,000 stakeholders cost one pass and a sort."""

    def __init__(self, rows: Sequence[Sequence[Any]]) -> None:
        # Row fields: 0 brief, 1 title, 2 date, 3 item, 4 name, 5 norm, 6 explicit, 7 kind, 8 stance,
        # 9 drafted.
        groups: dict[str, list[Sequence[Any]]] = {}
        named: dict[str, list[str]] = {}  # a normalised name → the explicit-id groups bearing it
        for row in rows:
            if row[6]:
                key = "#" + row[3]
                groups.setdefault(key, []).append(row)
                if row[5] and key not in named.setdefault(row[5], []):
                    named[row[5]].append(key)
        briefs = {key: len({row[0] for row in members}) for key, members in groups.items()}
        for row in rows:
            if row[6]:
                continue
            candidates = named.get(row[5]) if row[5] else None
            if candidates:
                key = candidates[0] if len(candidates) == 1 else min(candidates, key=lambda k: (-briefs[k], k))
            else:
                key = "=" + (row[5] or row[4])
            found = groups.get(key)
            if found is None:
                groups[key] = [row]
            else:
                found.append(row)
        order: list[tuple[int, str, str]] = []
        for key, members in groups.items():
            if len(members) == 1:  # most, in a large library: nothing to count
                order.append((-1, members[0][4].casefold(), key))
            else:
                name = shown_name(newest_first(members))
                order.append((-len({row[0] for row in members}), name.casefold(), key))
        order.sort()
        self.keys = [key for _, _, key in order]
        self.groups = groups
        self.briefs = len({row[0] for row in rows})  # briefs that name anyone
        self._made: dict[int, Person] = {}
        self._hays: list[str] | None = None
        self._where: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self.keys)
        made = self._made.get(i)
        if made is None:
            key = self.keys[i]
            made = self._made[i] = person(key, self.groups[key])
            if len(self._made) > 2048:
                self._made.pop(next(iter(self._made)))
        return made

    def position(self, key: str) -> int | None:
        if self._where is None:
            self._where = {key: n for n, key in enumerate(self.keys)}
        return self._where.get(key)

    def matching(self, words: list[str]) -> list[int]:
        """The positions of everyone whose names, kinds, stances or id hold all ``words``
        (folded); what each is looked for in is made at the first filter."""
        if self._hays is None:
            kinds: dict[str, str] = {}
            hays = []
            for key in self.keys:
                members = self.groups[key]
                parts = {row[5]: None for row in members}
                for row in members:
                    for word in (row[7], row[8]):
                        if word not in kinds:
                            kinds[word] = folded(word)
                        parts[kinds[word]] = None
                if key[0] == "#":
                    parts[folded(key[1:])] = None
                hays.append(" ".join(parts))
            self._hays = hays
        return [n for n, hay in enumerate(self._hays) if words_match(words, hay)]


class Chosen(Sequence[Any]):
    """Some rows of a sequence, by position (what a filter kept)."""

    def __init__(self, rows: Sequence[Any], positions: list[int]) -> None:
        self.rows = rows
        self.positions = positions

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return self.rows[self.positions[i]]


def group_people(rows: Sequence[Sequence[Any]]) -> list[Person]:
    """Every person or body of these stakeholder rows, in order (see :class:`People`)."""
    return list(People(rows))


def stances_text(stances: Sequence[tuple[str, int]]) -> str:
    """``opposes 3 · supports 1``."""
    return " · ".join(f"{stance} {count}" for stance, count in stances)


class Role(NamedTuple):
    """A person's item as the second level of the people view lists it."""

    person: Appearance
    role: str


class PeopleScreen(ViewScreen):
    """Every stakeholder across the library, matched into people and bodies; Enter lists
    one's items, and Enter on an item opens its brief in the stakeholders pane."""

    VIEW_NAME = "People and bodies"
    PLACEHOLDER = "Filter: words of a name, a kind or a stance"
    EMPTY = "No brief in this library names a stakeholder."
    COMPONENT_CLASSES = {"people--supports", "people--opposes", "people--neutral", "people--unknown"}
    DEFAULT_CSS = """
    PeopleScreen > .people--supports { color: $success; }
    PeopleScreen > .people--opposes { color: $error; }
    PeopleScreen > .people--neutral { color: $text-muted; }
    PeopleScreen > .people--unknown { color: $text-muted; }
    """
    BINDINGS = view_bindings(
        "people",
        "Their items; on an item, open its brief there",
        "Back to everyone, else to the library",
    )

    def __init__(self, library: Library, kept: dict[str, Any] | None = None) -> None:
        super().__init__(library, kept)
        self.person: Person | None = None  # whose items are listed (None: everyone)
        self.roles: dict[tuple[str, str], str] = {}

    def read(self, library: Library) -> People:
        return People(library.index.stakeholders())

    def rows_for(self, text: str) -> Sequence[Any]:
        if self.person is not None:
            return [Role(p, self.roles.get((p.brief, p.item), "")) for p in self.person.items]
        words = folded(text).split()
        people: People = self.data
        return Chosen(people, people.matching(words)) if words else people

    def locate(self, shown: Sequence[Any], row: Any) -> int | None:
        if isinstance(row, Person):  # by key: looking at each row would make every person
            people: People = self.data
            at = people.position(row.key)
            if at is None or shown is people:
                return at
            assert isinstance(shown, Chosen)
            return next((n for n, p in enumerate(shown.positions) if p == at), None)
        return super().locate(shown, row)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The filter is for everyone's list: not while one's items are listed."""
        if action == "filter" and self.person is not None:
            return None
        return True

    # -- drawing ----------------------------------------------------------------

    def header_detail(self) -> Text:
        if self.data is None:
            return Text()
        if self.person is not None:
            person = self.person
            return Text.assemble(
                " › ",
                (flat(person.name, 80), "bold"),
                (f"  {plural(person.briefs, 'brief')} · {stances_text(person.stances)}", "dim"),
            )
        people: People = self.data
        shown = len(self.rowlist.rows)
        count = f"{shown:,} of {len(people):,}" if shown != len(people) else f"{len(people):,}"
        return Text(f"  {count} named in {plural(people.briefs, 'brief')}", style="dim")

    def widths(self) -> tuple[int, int, int]:
        """People: name, kinds, stances (the number of briefs takes 9)."""
        width = self.width
        kinds = 20 if width >= 110 else 12
        stances = 34 if width >= 110 else 18
        return max(10, width - kinds - 9 - stances - 3), kinds, stances

    def role_widths(self) -> tuple[int, int, int]:
        """Items: brief title, kind, role (the date takes 10, the stance 9)."""
        width = self.width
        kind = 16 if width >= 110 else 12
        rest = width - 11 - 10 - kind - 1
        title = max(10, rest // 2 if width >= 110 else rest * 3 // 5)
        return title, kind, max(0, rest - title - 1)

    def columns_text(self) -> Text:
        if self.data is None or not self.rowlist.rows:
            return Text()
        if self.person is not None:
            title, kind, role = self.role_widths()
            return Text(f"  {'Date':<11}{'Stance':<10}{'Kind':<{kind + 1}}{'Brief':<{title + 1}}What they did or said")
        name, kinds, _ = self.widths()
        return Text(f"  {'Name':<{name + 1}}{'Kinds':<{kinds + 1}}{'Briefs':>8} Stances")

    def format_row(self, row: Person | Role) -> Text:
        if isinstance(row, Role):
            return self.format_role(row)
        name_width, kinds_width, stances_width = self.widths()
        return Text.assemble(
            cell(flat(row.name), name_width),
            " ",
            cell(", ".join(flat(k, 40) for k in row.kinds), kinds_width, "dim"),
            " ",
            f"{row.briefs:>8,} ",
            *self.stance_cells(row.stances),
        )

    def stance_cells(self, stances: Sequence[tuple[str, int]]) -> list[tuple[str, Any]]:
        cells: list[tuple[str, Any]] = []
        for n, (stance, count) in enumerate(stances):
            if n:
                cells.append((" · ", "dim"))
            cells.append((f"{stance} {count}", self.styled(stance)))
        return cells

    def format_role(self, row: Role) -> Text:
        person = row.person
        title_width, kind_width, role_width = self.role_widths()
        line = Text.assemble(
            (f"{person.date:<10} ", "dim"),
            cell(flat(person.stance, 9), 9, self.styled(person.stance)),
            " ",
            cell(flat(person.kind), kind_width, "dim"),
            " ",
            *self.drafted_cell(person.drafted, flat(person.title), title_width),
        )
        if role_width:
            line.append(" ")
            line.append_text(cell(flat(row.role), role_width, "italic"))
        return line

    def detail_text(self, row: Person | Role | None) -> Text:
        if row is None:
            return Text("")
        if isinstance(row, Role):
            person = row.person
            out = Text.assemble((flat(person.name), "bold"), (f" · {person.kind} · {person.stance}", "dim"))
            out.append_text(self.drafted_note(person.drafted))
            out.append("\n")
            out.append(flat(row.role, 600))
            out.append(f"\n{person.date} · {flat(person.title)}", style="dim")
            return out
        out = Text.assemble((flat(row.name), "bold"))
        if len(row.names) > 1:
            out.append(f" · also written {'; '.join(flat(n, 80) for n in row.names[1:6])}", style="dim")
            if len(row.names) > 6:
                out.append(f" and {len(row.names) - 6} more", style="dim")
        matched = f"the id #{row.by_id}" if row.by_id else "name"
        out.append(
            f"\n{plural(row.briefs, 'brief')} · {plural(len(row.items), 'item')} · "
            f"{', '.join(row.kinds)} · {stances_text(row.stances)}\n"
            f"Matched by {matched} · enter lists their items",
            style="dim",
        )
        return out

    # -- moving -----------------------------------------------------------------

    def choose(self, row: Person | Role) -> None:
        if isinstance(row, Role):
            self.open_at(row.person.brief, Pane.STAKEHOLDERS, row.person.item)
            return
        self.person = row
        # What each did or said: read now for this one person's briefs (a few rows).
        self.roles = self.library.index.stakeholder_roles({p.brief for p in row.items})
        box = self.query_one("#view-filter", FilterBox)
        box.display = False  # kept as typed, for the way back
        self.set_focus(self.rowlist)
        self.show("", where=lambda _: 0)

    def action_back(self) -> None:
        if self.person is None:
            super().action_back()
            return
        person, self.person = self.person, None
        box = self.query_one("#view-filter", FilterBox)
        box.display = bool(box.value)
        self.show(box.value, where=lambda shown: self.locate(shown, person))

    def action_clear_filter(self) -> None:
        if self.person is not None:
            self.action_back()
            return
        super().action_clear_filter()


# -- one timeline ----------------------------------------------------------------------

_EXACT = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Entry(NamedTuple):
    """One timeline entry (a row of ``Index.timeline``)."""

    sort: str  # YYYY-MM-DD, 00 for unknown parts; "" when its brief dates none of its entries
    when: str  # as written
    event: str
    brief: str
    title: str
    item: str
    drafted: str | None = None  # as `briefing draft` proposed it, not yet accepted

    @property
    def fuzzy(self) -> bool:
        """Dated in words (``during the summer``): placed by the entry before it."""
        return _EXACT.match(self.when.strip()) is None


def by_year(entries: Sequence[Entry]) -> list[Entry | Heading]:
    """Entries under a heading for each year (those of briefs that date none: first)."""
    out: list[Entry | Heading] = []
    year: str | None = None
    start = 0
    starts: list[int] = []
    for entry in entries:
        this = entry.sort[:4] if entry.sort[:4].strip("0") else ""
        if this != year:
            year = this
            starts.append(len(out))
            out.append(Heading(this or "No date", "", this))
        out.append(entry)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(out)
        heading = out[start]
        assert isinstance(heading, Heading)
        out[start] = heading._replace(note=plural(end - start - 1, "entry", "entries"))
    return out


class TimelineScreen(ViewScreen):
    """The timeline entries of every brief in one list, in date order, under their years.
    The filter is a query (as search reads it) that chooses the briefs."""

    VIEW_NAME = "One timeline"
    PLACEHOLDER = "Query: words, tag:ai, status:draft, after:2024, before:2025 (brief date), stakeholder:, source:"
    EMPTY = "No brief in this library has a timeline."
    BINDINGS = view_bindings(
        "timeline",
        "Open the brief at this entry",
        "Back to the library",
    )

    def __init__(self, library: Library, kept: dict[str, Any] | None = None) -> None:
        super().__init__(library, kept)
        self.asked = 0  # queries started; only the last one's rows are shown
        self.problems: list[str] = []
        self.briefs = 0  # how many briefs the rows shown come from

    def read(self, library: Library) -> list[Entry | Heading]:
        return by_year([Entry(*row) for row in library.index.timeline(None)])

    def rows_for(self, text: str) -> Sequence[Any]:
        return self.data

    def show(self, text: str, where: Callable[[Sequence[Any]], int | None] | None = None) -> None:
        self.briefs = len({row.brief for row in self.data if isinstance(row, Entry)}) if self.data else 0
        super().show(text, where)

    def typed(self, text: str) -> None:
        if self.data is None and self.problem is None:
            return  # still reading: the query is run once the first rows are in
        self.asked += 1
        self.run_query(text, self.asked)

    @work(thread=True, exclusive=True, group="timeline-query")
    def run_query(self, text: str, asked: int) -> None:
        query = parse_query(text)
        problems = list(query.problems)
        if query.panes:
            problems.append("pane: is not used here (this is the timeline)")
        try:
            rows: list[Entry | Heading] | None = by_year([Entry(*row) for row in self.library.index.timeline(query)])
            problem = None
        except Exception as exc:
            rows, problem = None, f"The library's index cannot be read: {exc}"
        self.app.call_from_thread(self.answered, asked, text, rows, problems, problem)

    def answered(
        self, asked: int, text: str, rows: list[Entry | Heading] | None, problems: list[str], problem: str | None
    ) -> None:
        if asked != self.asked or not self.in_use:
            return  # a later query is on its way
        self.data, self.problems, self.problem = rows, problems, problem
        self.show(text)

    def index_read(self, data: Any, problem: str | None) -> None:
        super().index_read(data, problem)
        if self.in_use and self.filter_text.strip():  # typed while it was read
            self.asked += 1
            self.run_query(self.filter_text, self.asked)

    def header_detail(self) -> Text:
        out = Text()
        if self.data is None:
            return out
        entries = sum(1 for row in self.data if isinstance(row, Entry))
        out.append(f"  {plural(entries, 'entry', 'entries')} from {plural(self.briefs, 'brief')}", style="dim")
        if self.problems:
            out.append(f"  · {self.problems[0]}", style=self.styled("warning"))
        return out

    def widths(self) -> tuple[int, int, int]:
        """When, event, brief title."""
        width = self.width
        when = 16 if width >= 110 else 12
        title = 40 if width >= 110 else 22
        return when, max(10, width - when - title - 2), title

    def columns_text(self) -> Text:
        if not self.rowlist.rows:
            return Text()
        when, event, _ = self.widths()
        return Text(f"  {'When':<{when + 1}}{'Event':<{event + 1}}Brief")

    def format_row(self, row: Entry | Heading) -> Text:
        if isinstance(row, Heading):
            return self.heading_row(row)
        when, event, title = self.widths()
        return Text.assemble(
            cell(flat(row.when), when, "italic" if row.fuzzy else ""),
            " ",
            *self.drafted_cell(row.drafted, flat(row.event), event),
            " ",
            cell(flat(row.title), title, "dim"),
        )

    def detail_text(self, row: Entry | Heading | None) -> Text:
        if row is None or isinstance(row, Heading):
            return Text("")
        out = Text(flat(row.event, 600))
        out.append(f"\n{flat(row.when, 80)}", style="bold")
        if row.fuzzy:
            out.append(
                " (placed after the entry before it in its brief)" if row.sort else " (its brief dates no entry)",
                style="dim",
            )
        out.append(f" · {flat(row.title)}", style="dim")
        out.append_text(self.drafted_note(row.drafted))
        return out

    def choose(self, row: Entry | Heading) -> None:
        if isinstance(row, Entry):
            self.open_at(row.brief, Pane.TIMELINE, row.item)

    def empty_text(self, text: str) -> str:
        if text.strip():
            return "No timeline entry in the briefs this query keeps: escape clears it."
        return self.EMPTY


# -- concerns by category ----------------------------------------------------------------


class Concern(NamedTuple):
    """One concern (a row of ``Index.concerns``)."""

    category: str
    title: str
    raised_by: str
    brief: str
    brief_title: str
    item: str
    drafted: str | None = None  # as `briefing draft` proposed it, not yet accepted

    @property
    def hay(self) -> str:
        """What the filter looks in (folded)."""
        return folded(" ".join((self.category, self.title, self.raised_by, self.brief_title)))


def by_category(rows: Sequence[Sequence[Any]]) -> list[tuple[str, list[Concern]]]:
    """Concerns under their categories (written alike, ``core.query.fold``, is the same
    category, named as most written), in alphabetical order."""
    groups: dict[str, list[Concern]] = {}
    keys: dict[str, str] = {}
    for category, title, raised_by, brief, brief_title, item, *rest in rows:
        category = category or "other"
        key = keys.get(category)
        if key is None:
            key = keys[category] = folded(category) or category
        groups.setdefault(key, []).append(
            Concern(category, title or "", raised_by or "", brief, brief_title or "", item, rest[0] if rest else None)
        )
    return [
        (most_first([c.category for c in members])[0][0], members)
        for _, members in sorted(groups.items(), key=lambda kv: kv[0])
    ]


class ConcernsScreen(ViewScreen):
    """Every concern of every brief, under its category, with who raised it and its brief."""

    VIEW_NAME = "Concerns by category"
    PLACEHOLDER = "Filter: words of a concern, a category, who raised it or a brief's title"
    EMPTY = "No brief in this library raises a concern."
    BINDINGS = view_bindings(
        "concerns",
        "Open the brief at this concern",
        "Back to the library",
    )

    def read(self, library: Library) -> list[tuple[str, list[Concern]]]:
        return by_category(library.index.concerns())

    def __init__(self, library: Library, kept: dict[str, Any] | None = None) -> None:
        super().__init__(library, kept)
        self.hays: dict[int, list[str]] | None = None  # each category's concerns' hay, once filtered

    def rows_for(self, text: str) -> Sequence[Any]:
        words = folded(text).split()
        out: list[Concern | Heading] = []
        if words and self.hays is None:
            self.hays = {n: [c.hay for c in members] for n, (_, members) in enumerate(self.data)}
        for n, (category, members) in enumerate(self.data):
            if words:
                assert self.hays is not None
                shown = [c for c, hay in zip(members, self.hays[n], strict=True) if words_match(words, hay)]
            else:
                shown = members
            if shown:
                briefs = len({c.brief for c in shown})
                out.append(Heading(category, f"{plural(len(shown), 'concern')} · {plural(briefs, 'brief')}"))
                out.extend(shown)
        return out

    def header_detail(self) -> Text:
        if self.data is None:
            return Text()
        rows = self.rowlist.rows
        concerns = sum(1 for row in rows if isinstance(row, Concern))
        categories = len(rows) - concerns
        return Text(f"  {plural(concerns, 'concern')} in {plural(categories, 'category', 'categories')}", style="dim")

    def widths(self) -> tuple[int, int, int]:
        """Concern, raised by, brief title (after an indent of 2)."""
        width = self.width - 2
        raised = 24 if width >= 110 else 16
        title = 40 if width >= 110 else 22
        return max(10, width - raised - title - 2), raised, title

    def columns_text(self) -> Text:
        if not self.rowlist.rows:
            return Text()
        concern, raised, _ = self.widths()
        return Text(f"    {'Concern':<{concern + 1}}{'Raised by':<{raised + 1}}Brief")

    def format_row(self, row: Concern | Heading) -> Text:
        if isinstance(row, Heading):
            return self.heading_row(row)
        concern, raised, title = self.widths()
        return Text.assemble(
            "  ",
            *self.drafted_cell(row.drafted, flat(row.title), concern),
            " ",
            cell(flat(row.raised_by), raised, "italic"),
            " ",
            cell(flat(row.brief_title), title, "dim"),
        )

    def detail_text(self, row: Concern | Heading | None) -> Text:
        if row is None or isinstance(row, Heading):
            return Text("")
        return Text.assemble(
            (flat(row.title, 600), "bold"),
            "\n",
            (f"{flat(row.category)} · raised by {flat(row.raised_by)}", ""),
            self.drafted_note(row.drafted),
            (f"\n{flat(row.brief_title)}", "dim"),
        )

    def choose(self, row: Concern | Heading) -> None:
        if isinstance(row, Concern):
            self.open_at(row.brief, Pane.CONCERNS, row.item)
