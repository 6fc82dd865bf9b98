"""Voting from the ideas list: a button on each card, in place with htmx, back to the same list
without JavaScript; the idea page's endpoint and its rate limit do the voting."""

import re

import pytest
from django.test import Client, override_settings

from ideas.models import Vote

from .conftest import submit

pytestmark = pytest.mark.django_db


def card(html: str, idea) -> str:
    return html.split(f'href="{idea.get_absolute_url()}"')[1].split('<li class="confer-card">')[0].split("</main>")[0]


def test_it_shows_a_vote_button_on_each_card_of_the_list(client_for, alice, bob, idea):
    other = submit(alice, title="Print from phones")
    other.vote(bob)

    html = client_for(bob).get("/ideas/").content.decode()

    assert 'value="vote"' in card(html, idea) and f'Vote<span class="govuk-visually-hidden"> for {idea.title}' in html
    assert 'value="withdraw"' in card(html, other) and "1 vote</strong> (including yours)" in card(html, other)


def test_it_votes_in_place_with_htmx(client_for, bob, idea):
    response = client_for(bob).post(
        f"/ideas/ideas/{idea.pk}/vote/",
        {"action": "vote", "inline": "1", "next": "/ideas/?sort=top"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.startswith(f'<div class="confer-inline-vote" id="vote-idea-{idea.pk}">')
        or f'id="vote-idea-{idea.pk}"' in html[:200]
    )
    assert "1 vote</strong> (including yours)" in html
    assert 'value="withdraw"' in html
    assert 'name="next" value="/ideas/?sort=top"' in html
    assert Vote.objects.filter(idea=idea, user=bob).exists()


def test_it_goes_back_to_the_same_list_without_javascript(bob, idea):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)
    html = browser.get("/ideas/?sort=newest").content.decode()
    form = re.search(rf'<form method="post" action="/ideas/ideas/{idea.pk}/vote/".*?</form>', html, re.S)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))

    response = browser.post(f"/ideas/ideas/{idea.pk}/vote/", {**fields, "action": "vote"}, follow=True)

    assert response.redirect_chain == [("/ideas/?sort=newest", 302)]
    assert "Your vote has been counted." in response.content.decode()
    assert Vote.objects.filter(idea=idea, user=bob).count() == 1


def test_it_never_sends_the_browser_off_the_site(client_for, bob, idea):
    response = client_for(bob).post(
        f"/ideas/ideas/{idea.pk}/vote/", {"action": "vote", "inline": "1", "next": "https://evil.example/"}
    )

    assert response["Location"] == idea.get_absolute_url()


@override_settings(IDEAS_VOTE_RATE="1/h")
def test_it_keeps_the_vote_rate_limit_in_place(client_for, bob, alice, idea):
    other = submit(alice, title="Print from phones")
    client = client_for(bob)
    client.post(f"/ideas/ideas/{idea.pk}/vote/", {"action": "vote", "inline": "1"}, HTTP_HX_REQUEST="true")

    refused = client.post(f"/ideas/ideas/{other.pk}/vote/", {"action": "vote", "inline": "1"}, HTTP_HX_REQUEST="true")

    assert refused.status_code == 429
    assert 'id="vote-idea-' in refused.content.decode() and 'role="alert"' in refused.content.decode()
    assert not Vote.objects.filter(idea=other).exists()


def test_it_offers_no_button_on_a_closed_idea(client_for, bob, mo, idea):
    idea.change_status(mo, "declined", "Not this year.")

    html = client_for(bob).get("/ideas/?status=declined").content.decode()

    assert idea.title in html
    assert f'action="/ideas/ideas/{idea.pk}/vote/"' not in html
