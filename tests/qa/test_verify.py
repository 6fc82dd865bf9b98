"""Helpdesk verification: who, when and a review-by date; past it the answer is due for review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from qa.models import Answer, AuditEntry, Question, months_after

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
    today = timezone.localdate()
    assert f'name="review_by-day" type="text" inputmode="numeric" value="{today:%d}"' in html
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
    html = client_for(helen).get("/qa/helpdesk/", {"tab": "due"}).content.decode()
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


def months(n):
    return months_after(timezone.localdate(), n)


@pytest.mark.parametrize("period", ["3", "6", "12"])
def test_it_verifies_for_a_preset_period(client_for, helen, reply, period):
    response = client_for(helen).post(f"/qa/answers/{reply.pk}/verify/", {"period": period}, follow=True)

    reply.refresh_from_db()
    assert reply.review_by == months(int(period))
    assert f"Answer verified until {months(int(period)):%-d %B %Y}." in response.content.decode()


def test_it_verifies_until_another_date_from_the_date_input(client_for, helen, reply):
    later = in_days(45)
    data = {
        "period": "other",
        "review_by-day": later.day,
        "review_by-month": later.month,
        "review_by-year": later.year,
    }

    client_for(helen).post(f"/qa/answers/{reply.pk}/verify/", data)

    reply.refresh_from_db()
    assert reply.review_by == later


@pytest.mark.parametrize(("parts", "message"), [
    ({"review_by-day": "31", "review_by-month": "2", "review_by-year": "2030"}, "must be a real date"),
    ({"review_by-day": "1", "review_by-month": "", "review_by-year": "2030"}, "must include a month"),
    ({"review_by-day": "x", "review_by-month": "1", "review_by-year": "2030"}, "must be a real date"),
    ({"review_by-day": "1", "review_by-month": "1", "review_by-year": "2020"}, "must be in the future"),
    ({}, "Enter the review-by date"),
])  # fmt: skip
def test_bad_dates_get_a_clear_message_and_change_nothing(client_for, helen, reply, parts, message):
    reply.verify(helen, in_days(30))

    response = client_for(helen).post(f"/qa/answers/{reply.pk}/verify/", {"period": "other", **parts})

    assert response.status_code == 400
    assert message in response.content.decode()
    reply.refresh_from_db()
    assert reply.review_by == in_days(30)


def test_a_made_up_period_is_refused(client_for, helen, reply):
    response = client_for(helen).post(f"/qa/answers/{reply.pk}/verify/", {"period": "1200"})

    assert response.status_code == 400
    assert "Choose how long the answer stays verified" in response.content.decode()
    reply.refresh_from_db()
    assert reply.verified_at is None


def make_due(helen, reply):
    reply.verify(helen, in_days(10))
    Answer.objects.filter(pk=reply.pk).update(review_by=in_days(-3))
    Question.objects.filter(pk=reply.question_id).refresh_answer_state()


def test_colleagues_see_one_state_being_reviewed_and_no_buttons(client_for, alice, helen, reply, question):
    make_due(helen, reply)

    html = client_for(alice).get(question.get_absolute_url()).content.decode()

    assert "Verified — being reviewed" in html
    assert "Due for review" not in html and "Verified by the helpdesk" not in html
    assert "Still correct" not in html and "Remove verification" not in html


def test_colleagues_see_when_the_helpdesk_last_checked_it(client_for, alice, helen, reply, question):
    reply.verify(helen, in_days(30))

    html = client_for(alice).get(question.get_absolute_url()).content.decode()

    assert f"Verified by the helpdesk, checked {timezone.localdate():%-d %B %Y}" in html
    assert "being reviewed" not in html


def test_on_a_due_answer_still_correct_is_the_primary_action(client_for, helen, reply, question):
    make_due(helen, reply)

    html = client_for(helen).get(question.get_absolute_url()).content.decode()

    review = html.split(f'id="answer-{reply.pk}-review"')[1].split(f"answer-{reply.pk}-comments-heading")[0]
    assert "<details" not in review  # not hidden in an expander
    assert (
        'class="govuk-button govuk-!-margin-bottom-2" data-module="govuk-button">Still correct — verify until'
        in review
    )
    assert 'govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Remove verification' in review
    assert review.index("Still correct") < review.index("Remove verification")
    for n in (3, 6, 12):
        assert f'{n} months: <time datetime="{months(n).isoformat()}">' in review
    assert 'name="review_by-day"' in review and 'name="review_by-year"' in review
    assert "overdue by 3 days" in html


def test_verifying_and_removing_are_audited(helen, reply):
    reply.verify(helen, in_days(30))
    reply.verify(helen, in_days(60))
    reply.unverify(helen)

    assert list(AuditEntry.about(reply).values_list("action", flat=True)) == [
        AuditEntry.Action.UNVERIFIED, AuditEntry.Action.REVERIFIED, AuditEntry.Action.VERIFIED,
    ]  # fmt: skip
