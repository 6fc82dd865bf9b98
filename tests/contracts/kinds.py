"""What the contract tests need to know about each kind of post, and nothing more.

Each contract (votable, commentable, rate-limited) is one set of tests run over every kind that
makes the promise. A new kind joins a contract by adding an entry here; if it behaves differently
the contract fails, which is the point.
"""

from collections.abc import Callable
from dataclasses import dataclass

import django_comments

from ideas.models import Idea
from ideas.models import Vote as IdeaVote
from qa.models import Answer, Question
from qa.models import Vote as QaVote


@dataclass(frozen=True)
class Votable:
    name: str
    make: Callable  # (author, other) -> the post, written by author
    path: str  # the vote URL, with {pk}
    up: dict  # the form data that casts a vote
    withdraw: dict  # the form data that withdraws it
    already: str  # the refusal of a second identical vote
    voted: str  # what the voter reads after voting
    withdrawn: str  # what the voter reads after withdrawing
    cast: Callable  # (post, user): a vote through the model
    count: Callable  # (post) -> the count on the row, read fresh
    rows: Callable  # (post) -> the vote rows

    def url(self, post):
        return self.path.format(pk=post.pk)

    def __str__(self):
        return self.name


def _ask(author, title="VPN will not connect from home"):
    return Question.ask(author, title, "It says *error 809* after a minute.", ["vpn"])


def _submit(author, title="Book meeting rooms from the calendar"):
    return Idea.submit(author, title, "It would save *a lot* of emails.", ["meetings"], None)


VOTABLE = [
    Votable(
        name="question",
        make=lambda author, other: _ask(author),
        path="/qa/questions/{pk}/vote/",
        up={"value": "up"},
        withdraw={"value": "withdraw"},
        already="You have already voted this question up.",
        voted="You voted this question up.",
        withdrawn="Vote withdrawn.",
        cast=lambda post, user: post.vote(user, 1),
        count=lambda post: Question.objects.get(pk=post.pk).score,
        rows=lambda post: QaVote.objects.filter(question=post),
    ),
    Votable(
        name="answer",
        make=lambda author, other: _ask(other).add_answer(author, "Restart the VPN client, then sign in again."),
        path="/qa/answers/{pk}/vote/",
        up={"value": "up"},
        withdraw={"value": "withdraw"},
        already="You have already voted this answer up.",
        voted="You voted this answer up.",
        withdrawn="Vote withdrawn.",
        cast=lambda post, user: post.vote(user, 1),
        count=lambda post: Answer.objects.get(pk=post.pk).score,
        rows=lambda post: QaVote.objects.filter(answer=post),
    ),
    Votable(
        name="idea",
        make=lambda author, other: _submit(author),
        path="/ideas/ideas/{pk}/vote/",
        up={"action": "vote"},
        withdraw={"action": "withdraw"},
        already="You have already voted for this idea.",
        voted="including yours",
        withdrawn="Your vote has been withdrawn.",
        cast=lambda post, user: post.vote(user),
        count=lambda post: Idea.objects.get(pk=post.pk).vote_count,
        rows=lambda post: IdeaVote.objects.filter(idea=post),
    ),
]


@dataclass(frozen=True)
class Commentable:
    name: str
    make: Callable  # (author, title) -> a post that takes comments
    path: str  # the comment URL, with {pk}
    rate_setting: str  # the setting holding the allowance comments spend
    rate_message: str
    count: Callable  # (post) -> the comment count people see, read fresh

    def __str__(self):
        return self.name

    def url(self, post):
        return self.path.format(pk=post.pk)


def comment_data(post, text, parent=None):
    data = django_comments.get_form()(post, comment=parent).generate_security_data()
    data.update({"comment": text, "reply_to": parent.pk if parent else 0})
    return data


def comments():
    return list(django_comments.get_model().objects.order_by("thread_id", "order"))


COMMENTABLE = [
    Commentable(
        name="question",
        make=lambda author, title="VPN will not connect from home": _ask(author, title),
        path="/qa/questions/{pk}/comment/",
        rate_setting="QA_POST_RATE",
        rate_message="wait a while and try again",
        count=lambda post: django_comments.get_model().objects.for_model(post).count(),
    ),
    Commentable(
        name="idea",
        make=lambda author, title="Book meeting rooms from the calendar": _submit(author, title),
        path="/ideas/ideas/{pk}/comment/",
        rate_setting="IDEAS_POST_RATE",
        rate_message="You have posted a lot in a short time.",
        count=lambda post: Idea.objects.get(pk=post.pk).comment_count,
    ),
]
