"""Statuses: moderators move an idea on with an official response; voters and followers are told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.listening.follows import follow
from community.models import Notification
from ideas.models import Idea, StatusChange

pytestmark = pytest.mark.django_db


def change(client, idea, status, response="We will trial it in the spring."):
    return client.post(f"/ideas/ideas/{idea.pk}/status/", {"status": status, "response": response})


def test_a_moderator_changes_the_status_with_an_official_response(client_for, mo, idea):
    response = change(client_for(mo), idea, "planned", "We will trial it in **April**.")

    idea.refresh_from_db()
    assert response.status_code == 302
    assert idea.status == "planned"
    [entry] = StatusChange.objects.all()
    assert (entry.previous_status, entry.status, entry.changed_by) == ("new", "planned", mo)
    assert "<strong>April</strong>" in entry.response_html


def test_the_idea_shows_the_response_and_its_history(client_for, bob, mo, idea):
    idea.change_status(mo, "under_review", "We are looking at the costs.")
    idea.change_status(mo, "planned", "Booked for **April**.")

    html = client_for(bob).get(idea.get_absolute_url()).content.decode()

    assert "Official response: Planned" in html
    assert "Booked for <strong>April</strong>." in html
    assert "Status history" in html
    assert "New → Under review" in html and "Under review → Planned" in html
    assert html.index("Under review → Planned") < html.index("New → Under review")  # newest first


def test_it_tells_voters_followers_and_the_author_but_not_the_moderator(bob, charlie, helen, mo, idea, alice):
    idea.vote(bob)
    follow(charlie, idea)

    idea.change_status(mo, "planned", "Yes.")

    told = set(Notification.objects.filter(event_type="ideas.status_changed").values_list("recipient__username",
                                                                                              flat=True))  # fmt: skip
    assert told == {"alice", "bob", "charlie"}
    notification = Notification.objects.get(recipient=bob)
    assert notification.data["status_label"] == "Planned"
    assert notification.url == idea.get_absolute_url()


def test_it_refuses_people_who_are_not_moderators(client_for, alice, helen, idea):
    for user in (alice, helen):
        client = client_for(user)
        assert client.get(f"/ideas/ideas/{idea.pk}/status/").status_code == 403
        response = change(client, idea, "planned")
        assert response.status_code == 403
        assert "Only moderators can change the status of an idea." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "new"
    assert not StatusChange.objects.exists()
    with pytest.raises(PermissionDenied):
        idea.change_status(alice, "planned", "Sneaky")


def test_it_requires_a_response(client_for, mo, idea):
    response = change(client_for(mo), idea, "planned", "   ")

    assert response.status_code == 400
    assert "Enter the official response" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "new"


def test_it_refuses_an_overlong_response_and_keeps_what_was_typed(client_for, mo, idea):
    text = "x" * 10_001

    response = change(client_for(mo), idea, "planned", text)

    html = response.content.decode()
    assert response.status_code == 400
    assert "The response must be 10,000 characters or fewer" in html
    assert text in html
    assert not StatusChange.objects.exists()


def test_it_refuses_the_same_status_again(client_for, mo, idea):
    response = change(client_for(mo), idea, "new")

    assert response.status_code == 400
    assert "This idea is already “New”" in response.content.decode()


def test_duplicate_is_only_reached_by_merging(client_for, mo, idea):
    response = change(client_for(mo), idea, "duplicate")

    page = response.content.decode()
    assert response.status_code == 400
    assert "To mark an idea as a duplicate, merge it into the original idea." in page
    assert "Choose one of the statuses" not in page
    assert f'href="/ideas/ideas/{idea.pk}/merge/"' in page
    idea.refresh_from_db()
    assert idea.status == "new" and not StatusChange.objects.exists()
    with pytest.raises(ValidationError, match="merge it into the original"):
        idea.change_status(mo, "duplicate", "Same as another")


def test_implemented_ideas_remember_when(mo, idea):
    idea.change_status(mo, "implemented", "Done.")
    assert idea.implemented_at is not None
    assert Idea.objects.implemented().get() == idea

    idea.change_status(mo, "in_progress", "Reopened: it broke.")
    assert Idea.objects.get(pk=idea.pk).implemented_at is None
