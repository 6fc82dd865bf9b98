"""The one Markdown helper: whatever staff type, the HTML that comes out is safe."""

from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from community.markdown import ALLOWED_TAGS, render_markdown, sanitise_html

SCRIPT_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)>",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
ATTRIBUTE_PAYLOADS = [
    '<img src=x onerror="alert(1)">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div onmouseover="alert(1)">hover</div>',
    '<img src="https://ok.example/a.png" onload=alert(1)>',
]
URL_PAYLOADS = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
]


def elements(html: str) -> list[tuple[str, dict]]:
    """Every element a browser would build from the HTML, with its attributes."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def rendered(payload):
    return [render_markdown(payload), sanitise_html(payload)]


@pytest.mark.parametrize("payload", SCRIPT_PAYLOADS + ATTRIBUTE_PAYLOADS + URL_PAYLOADS)
def test_it_builds_only_allowlisted_elements(payload):
    for html in rendered(payload):
        assert {tag for tag, _ in elements(html)} <= ALLOWED_TAGS


@pytest.mark.parametrize("payload", ATTRIBUTE_PAYLOADS)
def test_it_strips_event_handler_and_style_attributes(payload):
    for html in rendered(payload):
        for tag, attrs in elements(html):
            assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
            assert "javascript" not in attrs.get("style", "")


@pytest.mark.parametrize("payload", URL_PAYLOADS)
def test_it_drops_dangerous_url_schemes(payload):
    for html in rendered(payload):
        for _, attrs in elements(html):
            for name in ("href", "src"):
                if name in attrs:
                    assert urlparse(attrs[name].strip()).scheme in {"", "http", "https", "mailto"}, attrs


def test_it_renders_everyday_markdown():
    html = render_markdown(
        "# Connecting\n\nUse **the VPN** then `ping`:\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )

    assert "<h2>Connecting</h2>" in html
    assert "<strong>the VPN</strong>" in html
    assert "<code>ping</code>" in html
    assert "<ol>" in html
    assert "<table>" in html


def test_it_shifts_headings_down_so_the_page_keeps_its_one_h1():
    html = render_markdown("# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\nSetext\n===")

    assert "<h1" not in html
    assert "<h2>One</h2>" in html and "<h3>Two</h3>" in html and "<h4>Three</h4>" in html
    assert "<h5>Four</h5>" in html and "<h6>Five</h6>" in html and "<h6>Six</h6>" in html
    assert "<h2>Setext</h2>" in html


def test_it_marks_links_nofollow_noopener():
    html = render_markdown("[guide](https://intranet.example/guide)")

    assert 'href="https://intranet.example/guide"' in html
    assert 'rel="nofollow noopener"' in html


def test_it_shows_raw_html_as_text_rather_than_markup():
    assert render_markdown("<b>bold?</b>") == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"


def test_it_treats_empty_input_as_empty():
    assert render_markdown(None) == ""
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    "text, href",
    [
        ("![pixel](https://tracker.example/p.gif)", "https://tracker.example/p.gif"),
        ("![](/notifications/5/)", "/notifications/5/"),
        ('![chart](chart.png "Sales")', "chart.png"),
    ],
)
def test_an_image_becomes_a_link_so_no_reader_loads_it_unasked(text, href):
    html = render_markdown(text)

    assert [tag for tag, _ in elements(html)] == ["p", "a"]
    assert elements(html)[1][1]["href"] == href
    assert "(image)" in html or "Image" in html


def test_an_image_tag_from_any_source_is_dropped():
    assert "<img" not in sanitise_html('<p><img src="https://tracker.example/p.gif" alt="x"></p>')


def test_an_image_tag_keeps_only_a_picture_uploaded_to_confer():
    html = sanitise_html('<img src="/uploads/images/4/" alt="x" onerror="alert(1)"><img src="/uploads/images/4/../x">')

    assert elements(html) == [("img", {"src": "/uploads/images/4/", "alt": "x"})]


def test_a_picture_uploaded_to_confer_is_shown_and_others_are_links():
    html = render_markdown("![Error dialog](/uploads/images/12/) ![x](/uploads/images/12/?next=/notifications/)")

    assert elements(html)[1] == ("img", {"src": "/uploads/images/12/", "alt": "Error dialog", "loading": "lazy"})
    assert [tag for tag, _ in elements(html)] == ["p", "img", "a"]


@pytest.mark.parametrize(
    "text, href",
    [
        ("See https://intranet.example/guide today", "https://intranet.example/guide"),
        ("See www.gov.uk for more", "http://www.gov.uk"),
        ("Email helpdesk@example.org", "mailto:helpdesk@example.org"),
    ],
)
def test_it_makes_links_of_typed_addresses(text, href):
    links = [attrs for tag, attrs in elements(render_markdown(text)) if tag == "a"]

    assert [link["href"] for link in links] == [href]
    assert links[0]["rel"] == "nofollow noopener"


def test_typed_javascript_addresses_are_not_made_links():
    html = render_markdown("javascript:alert(1) and data:text/html,x")

    assert "<a" not in html


@pytest.mark.django_db
def test_a_mention_of_an_active_colleague_links_to_their_profile(alice, bob):
    bob.is_active = False
    bob.save()

    html = render_markdown("Thanks @Alice and @bob, and @nobody. Mail alice@example.org; `@alice` in code.")

    links = [attrs for tag, attrs in elements(html) if tag == "a"]
    mentions = [attrs["href"] for attrs in links if attrs.get("class") == "confer-mention"]
    assert mentions == ["/people/alice/"]
    assert "@bob" in html and "/people/bob/" not in html  # a deactivated account: plain text
    assert "@nobody" in html and "/people/nobody/" not in html
    assert "mailto:alice@example.org" in html
    assert "<code>@alice</code>" in html
