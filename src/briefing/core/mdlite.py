"""The Markdown a brief's body is written in, read in one pass: linear in the text's size.

A brief's body needs little of Markdown: ``#`` headings, one level of ``-`` list items
with their continuation lines, and inline text from which emphasis is dropped and links
keep their target. markdown-it-py reads all of CommonMark, but spends tens of
microseconds on each ``[`` of a run, and several on each line of some shapes, so a
megabyte of brackets took most of a minute. This module reads the subset the brief
format uses (briefs/FORMAT.md) with work bounded by a constant per character:

* :func:`blocks` splits the body into headings, list items, text outside lists, and code;
* :func:`plain` turns an item's inline Markdown into the plain text the reader shows.

Every scan moves forward; look-ups ("the next ``]``") are found with positions computed
once per text, never by scanning again from each candidate.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape

# -- blocks -----------------------------------------------------------------------------

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BULLET = re.compile(r"( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BREAK = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_BLOCK_STARTS = frozenset("#-*+_=`~0123456789")  # what a line that starts a block can begin with
# Most lines are text: the first character of a line (past its indentation) says whether a
# pattern can match it at all, which costs less than trying the pattern. A list marker
# begins with one of these or a decimal digit (str.isdecimal is what \d matches); a
# thematic break is three or more of one of _RULE_CHARS; a fence begins with ` or ~.
_MARKER_CHARS = frozenset("-*+")
_RULE_CHARS = frozenset("-*_")
_FENCE_CHARS = frozenset("`~")


@dataclass(slots=True)
class Block:
    """One block of the body: ``kind`` is heading (``level``, ``text``), item (``lines``:
    its text lines with their 0-based line numbers), text (a paragraph outside any list),
    code (a code block), or nested (a list inside an item, which the format has not)."""

    kind: str
    line: int
    level: int = 0
    text: str = ""
    lines: list[tuple[int, str]] = field(default_factory=list)


def _may_be_rule(rest: str) -> bool:
    """Could ``rest`` (a line past its indentation) be a thematic break (_BREAK)?"""
    return rest[0] in _RULE_CHARS and rest.count(rest[0]) >= 3


def blocks(text: str) -> list[Block]:
    """The body's blocks, in order, in one pass over its lines."""
    out: list[Block] = []
    item: Block | None = None
    content = 0  # the column an item's text starts at
    nested = -1  # the column a nested list's text starts at (its lines are left out), or -1
    paragraph: Block | None = None  # text outside a list, still open
    fence: str | None = None  # the fence of an open code block
    blank = True  # the line before was blank (or there was none)

    for number, raw in enumerate(text.split("\n")):
        if fence is not None:  # inside a code block: only its closing fence matters
            match = _FENCE.match(raw)
            if (
                match
                and match.group(1)[0] == fence[0]
                and len(match.group(1)) >= len(fence)
                and not raw[match.end() :].strip()
            ):
                fence = None
            continue
        # The line's indentation in columns (tabs to stops of 4) and the rest of it; written
        # out here rather than called, as it is worked out for every line.
        rest = raw.lstrip(" ")
        if rest.startswith("\t"):  # a tab in the indentation (only spaces came before it)
            expanded = raw.expandtabs(4)
            rest = expanded.lstrip(" ")
            indent = len(expanded) - len(rest)
        else:
            indent = len(raw) - len(rest)
        if not rest:
            blank = True
            paragraph = None
            continue
        was_blank, blank = blank, False

        if item is not None and (indent >= content or (not was_blank and not _starts_block(indent, rest))):
            # The item goes on: an indented line, or a lazy continuation of its text.
            if nested >= 0 and (indent >= nested or not was_blank):
                continue  # a nested item's own lines (or its text going on lazily)
            nested = -1
            inner = indent - content
            lead = rest[0]
            aligned = indent >= content and inner < 4  # where a marker or a fence would start a block
            marker = _BULLET.match(rest) if aligned and (lead in _MARKER_CHARS or lead.isdecimal()) else None
            if marker and _interrupts(marker, rest, was_blank or not item.lines):
                out.append(Block("nested", number))
                nested = indent + marker.end()
                continue
            if aligned and lead in _FENCE_CHARS and (opening := _FENCE.match(rest)):
                out.append(Block("code", number))
                fence = opening.group(1)
                continue
            if indent >= content + 4 and was_blank:
                out.append(Block("code", number))
                continue
            item.lines.append((number, rest))
            continue
        item, nested = None, -1

        if indent <= 3 and rest[0] in _BLOCK_STARTS:
            heading = _ATX.match(raw) if rest.startswith("#") else None
            if heading:
                out.append(Block("heading", number, level=len(heading.group(1)), text=(heading.group(2) or "")))
                paragraph = None
                continue
            if paragraph is not None and _SETEXT.match(raw) and not _BULLET.match(raw):
                # "Title" over "===" or "---": the paragraph was a heading.
                paragraph.kind, paragraph.level = "heading", 1 if rest.startswith("=") else 2
                paragraph.text = "\n".join(text for _, text in paragraph.lines)
                paragraph = None
                continue
            if _may_be_rule(rest) and _BREAK.match(raw):
                paragraph = None
                continue
            marker = _BULLET.match(raw)
            if marker and not (paragraph is not None and marker.group(2)[0].isdigit() and marker.group(2)[:-1] != "1"):
                first = raw[marker.end() :]
                gap = len(marker.group(3).expandtabs(4))
                width = len(marker.group(1)) + len(marker.group(2))
                content = width + (gap if 1 <= gap <= 4 and first.strip() else 1)
                item = Block("item", number)
                out.append(item)
                text = first.lstrip(" \t")
                inner_marker = (
                    _BULLET.match(text) if text and (text[0] in _MARKER_CHARS or text[0].isdecimal()) else None
                )
                if inner_marker and (inner_marker.group(3) or not text[inner_marker.end() :]):
                    # "- - text": a list inside the item, on its first line
                    out.append(Block("nested", number))
                    nested = content + inner_marker.end()
                elif text and _may_be_rule(text) and _BREAK.match(text):
                    pass  # "- ***": a rule in the item, no text
                elif text:
                    item.lines.append((number, text))
                paragraph = None
                continue
            if opening := _FENCE.match(raw):
                out.append(Block("code", number))
                fence = opening.group(1)
                paragraph = None
                continue
        elif indent > 3 and paragraph is None:  # four spaces, not in a paragraph: indented code
            out.append(Block("code", number))
            continue

        if paragraph is None:
            paragraph = Block("text", number)
            out.append(paragraph)
        paragraph.lines.append((number, rest.strip()))
    for block in out:
        if block.kind == "text":
            block.text = "\n".join(text for _, text in block.lines)
    return out


def _interrupts(marker: re.Match, rest: str, after_blank: bool) -> bool:
    """Does a list marker start a list here? Right after text, an empty item or a
    numbered one not starting at 1 does not (CommonMark): the line is more text."""
    if after_blank:
        return True
    empty = not rest[marker.end() :].strip()
    number = marker.group(2)
    return not empty and (not number[0].isdigit() or number[:-1] == "1")


def _starts_block(indent: int, rest: str) -> bool:
    """Does a line that is not indented into an item start a block of its own (and so end
    the item) rather than carry on its text lazily?"""
    if indent > 3 or (rest[0] not in _BLOCK_STARTS and rest[0] != ">"):
        return False
    return bool(rest.startswith(("#", ">")) or _BULLET.match(rest) or _FENCE.match(rest) or _BREAK.match(rest))


# -- inline -----------------------------------------------------------------------------

# The tokens of inline Markdown. Each alternative begins with a literal character ("``*",
# not "`+"; "!\[|\[", not "!?\["), so that the regular expression engine skips ahead to the
# next of those characters rather than trying every alternative at every position: several
# times faster over the plain text that briefs are mostly made of.
_SPECIAL = re.compile(r"\\[!-/:-@\[-`{-~]|\\\n|``*|\*\**|__*|!\[|\[|\]|<|&|\n")
# What of _SPECIAL can make a text read otherwise than it is written: every token but "[",
# "![", "]" and a line break, which stay as they are unless a "](" makes a link of them.
_INLINE = "\\`*_<&"
_MARKUP = "\\`*_[]<&"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9]"
    r"(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_LABEL_MAX = 999  # CommonMark: a link label is at most 999 characters
_URL_MAX = 2048
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class Budget:
    """How many markup characters may still be read as markup in one brief. Past it, the
    text is shown as written: a file of nothing but brackets or asterisks is not a brief,
    and it must not cost more than a brief does to read."""

    def __init__(self, characters: int) -> None:
        self.left = characters

    def take(self, text: str) -> bool:
        cost = sum(map(text.count, _MARKUP))
        if cost > self.left:
            self.left = 0
            return False
        self.left -= cost
        return True


class _Positions:
    """Sorted positions of one character in a text: "the next one from i" in log time."""

    def __init__(self, text: str, char: str) -> None:
        self.at = [m.start() for m in re.finditer(re.escape(char), text)]

    def next(self, start: int) -> int:
        index = bisect_left(self.at, start)
        return self.at[index] if index < len(self.at) else -1


def plain(text: str, budget: Budget | None = None) -> str:
    """Inline Markdown as the text a reader sees: emphasis markers dropped, code spans as
    their code, ``[text](url)`` as ``text <url>``, images as ``alt <src>``, autolinks as
    their address, escapes and entities as the characters they stand for; line breaks
    kept as newlines, spaces at line ends dropped. Linear in ``len(text)``; past the
    ``budget`` of markup characters, the text as written."""
    if not _SPECIAL.search(text) or (budget is not None and not budget.take(text)):
        return _rstripped(text)
    if _as_written(text):  # the usual item: text, citations and line breaks
        return _rstripped(text)
    pieces: list = []  # literal text, and the runs of * and _ (as _Run)
    spots = _Spots(text) if "](" in text else None
    code_runs: dict[int, list[int]] | None = None
    position = 0
    length = len(text)
    for match in _SPECIAL.finditer(text):
        start = match.start()
        if start < position:
            continue  # inside something already taken (a code span, a link)
        if start > position:
            pieces.append(text[position:start])
        token = match.group()
        position = match.end()
        first = token[0]
        if first == "\\":
            pieces.append("\n" if token == "\\\n" else token[1])
        elif first == "\n":
            pieces.append("\n")
        elif first == "`":
            if code_runs is None:
                code_runs = _backtick_runs(text)
            end = _closing_run(code_runs, len(token), position)
            if end < 0:
                pieces.append(token)
            else:
                code = text[position:end].replace("\n", " ")
                if len(code) > 2 and code[0] == " " and code[-1] == " " and code.strip(" "):
                    code = code[1:-1]
                pieces.append(code)
                position = end + len(token)
        elif first in "*_":
            pieces.append(_Run(token, text[start - 1] if start else " ", text[position] if position < length else " "))
        elif token in ("[", "!["):
            link = _link(text, start + len(token), spots) if spots is not None else None
            if link is None:
                pieces.append(token)
            else:
                label, target, position = link
                inner = plain(label)
                pieces.append(f"{inner} <{target}>" if target and target != inner else inner)
        elif first == "<":
            auto = _AUTOLINK.match(text, start, min(length, start + _URL_MAX))
            if auto is None:
                pieces.append("<")
            else:
                pieces.append(auto.group(1))
                position = auto.end()
        elif first == "&":
            entity = _ENTITY.match(text, start, min(length, start + 40))
            if entity is None:
                pieces.append("&")
            else:
                pieces.append(unescape(entity.group()))
                position = entity.end()
        else:  # a "]" of no link
            pieces.append(token)
    if position < length:
        pieces.append(text[position:])
    _drop_emphasis(pieces)
    return _rstripped("".join(p if isinstance(p, str) else p.text for p in pieces))


def reader(body: str, budget: Budget) -> Callable[[str], str]:
    """:func:`plain` for the parts of ``body`` (its headings, the runs of lines of its
    items), read in order within ``budget``. In a body with no markup but brackets (most
    briefs: text and citations), plain() of any part is that part without the spaces at its
    line ends, whatever is left of the budget: the parts are read so, with nothing counted."""
    if _as_written(body):
        return _rstripped
    return functools.partial(plain, budget=budget)


def _as_written(text: str) -> bool:
    """Does ``text`` read as it is written, but for the spaces at its line ends? It does
    when it holds no _INLINE character and no "](". (str's own search, at C speed, finds a
    character sooner than a regular expression does.)"""
    return "](" not in text and not any(map(text.__contains__, _INLINE))


def _rstripped(text: str) -> str:
    """The text without spaces at the ends of its lines."""
    if " \n" not in text and not text.endswith(" "):
        return text  # nothing to strip, found at C speed
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))


def _backtick_runs(text: str) -> dict[int, list[int]]:
    """Where each run of backticks starts, by the run's length."""
    runs: dict[int, list[int]] = {}
    for match in re.finditer(r"`+", text):
        runs.setdefault(len(match.group()), []).append(match.start())
    return runs


def _closing_run(runs: dict[int, list[int]], size: int, start: int) -> int:
    """The start of the next run of exactly ``size`` backticks at or after ``start``."""
    starts = runs.get(size, [])
    index = bisect_left(starts, start)
    return starts[index] if index < len(starts) else -1


class _Spots:
    """Where the characters links are made of stand in a text, to find a link's end
    without scanning forward from every ``[``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.open_bracket = _Positions(text, "[")
        self.close_bracket = _Positions(text, "]")
        self.open_paren = _Positions(text, "(")
        self.close_paren = _Positions(text, ")")
        self.space = [m.start() for m in re.finditer(r"\s", text)]

    def next_space(self, start: int) -> int:
        index = bisect_left(self.space, start)
        return self.space[index] if index < len(self.space) else len(self.text)


def _link(text: str, label_start: int, spots: _Spots) -> tuple[str, str, int] | None:
    """The link (or image) whose label starts at ``label_start``: (label, target, end),
    or None. Labels do not nest here (a ``[`` inside one leaves it as text), and the
    target has no spaces: in ``<…>``, or with at most one pair of parentheses in it."""
    close = spots.close_bracket.next(label_start)
    if close < 0 or close - label_start > _LABEL_MAX:
        return None
    inner = spots.open_bracket.next(label_start)
    if 0 <= inner < close or not text.startswith("(", close + 1):
        return None
    start = close + 2
    if text.startswith("<", start):
        end = text.find(">", start, start + _URL_MAX)
        if end < 0 or spots.next_space(start) < end or not text.startswith(")", end + 1):
            return None
        return text[label_start:close], text[start + 1 : end], end + 2
    end = spots.close_paren.next(start)
    if end < 0:
        return None
    opened = spots.open_paren.next(start)
    if 0 <= opened < end:  # one pair inside: "...(disambiguation))"
        end = spots.close_paren.next(end + 1)
        if end < 0 or 0 <= spots.open_paren.next(opened + 1) < end:
            return None
    if spots.next_space(start) < end or end - start > _URL_MAX:
        return None
    return text[label_start:close], _unescaped(text[start:end]), end + 1


def _unescaped(target: str) -> str:
    if "\\" in target:
        target = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", target)
    if "&" in target:
        target = _ENTITY.sub(lambda m: unescape(m.group()), target)
    return target


class _Run:
    """A run of ``*`` or ``_`` that may open or close emphasis (CommonMark's rules)."""

    __slots__ = ("text", "char", "can_open", "can_close")

    def __init__(self, run: str, before: str, after: str) -> None:
        self.text = run
        self.char = run[0]
        space_after, space_before = after.isspace(), before.isspace()
        punct_after, punct_before = _punctuation(after), _punctuation(before)
        left = not space_after and (not punct_after or space_before or punct_before)
        right = not space_before and (not punct_before or space_after or punct_after)
        if self.char == "*":
            self.can_open, self.can_close = left, right
        else:
            self.can_open = left and (not right or punct_before)
            self.can_close = right and (not left or punct_after)


def _punctuation(char: str) -> bool:
    return char in _PUNCTUATION or unicodedata.category(char).startswith("P")


def _drop_emphasis(pieces: list) -> None:
    """Match emphasis openers and closers (CommonMark's delimiter algorithm, with a floor
    per kind of closer so that the work stays linear) and drop the matched markers."""
    stack: list[int] = []  # indexes in ``pieces`` of runs that may open
    floors: dict[tuple[str, bool, int], int] = {}
    for index, closer in enumerate(pieces):
        if not isinstance(closer, _Run):
            continue
        if closer.can_close:
            key = (closer.char, closer.can_open, len(closer.text) % 3)
            floor = floors.get(key, -1)
            position = len(stack) - 1
            while closer.text and position > floor:
                opener = pieces[stack[position]]
                if opener.char != closer.char or (
                    (opener.can_close or closer.can_open)
                    and (len(opener.text) + len(closer.text)) % 3 == 0
                    and (len(opener.text) % 3 or len(closer.text) % 3)
                ):
                    position -= 1
                    continue
                used = 2 if len(opener.text) >= 2 and len(closer.text) >= 2 else 1
                opener.text = opener.text[:-used]
                closer.text = closer.text[used:]
                del stack[position + 1 :]  # the openers between stay text for good
                if not opener.text:
                    stack.pop()
                    position -= 1
            if closer.text:
                floors[key] = len(stack) - 1
        if closer.text and closer.can_open:
            stack.append(index)
