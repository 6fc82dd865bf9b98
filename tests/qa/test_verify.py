"""Helpdesk verification: who, when and a review-by date; past it the answer is due for review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qa.models import Question

from .conftest import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(question, bob):
    return answer(question, bob)


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def verify(client, reply, review_by, **headers):
    return client.post(f"/qa/answers/{reply.pk}/verify/", {"review_by": review_by.isoformat()}, **headers)


def test_it_records_who_verified_when_and_until_when(client_for, helen, reply):
    response = verify(client_for(helen), reply, in_days(90), follow=True)

    reply.refresh_from_db()
    assert reply.verified_by == helen
    assert reply.verified_at is not None
    assert reply.review_by == in_days(90)
    html = response.content.decode()
    assert "Verified by the helpdesk" in html
    assert f'Review by <time datetime="{in_days(90).isoformat()}">' in html


def test_it_refuses_anyone_outside_the_helpdesk(client_for, alice, bob, mo, reply):
    for user in (alice, bob, mo):
        response = verify(client_for(user), reply, in_days(90))

        assert response.status_code == 403
        assert "Only the helpdesk can verify answers." in response.content.decode()
    reply.refresh_from_db()
    assert reply.verified_at is None


def test_it_refuses_a_review_date_that_is_not_in_the_future(client_for, helen, reply):
    response = verify(client_for(helen), reply, timezone.localdate())

    assert response.status_code == 400
    html = response.content.decode()
    assert "The review-by date must be in the future" in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
    reply.refresh_from_db()
    assert reply.verified_at is None


def test_it_keeps_an_earlier_verification_when_a_new_one_is_refused(client_for, helen, bob, reply):
    reply.verify(helen, in_days(30))

    verify(client_for(bob), reply, in_days(300))
    verify(client_for(helen), reply, in_days(-3))

    reply.refresh_from_db()
    assert reply.review_by == in_days(30)


def test_it_shows_due_for_review_and_queues_the_question_after_the_date(
    client_for, helen, reply, question, monkeypatch
):
    reply.verify(helen, in_days(10))
    assert not Question.objects.needs_helpdesk().exists()

    # Eleven days pass: nothing is written, the date alone makes it due.
    monkeypatch.setattr("qa.models._today", lambda: in_days(11))

    assert list(Question.objects.needs_helpdesk()) == [question]
    html = client_for(helen).get("/qa/helpdesk/").content.decode()
    assert "Due for review" in html
    assert "VPN will not connect from home" in html


def test_it_lets_the_helpdesk_remove_a_verification(client_for, helen, reply):
    reply.verify(helen, in_days(10))

    client_for(helen).post(f"/qa/answers/{reply.pk}/unverify/")

    reply.refresh_from_db()
    assert (reply.verified_by, reply.verified_at, reply.review_by) == (None, None, None)


def test_it_answers_htmx_with_the_refreshed_answers(client_for, helen, reply):
    response = verify(client_for(helen), reply, in_days(60), HTTP_HX_REQUEST="true")

    assert b"<html" not in response.content
    assert b"Verified by the helpdesk" in response.content


def test_the_model_refuses_a_verifier_without_the_role(mo, reply):
    with pytest.raises(PermissionDenied):
        reply.verify(mo, in_days(10))


def test_it_defaults_the_review_date_to_about_six_months(helen, reply):
    reply.verify(helen)

    assert 180 <= (reply.review_by - timezone.localdate()).days <= 185


def test_it_withdraws_the_verification_when_the_author_rewrites_the_answer(client_for, helen, bob, question, reply):
    reply.verify(helen, in_days(90))

    response = client_for(bob).post(
        f"/qa/answers/{reply.pk}/edit/", {"body": "Actually, reinstall the client.", "summary": "Simpler fix"}
    )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert (reply.verified_by, reply.verified_at, reply.review_by) == (None, None, None)
    assert question in Question.objects.needs_helpdesk()
    html = client_for(bob).get(f"/qa/answers/{reply.pk}/history/").content.decode()
    assert "Helpdesk verification withdrawn: the answer changed after it was verified" in html
    assert "Simpler fix" in html
    assert "Verified by the helpdesk" not in client_for(bob).get(question.get_absolute_url()).content.decode()


def test_it_keeps_the_verification_when_the_helpdesk_edits_the_answer(helen, reply):
    reply.verify(helen, in_days(90))

    reply.edit(helen, "Restart the VPN client (version 5.2 or later), then sign in again.")

    reply.refresh_from_db()
    assert reply.verified_by == helen
    assert reply.review_by == in_days(90)
