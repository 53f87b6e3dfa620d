"""Hostile briefs, built at test time (some of their file names cannot be committed).

Each :class:`Case` writes one brief (and whatever it needs: a source, a symlink, a FIFO)
into a library folder and says what must come of it: a clear error at a line, or a brief
that loads with every string clean and its text kept literally. ``build_library`` writes
every case into one library, for the Pilot and real-terminal tests.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .fixtures import SOURCE_TEXT, line_of

# -- payloads ---------------------------------------------------------------------------

OSC52 = "\x1b]52;c;" + base64.b64encode(b"echo pwned").decode() + "\x07"  # set the clipboard
OSC8 = "\x1b]8;;http://evil\x1b\\click me\x1b]8;;\x1b\\"  # a hyperlink
CSI = "\x1b[2J\x1b[31m"  # clear the screen, then red
C1 = "\u009b2J\u009d52;c;cHduZWQ=\u009c"  # the same as C1 controls (CSI, OSC, ST)
ESCAPES = OSC52 + OSC8 + CSI + C1
# Escape payloads without "/" (a file name cannot hold one).
NAME_ESCAPES = "\x1b]52;c;cHduZWQ=\x07\x1b]8;;evil\x1b\\\x1b[2J\u009b2J\u009d"

CLICK = "[@click=app.quit]boom[/]"
LINK = "[link=https://evil]x[/link]"
MARKUP = f"{LINK} {CLICK} [/] [b"

# What must never reach a terminal from a document: ESC and every C1 control.
FORBIDDEN = ["\x1b", *(chr(c) for c in range(0x80, 0xA0))]
# The same, as the bytes that would carry them to the terminal.
PAYLOAD_BYTES = [b"\x1b]52;", b"\x1b]8;;http://evil", b"\x1b[2J\x1b[31m", b"\xc2\x9b", b"\xc2\x9d", b"\xc2\x9c"]

HOSTILE_SOURCE_TEXT = (
    f"A clean first paragraph.\n\nThe second {OSC52} paragraph {CSI} with {C1} and {MARKUP}.\n\nThird {OSC8}.\n"
)


def yq(value: object) -> str:
    """A YAML flow value: JSON is YAML, and JSON escapes every control character."""
    return json.dumps(value)


def brief_text(
    *,
    id: str | None = None,
    title: str = "A hostile brief",
    summary: str = "A short summary.",
    tags: list[str] | None = None,
    source_title: str = "The source",
    source_kind: str = "report",
    source_file: str = "sample.txt",
    tags_raw: str | None = None,
    title_raw: str | None = None,
    facts: list[str] | None = None,
    stakeholders: list[str] | None = None,
    concerns: list[str] | None = None,
    timeline: list[str] | None = None,
    extra_body: str = "",
) -> str:
    """A brief; values are YAML-escaped unless given ``*_raw``; items are Markdown list items."""
    lines = ["---"]
    if id is not None:
        lines.append(f"id: {id}")
    lines.append(f"title: {title_raw if title_raw is not None else yq(title)}")  # line 2 or 3
    lines.append("date: 2024-05-01")
    lines.append("status: review")
    lines.append(f"tags: {tags_raw if tags_raw is not None else yq(tags or ['one'])}")
    lines.append(f"summary: {yq(summary)}")
    lines += [
        "sources:",
        "  - id: S1",
        f"    title: {yq(source_title)}",
        f"    file: {yq(source_file)}",
        f"    kind: {yq(source_kind)}",
        "    verified: false",
        "---",
        "",
        "# A heading for raw readers",
        "",
    ]
    panes = (
        ("Key facts", facts if facts is not None else ["- A plain fact. [S1 ¶1]"]),
        ("Stakeholders", stakeholders or []),
        ("Concerns", concerns or []),
        ("Timeline", timeline or []),
    )
    for heading, items in panes:
        if items:
            lines += [f"## {heading}", "", *items, ""]
    return "\n".join(lines) + "\n" + extra_body


# -- cases ------------------------------------------------------------------------------


@dataclass
class Built:
    path: Path  # the brief file (or link) in the library
    line: int = 0  # the expected error line
    # What the loaded model must hold, literally: attribute path -> exact value ...
    exact: dict[str, str] = dataclasses.field(default_factory=dict)
    # ... or attribute path -> how its value starts.
    prefix: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass
class Case:
    name: str
    build: Callable[[Path, Path], Built]  # (library, outside folder) -> what was written
    error: str | None = None  # a word of the expected error message; None: it must load
    brief_id: str | None = None  # the id of a brief that must load
    library_level: bool = False  # the error comes from the library (links), not the file alone


CASES: list[Case] = []


def case(name: str, error: str | None = None, brief_id: str | None = None, library_level: bool = False):
    def register(build: Callable[[Path, Path], Built]) -> Callable[[Path, Path], Built]:
        CASES.append(Case(name, build, error, brief_id, library_level))
        return build

    return register


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


@case("escapes-everywhere", brief_id="escapes-everywhere")
def _escapes(lib: Path, outside: Path) -> Built:
    """OSC 52, OSC 8, CSI and C1 in the title, summary, tags, source and every pane."""
    text = brief_text(
        id="escapes-everywhere",
        title=f"Escapes {OSC52}{OSC8} title",
        summary=f"Summary {CSI} and {C1} and {OSC52}.",
        tags=[f"tag{CSI}", f"c1{C1}", f"osc{OSC8}"],
        source_title=f"Source {OSC8} {C1}",
        source_kind=f"kind{CSI}",
        source_file="hostile-source.txt",
        facts=[
            f"- Fact {OSC52} with {OSC8} and {CSI} and {C1} end. [S1 ¶2]",
            f"  figure: {CSI}£5m{C1}",
        ],
        stakeholders=[
            f"- Stake {OSC52} holder",
            f"  kind: gov{CSI}",
            "  stance: supports",
            f"  Did {C1} things {OSC8}. [S1 ¶1]",
        ],
        concerns=[
            f"- Concern {CSI}",
            f"  category: cat{C1}",
            f"  raised by: {OSC52}critics",
            f"  Detail {OSC8}. [S1 ¶3]",
        ],
        timeline=["- undated", f"  Event {OSC52}{CSI}{C1}. [S1 ¶2]"],
    )
    write(lib / "sources" / "hostile-source.txt", HOSTILE_SOURCE_TEXT)
    return Built(
        write(lib / "escapes-everywhere.md", text),
        prefix={
            "title": "Escapes ␛]52;c;ZWNobyBwd25lZA==␇␛]8;;http://evil␛\\click me",
            "facts.0.statement": "Fact ␛]52;c;",
        },
    )


@case("markup", brief_id="markup")
def _markup(lib: Path, outside: Path) -> Built:
    """Rich/Textual markup in every text: it must stay literal."""
    text = brief_text(
        id="markup",
        title=MARKUP,
        summary=f"Summary {MARKUP}",
        tags=["[b", "[/]", "[@click=app.quit]"],
        source_title=CLICK,
        facts=[f"- {CLICK} and {LINK} [S1 ¶1]", "- Unclosed [b and a stray [/] here [S1 ¶2]"],
        stakeholders=[f"- {CLICK}", "  kind: [b", "  stance: opposes", f"  Said {LINK}. [S1 ¶1]"],
        concerns=[f"- {LINK}", f"  raised by: {CLICK}", "  [/] detail. [S1 ¶3]"],
        timeline=["- during [b", f"  {CLICK} happened. [S1 ¶2]"],
    )
    return Built(
        write(lib / "markup.md", text),
        exact={
            "title": MARKUP,
            "summary": f"Summary {MARKUP}",
            "tags.2": "[@click=app.quit]",
            "sources.0.title": CLICK,
            "facts.0.statement": f"{CLICK} and {LINK}",
            "facts.1.statement": "Unclosed [b and a stray [/] here",
            "stakeholders.0.name": CLICK,
            "concerns.0.title": LINK,
            "concerns.0.raised_by": CLICK,
            "timeline.0.event": f"{CLICK} happened.",
        },
    )


@case("html-comments", brief_id="html-comments")
def _comments(lib: Path, outside: Path) -> Built:
    """50 KB of unclosed HTML comment openers in an item (HTML is off; shown as text)."""
    flood = "a <!--" * 8_400
    text = brief_text(id="html-comments", facts=[f"- {flood} [S1 ¶1]"])
    return Built(write(lib / "html-comments.md", text), prefix={"facts.0.statement": "a <!--a <!--a <!--"})


@case("brackets-in-item", brief_id="brackets-in-item")
def _brackets_item(lib: Path, outside: Path) -> Built:
    """5,000 nested '[' in an item: markdown-it must not go quadratic, text stays literal."""
    text = brief_text(
        id="brackets-in-item", facts=[f"- {'[' * 5000} deep [S1 ¶1]", f"- {'[' * 5000}x{']' * 5000}(y) [S1 ¶2]"]
    )
    return Built(write(lib / "brackets-in-item.md", text), exact={"facts.0.statement": "[" * 5000 + " deep"})


@case("brackets-in-front-matter", error="nest")
def _brackets_front(lib: Path, outside: Path) -> Built:
    text = brief_text(id="brackets-in-front-matter", tags_raw="[" * 5000)
    return Built(write(lib / "brackets-in-front-matter.md", text), line=line_of(text, "tags:"))


@case("deep-yaml", error="nested deeper than 20")
def _deep_yaml(lib: Path, outside: Path) -> Built:
    text = brief_text(id="deep-yaml", tags_raw="[" * 30 + "x" + "]" * 30)
    return Built(write(lib / "deep-yaml.md", text), line=line_of(text, "tags:"))


@case("python-object", error="python/object/apply")
def _python_object(lib: Path, outside: Path) -> Built:
    marker = outside / "pwned"
    text = brief_text(id="python-object", tags_raw=f'!!python/object/apply:os.system ["touch {marker}"]')
    return Built(write(lib / "python-object.md", text), line=line_of(text, "tags:"))


@case("python-object-title", error="python/object/apply")
def _python_object_title(lib: Path, outside: Path) -> Built:
    text = brief_text(id="python-object-title", title_raw='!!python/object/apply:os.system ["echo pwned"]')
    return Built(write(lib / "python-object-title.md", text), line=line_of(text, "title:"))


@case("billion-laughs", error="anchors and aliases")
def _laughs(lib: Path, outside: Path) -> Built:
    laughs = ['lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 9):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        laughs.append(f"lol{n}: &{name} [{', '.join(['*' + prev] * 9)}]")
    text = "---\n" + "\n".join(laughs) + "\ntitle: laughs\n---\n\n## Key facts\n\n- x [S1 ¶1]\n"
    return Built(write(lib / "billion-laughs.md", text), line=2)


@case("huge-file", error="file too large")
def _huge(lib: Path, outside: Path) -> Built:
    head = brief_text(id="huge-file").encode()
    item = "- Padding fact to make a very large file. [S1 ¶1]\n".encode()
    path = lib / "huge-file.md"
    with open(path, "wb") as handle:
        handle.write(head)
        handle.write(item * (20_000_000 // len(item) + 1))
    assert path.stat().st_size > 20_000_000
    return Built(path, line=0)


@case("invalid-utf8", error="not UTF-8")
def _invalid_utf8(lib: Path, outside: Path) -> Built:
    text = brief_text(id="invalid-utf8", facts=["- A fact with BADBYTES in it. [S1 ¶1]"])
    line = line_of(text, "BADBYTES")
    data = text.encode().replace(b"BADBYTES", b"\xff\xfe\xc3(")
    return Built(write(lib / "invalid-utf8.md", data), line=line)


@case("nul-byte", error="binary file")
def _nul(lib: Path, outside: Path) -> Built:
    text = brief_text(id="nul-byte", facts=["- A fact with a NUL\x00 in it. [S1 ¶1]"])
    return Built(write(lib / "nul-byte.md", text), line=line_of(text, "\x00"))


@case("raw-escape-in-yaml", error="U+001B")
def _raw_escape_yaml(lib: Path, outside: Path) -> Built:
    """Control characters written raw (not as YAML escapes) in the front matter."""
    text = brief_text(id="raw-escape-in-yaml", title_raw=f"Raw {OSC52} title")
    return Built(write(lib / "raw-escape-in-yaml.md", text), line=line_of(text, "title:"))


@case("raw-c1-in-yaml", error="U+009B")
def _raw_c1_yaml(lib: Path, outside: Path) -> Built:
    text = brief_text(id="raw-c1-in-yaml", tags_raw="[one, t\u009b2J]")
    return Built(write(lib / "raw-c1-in-yaml.md", text), line=line_of(text, "tags:"))


@case("escapes-in-file-name", brief_id="escapes-in-file-name")
def _file_name(lib: Path, outside: Path) -> Built:
    """Escapes in the file name; the id is given, so the brief loads."""
    text = brief_text(id="escapes-in-file-name", title="A brief with a hostile file name")
    return Built(
        write(lib / f"name{NAME_ESCAPES}.md", text),
        exact={"path": str(lib / "name␛]52;c;cHduZWQ=␇␛]8;;evil␛\\␛[2J\ufffd2J\ufffd.md")},
    )


@case("escapes-in-file-name-no-id", error="brief id")
def _file_name_no_id(lib: Path, outside: Path) -> Built:
    """Escapes in the file name and no id: the id would be the file stem, which is refused."""
    text = brief_text(title="A brief with a hostile file name and no id")
    # No 'id' line to point at: the error is on line 1, where the front matter opens.
    return Built(write(lib / f"noid{NAME_ESCAPES}.md", text), line=1)


@case("markup-in-file-name", brief_id="markup-in-file-name")
def _markup_name(lib: Path, outside: Path) -> Built:
    text = brief_text(id="markup-in-file-name", title="Markup in the file name")
    return Built(write(lib / "[@click=app.quit]boom[b.md", text))


@case("non-utf8-file-name", brief_id="non-utf8-file-name")
def _non_utf8_name(lib: Path, outside: Path) -> Built:
    """A file name that is not UTF-8 (lone surrogates in Python): it must not break the index."""
    text = brief_text(id="non-utf8-file-name", title="A brief whose file name is not UTF-8")
    raw = os.fsencode(lib) + b"/bad\xff\xfe-name.md"
    with open(raw, "wb") as handle:
        handle.write(text.encode())
    return Built(Path(os.fsdecode(raw)))


@case("symlink-brief", error="points outside the library", library_level=True)
def _symlink_brief(lib: Path, outside: Path) -> Built:
    target = write(outside / "secret.md", brief_text(id="secret", title="A secret outside the library"))
    link = lib / "symlink-brief.md"
    link.symlink_to(target)
    return Built(link, line=0)


@case("symlink-source", error="points outside the library", library_level=True)
def _symlink_source(lib: Path, outside: Path) -> Built:
    target = write(outside / "secret-source.txt", "A secret paragraph.\nAnother.\n")
    link = lib / "sources" / "leak.txt"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    text = brief_text(id="symlink-source", source_file="leak.txt", facts=["- Cites a leaked file. [S1 ¶1]"])
    return Built(write(lib / "symlink-source.md", text), line=line_of(text, "- Cites"))


@case("fifo", error="not a regular file")
def _fifo(lib: Path, outside: Path) -> Built:
    """A named pipe called like a brief: reading it would block forever."""
    path = lib / "fifo.md"
    os.mkfifo(path)
    return Built(path, line=0)


@case("markup-in-error", error="unknown section")
def _markup_error(lib: Path, outside: Path) -> Built:
    """A broken brief whose error message quotes markup (the UI must show it literally)."""
    text = brief_text(id="markup-in-error", extra_body=f"## {CLICK} [/] {LINK}\n\n- x [S1 ¶1]\n")
    return Built(write(lib / "markup-in-error.md", text), line=line_of(text, f"## {CLICK}"))


GOOD_ID = "plain-good"


@case("plain-good", brief_id=GOOD_ID)
def _good(lib: Path, outside: Path) -> Built:
    return Built(write(lib / "plain-good.md", brief_text(id=GOOD_ID, title="A perfectly ordinary brief")))


def prepare(root: Path) -> tuple[Path, Path]:
    """An empty library (with the plain source) and a folder outside it."""
    lib, outside = root / "lib", root / "outside"
    write(lib / "sources" / "sample.txt", SOURCE_TEXT)
    outside.mkdir(parents=True, exist_ok=True)
    return lib, outside


def build_library(root: Path) -> tuple[Path, dict[str, Built]]:
    """Every case written into one library under ``root``."""
    lib, outside = prepare(root)
    return lib, {c.name: c.build(lib, outside) for c in CASES}


# -- walking the model --------------------------------------------------------------------


def strings_of(value: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a model value, with where it sits (``facts.0.statement``)."""
    if isinstance(value, str):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings_of(getattr(value, f.name), f"{where}.{f.name}".lstrip("."))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings_of(item, f"{where}.{index}".lstrip("."))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_of(key, f"{where}.<key>")
            yield from strings_of(item, f"{where}.{key}")


def attribute(value: object, dotted: str) -> object:
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value
