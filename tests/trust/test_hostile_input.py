"""The hostile-input suite: hundreds of attack strings posted through the forms colleagues use, and
every page, feed and email they reach parsed for anything a browser would run.

The payloads are posted in parts (``PARTS``), each a test of its own, so the two pytest-xdist
workers of the behaviour session share them (tests/conftest.py gives each part a work unit of its
own). Each part prints its figures with ``-s``; at the end of the session a "hostile-input figures"
section adds them up: "N payloads × M fields, 0 executed". ``pytest -m hostile`` runs the suite
alone.
"""

import html
import re
import time
from html.parser import HTMLParser

import feedparser
import pytest
from django.core import mail
from django.test import Client
from django.utils.crypto import get_random_string

from community.listening.follows import follow
from community.models import EmailFrequency, ListeningPreferences
from ideas.models import Idea
from qa.models import Question
from tests.listening.conftest import wants_email
from tests.qa.test_comments import comment_data
from tests.trust.hostile_figures import HOSTILE_FIGURES, describe

pytestmark = [pytest.mark.django_db, pytest.mark.hostile]

# --- the payloads ---------------------------------------------------------------------------------

BASE = [
    # script
    "<script>xss(1)</script>",
    "<ScRiPt>xss(2)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "</title><script>xss(3)</script>",
    "</textarea><script>xss(4)</script>",
    '"><script>xss(5)</script>',
    "<scr<script>ipt>xss(6)</script>",
    # event handlers
    "<img src=x onerror=xss(7)>",
    '<img src="x" onerror="xss(8)">',
    "<svg onload=xss(9)>",
    "<body onload=xss(10)>",
    '<div onmouseover="xss(11)">hover</div>',
    "<input autofocus onfocus=xss(12)>",
    "<details open ontoggle=xss(13)>",
    "<video><source onerror=xss(14)></video>",
    '<a href="https://ok.example" onclick="xss(15)">x</a>',
    "<marquee onstart=xss(16)>",
    # javascript:, data:, vbscript: URLs and their obfuscations
    "[click](javascript:xss(17))",
    "[click](JaVaScRiPt:xss(18))",
    "[click](&#106;avascript:xss(19))",
    "[click](java%0ascript:xss(20))",
    "[click](java\tscript:xss(21))",
    "[click]( javascript:xss(22))",
    "[click](<javascript:xss(23)>)",
    "<javascript:xss(24)>",
    "[click](data:text/html;base64,PHNjcmlwdD54c3MoMjUpPC9zY3JpcHQ+)",
    "[click](vbscript:msgbox(26))",
    '<a href="javascript:xss(27)">x</a>',
    '<a href="&#x6A;avascript:xss(28)">x</a>',
    '<a href="jav&#x09;ascript:xss(29)">x</a>',
    "[r]\n\n[r]: javascript:xss(30)",
    '<iframe src="javascript:xss(31)"></iframe>',
    '<form action="javascript:xss(32)"><button>go</button></form>',
    '<button formaction="javascript:xss(33)">go</button>',
    # SVG and MathML
    "<svg><script>xss(34)</script></svg>",
    '<svg><a xlink:href="javascript:xss(35)"><text y="20">x</text></a></svg>',
    "<svg><animate onbegin=xss(36) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=xss(37)>",
    '<math href="javascript:xss(38)">x</math>',
    "<svg><foreignObject><iframe src=javascript:xss(39)></iframe></foreignObject></svg>",
    # CSS
    "<style>@import 'https://evil.example/x.css';</style>",
    '<p style="background:url(javascript:xss(40))">x</p>',
    '<div style="behavior:url(x.htc)">x</div>',
    '<div style="width:expression(xss(41))">x</div>',
    "<link rel=stylesheet href=//evil.example/x.css>",
    # broken markup
    '<img src="x` `<script>xss(42)</script>"` `>',
    "<<script>xss(43)//<</script>",
    '<a href="x" <script>xss(44)</script>',
    "<!--<script>xss(45)</script>-->",
    "<![CDATA[<script>xss(46)</script>]]>",
    "<object data=javascript:xss(47)>",
    "<embed src=javascript:xss(48)>",
    '<meta http-equiv="refresh" content="0;url=javascript:xss(49)">',
    "<base href=//evil.example/>",
    # Markdown link and image tricks
    "![x](javascript:xss(50))",
    '![x" onerror="xss(51)](https://ok.example/a.png)',
    '[x](https://ok.example "\\" onclick=xss(52) x=\\"")',
    "![pixel](https://tracker.example/p.gif)",
    "[![x](javascript:xss(53))](javascript:xss(54))",
    '<https://ok.example/" onclick="xss(55)>',
    # control and direction-override characters
    "Page\x0cbreak\x0bfrom\x01Word\x1b[31m",
    "gnp.\u202eexe",
    "zero\u200bwidth\u2060joiner\ufeff",
    "nul\x00byte",
    # template and SQL syntax
    "{{ 7*7 }} {% debug %} ${7*7} #{7*7} <%= 7*7 %>",
    "{{ request.user.password }}{% load static %}",
    "' OR 1=1 --",
    '"; DROP TABLE qa_question; --',
    "1; SELECT pg_sleep(5)--",
]

WRAPPERS = [
    "{}",
    "Before {} after",
    "> {}",
    "**{}**",
]

PAYLOADS = [wrapper.format(payload) for payload in BASE for wrapper in WRAPPERS]

# The payloads in parts of about 23: each part runs as a test of its own, on whichever worker is free.
PARTS = 12
PART_SIZE = -(-len(PAYLOADS) // PARTS)
FIELDS = ["question title", "question body", "answer", "comment", "idea title", "idea description",
          "profile name", "profile job title", "profile team", "profile bio"]  # fmt: skip

# --- what counts as executable --------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
ALWAYS_DANGEROUS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.I)


class ExecutableFinder(HTMLParser):
    """Everything in a page that a browser would run or load on its own from user input."""

    def __init__(self, nonce=None):
        super().__init__(convert_charrefs=True)
        self.nonce, self.found, self._in_script = nonce, [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value))
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(cleaned):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and re.search(r"url\(|expression|behavior", value, re.I):
                self.found.append(f"<{tag} style={value[:40]!r}>")
        if tag in ALWAYS_DANGEROUS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.found.append("<meta http-equiv>")
        if tag == "link" and not (attributes.get("href") or "").startswith("/"):
            self.found.append("<link> to another site")
        if tag == "script":
            src = attributes.get("src") or ""
            trusted = src.startswith("/static/") or (self.nonce and attributes.get("nonce") == self.nonce)
            self._in_script = trusted
            if not trusted:
                self.found.append(f"<script src={src!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script and "xss(" in data:
            self.found.append("payload inside a trusted script")


def executable(markup: str, nonce=None) -> list[str]:
    finder = ExecutableFinder(nonce)
    finder.feed(markup)
    finder.close()
    return finder.found


def page_nonce(response):
    match = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return match.group(1) if match else None


# --- the suite ------------------------------------------------------------------------------------


@pytest.fixture
def hostile_settings(settings):
    settings.QA_POST_RATE = settings.IDEAS_POST_RATE = settings.ACTION_RATE = "100000/h"
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "community.search.database"}}
    return settings


def test_the_suite_tries_hundreds_of_payloads_in_every_field():
    assert len(PAYLOADS) >= 200
    assert sorted(number for part in range(PARTS) for number in part_numbers(part)) == list(range(len(PAYLOADS)))


def part_numbers(part):
    return range(part * PART_SIZE, min((part + 1) * PART_SIZE, len(PAYLOADS)))


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"part{part + 1}of{PARTS}")
def test_no_payload_runs_anywhere(hostile_settings, alice, bob, capsys, record_property, part):
    started = time.monotonic()
    wants_email(bob, EmailFrequency.DAILY)
    follow(bob, alice)
    author, reader = Client(), Client()
    author.force_login(alice)
    reader.force_login(bob)
    answered = executed = pages = 0
    problems = []

    def check(where, response):
        nonlocal pages
        pages += 1
        assert response.status_code < 500, (where, response.status_code)
        for found in executable(response.content.decode(), page_nonce(response)):
            problems.append((where, found))

    numbers = part_numbers(part)
    for number in numbers:
        payload = PAYLOADS[number]
        unique = f"{payload} #{number}"
        asked = author.post("/qa/ask/", {"title": unique[:140], "body": unique, "tags": "hostile"})
        idea = author.post("/ideas/new/", {"title": unique[:140], "description": unique, "tags": "hostile"})
        profile = author.post(
            "/profile/edit/",
            {
                "display_name": f"Alice {get_random_string(6)}",
                "job_title": unique[:100],
                "team": unique[:100],
                "bio": unique[:1000],
            },  # fmt: skip
        )
        answered += sum(response.status_code in (302, 400) for response in (asked, idea, profile))
        assert {asked.status_code, idea.status_code, profile.status_code} <= {302, 400}, number
        question = Question.objects.filter(author=alice).order_by("-pk").first()
        if question is not None and asked.status_code == 302:
            reader.post(f"/qa/questions/{question.pk}/answer/", {"body": unique})
            reader.post(f"/qa/questions/{question.pk}/comment/", comment_data(question, unique[:3000]))
            check("question page", reader.get(question.get_absolute_url()))
        if idea.status_code == 302:
            latest = Idea.objects.filter(author=alice).order_by("-pk").first()
            check("idea page", reader.get(latest.get_absolute_url()))
        check("profile page", reader.get("/people/alice/"))

    for address in ("/qa/", "/ideas/", "/search/?q=xss", "/tags/hostile/", "/notifications/", "/people/"):
        check(address, reader.get(address))
    token = ListeningPreferences.for_user(bob).feed_token
    for kind in ("rss", "atom"):
        for address in (f"/feeds/{token}/questions/{kind}/", f"/feeds/{token}/tags/hostile/{kind}/"):
            response = Client().get(address)
            assert response.status_code == 200, address
            for entry in feedparser.parse(response.content).entries:
                problems += [(address, found) for found in executable(entry.get("summary", ""))]
    from community.listening.emails import send_digests

    send_digests()
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                problems += [("email", found) for found in executable(content)]

    executed = len(problems)
    figures = {
        "payloads": len(numbers),
        "fields": len(FIELDS),
        "executed": executed,
        "answered": answered,
        "pages": pages,
        "emails": len(mail.outbox),
        "feeds": 4,
        "seconds": time.monotonic() - started,
    }
    record_property(HOSTILE_FIGURES, figures)
    with capsys.disabled():
        print(f"\n{describe(figures)} (payloads {numbers[0] + 1}–{numbers[-1] + 1})")  # noqa: T201 - the suite reports its figures
    assert problems == [], problems[:20]


@pytest.mark.parametrize(
    "markup",
    [
        "<script>xss(1)</script>",
        "<img src=x onerror=xss(1)>",
        '<a href=" jav&#x09;ascript:xss(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(https://evil.example/x)">x</p>',
        '<svg><a xlink:href="javascript:xss(1)">x</a></svg>',
        '<meta http-equiv="refresh" content="0">',
    ],
)
def test_the_detector_finds_what_a_browser_would_run(markup):
    assert executable(f"<html><body><p>{markup}</p></body></html>")


def test_the_detector_passes_confers_own_markup():
    page = '<link rel="stylesheet" href="/static/css/confer.css"><script src="/static/htmx/htmx.min.js"></script>'
    assert executable(page + '<script nonce="abc">ok()</script><a href="/qa/">x</a>', nonce="abc") == []
