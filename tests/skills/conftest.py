"""Skills test helpers: volunteers, skills and buddy requests made through the model methods the site uses."""

import pytest

from community.models import Directorate, Profile
from qa.models import Question
from skills.models import BuddyRequest, HelpOffer, Skill, tags_named
from tests.conftest import make_user


def tags(*names):
    return tags_named(names)


def volunteer(user, topics=("excel",), capacity=2, role="buddy", availability="", ends_on=None):
    return HelpOffer.save_for(
        user, role=role, topics=list(topics), capacity=capacity, availability=availability, ends_on=ends_on
    )


def skills(user, levels=None, can_help=(), want_to_learn=()):
    return Skill.set_for(user, levels or {}, list(can_help), list(want_to_learn))


def ask_for_buddy(requester, topics=("excel",), note="Could someone show me pivot tables?", volunteer=None):
    return BuddyRequest.open_for(requester, tags(*topics), note, volunteer=volunteer)


def place_in(user, directorate_name):
    directorate, _ = Directorate.objects.get_or_create(name=directorate_name)
    Profile.objects.filter(user=user).update(directorate=directorate)
    return directorate


def answered(author, asker, topics=("excel",), accepted=True, verified_by=None, title="How do I do this in Excel?"):
    """A question on ``topics`` answered by ``author``; accepted by the asker and/or verified."""
    question = Question.ask(asker, title, "Details of the problem.", list(topics))
    answer = question.add_answer(author, "Here is how.")
    if accepted:
        question.accept(answer, asker)
    if verified_by is not None:
        answer.verify(verified_by)
    return answer


def make_person(django_user_model, username, display_name=None):
    """A colleague called ``display_name`` on their profile."""
    user = make_user(django_user_model, username)
    if display_name:
        Profile.objects.filter(user=user).update(display_name=display_name)
        user.profile.refresh_from_db()
    return user


@pytest.fixture
def person(django_user_model):
    """Make more named colleagues: person("dan", "Dan Dale")."""

    def make(username, display_name=None):
        return make_person(django_user_model, username, display_name)

    return make
