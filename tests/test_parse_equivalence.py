"""What the parser makes of a brief stays what it was when the parser was made faster.

A corpus of briefs, in groups (the bundled briefs, 300 generated ones, the hostile and
pathological fixtures, the broken briefs of test_check and test_format, and seeded random
briefs full of Markdown, YAML and control characters) is parsed, and what comes of each
brief (the repr of the Brief, or of every error it gives) is reduced to one digest per
group, which must be the digest stored in EXPECTED below. The invariants that hold whatever
the parser's version (clean text, lines in the file, bounded errors) are checked as well.

EXPECTED was not made by the code it tests: it was printed by the parser of commit 9928298,
the last before the work on its speed, from a copy of that commit's ``src``:

    git archive 9928298 src | tar -x -C /tmp/reference
    PYTHONPATH=/tmp/reference/src .venv/bin/python -m tests.test_parse_equivalence

(the corpus is built by this file and the fixtures of the tree; the parser is the one on
PYTHONPATH, and the command prints where it was imported from). Each group also keeps a
digest of its inputs: if they change (a bundled brief edited, the generator changed), the
test says so, and the group's digest must be made again the same way, by a parser known to
be right, never by the one under test. A change meant to alter what the parser gives makes
them again with the new parser, and says so in its commit.

The "broken" and "random" digests were made again by the parser that added drafted items,
claims (`according to:`), a key fact's wrapped statement and the message for an empty
`sources:`; every difference from 9928298's results was read and is one of those. They
were made again when ``check`` came to read a whole brief in one pass (a front matter that
cannot be read no longer hides the body's problems, nor one unreadable value the others),
and when the bundled briefs were re-read against their source.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing.core.errors import BriefError
from briefing.core.model import Brief
from briefing.core.parse import MAX_ERRORS, load_brief, parse_brief
from briefing.core.safe import is_clean

from . import hostile_fixtures
from .fixtures import BUNDLED, GOOD_BRIEF, council
from .test_check import CASES as CHECK_CASES
from .test_pathological import HEAD, shapes

# -- what comes of a brief ----------------------------------------------------------------


Outcome = Brief | BriefError


def outcome_of(parse: Callable[..., Brief], *args: object) -> Outcome:
    try:
        return parse(*args)
    except BriefError as error:
        return error


def parsed(text: str, name: str) -> Outcome:
    return outcome_of(parse_brief, text, f"{name}.md", name)


def described(outcome: Outcome, root: str | None = None) -> str:
    """The outcome as text: the Brief's repr, or every error's; ``root`` (a temporary folder
    the files were written into) is named ``<root>``, so that the text is the same each run."""
    text = repr(outcome) if isinstance(outcome, Brief) else repr(outcome.all)
    # Fields added to the model since (drafted items, claims, a source's SHA-256, the sort
    # date as written) are left out while unset, so the digests made before them still hold.
    text = NEW_FIELDS.sub("", text)
    return text.replace(root, "<root>") if root else text


NEW_FIELDS = re.compile(r", (?:drafted|according_to|sha256|sort)=None")


def digest(parts: Iterator[str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\x00")
    return hasher.hexdigest()


# -- the corpus ---------------------------------------------------------------------------


def texts_generated() -> dict[str, str]:
    from tests.synthetic import brief_text

    return {f"synthetic-{i:05d}": brief_text(i) for i in range(1, 301)}


def texts_bundled() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(BUNDLED.glob("*.md")) if p.name != "FORMAT.md"}


def texts_broken() -> dict[str, str]:
    """The broken briefs test_check reports, and the variations test_format reads."""
    texts = {f"check-{n}": text for n, (_, text, _, _) in enumerate(CHECK_CASES)}
    for n, value in enumerate(["2020-02-30", "!!int abc", "!!float abc"]):
        text = GOOD_BRIEF.replace("tags: [one, two]", f"tags: [one, two]\nsummary2: {value}")
        texts[f"unbuildable-{n}"] = text.replace("summary2:", "date:").replace("date: 2024-05-01\n", "")
    stray = GOOD_BRIEF.replace("# A sample brief\n", "# A sample brief\n\n- Stray item. [S1 ¶1]\n")
    texts["stray"] = stray.replace("- It costs a lot. [S1 ¶2]", "- [S1 ¶2] {#empty}")
    texts["good"] = GOOD_BRIEF
    texts["council"] = council()
    texts["no-id"] = GOOD_BRIEF.replace("id: sample\n", "")
    texts["citations"] = GOOD_BRIEF.replace("[S1 ¶2]\n  figure", "[S1 p2] [S1 para 3]\n  figure")
    texts["markdown"] = GOOD_BRIEF.replace(
        "It costs a lot.", "It costs **a lot**, see [the report](https://example.org/r)."
    )
    texts["same-ids"] = GOOD_BRIEF.replace("- Two sentences are here. {#two} [S1 ¶1.2]", "- It costs a lot. [S1 ¶1]")
    texts["taken-id"] = GOOD_BRIEF.replace(
        "- Two sentences are here. {#two} [S1 ¶1.2]", "- Other. {#it-costs-a-lot-2} [S1 ¶1]\n- It costs a lot. [S1 ¶1]"
    )
    texts["crlf"] = GOOD_BRIEF.replace("\n", "\r\n")
    texts["cr"] = GOOD_BRIEF.replace("\n", "\r")
    return texts


def texts_pathological() -> dict[str, str]:
    texts = dict(shapes())
    texts["too-many-lines"] = HEAD + "- a [S1 ¶1]\n" * 25_010
    texts["too-many-items"] = HEAD + "- a fact [S1 ¶1]\n" * 5_010
    texts["too-many-errors"] = HEAD + "- a fact\n" * 300
    texts["distinct-citations"] = HEAD + "- a fact " + "".join(f"[S1 ¶{n}] " for n in range(1, 3000)) + "\n"
    return texts


# Pieces of random briefs: inline Markdown, odd and control characters, citations and ids,
# the starts of lines that make blocks, and front matter good and bad. A well-formed brief
# takes only the pieces that are no mistake (MARKDOWN, ODD), so that it parses; a wild one
# takes any.
MARKDOWN = [
    "**bold**", "*em*", "_em_", "__strong__", "***", "*a **b* c**", "`code`", "``a`b``", "` x `", "`",
    "[the report](https://example.org/r)", "[w](http://en.wikipedia.org/wiki/A_(b))", "![alt](p.png)",
    "[a](<b c>)", "[a](<http://x>)", "[a]( b)", "[a](b \"t\")", "[x](a\\_b&amp;c)", "[[x]](y)",
    "<http://a.b/c>", "<a@b.co>", "<nope>", "&amp;", "&#13;", "&#10;", "&#x1b;", "&copy;", "&bogus;",
    "&#0;", "\\*", "\\[", "\\", "\\\n", "[", "]", "](", "(", ")", "*", "_", "<", "&", "!", "![", "#",
    "snake_case_word", "2 * 3", "a*b*c", "**", "__", "_a_b_", "*a*b", "[x]", "[x] (y)", "[S1]", "p.2",
]  # fmt: skip
ODD = [
    "\t", "  ", "   ", "\u00a0", "\u2003", "\x1b[31m", "\x1b]52;c;eA==\x07", "\u009b", "\u202e", "\u200d",
    "\u2028", "\x7f", "\x0b", "\x0c", "\x1c", "\x85", "é", "ﬁ", "٣", "—", "\U0001f1ec\U0001f1e7", "e\u0301",
    "Ⅻ", "\u3000", "\ufeff", "2020", "2020-03", "1999 or so", "Ça", "£5m",
]  # fmt: skip
MISTAKES = [
    "{#an-id}", "{#Bad id}", "{#x}", "{#a.b_c-d}", "[S1 ¶2]", "[S1 p3]", "[S1 para 4.2]", "[S1 § 1]",
    "[S1p.2]", "[S2 ¶1]", "[S1 ¶0]", "[S1 ¶1.0]", "[S9 ¶1]", "[S1 ¶99999999999999999999]", "figure:",
    "2020-13-45", "figure: x", "sort: 2020",
]  # fmt: skip
WORDS = (
    "the council approved a contract worth money over three years Ça coûte très cher Mayor "
    "accountability procurement-framework intergovernmental Metropolitan_Police 50m 2024"
).split()
CITATIONS = ["[S1 ¶1]", "[S1 ¶2.1] [S1 ¶3]", "[S1 p4]", "[S1 para 2]", "[S1 §5.1]", "[S1¶1]"]
STARTS = [
    "- ", "* ", "+ ", "1. ", "2) ", "10. ", "-", "- - ", "-\t", "- ***", "  ", "    ", "\t", "   - ",
    "  - ", "  1. ", "> ", ">", "## ", "### ", "# ", "```", "~~~", "  ```", "    ```", "---", "***",
    "===", "- [ ] ", "figure: ", "  figure: ", "  kind: ", "  stance: ", "  category: ",
    "  raised by: ", "  sort: ", "  unknown: ", "  figure:", "٣. ", "\u00a0- ", "",
]  # fmt: skip
HEADINGS = [
    "## Key facts", "## Facts", "## Stakeholders", "## Concerns", "## Timeline", "## KEY FACTS",
    "## Worries", "### Sub", "# Title", "## **Key** facts", "Key facts\n---", "Timeline\n===",
    "## Timeline ##", "##Timeline", "  ## Concerns", "## Key facts\t", "## Stake\x1bholders",
]  # fmt: skip
PANE_HEADINGS = {"facts": "Key facts", "stakeholders": "Stakeholders", "concerns": "Concerns", "timeline": "Timeline"}
# Each pane's fields, with values good and bad: a well-formed item takes the first of each.
FIELDS = {
    "facts": {"figure": ["£5m", "**£6m**", "[S1 ¶2]", " "]},
    "stakeholders": {"kind": ["government", "*vendor*", "a `b`"], "stance": ["supports", "Opposes", "likes"]},
    "concerns": {"raised by": ["critics", "the [Mayor](http://m)"], "category": ["ethics", "bias", "_x_"]},
    "timeline": {"sort": ["2020", "2020-03", "summer", "2021-06-01"]},
}
DATES = ["2020", "2020-03", "2021-06-01", "undated", "during the summer", "2020 or so", "2020-13", "1999"]
FRONT = ["id: random", "title: A random brief", "date: 2024-05-01", "status: review", "tags: [one, two]"]
FRONT_LINES = [
    "title: A random brief", 'title: "Quoted \\x1b title"', "title: [a, b]", "title:", "title: 2020-01-01",
    "date: 2024-05-01", "date: 2024-05", "date: 2024", "date: May 2024", "date: 2020-02-30", "date: 12",
    "date: 2020-01-01T10:00:00", "status: review", "status: draft", "status: odd", "status: 3",
    "tags: [one, two]", "tags: one", "tags: [1, 2]", "tags: []", "tags:\n  - a\n  - b",
    "summary: >\n  A folded\n  summary.", "summary: |\n  Kept\n  lines.", "summary: 'a: b'", "summary: null",
    "id: random", "id: Not An Id", "id: 12", "id: a.b_c-d", "id: ''", "colour: red", "3: three",
    "tags: &a [x]\nother: *a", "lol: &b x", "tags: " + "[" * 25 + "x" + "]" * 25, "tags: " + "[" * 20 + "]" * 20,
    "date: !!python/object/apply:os.system ['true']", "summary: !!binary aGVsbG8=", "n: !!int abc",
    "<<: {title: merged}", "title: a\n title: b", "\ttitle: tab", "title: 'unclosed", "--- x",
    "key: {a: [b, {c: d}]}", "? complex\n: key", "title: \u0085", "title: x # comment", "...",
    'summary: "\\u001b[2J \\u0085 \\u202e"', "title: ' spaced  '", "tags: [' a ', b\\tc]",
]  # fmt: skip
SOURCES = [
    "sources:\n  - id: S1\n    title: The source\n    file: sample.txt\n    kind: report\n    verified: true",
    "sources:\n  - id: S1\n    title: The source\n    url: https://example.org\n  - id: S2\n    title: Two\n"
    "    file: two.txt\n    verified: false",
    "sources:\n  - id: S1\n    title: A\n    file: ../x\n  - id: S1\n    title: B\n    url: 3",
    "sources:\n  - id: 1\n    title: A\n  - id: S1\n    title: ''\n  - just text\n  - id: S1\n    title: T\n"
    "    file: a.txt\n    verified: maybe\n    kind: [k]",
    "sources: []",
    "sources: S1",
    "",
]  # fmt: skip


def random_text(rng: random.Random, pieces: int, wild: bool) -> str:
    out = []
    for _ in range(pieces):
        roll = rng.random()
        if roll < 0.25:
            out.append(rng.choice(MARKDOWN))
        elif roll < 0.4:
            out.append(rng.choice(ODD))
        elif roll < 0.5 and wild:
            out.append(rng.choice(MISTAKES))
        else:
            out.append(rng.choice(WORDS))
        out.append(rng.choice(("", " ", " ", " ", "  ")))
    return "".join(out)


def random_front(rng: random.Random, wild: bool) -> str:
    if not wild:
        lines = [*FRONT, "summary: >\n  A summary " + random_text(rng, 3, False).replace("\n", " "), SOURCES[0]]
    elif rng.random() < 0.5:
        lines = [*FRONT, "summary: A summary.", rng.choice(SOURCES[:2])]
        lines[rng.randrange(len(lines))] = rng.choice(FRONT_LINES)
    else:
        lines = [rng.choice(FRONT_LINES) for _ in range(rng.randrange(0, 8))]
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(SOURCES))
    return "\n".join(lines)


def random_item(rng: random.Random, pane: str, wild: bool, ids: list[str]) -> list[str]:
    """An item of ``pane``, written as the format says when not ``wild``."""
    if wild and rng.random() < 0.3:
        return [rng.choice(STARTS) + random_text(rng, rng.randrange(0, 8), True) for _ in range(rng.randrange(1, 4))]
    if pane == "timeline" and rng.random() < 0.8:
        head = rng.choice(DATES if wild else [d for d in DATES if d not in ("2020 or so", "2020-13")])
    else:
        head = random_text(rng, rng.randrange(1, 6), wild) + rng.choice(WORDS)
    if rng.random() < 0.2:
        ids.append(f"mine-{len(ids) // 2}")  # each id twice, in a wild brief
        head += " {#" + (ids[-1] if wild else f"mine-{len(ids)}") + "}"
    if pane == "facts" or rng.random() < 0.3:
        head += " " + rng.choice(CITATIONS)
    lines = ["- " + head]
    for name, values in FIELDS[pane].items():
        if wild or name == "raised by" or rng.random() < 0.5:
            lines.append(f"  {name}: {rng.choice(values) if wild else values[0]}")
    if wild:
        rng.shuffle(lines)
    for _ in range(rng.randrange(0 if pane == "facts" else 1, 3)):
        lines.append("  " + random_text(rng, rng.randrange(1, 7), wild) + rng.choice(WORDS))
        lines[-1] += " " + rng.choice(CITATIONS) if not wild or rng.random() < 0.7 else ""
        if rng.random() < 0.15:
            lines.append("")
    return lines


def random_brief(seed: int) -> str:
    """A random brief: well formed (about half of them), or wild."""
    rng = random.Random(seed)
    wild = rng.random() < 0.5
    ids: list[str] = []
    body = ["", "# " + random_text(rng, 3, wild), ""]
    for pane, title in PANE_HEADINGS.items():
        if rng.random() < 0.15:
            continue
        body += ["## " + title if not wild or rng.random() < 0.7 else rng.choice(HEADINGS), ""]
        for _ in range(rng.randrange(0, 5)):
            body += random_item(rng, pane, wild, ids)
        if wild and rng.random() < 0.3:
            body += [rng.choice(STARTS) + random_text(rng, 3, True) for _ in range(rng.randrange(1, 5))]
        body.append("")
    text = "---\n" + random_front(rng, wild) + "\n---\n" + "\n".join(body)
    if rng.random() < 0.05:
        text = text.replace("\n", rng.choice(("\r\n", "\r")))
    return text


def texts_random() -> dict[str, str]:
    return {f"random-{seed}": random_brief(seed) for seed in range(600)}


def hostile_outcomes() -> Iterator[tuple[str, str, str]]:
    """(case, its input, its outcome) for every hostile fixture, each read from its file."""
    with tempfile.TemporaryDirectory() as folder:
        root = os.path.realpath(folder)
        lib, outside = hostile_fixtures.prepare(Path(root) / "root")
        for case in hostile_fixtures.CASES:
            built = case.build(lib, outside)
            path = built.path
            if path.is_fifo():
                read = "<fifo>"
            else:
                read = hashlib.sha256(path.read_bytes().replace(root.encode(), b"<root>")).hexdigest()
            yield case.name, read, described(outcome_of(load_brief, path), root)


def groups() -> Iterator[tuple[str, str, str]]:
    """(group, a digest of its inputs, a digest of its outcomes), for every group."""
    for name, texts in (
        ("bundled", texts_bundled()),
        ("generated", texts_generated()),
        ("broken", texts_broken()),
        ("random", texts_random()),
    ):
        outcomes = {k: described(parsed(t, k)) for k, t in texts.items()}
        yield name, digest(k + "\0" + t for k, t in texts.items()), digest(k + "\0" + o for k, o in outcomes.items())
    for shape, text in texts_pathological().items():
        outcome = described(parsed(text, shape))
        yield f"pathological/{shape}", digest([text]), digest([outcome])
    hostile = list(hostile_outcomes())
    yield "hostile", digest(n + "\0" + r for n, r, _ in hostile), digest(n + "\0" + o for n, _, o in hostile)


# Printed by the parser of 9928298 (see the top of this file): group -> (inputs, outcomes).
EXPECTED: dict[str, tuple[str, str]] = {
    "bundled": (
        "dd2997ff94f865931ea318bf2838b00de5fa9c99b87dacd78cbb6d6cbbee96d0",
        "cd11d06ece9f9a646df6c1e0dbb8ccaaf7515420daca1bc1d6812fb34d3fb827",
    ),
    "generated": (
        "9d987f699f36dc8355e033e32984ae019932b17aea52979056d4bbc603cacff4",
        "0230b4f21929e2c53002dd95265ae4346c595f6f6740c3c142f88e613c433716",
    ),
    "broken": (
        "03e81ab7d9dddb8a44d6c9d2b7bb7fee9647423b7ca679910daf9b7683d34660",
        "cdcea6685ab317885fc2423a2bb45dbfc792f59785fa9c353b9e2e6ccffe595c",
    ),
    "random": (
        "4ac81551e481044e7f0deb68aeb90f950305fcb34cf850211934a99b8b43ddf8",
        "b3d4fd62ca2e9002465173afe82ec868be495f17ec1c1810b01661d351fe05ef",
    ),
    "pathological/brackets": (
        "47b57c4242885f19257244d28342709a39d63e6234e44964855913840c2eb7ee",
        "433ca30c9b38c6e9afd36f9eea6f67fbe83dbc4158af4e4f2e3e7f29b4efdff0",
    ),
    "pathological/bang-brackets": (
        "5324cd115931d590f6cf0f707f4f52bc3aa2baaf87502b2f6ecd8c426b6edb78",
        "5d95aba17321214a8b53386b2570dae9b8a5ac16f0f94636af49eea3f3213391",
    ),
    "pathological/link-openers": (
        "73036e1d854fc6bf418400a488fd9f5c7e075d57e113bc7115e20398772680c4",
        "948003507f4dd18cf90a16782821c9c9f200da6cdfb48a8a38cc1bb2b4f5cdff",
    ),
    "pathological/close-brackets": (
        "59b4d2d2a8953bfbe9359fc757650bb59db32ad6b48e5ee0b17bd956053c8e45",
        "263a31df4bf11e90a0e81df9e2eb494935be42b8055c0541204426cfc67aa1ad",
    ),
    "pathological/emphasis-run": (
        "bba7e4b182f3d982052d716872a6b3385d82650a4720e6e01cd3adc0590ae291",
        "1ed071e842479078ae2535be33546ef6b0f53c5652694873df2ba6f71baa5129",
    ),
    "pathological/emphasis-words": (
        "73629352e42963e2eeb8be4e64bda94cfbe3bd303e93215a9467e2b75c337a32",
        "b90dad00529683e85ff949984598b3dabbc7f8799188d91b571bc49dac0cadfb",
    ),
    "pathological/nested-emphasis": (
        "c949bd7d72b8a57cd9bf07f34af01963602fe46395432956d871a0b68218e7ca",
        "9fa3b6f875b65b8b65a23c04e094a5c65a3f45265e2ae21386975f4db882c518",
    ),
    "pathological/underscores": (
        "b6a11d58d752d9c8320fbdbe708846020d43a129e4e8df88d2b9afbddb4aba48",
        "440b15160f47b027f4c42eee620f8520c7b6bd3f5bc5d00632803fc46f14ccc3",
    ),
    "pathological/backticks": (
        "b5752a3ef2750241c14afda0ea2d69412925b8447a6bcec3e672a83a4455cd9f",
        "f09e128d6ca6096e3d649d3c10a8bce25d2bceaf58cb52f5e5be352c95970118",
    ),
    "pathological/nested-lists": (
        "1217f9c98065129e20c3a65c20e17af934cdc6bbfbe92b5b7ec112d2e5d57a4d",
        "174584dcde261e367c5eeaae0764327f5a3015a35dde26fd8dd6244208baa8d1",
    ),
    "pathological/long-link-label": (
        "14fb991b38df36e3f2c12175a336f4ca2f41db865d4364eb1349641747073011",
        "c69e2654de7a1564a2dbb111aeef3b89291b0d62e60abbb187f97fda3a1d82b0",
    ),
    "pathological/autolink-openers": (
        "70a4deb084e73129d644918f3644dc68d1baedcaa738f09db3c8c27a983efd7c",
        "597117ecc2c8b2e6d684df430cd68c23109c2f74b01f22bd1d791f93622c0dfd",
    ),
    "pathological/entities": (
        "37cf11f004ab34340aa99ae040e712dfed5eb433fac38a749ffe8837ce77e902",
        "1032166880ab4dace1caa14f43de4d23a8bc69fbcfb752d271bd4f365dc19b99",
    ),
    "pathological/bracket-lines": (
        "e94cc454bb13c93a72f8786ae45134a67ae9664eb368a1a7b00c3ac290d9b359",
        "162656f6e5c0a09d9b598731345198d2f5c3bf158f97bd6eea5d7ac06ed4b990",
    ),
    "pathological/headings": (
        "5c0b0408b1f4f9d97086143ccb980941e7ca5c34ebc51b89a35e85ac2398a5a7",
        "cf4227d9e228ed71c9e20b59905f5f3fba39088c0f82c04de48009095f40847d",
    ),
    "pathological/numbered": (
        "acfbd13e80c8c7958441afbde22a0f24f71e5b678cc5aad1fb08b90cc41ecb47",
        "1b04c983d25d01b42046491c148744b802eaaf0f7adeee7eef72358750cc0256",
    ),
    "pathological/many-items": (
        "433a0728b8a33aca01a3d280189bad5640b84025e9082fa7141a7b8eafb0b49a",
        "d95ec59920227d6388abc71ea3690a057bb1a56045d1bc60d6be00c051a3f567",
    ),
    "pathological/same-ids": (
        "f4e14a268a6ad7bfb8d2a989a57801e23aedf165b1c46f5907de19175ff2b508",
        "83a9e413652a0ad14536f174b2ae4b36ab62bb5f6d89fe3c42fc2ed1221aca62",
    ),
    "pathological/blank-lines": (
        "eabab9afed8088efc89bba9c6423e3a6152883cf7a11cacb0871022f9d54a5bb",
        "137643e0f4a8edd0fb1d956ba7188c722d5c26397be5bbbe2626c16672e38d43",
    ),
    "pathological/quotes": (
        "5e0edec5c7d0c1c79f79424f4209a166ade91be4377ae687c8bd0a4a7c303ef7",
        "2469afd2c54332baee72e17b7ef353435577e87c4fe44b8ee7f815e6d6ea5ac7",
    ),
    "pathological/too-many-lines": (
        "bee87700543f24a43bf894a0e3bdb02bcfb21b59b83be31d0481bd91ee3cef79",
        "f63b5b1732a0d20f45936b4817e7db6868ea21d480e23d5ef30c3563ca6ceb9d",
    ),
    "pathological/too-many-items": (
        "ca103e8f0a6dcbdfb259b09141a4df95835cf4afa29fb097bbbab022198e246d",
        "afc33bc8a5870b6633bfe0c09c76dac8f0bb0501146172ef5434147bff21587b",
    ),
    "pathological/too-many-errors": (
        "fbd73d57404f5cdd54056c239a82c96b1a1fbd1e3d74f416d6c6974d61575b83",
        "fc4669bccb09c97b0b89c8a351f9b3cef288622df39e445ecbe4e7a5365b32a3",
    ),
    "pathological/distinct-citations": (
        "288e89a3d784e6b1661cfbae46c0da3c3af58b631dbd8b821f0dae4dd62ffee6",
        "56427caf7a92bea0b64d77019c037b87546afd48d067f4837271484ed61f9c49",
    ),
    "hostile": (
        "bc869178311b2448f62356fb14ac273f5cb992242c9fab72f890ca90df288dd2",
        "38f8538833a3b45c09183e58dd1d9f612bda84c5a17e51ba6abea4c4bb96ce9f",
    ),
}


def test_every_group_parses_as_it_did():
    seen = {}
    for group, inputs, outcomes in groups():
        seen[group] = (inputs, outcomes)
    assert sorted(seen) == sorted(EXPECTED), "the groups differ from EXPECTED: make them again (see the top)"
    changed = [g for g in seen if seen[g][0] != EXPECTED[g][0]]
    assert not changed, f"the inputs of {changed} changed: make their digests again with a known-good parser"
    differ = [g for g in seen if seen[g][1] != EXPECTED[g][1]]
    assert not differ, f"the parser's results differ from what they were in {differ}"


# -- invariants, whatever the version --------------------------------------------------------


def every_outcome() -> Iterator[tuple[str, str, Outcome]]:
    for texts in (texts_bundled(), texts_generated(), texts_broken(), texts_random(), texts_pathological()):
        for name, text in texts.items():
            yield name, text, parsed(text, name)


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[str, str, Outcome]]:
    return list(every_outcome())


def test_the_corpus_has_briefs_and_errors_of_every_kind(outcomes):
    briefs = [o for _, _, o in outcomes if isinstance(o, Brief)]
    errors = [o for _, _, o in outcomes if isinstance(o, BriefError)]
    assert len(briefs) > 400 and len(errors) > 300
    random_briefs = [o for n, _, o in outcomes if n.startswith("random-") and isinstance(o, Brief)]
    assert len(random_briefs) > 50  # random Markdown that parses, not only errors
    assert all(any(b.pane(p) for b in random_briefs) for p in PANE_HEADINGS)


def test_every_brief_is_clean_cited_and_points_into_its_file(outcomes):
    for name, text, outcome in outcomes:
        if not isinstance(outcome, Brief):
            continue
        for where, value in hostile_fixtures.strings_of(outcome):
            assert is_clean(value), f"{name}: {where} = {value[:80]!r}"
        lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        ids = [item.id for item in outcome.items()]
        assert len(ids) == len(set(ids)), name
        for item in outcome.items():
            assert item.citations and 1 <= item.line <= lines, (name, item)
        assert outcome.path == f"{name}.md"


def test_every_error_is_clean_bounded_and_at_a_line_of_its_file(outcomes):
    for name, text, outcome in outcomes:
        if not isinstance(outcome, BriefError):
            continue
        problems = outcome.all
        assert 1 <= len(problems) <= MAX_ERRORS + 1, name
        assert [p.line for p in problems] == sorted(p.line for p in problems), name
        lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
        for problem in problems:
            assert is_clean(problem.message) and "\n" not in problem.message, (name, problem)
            assert 1 <= problem.line <= lines, (name, problem)
            assert problem.file == f"{name}.md"


if __name__ == "__main__":  # print EXPECTED, from the parser on sys.path (see the top of this file)
    import briefing.core.parse

    print(f"# parser: {briefing.core.parse.__file__}", file=sys.stderr)
    print("EXPECTED: dict[str, tuple[str, str]] = {")
    for group, inputs, outcomes in groups():
        print(f'    "{group}": (\n        "{inputs}",\n        "{outcomes}",\n    ),')
    print("}")
