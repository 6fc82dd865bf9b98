"""Flags and hiding: anyone flags with a reason; moderators work the queue and hide posts."""

import pytest

from qa.models import Flag, Question

from .conftest import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(question, bob):
    return answer(question, bob, "Buy cheap watches at example.com")


def flag(client, post, follow=True, **data):
    kind = "questions" if post.kind == "question" else "answers"
    return client.post(f"/qa/{kind}/{post.pk}/flag/", data, follow=follow)


def test_it_lets_anyone_flag_a_post_with_a_reason(alice_client, alice, reply):
    response = flag(alice_client, reply, reason="spam")

    assert "A moderator will look at it." in response.content.decode()
    assert Flag.objects.get().user == alice
    assert Flag.objects.get().target == reply


def test_it_shows_the_flag_form_with_labelled_reasons(alice_client, reply):
    html = alice_client.get(f"/qa/answers/{reply.pk}/flag/").content.decode()

    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">What is wrong with it?</legend>' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_reason">It is spam or advertising</label>' in html


def test_it_takes_one_flag_per_person_per_post(alice_client, reply):
    flag(alice_client, reply, reason="spam")

    response = flag(alice_client, reply, reason="offensive")

    assert "You have already flagged this answer." in response.content.decode()
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam"]


@pytest.mark.parametrize(("data", "message"), [({}, "Choose what is wrong with it"),
                                                ({"reason": "other"}, "Say what is wrong with it")])  # fmt: skip
def test_it_asks_for_a_reason(alice_client, reply, data, message):
    response = flag(alice_client, reply, follow=False, **data)

    assert message in response.content.decode()
    assert not Flag.objects.exists()


def test_it_does_not_let_you_flag_your_own_post(client_for, bob, reply):
    response = flag(client_for(bob), reply, reason="spam")

    assert "You cannot flag your own answer." in response.content.decode()
    assert not Flag.objects.exists()


def hide(client, post, action="hide"):
    kind = "questions" if post.kind == "question" else "answers"
    return client.post(f"/qa/{kind}/{post.pk}/hide/", {"action": action})


def test_it_lets_a_moderator_hide_a_question_from_everyone_but_its_author(client_for, alice, charlie, mo, question):
    hide(client_for(mo), question)

    question.refresh_from_db()
    assert question.is_hidden and question.hidden_by == mo
    assert client_for(charlie).get(question.get_absolute_url()).status_code == 404
    own = client_for(alice).get(question.get_absolute_url())
    assert own.status_code == 200
    assert "A moderator has hidden this question." in own.content.decode()
    assert client_for(mo).get(question.get_absolute_url()).status_code == 200


def test_it_hides_an_answer_and_the_question_counts_as_unanswered_again(client_for, bob, charlie, mo, question, reply):
    hide(client_for(mo), reply)

    question.refresh_from_db()
    assert question.answer_count == 0
    assert list(Question.objects.unanswered()) == [question]
    assert "Buy cheap watches" not in client_for(charlie).get(question.get_absolute_url()).content.decode()
    assert "Buy cheap watches" in client_for(mo).get(question.get_absolute_url()).content.decode()
    assert "Buy cheap watches" in client_for(bob).get(question.get_absolute_url()).content.decode()


def test_it_shows_a_hidden_post_again(client_for, mo, question, reply):
    hide(client_for(mo), reply)

    hide(client_for(mo), reply, action="unhide")

    reply.refresh_from_db()
    question.refresh_from_db()
    assert not reply.is_hidden
    assert question.answer_count == 1


@pytest.mark.parametrize("fixture", ["alice", "helen", "dita"])
def test_it_lets_only_moderators_hide(client_for, request, question, fixture):
    response = hide(client_for(request.getfixturevalue(fixture)), question)

    assert response.status_code == 403
    question.refresh_from_db()
    assert not question.is_hidden


def test_it_says_so_when_a_post_is_already_hidden(client_for, mo, question):
    question.hide(mo)

    response = client_for(mo).post(f"/qa/questions/{question.pk}/hide/", {"action": "hide"}, follow=True)

    assert "This question is already hidden." in response.content.decode()


def test_it_closes_the_open_flags_when_a_moderator_hides_the_post_on_the_site(client_for, alice, charlie, mo, reply):
    reply.flag(alice, "spam")
    reply.flag(charlie, "offensive")

    hide(client_for(mo), reply)

    assert not Flag.objects.open().exists()
    assert set(Flag.objects.values_list("status", "resolved_by")) == {("hidden", mo.pk)}


def test_it_words_an_overlong_flag_note_the_site_way(alice_client, reply):
    response = flag(alice_client, reply, follow=False, reason="other", note="x" * 501)

    html = response.content.decode()
    assert "Reason must be 500 characters or fewer" in html
    assert "Ensure this value" not in html
    assert not Flag.objects.exists()
