"""Saved web pages taken in (briefing.authoring.formats.webpage): the article's text without
the page around it, its title, and its characters decoded by the charset it declares."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefing.authoring.formats.common import IngestError
from briefing.authoring.formats.webpage import SIGN_IN, declared_encoding, decode
from briefing.authoring.ingest import add_source, convert_document
from briefing.cli.main import main
from briefing.core.sources import load_source

DATA = Path(__file__).parent / "data" / "ingest"
NEWS_PAGE = DATA / "news-page.html"

NEWS_PARAGRAPHS = [
    "Council pauses facial recognition trial after audit",
    "The city council has paused its trial of live facial recognition cameras in the town centre after an "
    "internal audit found that the scheme had been running for eight months without a written policy on how "
    "long images were kept.",
    'The audit, published on Tuesday, said that officers had "acted in good faith" but that the council could '
    "not show that the trial met the requirements of data protection law. It recommended that no further "
    "images be captured until a retention policy was agreed.",
    "Councillor Amira Patel, who chairs the scrutiny committee, said the decision was the right one. \u201cWe "
    "were told this was a limited pilot with clear safeguards,\u201d she said. \u201cThe audit shows that the "
    "safeguards were never written down.\u201d",
    "What the audit found",
    "According to the report, the cameras scanned an estimated 1.2 million faces between July and February. "
    "Matches were checked by a member of staff before any action was taken, and the council says that no one "
    "was arrested as a result of the trial.",
    "There was no written retention policy for images or match logs.",
    "The watch list was not reviewed after it was first drawn up.",
    "Signs telling the public about the cameras were missing at two of the five sites.",
    "The council should not resume the trial until it has published a policy that the public can read.",
    "The council\u2019s chief executive said a revised policy would be put to the full council in April, and "
    "that the cameras would stay switched off until then.",
]


def test_a_news_page_gives_its_article_and_nothing_around_it():
    document = convert_document(NEWS_PAGE)
    assert document.paragraphs == NEWS_PARAGRAPHS
    assert document.title == "Council pauses facial recognition trial after audit"  # not "| The Daily Ledger"
    text = "\n".join(document.paragraphs)
    for boilerplate in (
        "cookies",  # the cookie banner
        "Subscribe",  # the menu
        "Search the Ledger",
        "Related stories",  # the sidebar
        "Police defend use of live cameras",
        "Sign up",
        "All rights reserved",  # the footer
        "Privacy policy",
        "gtag",  # scripts
        "Tracking text",
        "font-family",  # styles
        "Share on",
        "Read more",  # a promotion inside the article
    ):
        assert boilerplate not in text, boilerplate


def test_a_news_page_added_and_shown(tmp_path: Path, capsys):
    library = tmp_path / "lib"
    library.mkdir()
    added = add_source(library, NEWS_PAGE)
    assert (added.name, added.title, added.paragraphs) == ("news-page.txt", NEWS_PARAGRAPHS[0], 11)
    source = load_source(library, "news-page.txt")
    assert list(source.paragraphs) == NEWS_PARAGRAPHS
    assert dict(source.header)["format"] == "web page"
    assert main(["source", "show", "news-page.txt", "--library", str(library)]) == 0
    out = capsys.readouterr().out
    assert "¶3  (2 sentences)\n  ¶3.1  The audit, published on Tuesday" in out


PRESS_RELEASE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>Caf\u00e9 owners welcome \u20ac5m fund \u2013 Westshire County Council</title>
</head><body>
<div class="cookie-notice"><p>This site uses cookies. We\u2019d like to set additional cookies.</p></div>
<ul class="menu"><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul>
<div id="main">
<h1>Caf\u00e9 owners welcome \u20ac5m high street fund</h1>
<div class="content">
<p>Small businesses in Westshire have welcomed the council\u2019s decision to set aside \u20ac5m \u2013 about
\u00a34.3m \u2013 for shop fronts and caf\u00e9 terraces, the largest such fund in the region.</p>
<p>\u201cIt\u2019s the first good news we\u2019ve had in years,\u201d said Ren\u00e9e Fournier, who runs a caf\u00e9
on Market Street. \u201cWe\u2019ll apply as soon as the forms are out\u2026\u201d</p>
<table><tr><th>Area</th><th>Allocation</th></tr><tr><td>Northtown</td><td>\u00a31.5m</td></tr></table>
</div>
<div class="comments"><h3>2 comments</h3><p>Great news for Northtown! \u2013 Bob</p></div>
</div>
<div id="footer"><p>Westshire County Council, County Hall</p></div>
</body></html>"""

PRESS_PARAGRAPHS = [
    "Small businesses in Westshire have welcomed the council\u2019s decision to set aside \u20ac5m \u2013 about "
    "\u00a34.3m \u2013 for shop fronts and caf\u00e9 terraces, the largest such fund in the region.",
    "\u201cIt\u2019s the first good news we\u2019ve had in years,\u201d said Ren\u00e9e Fournier, who runs a "
    "caf\u00e9 on Market Street. \u201cWe\u2019ll apply as soon as the forms are out\u2026\u201d",
    "Area | Allocation",
    "Northtown | \u00a31.5m",
]


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1", "latin1", "us-ascii"])
def test_a_page_in_windows_1252_is_decoded_by_its_declared_charset(tmp_path: Path, charset: str):
    """iso-8859-1, latin1 and us-ascii are read as windows-1252, as browsers read them: the
    bytes 0x80-0x9f of such a page are the euro sign and curly quotes, never controls."""
    path = tmp_path / "press-release.htm"
    data = PRESS_RELEASE.format(charset=charset).encode("cp1252")
    assert b"\x80" in data and b"\x92" in data  # the euro sign and the curly apostrophe
    path.write_bytes(data)
    document = convert_document(path)
    assert document.paragraphs == PRESS_PARAGRAPHS
    assert document.title == "Caf\u00e9 owners welcome \u20ac5m high street fund"


def test_a_page_that_declares_nothing_is_read_as_utf8_else_windows_1252(tmp_path: Path):
    page = PRESS_RELEASE.replace('<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n', "")
    for encoding in ("utf-8", "cp1252"):
        path = tmp_path / f"undeclared-{encoding}.html"
        path.write_bytes(page.encode(encoding))
        assert convert_document(path).paragraphs == PRESS_PARAGRAPHS, encoding


def test_charset_declarations():
    assert declared_encoding(b'<html><head><meta charset="ISO-8859-1">') == "cp1252"
    assert declared_encoding(b"<meta charset=utf-8>") == "utf-8"
    assert declared_encoding(b'<?xml version="1.0" encoding="windows-1251"?><html>') == "cp1251"
    assert declared_encoding(b"\xef\xbb\xbf<html>") == "utf-8"
    assert declared_encoding(b'<meta charset="no-such-charset">') is None
    assert declared_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-16">') == "utf-8"
    # What it declares but does not hold is read as what it holds.
    assert decode(b'<meta charset="utf-8"><p>caf\xe9 \x80</p>') == '<meta charset="utf-8"><p>caf\u00e9 \u20ac</p>'
    assert decode("<p>caf\u00e9</p>".encode("utf-16")) == "<p>caf\u00e9</p>"


def test_invisible_characters_go_and_ligatures_are_spelled_out(tmp_path: Path):
    path = tmp_path / "invisible.html"
    path.write_bytes(
        "<html><head><meta charset=utf-8><title>Invisible</title></head><body><article>"
        "<p>The govern&shy;ment\u200b said the \ufb01nal \ufb02oor plan was \u201cready\u201d\u00a0today,"
        " and that the e\u0301tude of the building\x1b[31m was done.</p></article></body></html>".encode()
    )
    assert convert_document(path).paragraphs == [
        "The government said the final floor plan was \u201cready\u201d today, and that the \u00e9tude of the "
        "building[31m was done."  # the parser drops the escape (text given as .txt shows it: test_ingest.py)
    ]


def test_a_page_without_text_is_refused(tmp_path: Path, capsys):
    path = tmp_path / "empty.html"
    path.write_bytes(b"<html><head><title>Nothing</title><script>var x = 1;</script></head><body></body></html>")
    library = tmp_path / "lib"
    library.mkdir()
    assert main(["source", "add", str(path), "--library", str(library)]) == 2
    assert capsys.readouterr().err == (
        f"briefing: {path}: no text: the page holds no article text (if scripts put it in as the page opens, "
        "save the page from the browser once the article shows)\n"
    )


def test_without_the_extra_the_command_says_what_to_install(tmp_path: Path, monkeypatch, capsys):
    for name in [n for n in sys.modules if n.startswith("trafilatura.")] + ["trafilatura"]:
        monkeypatch.setitem(sys.modules, name, None)
    library = tmp_path / "lib"
    library.mkdir()
    assert main(["source", "add", str(NEWS_PAGE), "--library", str(library)]) == 2
    assert capsys.readouterr().err == (
        f"briefing: {NEWS_PAGE}: reading web pages needs trafilatura, which is not installed: "
        "pip install 'briefing[html]'\n"
    )


def test_an_extra_that_cannot_be_imported_says_why(tmp_path: Path, monkeypatch):
    """trafilatura installed without lxml_html_clean (lxml's html-clean extra) fails to import:
    that is said, not that trafilatura is missing."""
    for name in [n for n in sys.modules if n.split(".")[0] in ("trafilatura", "justext")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "lxml.html.clean", None)
    with pytest.raises(IngestError) as caught:
        convert_document(NEWS_PAGE)
    assert caught.value.message == (
        "reading web pages needs trafilatura, which cannot be imported (import of lxml.html.clean halted; "
        "None in sys.modules): pip install 'briefing[html]'"
    )


def page(body: str, title: str = "A page") -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{title}</title></head><body>{body}</body></html>".encode()


LETTER = [
    "Dear residents,",
    "The council voted on Tuesday to suspend the camera trial in the town centre after a review found "
    "that the cameras misidentified shoppers far more often than the supplier had claimed.",
    "The trial had cost \u00a32.4m over eighteen months. The supplier said it would reply in writing.",
    "Yours faithfully, The Chief Executive",
]


def test_paragraphs_set_apart_by_blank_lines_are_parted_there(tmp_path: Path):
    """A page that writes paragraphs as text with <br><br> between them, not as <p>: each
    is a paragraph; a single <br> is a space."""
    path = tmp_path / "letter.html"
    body = (
        "<br><br>\n".join(LETTER).replace("months. The", "months.<br>\nThe").replace("faithfully, ", "faithfully,<br>")
    )
    path.write_bytes(page(f'<div class="post">{body}</div>'))
    assert convert_document(path).paragraphs == LETTER


def test_a_table_that_lays_out_the_page_gives_the_paragraphs_of_its_cells(tmp_path: Path):
    """Old pages lay themselves out with a table: the text in one cell, in paragraphs. They
    stay paragraphs, not one run of words glued together; a table of data keeps a row a line."""
    minutes = [
        "Present: Cllr Adams (Chair), Cllr Brown, Cllr Clarke and the Clerk.",
        "1. Apologies were received from Cllr Davies, who was abroad on business for most of the month.",
        "2. The minutes of the previous meeting were approved as a true record and signed by the Chair.",
        "3. The council agreed to ask the county council for a survey of traffic speeds on the High Street.",
    ]
    path = tmp_path / "minutes.html"
    path.write_bytes(
        page(
            '<table width="100%"><tr><td><a href="/">Home</a></td><td><b>Minutes of 12 June 2024</b><br><br>'
            + "<br><br>".join(minutes)
            + "</td></tr></table><table><tr><th>Ward</th><th>Cameras</th></tr><tr><td>North</td><td>12<br>(2 off)"
            "</td></tr></table>"
        )
    )
    paragraphs = convert_document(path).paragraphs
    assert paragraphs[-len(minutes) - 3 :] == [
        "Minutes of 12 June 2024",
        *minutes,
        "Ward | Cameras",
        "North | 12 (2 off)",
    ]


def test_a_short_article_is_not_run_together_with_the_page_around_it(tmp_path: Path):
    """With little text, trafilatura's balanced setting falls back on every text of the page
    as one paragraph, cookie banner and all; the precise one finds the article."""
    path = tmp_path / "notice.html"
    path.write_bytes(
        page(
            '<div class="cookie-banner">We use cookies. Accept all?</div><nav><a href="/">Home</a></nav>'
            "<article><h1>Road closure</h1><p>Mill Lane will be closed from 3 to 5 June for resurfacing.</p>"
            "</article><footer>Contact us</footer>",
            title="Road closure",
        )
    )
    assert convert_document(path).paragraphs == [
        "Road closure",
        "Mill Lane will be closed from 3 to 5 June for resurfacing.",
    ]


SIGN_IN_PAGE = (
    "<header><a>The Daily Example</a></header><main><div class='paywall'><h1>Sign in to continue reading</h1>"
    "<p>Subscribe for unlimited access.</p><form><label>Email</label><input name=email><label>Password</label>"
    "<input type=PASSWORD name=pw><button>Sign in</button></form><p><a>Forgot your password?</a></p></div></main>"
)


def test_a_sign_in_page_is_refused(tmp_path: Path, capsys):
    """A page saved while signed out holds a sign-in form, not the article: said in one line,
    rather than its labels and buttons written as a source."""
    path = tmp_path / "article.html"
    path.write_bytes(page(SIGN_IN_PAGE, title="Sign in"))
    library = tmp_path / "lib"
    library.mkdir()
    assert main(["source", "add", str(path), "--library", str(library)]) == 2
    assert capsys.readouterr().err == f"briefing: {path}: {SIGN_IN}\n"


def test_an_article_with_a_sign_in_box_beside_it_is_read(tmp_path: Path):
    article = NEWS_PAGE.read_text(encoding="utf-8").replace(
        "<body>", "<body>" + SIGN_IN_PAGE.replace("main", "aside"), 1
    )
    path = tmp_path / "news.html"
    path.write_text(article, encoding="utf-8")
    assert convert_document(path).paragraphs == NEWS_PARAGRAPHS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(bytes(range(256)) * 4, "binary file (NUL byte at line 1), not a web page", id="binary"),
        pytest.param(
            b'<html><head><title>Frames</title></head><frameset cols="20%,80%"><frame src="nav.html">'
            b'<frame src="main.html"></frameset></html>',
            "no text: the page's text is in the frames it loads; open the framed page on its own and save that",
            id="frames",
        ),
    ],
)
def test_a_page_without_text_says_why_when_it_can(tmp_path: Path, data: bytes, message: str):
    path = tmp_path / "page.html"
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        convert_document(path)
    assert caught.value.message == message


def test_a_page_with_far_more_text_than_a_source_holds_is_refused_before_it_is_read(tmp_path: Path, monkeypatch):
    """trafilatura takes minutes over tens of megabytes of text, only for the result to be
    refused: a page showing ten times what a source holds is refused at once. Its bytes do
    not count, only its text: scripts, styles and embedded images are not."""
    import trafilatura

    from briefing.authoring.formats import webpage

    monkeypatch.setattr(webpage, "_PAGE_TEXT_LIMIT", 5_000)
    image = '<img alt="map" src="data:image/png;base64,' + "iVBORw0KGgo" * 2_000 + '">'
    script = "<script>var data = '" + "x" * 20_000 + "';</script><style>p { color: red }</style>"
    light = tmp_path / "light.html"
    light.write_bytes(page(script + "<article>" + image + "<p>" + LETTER[1] + "</p></article>"))
    assert convert_document(light).paragraphs == [LETTER[1]]

    monkeypatch.setattr(trafilatura, "bare_extraction", None)  # never reached
    heavy = tmp_path / "heavy.html"
    heavy.write_bytes(page("<article>" + f"<p>{LETTER[1]}</p>\n" * 40 + "</article>"))
    with pytest.raises(IngestError) as caught:
        convert_document(heavy)
    shown = len(" ".join([LETTER[1]] * 40)) + len(" A page")  # the paragraphs, and the title
    assert caught.value.message == (
        f"too much text: the page shows some {shown:,} characters, far more than a source file holds "
        "(1,000,000 bytes); save the article alone, or split it into smaller files"
    )
