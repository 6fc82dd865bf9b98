"""RSS and Atom feeds per tag, per kind of content and per saved search, behind a secret token."""

import feedparser
import pytest
from django.test import Client

from community.models import ListeningPreferences
from tests.qa.conftest import ask

pytestmark = pytest.mark.django_db


def token_of(user):
    return ListeningPreferences.for_user(user).feed_token


def parse(response):
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.fixture
def questions(alice, bob):
    return [
        ask(alice, title="VPN drops every hour", tags=["vpn"]),
        ask(bob, title="Pivot tables in Excel", body="How do I **group** by month?", tags=["excel"]),
    ]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_it_serves_a_valid_feed_of_new_questions(alice, questions, kind):
    feed = parse(Client().get(f"/feeds/{token_of(alice)}/questions/{kind}/"))

    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert [entry.title for entry in feed.entries] == ["Pivot tables in Excel", "VPN drops every hour"]
    assert feed.entries[0].link == f"http://127.0.0.1:8000{questions[1].get_absolute_url()}"  # the site's address
    assert "<strong>group</strong>" in feed.entries[0].summary


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_it_serves_a_feed_per_tag(alice, questions, kind):
    feed = parse(Client().get(f"/feeds/{token_of(alice)}/tags/excel/{kind}/"))

    assert feed.feed.title == "Confer: excel"
    assert [entry.title for entry in feed.entries] == ["Pivot tables in Excel"]


def test_it_serves_a_feed_per_saved_search(alice, questions):
    feed = parse(Client().get(f"/feeds/{token_of(alice)}/search/rss/", {"q": "pivot"}))

    assert "pivot" in feed.feed.title
    assert [entry.title for entry in feed.entries] == ["Pivot tables in Excel"]


def test_it_leaves_hidden_questions_out(alice, bob, mo, questions):
    questions[1].hide(mo)

    feed = parse(Client().get(f"/feeds/{token_of(alice)}/questions/rss/"))

    assert [entry.title for entry in feed.entries] == ["VPN drops every hour"]


@pytest.mark.parametrize(
    "path",
    ["/feeds/wrong-token/questions/rss/", "/feeds/wrong-token/tags/vpn/atom/", "/feeds/wrong-token/search/rss/?q=vpn"],
)
def test_it_refuses_a_wrong_token_without_saying_more(alice, questions, path):
    response = Client().get(path)

    assert response.status_code == 404
    assert b"VPN drops" not in response.content


def test_it_stops_an_old_address_when_the_token_is_changed(client_for, alice, questions):
    old = token_of(alice)

    client_for(alice).post("/notifications/settings/feed-token/")

    assert Client().get(f"/feeds/{old}/questions/rss/").status_code == 404
    parse(Client().get(f"/feeds/{token_of(alice)}/questions/rss/"))


def test_it_refuses_feeds_of_someone_who_has_left(alice, questions):
    token = token_of(alice)
    alice.is_active = False
    alice.save()

    assert Client().get(f"/feeds/{token}/questions/rss/").status_code == 404


def test_it_answers_an_unknown_feed_or_tag_with_404(alice, questions):
    token = token_of(alice)

    assert Client().get(f"/feeds/{token}/spaceships/rss/").status_code == 404
    assert Client().get(f"/feeds/{token}/tags/no-such-tag/rss/").status_code == 404
    assert Client().get(f"/feeds/{token}/search/rss/").status_code == 404


def test_it_links_feeds_from_the_tag_page(client_for, alice, questions):
    html = client_for(alice).get("/tags/vpn/").content.decode()

    assert f'href="/feeds/{token_of(alice)}/tags/vpn/rss/"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html


def test_it_offers_a_feed_of_a_search(client_for, alice, questions):
    html = client_for(alice).get("/search/", {"q": "pivot tables"}).content.decode()

    assert f'href="/feeds/{token_of(alice)}/search/rss/?q=pivot%20tables"' in html


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_control_character_pasted_into_a_post_does_not_break_the_feed(alice, bob, kind):
    # A form feed pasted from Word made every feed holding the post answer 500, for everyone.
    ask(bob, title="Page\x0cbreak from Word", body="Line one\x0bline two\x01 and \x1b[31mred", tags=["word"])

    for address in (f"/feeds/{token_of(alice)}/questions/{kind}/", f"/feeds/{token_of(alice)}/tags/word/{kind}/"):
        feed = parse(Client().get(address))

        assert [entry.title for entry in feed.entries] == ["Pagebreak from Word"]
        assert "Line oneline two and [31mred" in feed.entries[0].summary
