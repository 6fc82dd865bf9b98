"""What the contract tests need to know about each kind of post, and nothing more.

Each contract (votable, commentable, rate-limited) is one set of tests run over every kind that
makes the promise. A new kind joins a contract by adding an entry here; if it behaves differently
the contract fails, which is the point.
"""

from collections.abc import Callable
from dataclasses import dataclass

import django_comments
from django.contrib.auth import get_user_model

from community.listening.follows import is_following
from community.listeningpost.models import ItemShare, ListeningItem, ListeningSource, Watch
from community.models import (
    Community,
    HomePage,
    ListeningPreferences,
    Membership,
    Profile,
    WorkshopIndexPage,
    WorkshopPage,
    WorkshopSignup,
)
from ideas.models import Idea, IdeaBenefit
from ideas.models import Vote as IdeaVote
from qa.models import Answer, Question
from qa.models import Vote as QaVote
from skills.models import BuddyRequest, HelpOffer
from tests.skills.conftest import ask_for_buddy, volunteer
from tests.workshops.conftest import days


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


def _heard(title):
    # Items are written outside; nobody in Confer is their author.
    source, _ = ListeningSource.objects.get_or_create(url="https://news.example.org/feed", defaults={"name": "News"})
    return ListeningItem.objects.create(source=source, guid=title, title=title, summary_text="Councils react.")


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
        name="answer",
        make=lambda author, title="VPN will not connect from home": _ask(author, title).add_answer(
            author, "Restart the VPN client, then sign in again."
        ),
        path="/qa/answers/{pk}/comment/",
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
    Commentable(
        name="listening item",
        make=lambda author, title="Autumn Statement: transport budgets flat": _heard(title),
        path="/listening/items/{pk}/comment/",
        rate_setting="LISTENING_COMMENT_RATE",
        rate_message="You have posted a lot in a short time.",
        count=lambda post: django_comments.get_model().objects.for_model(post).count(),
    ),
]


@dataclass(frozen=True)
class Repeatable:
    """Something a person can do again and again that is neither a post nor a vote: it spends the
    ``ACTION_RATE`` allowance of its group. ``act(ctx, n)`` gives the address and form data of the
    n-th time (each different, so that the second would change something); ``state(ctx)`` is what a
    person would notice changed."""

    name: str
    actor: str  # the fixture who does it
    setup: Callable  # (owner, actor) -> ctx
    act: Callable  # (ctx, n) -> (url, data)
    state: Callable  # (ctx) -> what the action changes, read fresh

    def __str__(self):
        return self.name


def _workshop(owner):
    index = WorkshopIndexPage(title="Workshops", slug="workshops")
    HomePage.objects.get().add_child(instance=index)
    workshop = WorkshopPage(title="Boost your blog", host=owner, summary="Posts people read.", capacity=5,
                            start_at=days(7, 10), end_at=days(7, 12), place="Room 4.12")  # fmt: skip
    index.add_child(instance=workshop)
    workshop.save_revision().publish()
    return WorkshopPage.objects.get(pk=workshop.pk)


def _workshop_place(ctx, n):
    if n == 0:
        return f"{ctx['workshop'].url}sign-up/", {}
    place = WorkshopSignup.objects.get(workshop=ctx["workshop"], user=ctx["actor"])
    return f"{ctx['workshop'].url}places/{place.pk}/cancel/", {}


def _workshop_status(ctx):
    return list(WorkshopSignup.objects.filter(workshop=ctx["workshop"]).values_list("status", flat=True))


def _answered(owner, title):
    question = _ask(owner, title)
    question.add_answer(owner, "Restart the client, then sign in again.")
    return question


def _two_buddy_requests(owner, actor):
    volunteer(actor, capacity=5)
    other = get_user_model().objects.create_user("other-requester")
    return {"requests": [ask_for_buddy(owner, volunteer=actor), ask_for_buddy(other, volunteer=actor)]}


def _implemented_idea(owner, actor):
    idea = _submit(owner)
    idea.change_status(actor, "implemented", "Live since Monday.")
    return {"idea": idea}


def _benefit(ctx, n):
    hours = ["400", "520"][n]
    data = {"estimated_hours_per_year": hours, "realised_hours_per_year": "", "estimated_money_per_year": "",
            "realised_money_per_year": "", "evidence": ""}  # fmt: skip
    return f"/ideas/ideas/{ctx['idea'].pk}/benefit/", data


def _two_answers(asker, owner):
    question = _ask(asker)
    return [question.add_answer(owner, f"Answer number {n}: restart the client.") for n in (1, 2)]


def _fresh(model, pk):
    return model._default_manager.get(pk=pk)


def _community(owner, actor):
    return {"community": Community.start(owner, name="Digital buddy network", kind="open"), "actor": actor}


REPEATABLE = [
    Repeatable(
        name="join and leave a community",
        actor="alice",
        setup=_community,
        act=lambda ctx, n: (f"/communities/{ctx['community'].slug}/{['join', 'leave'][n]}/", {}),
        state=lambda ctx: Membership.objects.filter(community=ctx["community"], user=ctx["actor"]).exists(),
    ),
    Repeatable(
        name="invite colleagues to a community",
        actor="alice",
        setup=lambda owner, actor: {
            "community": Community.start(actor, name="Bloggers", kind="invite"),
            "people": [owner, get_user_model().objects.create_user("another")],
        },  # fmt: skip
        act=lambda ctx, n: (f"/communities/{ctx['community'].slug}/invite/", {"username": ctx["people"][n].username}),
        state=lambda ctx: ctx["community"].invitations.count(),
    ),
    Repeatable(
        name="follow and unfollow",
        actor="alice",
        setup=lambda owner, actor: {"question": _ask(owner), "actor": actor},
        act=lambda ctx, n: (f"/follow/question/{ctx['question'].pk}/", {"action": ["follow", "unfollow"][n]}),
        state=lambda ctx: is_following(ctx["actor"], ctx["question"]),
    ),
    Repeatable(
        name="take and give up a workshop place",
        actor="alice",
        setup=lambda owner, actor: {"workshop": _workshop(owner), "actor": actor},
        act=_workshop_place,
        state=_workshop_status,
    ),
    Repeatable(
        name="say whether a question solved the problem",
        actor="alice",
        setup=lambda owner, actor: {"questions": [_answered(owner, "VPN drops"), _answered(owner, "Printer jams")]},
        act=lambda ctx, n: (f"/qa/questions/{ctx['questions'][n].pk}/solved/", {"solved": "yes"}),
        state=lambda ctx: [q.feedback.count() for q in ctx["questions"]],
    ),
    Repeatable(
        name="accept an answer",
        actor="alice",
        setup=lambda owner, actor: {"answers": _two_answers(actor, owner)},
        act=lambda ctx, n: (f"/qa/answers/{ctx['answers'][n].pk}/accept/", {"action": "accept"}),
        state=lambda ctx: [_fresh(Answer, a.pk).is_accepted for a in ctx["answers"]],
    ),
    Repeatable(
        name="edit a question",
        actor="alice",
        setup=lambda owner, actor: {"question": _ask(actor)},
        act=lambda ctx, n: (
            f"/qa/questions/{ctx['question'].pk}/edit/",
            {"title": f"VPN will not connect from home, attempt {n}", "body": "Error 809.", "tags": "vpn"},
        ),
        state=lambda ctx: _fresh(Question, ctx["question"].pk).title,
    ),
    Repeatable(
        name="record a benefit",
        actor="mo",
        setup=_implemented_idea,
        act=_benefit,
        state=lambda ctx: list(IdeaBenefit.objects.filter(idea=ctx["idea"]).values_list("estimated_hours_per_year")),
    ),
    Repeatable(
        name="reply to buddy requests",
        actor="charlie",
        setup=_two_buddy_requests,
        act=lambda ctx, n: (f"/skills/requests/{ctx['requests'][n].pk}/accept/", {}),
        state=lambda ctx: [_fresh(BuddyRequest, r.pk).status for r in ctx["requests"]],
    ),
    Repeatable(
        name="pause and resume volunteering",
        actor="alice",
        setup=lambda owner, actor: {"offer": volunteer(actor)},
        act=lambda ctx, n: ("/skills/volunteer/pause/", {"action": ["pause", "resume"][n]}),
        state=lambda ctx: _fresh(HelpOffer, ctx["offer"].pk).is_paused,
    ),
    Repeatable(
        name="change one's profile",
        actor="alice",
        setup=lambda owner, actor: {"actor": actor},
        act=lambda ctx, n: ("/profile/edit/", {"display_name": ["Alice Arnold", "Alice Bishop"][n]}),
        state=lambda ctx: Profile.objects.get(user=ctx["actor"]).display_name,
    ),
    Repeatable(
        name="change notification settings",
        actor="alice",
        setup=lambda owner, actor: {"actor": actor},
        act=lambda ctx, n: ("/notifications/settings/", {"email_frequency": ["weekly", "off"][n]}),
        state=lambda ctx: ListeningPreferences.for_user(ctx["actor"]).email_frequency,
    ),
    Repeatable(
        name="get a new feed address",
        actor="alice",
        setup=lambda owner, actor: {"actor": actor},
        act=lambda ctx, n: ("/notifications/settings/feed-token/", {}),
        state=lambda ctx: ListeningPreferences.for_user(ctx["actor"]).feed_token,
    ),
    Repeatable(
        name="save a listening watch",
        actor="alice",
        setup=lambda owner, actor: {"actor": actor},
        act=lambda ctx, n: ("/listening/watches/new/", {"name": f"Watch {n}", "expression": "budget"}),
        state=lambda ctx: sorted(Watch.objects.filter(owner=ctx["actor"]).values_list("name", flat=True)),
    ),
    Repeatable(
        name="share a listening post item",
        actor="alice",
        setup=lambda owner, actor: {"item": _heard("Rates relief reaction"), "owner": owner},
        act=lambda ctx, n: (f"/listening/items/{ctx['item'].pk}/share/", {"usernames": "owner", "note": f"n{n}"}),
        state=lambda ctx: list(ItemShare.objects.values_list("note", flat=True)),
    ),
]
