"""Following and unfollowing tags, questions and people: with and without JavaScript."""

import pytest
from taggit.models import Tag

from community.listening.follows import follow, is_following
from community.models import Follow
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_it_follows_a_tag_from_its_page_without_javascript(client_for, alice):
    question = ask(alice, tags=["vpn"])
    tag = Tag.objects.get(name="vpn")
    client = client_for(alice)

    response = client.post(f"/follow/tag/{tag.pk}/", {"action": "follow", "next": "/tags/vpn/"}, follow=True)

    assert response.redirect_chain[-1][0] == "/tags/vpn/"
    assert "You are following vpn." in response.content.decode()
    assert is_following(alice, tag)
    assert question  # the tag exists because a question uses it


def test_it_returns_the_button_alone_to_htmx(client_for, alice, bob):
    question = ask(alice)
    client = client_for(bob)

    response = client.post(f"/follow/question/{question.pk}/", {"action": "follow"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'aria-pressed="true"' in html and "Following" in html
    response = client.post(f"/follow/question/{question.pk}/", {"action": "unfollow"}, HTTP_HX_REQUEST="true")
    assert 'aria-pressed="false"' in response.content.decode()
    assert not is_following(bob, question)


def test_it_follows_once_however_often_the_button_is_pressed(client_for, alice, bob):
    client = client_for(alice)
    for _ in range(3):
        client.post(f"/follow/person/{bob.pk}/", {"action": "follow"})

    assert Follow.objects.filter(user=alice).count() == 1


def test_it_refuses_to_follow_what_does_not_exist(client_for, alice):
    client = client_for(alice)

    assert client.post("/follow/tag/999999/", {"action": "follow"}).status_code == 404
    assert client.post("/follow/spaceship/1/", {"action": "follow"}).status_code == 404
    assert not Follow.objects.exists()


def test_it_refuses_to_follow_a_hidden_question(client_for, alice, bob, mo):
    question = ask(alice)
    question.hide(mo)

    response = client_for(bob).post(f"/follow/question/{question.pk}/", {"action": "follow"})

    assert response.status_code == 404
    assert not is_following(bob, question)


def test_it_refuses_to_follow_someone_who_has_left(client_for, alice, bob):
    bob.is_active = False
    bob.save()

    assert client_for(alice).post(f"/follow/person/{bob.pk}/", {"action": "follow"}).status_code == 404


def test_it_needs_a_post(client_for, alice):
    tag = Tag.objects.create(name="excel", slug="excel")
    client = client_for(alice)

    assert client.get(f"/follow/tag/{tag.pk}/").status_code == 405
    assert not is_following(alice, tag)


def test_it_ignores_a_next_address_on_another_site(client_for, alice):
    tag = Tag.objects.create(name="excel", slug="excel")

    response = client_for(alice).post(f"/follow/tag/{tag.pk}/", {"action": "follow", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == "/tags/excel/"


def test_it_lists_what_a_person_follows_by_kind(client_for, alice, bob):
    question = ask(bob, title="How do I set up an RSS reader?", tags=["rss"])
    follow(alice, Tag.objects.get(name="rss"))
    follow(alice, bob)
    follow(alice, question)

    html = client_for(alice).get("/following/").content.decode()

    assert "Tags" in html and "rss" in html
    assert "People" in html and "Bob Baker" in html
    assert "Questions" in html and "How do I set up an RSS reader?" in html


def test_it_follows_what_you_take_part_in(alice, bob, charlie):
    question = ask(alice)
    answer(question, bob)
    other = ask(alice, title="Where do I claim expenses?", tags=["expenses"])
    other.vote(charlie, 1)

    assert is_following(alice, question)
    assert is_following(bob, question)
    assert is_following(charlie, other)


def test_it_does_not_follow_automatically_when_switched_off(alice, bob):
    wants_email(bob, auto_follow=False)
    question = ask(alice)
    answer(question, bob)

    assert not is_following(bob, question)


def test_it_filters_questions_to_followed_tags(client_for, alice, bob):
    ask(bob, title="VPN drops every hour", tags=["vpn"])
    ask(bob, title="Pivot tables in Excel", tags=["excel"])
    follow(alice, Tag.objects.get(name="excel"))

    html = client_for(alice).get("/qa/?followed=on").content.decode()

    assert "Pivot tables in Excel" in html
    assert "VPN drops every hour" not in html


def test_it_lets_people_unfollow_a_question_hidden_since_without_showing_its_title(client_for, alice, bob, mo):
    question = ask(alice, title="Salary of the new director")
    follow(bob, question)
    question.hide(mo)
    client = client_for(bob)

    html = client.get("/following/").content.decode()
    assert "A hidden question" in html
    assert "Salary of the new director" not in html

    response = client.post(
        f"/follow/question/{question.pk}/", {"action": "unfollow", "next": "/following/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/following/"
    html = response.content.decode()
    assert "You no longer follow a hidden question." in html
    assert "Salary of the new director" not in html
    assert not is_following(bob, question)


def test_it_unfollows_a_hidden_question_with_htmx(client_for, alice, bob, mo):
    question = ask(alice, title="Salary of the new director")
    follow(bob, question)
    question.hide(mo)

    response = client_for(bob).post(f"/follow/question/{question.pk}/", {"action": "unfollow"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "You no longer follow a hidden question." in response.content.decode()
    assert not is_following(bob, question)


def test_it_still_hides_a_hidden_question_from_those_who_never_followed_it(client_for, alice, bob, mo):
    question = ask(alice)
    question.hide(mo)

    assert client_for(bob).post(f"/follow/question/{question.pk}/", {"action": "unfollow"}).status_code == 404


def test_it_toggles_when_the_form_does_not_say_which(client_for, alice):
    tag = Tag.objects.create(name="excel", slug="excel")
    client = client_for(alice)

    client.post(f"/follow/tag/{tag.pk}/", {})
    assert is_following(alice, tag)
    client.post(f"/follow/tag/{tag.pk}/", {})
    assert not is_following(alice, tag)


def test_it_refuses_to_let_you_follow_yourself(client_for, alice):
    response = client_for(alice).post(f"/follow/person/{alice.pk}/", {"action": "follow"}, follow=True)

    assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.exists()
