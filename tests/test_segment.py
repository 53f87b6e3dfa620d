"""Sentences are split the way a careful reader would, and numbered as citations count them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.cli.main import main
from briefing.core.segment import legacy_sentences, sentence_spans, sentences
from briefing.core.sources import SourceDocument

from .fixtures import BUNDLED

# (paragraph, its sentences): each case is one a careless split gets wrong.
CASES = [
    (
        "Jane Smith of St. Albans said it was fine. Dr. Patel disagreed.",
        ["Jane Smith of St. Albans said it was fine.", "Dr. Patel disagreed."],
    ),
    (
        "The U.S. government paid £2.4m for it. The U.K. paid more.",
        ["The U.S. government paid £2.4m for it.", "The U.K. paid more."],
    ),
    ("He lives at No. 10 Downing Street. It is busy.", ["He lives at No. 10 Downing Street.", "It is busy."]),
    ("J. R. R. Tolkien wrote it. Then he slept.", ["J. R. R. Tolkien wrote it.", "Then he slept."]),
    (
        "“We will not sign it. It is wrong,” she said. Then she left.",
        ["“We will not sign it. It is wrong,” she said.", "Then she left."],
    ),
    ('She said "no." He agreed.', ['She said "no."', "He agreed."]),
    (
        "The rate rose to 3.5 per cent. It fell to 3.1% in 2024.",
        ["The rate rose to 3.5 per cent.", "It fell to 3.1% in 2024."],
    ),
    (
        "Critics (including Mr. Jones) objected. The Met said no!",
        ["Critics (including Mr. Jones) objected.", "The Met said no!"],
    ),
    ("Is it legal? Nobody knows.", ["Is it legal?", "Nobody knows."]),
    (
        "He quoted the report: “The system is flawed.” The minister disagreed.",
        ["He quoted the report: “The system is flawed.”", "The minister disagreed."],
    ),
    ("It took 3 yrs. and cost £1m. Then it ended.", ["It took 3 yrs. and cost £1m.", "Then it ended."]),
    ("It was agreed (see p. 4). Then it was not.", ["It was agreed (see p. 4).", "Then it was not."]),
    ("One sentence with no stop", ["One sentence with no stop"]),
    ("Zoë said so.  Then Łukasz left.", ["Zoë said so.", "Then Łukasz left."]),
    ("1. Summary", ["1. Summary"]),
    (
        "Its chair, Cllr. Ann Lee, objected. Ms. Patel agreed.",
        ["Its chair, Cllr. Ann Lee, objected.", "Ms. Patel agreed."],
    ),
    (
        "It cost approx. 40% more (see para. 12). Then it fell.",
        ["It cost approx. 40% more (see para. 12).", "Then it fell."],
    ),
    ("2.3. Money and contracts. It cost £3m.", ["2.3. Money and contracts.", "It cost £3m."]),
    ("He spent 3 yrs. He left.", ["He spent 3 yrs.", "He left."]),
]


@pytest.mark.parametrize("paragraph, expected", CASES, ids=[c[0][:30] for c in CASES])
def test_sentences_split_as_a_careful_reader_would(paragraph, expected):
    assert sentences(paragraph) == expected
    # The spans point into the paragraph itself: the reader marks a sentence by them.
    assert [paragraph[a:b] for a, b in sentence_spans(paragraph)] == expected


def test_the_old_split_broke_at_abbreviations():
    """What check compares a brief written before the careful split with."""
    assert legacy_sentences("Jane Smith of St. Albans said it was fine. Dr. Patel disagreed.") == [
        "Jane Smith of St.",
        "Albans said it was fine.",
        "Dr.",
        "Patel disagreed.",
    ]


def test_a_source_header_is_not_a_paragraph():
    text = "% original: report.pdf\n% sha256: abc\n\nFirst paragraph. Two.\n\nSecond.\n"
    document = SourceDocument.from_text(text)
    assert document.paragraphs == ("First paragraph. Two.", "Second.")
    assert dict(document.header) == {"original": "report.pdf", "sha256": "abc"}
    assert document.sentences(1) == ["First paragraph.", "Two."]


def test_no_citation_of_the_bundled_briefs_changed_passage_with_the_new_split(tmp_path: Path, capsys):
    """The bundled briefs, as they were before they recorded their source's SHA-256, are
    checked against the old split too: none of their citations points at other text now."""
    library = tmp_path / "briefs"
    shutil.copytree(BUNDLED, library)
    for brief in library.glob("*.md"):
        text = brief.read_text(encoding="utf-8")
        brief.write_text("\n".join(line for line in text.split("\n") if "sha256:" not in line), encoding="utf-8")
    assert main(["check", str(library)]) == 0
    out = capsys.readouterr().out
    assert "split more carefully" not in out and out == ""
    # And the comparison is made: a citation whose sentence moves is named.
    report = library / "sources" / "met-police-palantir-report.txt"
    report.write_text(report.read_text(encoding="utf-8").replace("Mayor of London", "Dr. Mayor of London", 1))
    main(["check", str(library)])
    assert "split more carefully" in capsys.readouterr().out


def test_a_note_number_after_a_sentence_opens_the_next_note() -> None:
    notes = "Notes. [1] DWP, Annual Report 2023–24, p. 87. [2] Base: 2,045 adults. [3] Logistic regression."
    assert sentences(notes) == [
        "Notes.",
        "[1] DWP, Annual Report 2023–24, p. 87.",
        "[2] Base: 2,045 adults.",
        "[3] Logistic regression.",
    ]
    # A marker written onto its sentence stays with it.
    assert sentences("It is held before payment.[1] We asked 2,045 claimants.") == [
        "It is held before payment.[1]",
        "We asked 2,045 claimants.",
    ]


class _Reading:
    """A pattern of the segmenter that counts the characters it is given to read."""

    def __init__(self, pattern) -> None:
        self.pattern = pattern
        self.read = 0

    def search(self, text: str):
        self.read += len(text)
        return self.pattern.search(text)

    def match(self, text: str):
        self.read += len(text)
        return self.pattern.match(text)


def test_a_sentence_going_on_past_many_titles_is_not_read_again_at_each(monkeypatch) -> None:
    """A title's full stop never ends a sentence, so a paragraph of thousands of them is one
    sentence; what comes before each is not read again whole to find that out."""
    from briefing.core import segment

    readers = {name: _Reading(getattr(segment, name)) for name in ("_TITLE_END", "_ENUMERATOR", "_NOTE_MARKER")}
    for name, reader in readers.items():
        monkeypatch.setattr(segment, name, reader)
    paragraph = "Apologies were received from " + "Cllr. Eze and " * 3000 + "Cllr. Ng. The meeting began."
    assert sentences(paragraph) == [paragraph[: -len(" The meeting began.")], "The meeting began."]
    assert sum(reader.read for reader in readers.values()) < 10 * len(paragraph)
