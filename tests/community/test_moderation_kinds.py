"""Ideas and comments in the moderation queue: flagged, shown inline, decided the same way as questions
and answers, the right people told exactly once; claims; the header count over every kind."""

import django_comments
import pytest
from django.conf import settings

from community.models import AuditEntry, Claim, Flag, Notification
from ideas.models import Idea
from tests.conftest import make_user
from tests.ideas.conftest import submit
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/"


def comment_on(target, user, text="Buy cheap watches at example.com"):
    return django_comments.get_model().objects.create(
        content_object=target, site_id=settings.SITE_ID, user=user, user_name=user.username, comment=text
    )


def notified(user, event_type):
    return Notification.objects.filter(recipient=user, event_type=event_type)


def decide(client, kind, pk, decision, message="", follow=True):
    return client.post(f"/moderation/{kind}/{pk}/", {"decision": decision, "message": message}, follow=follow)


@pytest.fixture
def question(alice):
    return ask(alice)


@pytest.fixture
def carl(django_user_model):
    return make_user(django_user_model, "carl", "Moderators")


@pytest.fixture
def spam_idea(bob):
    return submit(bob, title="Cheap watches for every team", description="Visit example.com for watches.")


@pytest.fixture
def flagged_idea(client_for, spam_idea, alice, charlie):
    client_for(alice).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "spam"})
    client_for(charlie).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "other", "note": "An advert"})
    return spam_idea


@pytest.fixture
def flagged_comment(client_for, alice, bob, charlie):
    comment = comment_on(submit(alice), bob)
    client_for(charlie).post(f"/moderation/comment/{comment.pk}/flag/", {"reason": "offensive"})
    return comment


# --- flagging -------------------------------------------------------------------------------------


def test_anyone_flags_an_idea_with_a_reason_from_its_page(client_for, alice, spam_idea):
    page = client_for(alice).get(spam_idea.get_absolute_url()).content.decode()
    assert f'href="/moderation/idea/{spam_idea.pk}/flag/"' in page

    response = client_for(alice).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "spam"}, follow=True)

    assert "Thank you. A moderator will look at it." in response.content.decode()
    assert Flag.objects.get().target == spam_idea


def test_a_flag_without_a_reason_is_a_400_and_nothing_is_sent(client_for, alice, spam_idea):
    response = client_for(alice).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "other", "note": " "})

    assert response.status_code == 400
    assert "Say what is wrong with it" in response.content.decode()
    assert not Flag.objects.exists()


def test_nobody_flags_their_own_idea_or_twice(client_for, alice, bob, spam_idea):
    client_for(bob).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "spam"})
    client_for(alice).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "spam"})
    again = client_for(alice).post(f"/moderation/idea/{spam_idea.pk}/flag/", {"reason": "offensive"}, follow=True)

    assert "You have already flagged this idea." in again.content.decode()
    assert list(Flag.objects.values_list("user__username", "reason")) == [("alice", "spam")]


def test_comments_can_be_flagged_from_the_thread(client_for, alice, bob, charlie, question):
    comment = comment_on(question, bob, "Rude words")

    page = client_for(charlie).get(question.get_absolute_url()).content.decode()
    assert f'href="/moderation/comment/{comment.pk}/flag/"' in page
    client_for(charlie).post(f"/moderation/comment/{comment.pk}/flag/", {"reason": "offensive"})

    assert Flag.objects.get().target == comment


def test_every_moderator_is_told_once_when_an_idea_enters_the_queue(carl, mo, alice, flagged_idea):
    for moderator in (mo, carl):
        told = notified(moderator, "moderation.flagged").get()
        assert told.url == f"/moderation/#idea-{flagged_idea.pk}"
        assert told.title == flagged_idea.title
    assert not notified(alice, "moderation.flagged").exists()


# --- the queue ------------------------------------------------------------------------------------


def test_the_queue_shows_ideas_and_comments_inline_with_reasons_and_notes(client_for, mo, flagged_idea,
                                                                          flagged_comment):  # fmt: skip
    html = client_for(mo).get(QUEUE).content.decode()

    link = '<a href="http://example.com" rel="nofollow noopener">example.com</a>'  # typed addresses are links
    assert f"Visit {link} for watches." in html  # the idea itself
    assert "Buy cheap watches at example.com" in html  # the comment itself, as typed
    assert "“An advert”" in html
    assert "<strong>2</strong> people" in html
    assert f'id="idea-{flagged_idea.pk}"' in html and f'id="comment-{flagged_comment.pk}"' in html


def test_hiding_an_idea_and_telling_its_author(client_for, mo, alice, bob, charlie, flagged_idea):
    response = decide(client_for(mo), "idea", flagged_idea.pk, "hide_and_tell", "No adverts, please.")

    assert "The idea is hidden and its author has been told why." in response.content.decode()
    flagged_idea.refresh_from_db()
    assert flagged_idea.is_hidden
    assert notified(bob, "moderation.hidden").get().data["message"] == "No adverts, please."
    for flagger in (alice, charlie):
        handled = notified(flagger, "moderation.flag_handled").get()
        assert handled.data == {"kind": "idea", "outcome": "hidden"}
        assert handled.url == "/ideas/"  # they can no longer open the idea
    assert [(e.actor, e.action, e.flags) for e in AuditEntry.objects.all()] == [
        (mo, AuditEntry.Action.HIDDEN_AUTHOR_TOLD, 2)
    ]
    # Hidden from colleagues (page and list), still there for its author and moderators.
    assert client_for(alice).get(flagged_idea.get_absolute_url()).status_code == 404
    assert "Cheap watches" not in client_for(alice).get("/ideas/").content.decode()
    assert client_for(bob).get(flagged_idea.get_absolute_url()).status_code == 200
    assert client_for(mo).get(flagged_idea.get_absolute_url()).status_code == 200


def test_dismissing_an_idea_flag_leaves_it_up_and_tells_the_flaggers_once(client_for, mo, alice, bob, flagged_idea):
    decide(client_for(mo), "idea", flagged_idea.pk, "dismiss")
    decide(client_for(mo), "idea", flagged_idea.pk, "dismiss")  # a second click finds nothing open

    assert not Idea.objects.get(pk=flagged_idea.pk).is_hidden
    assert notified(alice, "moderation.flag_handled").count() == 1
    assert not notified(bob, "moderation.hidden").exists()
    assert AuditEntry.objects.count() == 1


def test_hiding_a_comment_removes_it_from_the_thread(client_for, mo, alice, bob, charlie, flagged_comment):
    decide(client_for(mo), "comment", flagged_comment.pk, "hide")

    flagged_comment.refresh_from_db()
    assert flagged_comment.is_removed
    idea_page = client_for(alice).get(flagged_comment.content_object.get_absolute_url()).content.decode()
    assert "Buy cheap watches" not in idea_page
    assert notified(charlie, "moderation.flag_handled").get().data["outcome"] == "hidden"
    assert not notified(bob, "moderation.hidden").exists()
    assert AuditEntry.objects.get().subject.startswith("Comment ")


def test_deciding_twice_says_who_did_and_changes_nothing(client_for, mo, django_user_model, flagged_comment):
    carl = make_user(django_user_model, "carl", "Moderators")
    decide(client_for(mo), "comment", flagged_comment.pk, "dismiss")

    response = decide(client_for(carl), "comment", flagged_comment.pk, "hide")

    assert "The flags on this comment were already dealt with by mo. Nothing was changed." in (
        response.content.decode()
    )
    flagged_comment.refresh_from_db()
    assert not flagged_comment.is_removed
    assert AuditEntry.objects.count() == 1


def test_deciding_a_deleted_comment_says_so(client_for, mo, flagged_comment):
    pk = flagged_comment.pk
    flagged_comment.delete()

    response = decide(client_for(mo), "comment", pk, "hide")

    assert "That comment has been deleted, so there is nothing left to decide. Nothing was changed." in (
        response.content.decode()
    )
    assert not AuditEntry.objects.exists()


def test_only_moderators_see_the_queue_decide_or_claim(client_for, alice, helen, dita, flagged_idea):
    for user in (alice, helen, dita):
        client = client_for(user)
        assert client.get(QUEUE).status_code == 403
        assert decide(client, "idea", flagged_idea.pk, "hide", follow=False).status_code == 403
        assert client.post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "claim"}).status_code == 403
    assert Flag.objects.open().count() == 2
    assert not Claim.objects.exists()
    assert not Idea.objects.get(pk=flagged_idea.pk).is_hidden


# --- claims ---------------------------------------------------------------------------------------


def test_a_claim_shows_every_moderator_who_has_it(client_for, mo, django_user_model, flagged_idea):
    carl = make_user(django_user_model, "carl", "Moderators")

    response = client_for(mo).post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "claim"}, follow=True)

    assert "You have claimed the idea" in response.content.decode()
    assert f'id="claim-idea-{flagged_idea.pk}">You<' in response.content.decode()
    carls_queue = client_for(carl).get(QUEUE).content.decode()
    assert f'id="claim-idea-{flagged_idea.pk}">mo<' in carls_queue
    assert "mo has claimed this. You can still decide it." in carls_queue


def test_someone_elses_claim_cannot_be_taken_over(client_for, mo, django_user_model, flagged_idea):
    carl = make_user(django_user_model, "carl", "Moderators")
    client_for(mo).post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "claim"})

    response = client_for(carl).post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "claim"}, follow=True)

    assert "mo has already claimed this idea. Nothing was changed." in response.content.decode()
    assert Claim.objects.get().moderator == mo


def test_deciding_what_someone_else_claimed_is_allowed_but_says_so(client_for, mo, django_user_model, flagged_idea):
    carl = make_user(django_user_model, "carl", "Moderators")
    client_for(mo).post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "claim"})

    response = decide(client_for(carl), "idea", flagged_idea.pk, "dismiss")

    assert "mo had claimed it: you decided it for them." in response.content.decode()
    assert not Claim.objects.exists()  # decided: the claim goes with the flags


def test_unclaiming_gives_it_back_to_the_queue(client_for, mo, flagged_idea):
    client = client_for(mo)
    client.post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "claim"})

    response = client.post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "unclaim"}, follow=True)

    assert "The idea is back in the queue for any moderator." in response.content.decode()
    assert not Claim.objects.exists()
    again = client.post(f"/moderation/idea/{flagged_idea.pk}/claim/", {"action": "unclaim"}, follow=True)
    assert "Nobody has claimed this idea. Nothing was changed." in again.content.decode()


def test_what_is_not_waiting_cannot_be_claimed(client_for, mo, spam_idea):
    response = client_for(mo).post(f"/moderation/idea/{spam_idea.pk}/claim/", {"action": "claim"}, follow=True)

    assert "This idea is not waiting in the queue any more. Nothing was changed." in response.content.decode()
    assert not Claim.objects.exists()


# --- the header and the cost of the queue ------------------------------------------------------------


def test_the_header_counts_every_kind(client_for, mo, alice, bob, flagged_idea, flagged_comment):
    answer(ask(alice), bob, "Spam answer").flag(alice, "spam")

    html = client_for(mo).get("/ideas/").content.decode()

    assert 'id="role-link-moderation">Moderation <span class="confer-header__count">3</span>' in html


def test_the_queue_costs_the_same_for_a_full_page_of_mixed_kinds(client_for, mo, alice, bob, charlie,
                                                                 django_assert_max_num_queries):  # fmt: skip
    for n in range(8):
        submit(bob, title=f"Advert number {n} here").flag(alice, "spam")
        comment_on(submit(alice, title=f"Honest idea {n} here"), bob, f"Rude comment {n}")
        answer(ask(alice, title=f"Question {n}"), bob, f"Spam answer {n}").flag(charlie, "offensive", "rude")
    for comment in django_comments.get_model().objects.all():
        Flag.raise_flag(charlie, comment, "offensive")
    client = client_for(mo)
    client.get(QUEUE)

    with django_assert_max_num_queries(20):
        response = client.get(QUEUE)

    assert response.content.decode().count('class="govuk-summary-card"') == 20


def test_the_history_of_an_idea_is_for_moderators_and_the_helpdesk(client_for, mo, helen, alice, flagged_idea):
    decide(client_for(mo), "idea", flagged_idea.pk, "hide")

    for reader in (mo, helen):
        html = client_for(reader).get(f"/moderation/idea/{flagged_idea.pk}/history/").content.decode()
        assert "Hid the post (2 flags)" in html
        assert "An advert" in html
    assert client_for(alice).get(f"/moderation/idea/{flagged_idea.pk}/history/").status_code == 403


def test_a_moderator_hides_and_shows_an_idea_from_its_page(client_for, mo, alice, spam_idea):
    client_for(mo).post(f"/ideas/ideas/{spam_idea.pk}/hide/", {"action": "hide"})
    assert Idea.objects.get(pk=spam_idea.pk).is_hidden

    client_for(mo).post(f"/ideas/ideas/{spam_idea.pk}/hide/", {"action": "unhide"})

    assert not Idea.objects.get(pk=spam_idea.pk).is_hidden
    assert [e.action for e in AuditEntry.objects.order_by("created_at", "pk")] == ["hidden", "shown"]
    assert client_for(alice).post(f"/ideas/ideas/{spam_idea.pk}/hide/", {"action": "hide"}).status_code == 403


def test_a_deleted_comment_leaves_the_queue_and_its_count(client_for, mo, flagged_comment):
    flagged_comment.delete()

    html = client_for(mo).get(QUEUE).content.decode()

    assert "Nothing is waiting." in html
    assert 'id="role-link-moderation">Moderation <span class="confer-header__count">0</span>' in html
    assert not Flag.objects.exists()


def test_hiding_a_comment_and_telling_its_author_links_to_the_thread(client_for, mo, bob, flagged_comment):
    decide(client_for(mo), "comment", flagged_comment.pk, "hide_and_tell", "Please be kind.")

    told = notified(bob, "moderation.hidden").get()
    assert told.data["message"] == "Please be kind."
    assert told.url == f"{flagged_comment.content_object.get_absolute_url()}#c{flagged_comment.pk}"


def test_a_hidden_idea_leaves_site_search(client_for, mo, alice, spam_idea):
    assert "Cheap watches for every team" in client_for(alice).get("/search/", {"q": "watches"}).content.decode()

    spam_idea.hide(mo)

    assert "Cheap watches for every team" not in client_for(alice).get("/search/", {"q": "watches"}).content.decode()
