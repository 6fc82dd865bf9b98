"""/ideas/<id>/<slug>/: the idea, its votes, status, history and comments; slugs redirect."""

import django_comments
import pytest
from django.conf import settings

from community.listening.follows import follow
from ideas.models import Idea
from tests.conftest import make_user

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_it_shows_the_idea(alice_client, idea):
    response = alice_client.get(idea.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Book meeting rooms from the calendar" in html
    assert "<em>a lot</em>" in html
    assert "Vote for this idea" in html
    assert ">New<" in html


def test_a_wrong_or_missing_slug_redirects_to_the_right_address(alice_client, idea):
    for path in (f"/ideas/{idea.pk}/", f"/ideas/{idea.pk}/old-title/"):
        response = alice_client.get(path)
        assert response.status_code == 301
        assert response["Location"] == idea.get_absolute_url()


def test_an_unknown_idea_is_a_404(alice_client):
    assert alice_client.get("/ideas/99999/anything/").status_code == 404


def test_it_escapes_markup_in_the_description(alice_client, alice):
    idea = submit(alice, description='<script>alert("x")</script> [link](javascript:alert(1))')

    html = alice_client.get(idea.get_absolute_url()).content.decode()

    assert '<script>alert("x")</script>' not in html
    assert 'href="javascript' not in html


def test_moderators_see_their_actions_and_staff_do_not(client_for, alice, mo, idea):
    moderator_html = client_for(mo).get(idea.get_absolute_url()).content.decode()
    staff_html = client_for(alice).get(idea.get_absolute_url()).content.decode()

    assert "Change status" in moderator_html and "Merge into another idea" in moderator_html
    assert "Change status" not in staff_html and "Merge into another idea" not in staff_html


def test_it_shows_a_follow_button(alice_client, idea):
    html = alice_client.get(idea.get_absolute_url()).content.decode()

    assert f'action="/follow/idea/{idea.pk}/"' in html


def test_the_detail_page_takes_a_fixed_number_of_queries(client_for, alice, mo, django_user_model,
                                                         django_assert_max_num_queries):  # fmt: skip
    idea = submit(alice, tags=["meetings", "outlook", "rooms"])
    people = [make_user(django_user_model, f"p{n}") for n in range(10)]
    for n, person in enumerate(people):
        idea.vote(person)
        follow(person, idea)
        django_comments.get_model().objects.create(
            content_object=idea, site_id=settings.SITE_ID, user=person, user_name=person.username, comment=f"c{n}"
        )
    for n in range(3):
        other = submit(people[n], title=f"Same idea {n}")
        other.merge_into(idea, mo)
    for status in ("under_review", "planned", "in_progress"):
        Idea.objects.get(pk=idea.pk).change_status(mo, status, f"Now {status}")
    client = client_for(people[0])

    with django_assert_max_num_queries(15):
        response = client.get(idea.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("Same idea") >= 3
