"""Owning your idea: delete it while nobody has replied (a confirmation page first); once someone has
commented or a moderator has responded, withdraw it instead: others see "Withdrawn by the author",
its comments, votes and history stay, and it leaves lists and search. Only its author may do either."""

import pytest
from django.test import Client

from community.listening.follows import is_following
from ideas.models import Idea

from .conftest import submit
from .test_comments import post_comment

pytestmark = pytest.mark.django_db


def delete_url(idea):
    return f"/ideas/ideas/{idea.pk}/delete/"


def withdraw_url(idea):
    return f"/ideas/ideas/{idea.pk}/withdraw/"


def test_it_asks_first_and_deletes_only_when_confirmed(client_for, alice):
    idea = submit(alice)
    client = client_for(alice)

    page = client.get(idea.get_absolute_url()).content.decode()
    confirm = client.get(delete_url(idea))

    assert f'href="{delete_url(idea)}">Delete' in page
    assert confirm.status_code == 200
    assert "Are you sure you want to delete your idea?" in confirm.content.decode()
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_it_deletes_the_idea_with_its_votes_and_follows(alice, bob):
    idea = submit(alice, title="Free fruit on Fridays")
    idea.vote(bob)  # votes are not replies
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    html = browser.get(delete_url(idea)).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(delete_url(idea), {"csrfmiddlewaretoken": token}, follow=True)

    assert response.redirect_chain == [("/ideas/", 302)]
    assert "Your idea “Free fruit on Fridays” has been deleted." in response.content.decode()
    assert not Idea.objects.filter(pk=idea.pk).exists()
    assert not is_following(alice, idea)


def test_only_its_author_may_delete_or_withdraw_it(client_for, alice, bob, mo, dita):
    idea = submit(alice)

    for user in (bob, mo, dita):
        for address, refusal in (
            (delete_url(idea), "Only the person who proposed this idea can delete it."),
            (withdraw_url(idea), "Only the person who proposed this idea can withdraw it."),
        ):
            seen = client_for(user).get(address)
            posted = client_for(user).post(address)
            assert seen.status_code == posted.status_code == 403
            assert refusal in posted.content.decode()
    assert Idea.objects.filter(pk=idea.pk, withdrawn_at__isnull=True).exists()
    page = client_for(bob).get(idea.get_absolute_url()).content.decode()
    assert delete_url(idea) not in page and withdraw_url(idea) not in page


def test_after_a_comment_deleting_is_refused_and_withdrawing_offered(client_for, alice, bob):
    idea = submit(alice)
    post_comment(client_for(bob), idea, "Would this work for hot desks too?")

    response = client_for(alice).post(delete_url(idea), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(idea.get_absolute_url(), 302)]
    assert "Someone has commented on this idea, so it can no longer be deleted. You can withdraw it instead." in html
    assert Idea.objects.filter(pk=idea.pk).exists()
    assert f'href="{withdraw_url(idea)}">Withdraw' in html
    assert f'href="{delete_url(idea)}"' not in html


def test_after_a_moderators_response_deleting_is_refused(client_for, alice, mo):
    idea = submit(alice)
    idea.change_status(mo, "planned", "We will do this in May.")

    response = client_for(alice).post(delete_url(idea), follow=True)

    assert "A moderator has responded to this idea, so it can no longer be deleted." in response.content.decode()
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_a_withdrawn_idea_shows_others_only_that_keeps_its_comments_and_leaves_lists(client_for, alice, bob, mo):
    idea = submit(alice, title="Free fruit on Fridays", description="Apples from the *Ashbourne* farm.")
    idea.vote(bob)
    post_comment(client_for(bob), idea, "Pears please")
    confirm = client_for(alice).get(withdraw_url(idea))

    response = client_for(alice).post(withdraw_url(idea), follow=True)

    assert "Are you sure you want to withdraw your idea?" in confirm.content.decode()
    assert "Your idea has been withdrawn." in response.content.decode()
    others = client_for(bob).get(idea.get_absolute_url()).content.decode()
    assert "Withdrawn by the author" in others
    assert "Ashbourne" not in others
    assert "Pears please" in others
    assert "Its author withdrew this idea, so it takes no new comments." in others
    for insider in (alice, mo):
        own = client_for(insider).get(idea.get_absolute_url()).content.decode()
        assert "<em>Ashbourne</em>" in own and "Withdrawn by the author" in own
    listed = client_for(bob).get("/ideas/", {"sort": "newest"}).context["page"].object_list
    assert idea.pk not in [shown.pk for shown in listed]
    idea.refresh_from_db()
    assert idea.vote_count == 1


def test_a_withdrawn_idea_takes_no_more_votes_nor_comments(client_for, alice, bob, charlie):
    idea = submit(alice)
    post_comment(client_for(bob), idea, "Hot desks too?")
    client_for(alice).post(withdraw_url(idea))

    voted = client_for(charlie).post(f"/ideas/ideas/{idea.pk}/vote/", {"action": "vote"}, follow=True)
    commented = post_comment(client_for(charlie), idea, "Me too")
    again = client_for(alice).post(withdraw_url(idea), follow=True)

    assert "Its author withdrew this idea, so it is no longer taking votes." in voted.content.decode()
    assert "Its author withdrew this idea, so it takes no comments." in commented.content.decode()
    assert "You have withdrawn this idea already." in again.content.decode()
    idea.refresh_from_db()
    assert (idea.vote_count, idea.comment_count) == (0, 1)


def test_search_leaves_a_withdrawn_idea_out(client_for, alice, bob):
    idea = submit(alice, title="Book meeting rooms from the calendar")
    post_comment(client_for(bob), idea, "Yes please")

    def found():
        html = client_for(bob).get("/search/", {"q": "meeting rooms", "type": "ideas"}).content.decode()
        return "Book meeting rooms from the calendar" in html

    before = found()
    client_for(alice).post(withdraw_url(idea))

    assert before and not found()
