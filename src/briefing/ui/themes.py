"""Theme files (TOML or YAML) read and checked into theme specifications.

A theme file names a theme and its colours, as ``textual.theme.Theme`` takes them::

    name = "briefing-dark"        # lower-case letters, digits and dashes
    dark = true
    primary = "#5B8DEF"           # the only colour required
    background = "#15181E"        # any Textual colour: #hex, rgb(...), a name, ansi_blue ...
    [variables]                   # optional Textual theme variables
    block-cursor-text-style = "bold"

This module reads and checks the structure (no Textual here: the core never imports it);
the app turns each :class:`ThemeSpec` into a Textual theme and checks the colours. A file
that cannot be used is reported as a :class:`ThemeError` and skipped, never a crash.
Themes shipped with briefing come first; a user's theme of the same name replaces one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.core.safe import clean_line, is_clean

MAX_BYTES = 64 * 1024
SUFFIXES = (".toml", ".yaml", ".yml")
COLOURS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
FLAGS = ("dark", "ansi")
NUMBERS = {"luminosity-spread": "luminosity_spread", "text-alpha": "text_alpha"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
_VARIABLE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")

DEFAULT = "briefing-dark"
NO_COLOR = "briefing-mono"
# The themes shipped with briefing, in the order the theme picker shows them.
SHIPPED = ("briefing-dark", "briefing-light", "briefing-ansi", "briefing-high-contrast", "briefing-mono")


class ThemeError(Exception):
    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{clean_line(file)}: {message}")
        self.file = file
        self.message = message


@dataclass(frozen=True)
class ThemeSpec:
    """A checked theme file: ``fields`` are the keyword arguments of Textual's Theme."""

    name: str
    path: str
    fields: dict[str, Any] = field(default_factory=dict)

    def colours(self) -> dict[str, str]:
        """Every colour the theme names (fields and variables), for the app to check."""
        out = {key: self.fields[key] for key in COLOURS if key in self.fields}
        out.update(self.fields.get("variables", {}))
        return out


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as exc:
        raise ThemeError(str(path), f"cannot be read ({exc.strerror})") from exc
    if len(raw) > MAX_BYTES:
        raise ThemeError(str(path), f"is larger than {MAX_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ThemeError(str(path), "is not UTF-8 text") from exc
    try:
        if path.suffix == ".toml":
            import tomllib

            data = tomllib.loads(text)
        else:
            import yaml

            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except Exception as exc:  # tomllib.TOMLDecodeError or yaml.YAMLError: the syntax is wrong
        detail = clean_line(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise ThemeError(str(path), f"cannot be read as {path.suffix[1:].upper()}: {detail}") from exc
    if not isinstance(data, dict):
        raise ThemeError(str(path), "does not hold a table of theme settings")
    return data


def _text(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 64 or not is_clean(value) or "\n" in value:
        raise ThemeError(str(path), f"{key!r} must be a short line of text")
    return value


def load_theme(path: Path) -> ThemeSpec:
    """One theme file, checked; raises ThemeError saying what is wrong and where."""
    data = _read(path)
    fields: dict[str, Any] = {}
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ThemeError(str(path), "needs a 'name' of lower-case letters, digits and dashes")
    fields["name"] = name
    if "primary" not in data:
        raise ThemeError(str(path), "needs a 'primary' colour")
    for key, value in data.items():
        if key == "name":
            continue
        if key in COLOURS:
            fields[key] = _text(path, key, value)
        elif key in FLAGS:
            if not isinstance(value, bool):
                raise ThemeError(str(path), f"{key!r} must be true or false")
            fields[key] = value
        elif key in NUMBERS:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ThemeError(str(path), f"{key!r} must be a number from 0 to 1")
            fields[NUMBERS[key]] = float(value)
        elif key == "variables":
            if not isinstance(value, dict):
                raise ThemeError(str(path), "'variables' must be a table")
            variables = {}
            for var, setting in value.items():
                if not isinstance(var, str) or not _VARIABLE.match(var):
                    raise ThemeError(str(path), f"variable {clean_line(str(var))!r} is not a valid name")
                variables[var] = _text(path, var, setting)
            fields["variables"] = variables
        else:
            raise ThemeError(str(path), f"unknown setting {clean_line(str(key))!r}")
    return ThemeSpec(name=name, path=str(path), fields=fields)


def theme_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())
    except OSError:
        return []


def load_themes(folders: Iterable[Path]) -> tuple[list[ThemeSpec], list[ThemeError]]:
    """Every theme of these folders, in order (a later one of the same name replaces an
    earlier one), and the problems of the files that could not be used."""
    specs: dict[str, ThemeSpec] = {}
    problems: list[ThemeError] = []
    for folder in folders:
        for path in theme_files(folder):
            try:
                spec = load_theme(path)
            except ThemeError as exc:
                problems.append(exc)
                continue
            specs[spec.name] = spec
    return list(specs.values()), problems
