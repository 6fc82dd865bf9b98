"""The moderation queue on the site: flagged posts shown with what a decision needs, one-click
decisions, who is told (exactly once), the audit trail, and the header's live counts."""

import pytest
from django.urls import reverse

from community.models import Notification
from qa.models import AuditEntry, Flag, Question

from .conftest import answer, ask

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/"


@pytest.fixture
def reply(question, bob):
    return answer(question, bob, "Buy cheap watches at example.com")


@pytest.fixture
def flagged(reply, alice, charlie):
    reply.flag(alice, "spam")
    reply.flag(charlie, "other", "Link goes to a shop")
    return reply


def decide(client, post, decision, message="", follow=True):
    url = f"/moderation/{post.kind}/{post.pk}/"
    return client.post(url, {"decision": decision, "message": message}, follow=follow)


def notified(user, event_type):
    return Notification.objects.filter(recipient=user, event_type=event_type)


def test_it_shows_each_flagged_post_with_reasons_notes_count_and_author_history(client_for, mo, bob, flagged):
    old = answer(flagged.question, bob, "An earlier bad answer")
    old.hide(mo)

    html = client_for(mo).get(QUEUE).content.decode()

    assert 'Buy cheap watches at <a href="http://example.com" rel="nofollow noopener">example.com</a>' in html
    assert "It is spam or advertising" in html
    assert "“Link goes to a shop”" in html
    assert "<strong>2</strong> people" in html
    assert "<strong>1</strong> post hidden before" in html
    assert "Hide and tell the author" in html


def test_it_refuses_the_queue_to_people_who_are_not_moderators(client_for, alice, helen, flagged):
    for user in (alice, helen):
        response = client_for(user).get(QUEUE)

        assert response.status_code == 403
        assert "Only moderators can see the moderation queue." in response.content.decode()
        assert "Buy cheap watches" not in response.content.decode()


def test_it_tells_every_moderator_once_when_a_post_enters_the_queue(alice, charlie, mo, django_user_model, reply):
    from tests.conftest import make_user

    carl = make_user(django_user_model, "carl", "Moderators")

    reply.flag(alice, "spam")
    reply.flag(charlie, "offensive")  # already in the queue: nobody is told again

    for moderator in (mo, carl):
        assert notified(moderator, "moderation.flagged").count() == 1
    assert notified(mo, "moderation.flagged").get().url == f"{reverse('moderation:queue')}#answer-{reply.pk}"
    assert not notified(alice, "moderation.flagged").exists()


def test_it_dismisses_the_flags_and_tells_the_flaggers_once(client_for, mo, alice, bob, charlie, flagged):
    response = decide(client_for(mo), flagged, "dismiss")

    assert "Flags dismissed: the answer stays up." in response.content.decode()
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.DISMISSED}
    for flagger in (alice, charlie):
        assert notified(flagger, "moderation.flag_handled").count() == 1
    assert not notified(bob, "moderation.flag_handled").exists()
    assert not notified(bob, "moderation.hidden").exists()
    assert "Buy cheap watches" not in client_for(mo).get(QUEUE).content.decode()


def test_it_hides_the_post_without_telling_the_author(client_for, mo, alice, bob, flagged):
    response = decide(client_for(mo), flagged, "hide")

    assert "The answer is hidden." in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.is_hidden
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.HIDDEN}
    assert not notified(bob, "moderation.hidden").exists()
    handled = notified(alice, "moderation.flag_handled").get()
    assert handled.data["outcome"] == "hidden"
    # The flagger can no longer open the hidden answer: the note points at the thread and still shows.
    assert handled.url == flagged.question.get_absolute_url()
    assert "it is now hidden" in client_for(alice).get("/notifications/").content.decode()


def test_it_hides_and_tells_the_author_with_the_edited_message(client_for, mo, bob, flagged):
    decide(client_for(mo), flagged, "hide_and_tell", "Please do not advertise here.")

    told = notified(bob, "moderation.hidden").get()
    assert told.data["message"] == "Please do not advertise here."
    assert "Please do not advertise here." in client_for(bob).get("/notifications/").content.decode()
    flagged.refresh_from_db()
    assert flagged.is_hidden


def test_it_needs_a_message_to_tell_the_author(client_for, mo, bob, flagged):
    response = decide(client_for(mo), flagged, "hide_and_tell", "   ")

    assert "Write the message to the author" in response.content.decode()
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert Flag.objects.open().count() == 2
    assert not AuditEntry.objects.exists()


def test_it_offers_a_prefilled_message_naming_the_reasons(client_for, mo, flagged):
    html = client_for(mo).get(QUEUE).content.decode()

    assert "because colleagues reported it: it is spam or advertising; something else." in html


def test_deciding_twice_says_so_and_changes_nothing(client_for, mo, alice, flagged):
    decide(client_for(mo), flagged, "dismiss")

    response = decide(client_for(mo), flagged, "hide")

    assert "The flags on this answer were already dealt with by mo. Nothing was changed." in response.content.decode()
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert AuditEntry.objects.count() == 1
    assert notified(alice, "moderation.flag_handled").count() == 1


def test_deciding_on_a_deleted_post_says_so(client_for, mo, flagged):
    kind, pk = flagged.kind, flagged.pk
    flagged.delete()

    response = client_for(mo).post(f"/moderation/{kind}/{pk}/", {"decision": "hide"}, follow=True)

    assert "That answer has been deleted, so there is nothing left to decide. Nothing was changed." in (
        response.content.decode()
    )
    assert not AuditEntry.objects.exists()


def test_only_moderators_decide(client_for, helen, alice, flagged):
    for user in (helen, alice):
        response = decide(client_for(user), flagged, "hide", follow=False)

        assert response.status_code == 403
    flagged.refresh_from_db()
    assert not flagged.is_hidden
    assert Flag.objects.open().count() == 2


def test_an_unknown_decision_is_refused(client_for, mo, flagged):
    response = decide(client_for(mo), flagged, "delete")

    assert "Choose to dismiss the flags" in response.content.decode() or "Select a valid choice" in (
        response.content.decode()
    )
    assert Flag.objects.open().count() == 2


def test_questions_can_be_decided_too(client_for, mo, alice, bob):
    question = ask(bob, title="Cheap watches for sale")
    question.flag(alice, "spam")

    decide(client_for(mo), question, "hide_and_tell", "No adverts, please.")

    question.refresh_from_db()
    assert question.is_hidden
    assert notified(bob, "moderation.hidden").get().data["message"] == "No adverts, please."
    # The hidden question cannot be opened by the flagger: the note links to the questions list.
    assert notified(alice, "moderation.flag_handled").get().url == reverse("qa:index")


# --- the audit trail ---------------------------------------------------------------------------


def test_every_decision_writes_an_audit_entry(client_for, mo, flagged):
    decide(client_for(mo), flagged, "hide_and_tell", "No adverts.")
    client_for(mo).post(f"/qa/answers/{flagged.pk}/hide/", {"action": "unhide"})

    entries = list(AuditEntry.objects.order_by("created_at", "pk"))
    assert [(e.actor, e.action, e.why, e.flags) for e in entries] == [
        (mo, AuditEntry.Action.HIDDEN_AUTHOR_TOLD, "No adverts.", 2),
        (mo, AuditEntry.Action.SHOWN, "", 0),
    ]
    assert entries[0].target == flagged


@pytest.mark.parametrize("reader", ["mo", "helen"])
def test_moderators_and_the_helpdesk_read_the_history_of_a_post(client_for, request, flagged, mo, reader):
    decide(client_for(mo), flagged, "hide_and_tell", "No adverts.")

    html = client_for(request.getfixturevalue(reader)).get(f"/moderation/answer/{flagged.pk}/history/").content
    html = html.decode()

    assert "Hid the post and told the author (2 flags)" in html
    assert "No adverts." in html
    assert ">mo<" in html
    assert "Link goes to a shop" in html


def test_staff_cannot_read_the_history(client_for, alice, flagged):
    response = client_for(alice).get(f"/moderation/answer/{flagged.pk}/history/")

    assert response.status_code == 403


def test_the_audit_entry_outlives_the_post(client_for, mo, flagged):
    decide(client_for(mo), flagged, "hide")
    flagged.delete()

    entry = AuditEntry.objects.get()
    assert entry.target is None
    assert entry.subject.startswith("Answer ")


# --- the header --------------------------------------------------------------------------------


def test_the_header_shows_moderators_the_queue_count(client_for, mo, flagged, alice, bob):
    ask(bob, title="Second flagged question").flag(alice, "spam")

    html = client_for(mo).get("/qa/").content.decode()

    assert 'id="role-link-moderation">Moderation <span class="confer-header__count">2</span>' in html
    assert "role-link-helpdesk" not in html


def test_the_header_shows_the_helpdesk_its_queue_count(client_for, helen, question):
    html = client_for(helen).get("/qa/").content.decode()

    assert 'id="role-link-helpdesk">Helpdesk queue <span class="confer-header__count">1</span>' in html
    assert "role-link-moderation" not in html


def test_the_header_shows_staff_no_workspaces(client_for, alice, flagged):
    html = client_for(alice).get("/qa/").content.decode()

    assert "role-link-" not in html


def test_the_header_count_is_capped_and_costs_the_same_however_long_the_queue(
    client_for, mo, alice, bob, django_assert_max_num_queries, settings
):
    from community.hooks import ROLE_COUNT_CAP

    questions = [Question(author=bob, title=f"Spam {n}", body="spam") for n in range(ROLE_COUNT_CAP + 5)]
    Question.objects.bulk_create(questions)
    Flag.objects.bulk_create([Flag(user=alice, target=q, reason="spam") for q in Question.objects.all()])
    client = client_for(mo)
    client.get("/notifications/")  # warm caches (content types, hooks)

    with django_assert_max_num_queries(12):
        html = client.get("/notifications/").content.decode()

    assert f'Moderation <span class="confer-header__count">{ROLE_COUNT_CAP - 1}+</span>' in html


def test_the_queue_costs_the_same_for_a_full_page(client_for, mo, alice, charlie, bob, django_assert_max_num_queries):
    for n in range(25):
        post = answer(ask(alice, title=f"Question {n}"), bob, f"Spam answer {n}")
        post.flag(alice, "spam") if n % 2 else post.flag(charlie, "offensive", "rude")
    client = client_for(mo)
    client.get(QUEUE)

    with django_assert_max_num_queries(16):
        response = client.get(QUEUE)

    assert response.content.decode().count('class="govuk-summary-card"') == 20


def test_hiding_from_the_post_page_also_tells_the_flaggers_once(client_for, mo, alice, charlie, flagged):
    client_for(mo).post(f"/qa/answers/{flagged.pk}/hide/", {"action": "hide"})

    for flagger in (alice, charlie):
        assert notified(flagger, "moderation.flag_handled").get().data["outcome"] == "hidden"
    assert AuditEntry.objects.get().flags == 2


def test_the_post_page_links_moderators_and_the_helpdesk_to_its_history(client_for, mo, helen, alice, flagged):
    link = f'href="/moderation/answer/{flagged.pk}/history/"'
    page = flagged.question.get_absolute_url()

    assert link in client_for(mo).get(page).content.decode()
    assert link in client_for(helen).get(page).content.decode()
    assert link not in client_for(alice).get(page).content.decode()
