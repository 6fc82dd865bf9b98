"""The rate-limited contract: everything a person posts has an allowance per person. Past it the
form comes back with a clear message and a 429, nothing is saved, refused attempts cost nothing,
and a colleague's allowance is their own.

Asking, answering, submitting an idea and asking for a digital buddy are here; comments are in
test_commentable.py; idea votes (a redirect with a message rather than a form) below; and everything
else a person can repeat (kinds.REPEATABLE: follows, workshop places, feedback, accepting, edits,
benefits, buddy replies, profile and settings) at the end.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from taggit.models import Tag

from ideas.models import Idea
from ideas.models import Vote as IdeaVote
from qa.models import Answer, Question
from skills.models import BuddyRequest
from tests.contracts.kinds import REPEATABLE

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Action:
    name: str
    setting: str
    message: str
    url: Any  # (target) -> the address posted to
    good: Any  # (n) -> valid form data, different each time
    bad: dict  # form data the form refuses
    saved: Any  # (user) -> how many this person has saved
    target: Any = None  # (owner) -> what the action is done on, if anything

    def __str__(self):
        return self.name


def _topics(owner):
    for name in ("excel", "word", "blogging"):
        Tag.objects.get_or_create(name=name, slug=name)


def _question(owner):
    return Question.ask(owner, "VPN will not connect from home", "It says error 809.", ["vpn"])


ACTIONS = [
    Action(
        name="ask a question",
        setting="QA_POST_RATE",
        message="wait a while and try again",
        url=lambda target: "/qa/ask/",
        good=lambda n: {"title": f"How do I book meeting room {n}?", "body": "Which system?", "tags": "rooms"},
        bad={"title": "", "body": "Which system?", "tags": "rooms"},
        saved=lambda user: Question.objects.filter(author=user).count(),
    ),
    Action(
        name="answer",
        setting="QA_POST_RATE",
        message="wait a while and try again",
        target=_question,
        url=lambda question: f"/qa/questions/{question.pk}/answer/",
        good=lambda n: {"body": f"Restart the client, then try gateway {n}."},
        bad={"body": "   "},
        saved=lambda user: Answer.objects.filter(author=user).count(),
    ),
    Action(
        name="submit an idea",
        setting="IDEAS_POST_RATE",
        message="You have posted a lot in a short time.",
        url=lambda target: "/ideas/new/",
        good=lambda n: {
            "title": f"Book meeting room {n} from the calendar",
            "description": "Saves emails.",
            "tags": "meetings",
        },  # fmt: skip
        bad={"title": "Book meeting rooms from the calendar", "description": "Saves emails.", "tags": ""},
        saved=lambda user: Idea.objects.filter(author=user).count(),
    ),
    Action(
        name="ask for a digital buddy",
        setting="SKILLS_REQUEST_RATE",
        message="You have asked for help a lot in a short time.",
        target=_topics,
        url=lambda target: "/skills/requests/new/",
        good=lambda n: {"topics": ["excel", "word", "blogging"][n], "note": "Pivot tables, please."},
        bad={"topics": "", "note": "Pivot tables, please."},
        saved=lambda user: BuddyRequest.objects.filter(requester=user).count(),
    ),
]

actions = pytest.mark.parametrize("action", ACTIONS, ids=str)


@actions
def test_past_the_allowance_nothing_is_saved_and_the_form_says_why(action, client_for, settings, alice, bob):
    setattr(settings, action.setting, "2/h")
    target = action.target(bob) if action.target else None
    client = client_for(alice)
    for n in range(2):
        client.post(action.url(target), action.good(n))

    response = client.post(action.url(target), action.good(2))

    assert response.status_code == 429
    assert action.message in response.content.decode()
    assert action.saved(alice) == 2


@actions
def test_refused_attempts_cost_nothing(action, client_for, settings, alice, bob):
    setattr(settings, action.setting, "1/h")
    target = action.target(bob) if action.target else None
    client = client_for(alice)
    refused = client.post(action.url(target), action.bad)

    response = client.post(action.url(target), action.good(0))

    assert refused.status_code in (200, 400)
    assert response.status_code == 302
    assert action.saved(alice) == 1


@actions
def test_each_person_has_their_own_allowance(action, client_for, settings, alice, bob, django_user_model):
    setattr(settings, action.setting, "1/h")
    owner = django_user_model.objects.create_user("owner")
    target = action.target(owner) if action.target else None
    client_for(alice).post(action.url(target), action.good(0))

    response = client_for(bob).post(action.url(target), action.good(1))

    assert response.status_code == 302
    assert (action.saved(alice), action.saved(bob)) == (1, 1)


def test_idea_votes_have_an_allowance_per_person(client_for, settings, alice, bob, charlie):
    settings.IDEAS_VOTE_RATE = "2/h"
    ideas = [Idea.submit(alice, f"Idea number {n}", "Why not?", ["meetings"], None) for n in range(3)]
    client = client_for(bob)
    for idea in ideas[:2]:
        client.post(f"/ideas/ideas/{idea.pk}/vote/", {"action": "vote"})

    response = client.post(f"/ideas/ideas/{ideas[2].pk}/vote/", {"action": "vote"}, follow=True)

    assert "You have voted a lot in a short time." in response.content.decode()
    assert IdeaVote.objects.filter(user=bob).count() == 2
    client_for(charlie).post(f"/ideas/ideas/{ideas[2].pk}/vote/", {"action": "vote"})
    assert IdeaVote.objects.filter(user=charlie).count() == 1


# --- everything else a person can repeat (the ACTION_RATE allowance) ----------------------------------

repeatables = pytest.mark.parametrize("kind", REPEATABLE, ids=str)


@repeatables
def test_past_the_allowance_a_repeated_action_is_refused_and_changes_nothing(kind, request, client_for, settings,
                                                                             django_user_model):  # fmt: skip
    settings.ACTION_RATE = "1/h"
    actor = request.getfixturevalue(kind.actor)
    ctx = kind.setup(django_user_model.objects.create_user("owner"), actor)
    client = client_for(actor)
    before = kind.state(ctx)
    first = client.post(*kind.act(ctx, 0))
    done = kind.state(ctx)

    second = client.post(*kind.act(ctx, 1))

    assert first.status_code in (200, 302) and done != before  # the first one did what it says
    assert second.status_code == 429
    assert 0 < int(second["Retry-After"]) <= 3600
    assert "You have done that a lot in a short time. Nothing was changed." in second.content.decode()
    assert kind.state(ctx) == done


def test_a_refused_action_costs_nothing_and_each_person_has_their_own(client_for, settings, alice, bob):
    settings.ACTION_RATE = "1/h"
    question = Question.ask(bob, "VPN will not connect from home", "It says error 809.", ["vpn"])
    client = client_for(alice)

    refused = client.post(f"/follow/person/{alice.pk}/", {"action": "follow"})  # yourself: refused, says why
    followed = client.post(f"/follow/question/{question.pk}/", {"action": "follow"})
    colleague = client_for(bob).post(f"/follow/person/{alice.pk}/", {"action": "follow"})

    assert (refused.status_code, followed.status_code, colleague.status_code) == (302, 302, 302)


def test_an_in_page_action_past_the_allowance_reloads_the_page_with_the_message(client_for, settings, alice, bob):
    settings.ACTION_RATE = "1/h"
    question = Question.ask(bob, "VPN will not connect from home", "It says error 809.", ["vpn"])
    client = client_for(alice)
    url = f"/follow/question/{question.pk}/"
    client.post(url, {"action": "follow"}, headers={"HX-Request": "true"})

    response = client.post(url, {"action": "unfollow"}, headers={"HX-Request": "true"})
    page = client.get(question.get_absolute_url())

    assert response.status_code == 429
    assert response["HX-Refresh"] == "true" and response["Retry-After"]
    assert "You have done that a lot in a short time." in page.content.decode()


def test_a_preview_spends_no_allowance(client_for, settings, alice):
    settings.ACTION_RATE = "1/h"
    question = Question.ask(alice, "VPN will not connect from home", "It says error 809.", ["vpn"])
    url = f"/qa/questions/{question.pk}/edit/"
    form = {"title": "VPN will not connect from home at all", "body": "Error 809.", "tags": "vpn"}
    client = client_for(alice)

    previewed = client.post(url, {**form, "preview": "1"})
    edited = client.post(url, form)

    assert previewed.status_code == 200
    assert edited.status_code == 302
    assert Question.objects.get(pk=question.pk).title == "VPN will not connect from home at all"
