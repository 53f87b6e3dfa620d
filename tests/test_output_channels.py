"""Every output channel is clean: the command line, walked with a hostile library, a hostile
store and hostile paths, prints no ESC, no C1 control, no bidi control and no other control
character but line breaks and tabs, on stdout or stderr, whatever the command.

The installed ``briefing`` is run as a user runs it, in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from .hostile_fixtures import ESCAPES, build_library

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
NAME = "x\x1b]0;PWNED\x07\u202ey\u009b2J"  # for paths: no "/" in it


def controls_in(text: str) -> list[str]:
    """Every character of ``text`` a terminal would act on (or reorder by)."""
    return [
        f"U+{ord(c):04X}" for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in BIDI
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("channels")
    lib, _ = build_library(root / "hostile")
    # The library reached through a folder whose name is itself hostile.
    odd = root / NAME
    odd.mkdir()
    (odd / "lib").symlink_to(lib)
    store = root / NAME / "notes.json"
    from briefing.store.notes import Store

    Store(store).add_note("plain-good", None, None, "", "a note")
    data = orjson.loads(store.read_bytes())
    # What an older briefing, or an editor, could have left in the store.
    [record] = data["notes"].values()
    record.update(text=f"note {ESCAPES}", quote=f"quote {ESCAPES}", author=f"me{ESCAPES}", brief=f"brief{ESCAPES}")
    data["notes"][f"id{NAME}"] = dict(record, brief="plain-good")
    store.write_bytes(orjson.dumps(data))
    home = root / "home"
    env = {k: os.environ[k] for k in ("PATH", "LANG") if k in os.environ}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / NAME / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return {"root": root, "lib": odd / "lib", "real_lib": lib, "store": store, "env": env}


def briefing(site: dict, *args: str) -> tuple[int, str]:
    command = Path(sys.executable).parent / "briefing"
    done = subprocess.run(
        [str(command), *args], capture_output=True, env=site["env"], timeout=120, stdin=subprocess.DEVNULL
    )
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")


def commands(site: dict) -> list[list[str]]:
    lib, store = str(site["lib"]), str(site["store"])
    export = site["root"] / "export.json"
    common = ["--library", lib, "--store", store]
    walk = [
        ["check", lib],
        *[["check", str(path)] for path in sorted(Path(site["real_lib"]).glob("*.md"))[:40]],
        ["locate", *common],
        ["export", *common],
        ["export", "--format", "json", *common],
        ["export", "--format", "json", "--output", str(export), *common],
        ["export", "--brief", f"no{NAME}", *common],
        ["import", str(export), *common],
        ["import", str(site["root"] / f"missing{NAME}.json"), *common],
        ["acknowledge", *common],
        ["show", f"no-such{NAME}", *common],
        ["show", "--library", str(site["root"] / f"nowhere{NAME}"), "x"],
        ["--library", str(site["root"] / f"nowhere{NAME}")],
        ["--as", f"bad{NAME}", "export"],
        [f"--unknown{NAME}"],
        ["show", "x", "--pane", f"p{NAME}"],
    ]
    from briefing.core.library import Library

    library = Library([Path(site["real_lib"])])
    library.scan()
    for summary in library.summaries:
        walk.append(["show", summary.id, *common])
        walk.append(["show", summary.id, "--format", "json", *common])
    return walk


@pytest.mark.slow  # the installed command, run some fifty times in its own process
def test_no_command_prints_a_control_character(site: dict):
    seen = 0
    for args in commands(site):
        status, output = briefing(site, *args)
        found = controls_in(output)
        assert not found, f"briefing {args!r} printed {found[:5]} in:\n{output[:2000]}"
        seen += bool(output.strip())
    assert seen > 20  # the walk printed things worth checking


def test_the_json_export_stays_json(site: dict):
    status, _ = briefing(
        site,
        "export",
        "--format",
        "json",
        "--output",
        str(site["root"] / "out.json"),
        "--library",
        str(site["lib"]),
        "--store",
        str(site["store"]),
    )
    assert status in (0, 3)
    document = json.loads((site["root"] / "out.json").read_text(encoding="utf-8"))
    assert any("␛" in (mark.get("note") or "") for mark in document["marks"])  # kept visible, not dropped
