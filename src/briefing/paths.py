"""Every filesystem location the app uses, in one place.

Nothing else in the project builds a path from the environment or the home folder:
it asks this module. ``briefing locate`` prints what it answers.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "briefing"
LIBRARY_ENV = "BRIEFING_LIBRARY"
STORE_ENV = "BRIEFING_STORE"
STORE_FILENAME = "notes.json"

_PACKAGE_DIR = Path(__file__).resolve().parent
# In an installed wheel the bundled briefs live inside the package;
# in a source checkout they sit at the top of the repository.
_BUNDLED_CANDIDATES = (
    _PACKAGE_DIR / "_data" / "briefs",
    _PACKAGE_DIR.parent.parent / "briefs",
)
_THEME_CANDIDATES = (
    _PACKAGE_DIR / "_data" / "themes",
    _PACKAGE_DIR.parent.parent / "themes",
)

SOURCES_DIRNAME = "sources"
FORMAT_FILENAME = "FORMAT.md"


def bundled_library() -> Path:
    """The folder of briefs shipped with briefing."""
    for candidate in _BUNDLED_CANDIDATES:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled library is missing from this installation")


def bundled_themes() -> Path | None:
    """The folder of themes shipped with briefing (None if this installation lacks it)."""
    return next((c for c in _THEME_CANDIDATES if c.is_dir()), None)


def user_themes_dir() -> Path:
    """Where a user's own theme files go (TOML or YAML); a name shipped too is replaced."""
    return config_dir() / "themes"


def _xdg_dir(kind: str) -> Path:
    """An XDG base folder for briefing; relative XDG variables are ignored (XDG spec)."""
    var = {"data": "XDG_DATA_HOME", "cache": "XDG_CACHE_HOME", "config": "XDG_CONFIG_HOME"}[kind]
    default = {"data": ".local/share", "cache": ".cache", "config": ".config"}[kind]
    value = os.environ.get(var, "")
    if value and os.path.isabs(value):
        return Path(value) / APP_NAME
    if value:  # relative: platformdirs would honour it, the spec says ignore it
        return Path.home() / default / APP_NAME
    getter = {
        "data": platformdirs.user_data_path,
        "cache": platformdirs.user_cache_path,
        "config": platformdirs.user_config_path,
    }[kind]
    path = getter(APP_NAME, appauthor=False)
    return path if path.is_absolute() else Path.home() / default / APP_NAME


def data_dir() -> Path:
    return _xdg_dir("data")


def cache_dir() -> Path:
    return _xdg_dir("cache")


def config_dir() -> Path:
    return _xdg_dir("config")


def library_cache_file(libraries: list[Path]) -> Path:
    """Where the summary index of these library folders is kept between runs: one file
    per set of folders, so switching between libraries does not read them all again."""
    # crc32 only names the file (the index also records its folders and is checked against
    # them); it costs no start-up time, where hashlib would load OpenSSL.
    key = zlib.crc32("\0".join(str(p) for p in libraries).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"library-index-{key:08x}.sqlite"


def source_snapshot_file(sha256: str) -> Path:
    """A source file's text as ``check`` last saw it match a brief, by its SHA-256: what tells
    which citations point at other text once the file changes (docs/design.md §9)."""
    return cache_dir() / "sources" / f"{sha256}.txt"


def index_lock_file(index: Path) -> Path:
    """The lock a session holds while it updates the index at ``index`` (a separate file)."""
    return index.with_name(index.name + ".lock")


SHARED_INDEX_DIRNAME = ".briefing"


def shared_index_file(library: Path) -> Path:
    """A library's shared index, built by ``briefing index --library D`` for every reader of
    that folder (read-only for them; they fall back to their own when it is stale)."""
    return library / SHARED_INDEX_DIRNAME / "index.sqlite"


def shared_index_temp(library: Path, pid: int) -> Path:
    """Where ``briefing index`` builds a shared index before it replaces the old one."""
    return library / SHARED_INDEX_DIRNAME / f".index.sqlite.{pid}.tmp"


def orphans_cache_file(store: Path) -> Path:
    """Where the library's counts of notes that lost their item are kept between runs
    (one file per notes store; a cache, safe to delete)."""
    key = zlib.crc32(str(store).encode("utf-8", "surrogateescape"))
    return cache_dir() / f"orphans-{key:08x}.json"


PERSON_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")


def store_file(cli: str | None = None, env: Mapping[str, str] | None = None, person: str | None = None) -> Path:
    """The notes store: ``--store PATH``, else ``$BRIEFING_STORE``, else in the data folder.
    ``person`` (``--as NAME``, one identity of a shared hosted account) gets a store of
    its own: ``people/NAME/notes.json`` in the data folder."""
    env = os.environ if env is None else env
    value = cli or env.get(STORE_ENV, "")
    if value:
        return Path(value).expanduser().absolute()
    if person is not None:
        if not PERSON_NAME.match(person):
            raise ValueError(
                f"{person!r} is not a name for --as: use up to 32 lower-case letters, "
                "digits, dots, dashes or underscores"
            )
        return data_dir() / "people" / person / STORE_FILENAME
    return data_dir() / STORE_FILENAME


def lock_file(store: Path) -> Path:
    """The lock taken around every change of ``store`` (a separate file, never the data)."""
    return store.with_name(store.name + ".lock")


def aside_file(store: Path, why: str, stamp: str) -> Path:
    """Where an unreadable store (or the original of a migrated one) is kept for inspection."""
    candidate = store.with_name(f"{store.name}.{why}-{stamp}")
    number = 1
    while os.path.lexists(candidate):
        number += 1
        candidate = store.with_name(f"{store.name}.{why}-{stamp}-{number}")
    return candidate


def temp_file(store: Path, pid: int, token: str) -> Path:
    """A file being written before it atomically replaces ``store`` (same folder)."""
    return store.with_name(f".{store.name}.{pid}.{token}.tmp")


def export_file(fmt: str, stamp: str) -> Path:
    """Where the command palette's export writes."""
    return data_dir() / "exports" / f"notes-{stamp}.{fmt}"


def screenshots_dir() -> Path:
    """Where the command palette's Screenshot saves (a folder only the user can read)."""
    return data_dir() / "screenshots"


def screenshot_file(stamp: str) -> Path:
    """A new screenshot's file: named by the time, numbered if that name is taken."""
    candidate = screenshots_dir() / f"briefing-{stamp}.svg"
    number = 1
    while os.path.lexists(candidate):
        number += 1
        candidate = screenshots_dir() / f"briefing-{stamp}-{number}.svg"
    return candidate


def sources_dir(library: Path) -> Path:
    return library / SOURCES_DIRNAME


def brief_file(library: Path, brief_id: str) -> Path:
    """Where ``briefing new`` and ``briefing draft`` write the brief ``brief_id``."""
    return library / f"{brief_id}.md"


def resolve_libraries(cli: list[str] | None = None, env: Mapping[str, str] | None = None) -> list[Path]:
    """Library folders: ``--library`` options, else ``$BRIEFING_LIBRARY``, else the bundled one."""
    env = os.environ if env is None else env
    if cli:
        return [Path(p).expanduser().absolute() for p in cli]
    value = env.get(LIBRARY_ENV, "")
    if value:
        return [Path(p).expanduser().absolute() for p in value.split(os.pathsep) if p]
    return [bundled_library()]


@dataclass(frozen=True)
class Locations:
    libraries: tuple[Path, ...]
    data: Path
    cache: Path
    config: Path
    library_index: Path
    store: Path

    def rows(self) -> list[tuple[str, str]]:
        rows = [("library", str(p)) for p in self.libraries]
        rows += [("sources", str(sources_dir(p))) for p in self.libraries]
        rows += [
            ("data", str(self.data)),
            ("notes store", str(self.store)),
            ("screenshots", str(screenshots_dir())),
            ("config", str(self.config)),
            ("themes", str(bundled_themes() or "(missing from this installation)")),
            ("user themes", str(user_themes_dir())),
            ("cache", str(self.cache)),
            ("library index", str(self.library_index)),
        ]
        return rows


def locations(libraries: list[Path], store: Path | None = None) -> Locations:
    return Locations(
        libraries=tuple(libraries),
        data=data_dir(),
        cache=cache_dir(),
        config=config_dir(),
        library_index=library_cache_file(libraries),
        store=store or store_file(),
    )
