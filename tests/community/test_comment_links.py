"""A comment's link (/comments/cr/<content type>/<pk>/, used in follow-up emails) leads only to
what the reader may see, and says nothing about anything else."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from community.models import Notification
from qa.models import Flag
from tests.ideas.conftest import submit
from tests.qa.conftest import ask

pytestmark = pytest.mark.django_db


def link(model_or_object, pk=None):
    content_type = ContentType.objects.get_for_model(model_or_object)
    return f"/comments/cr/{content_type.pk}/{pk if pk is not None else model_or_object.pk}/"


def test_it_leads_to_a_question_or_idea_the_reader_may_see(client_for, alice, bob):
    question, idea = ask(alice), submit(alice)

    assert client_for(bob).get(link(question))["Location"] == question.get_absolute_url()
    assert client_for(bob).get(link(idea))["Location"] == idea.get_absolute_url()


def test_it_does_not_reveal_a_hidden_question(client_for, alice, bob, mo):
    question = ask(alice, title="Secret reorganisation plans")
    question.hide(mo)

    response = client_for(bob).get(link(question))

    assert response.status_code == 404
    assert "reorganisation" not in response.content.decode()
    assert client_for(alice).get(link(question)).status_code == 302  # its author still may
    assert client_for(mo).get(link(question)).status_code == 302


def test_it_does_not_say_whether_flags_notifications_or_pages_exist(client_for, alice, bob, charlie):
    question = ask(alice)
    flag = question.flag(charlie, Flag.Reason.SPAM)
    client = client_for(bob)
    notification = Notification.objects.create(
        recipient=alice, event_id=uuid.uuid4(), event_type="qa.new_answer", title="Yours", url="/qa/"
    )

    existing = [link(flag), link(notification), link(alice), link(ContentType.objects.get(model="page"), 1)]
    missing = [link(flag, flag.pk + 100), link(question, question.pk + 100), "/comments/cr/99999/1/"]

    assert [client.get(address).status_code for address in existing + missing] == [404] * 7
