"""Who may do what, from one table: every row is a state-changing address, tried as each role.

Each cell is the status that role gets: 302 (done, sent back to the page), 403 (refused, saying
why), 404 (not shown to them at all) or "login" (sent to sign in). "author" is whoever wrote the
thing acted on: the question's asker, or the answer's author for answer rows other than accepting
(which is the asker's). A new state-changing address belongs in this table.
"""

import datetime

import django_comments
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from community.comment_html import CommentHtml
from community.listeningpost.models import ListeningItem, ListeningSource, Watch
from tests.conftest import make_user, named_user, rolled_back
from tests.ideas.conftest import submit
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "author", "staff", "helpdesk", "moderator", "digital", "admin"]
REVIEW_BY = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()

# address (from the objects made below), form data, then the expected answer for each role in ROLES.
MATRIX = [
    ("qa_edit", "/qa/questions/{question}/edit/", {"title": "Edited title here", "body": "Edited", "tags": "vpn"},
     ["login", 302, 403, 302, 403, 403, 302]),
    # Only the asker; this question has an answer, so even theirs is refused, sent back with why.
    ("qa_delete", "/qa/questions/{question}/delete/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("qa_close", "/qa/questions/{question}/close/", {"reason": "off_topic"},
     ["login", 403, 403, 302, 302, 403, 302]),
    ("qa_hide", "/qa/questions/{question}/hide/", {"action": "hide"},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("qa_moderation_decide", "/moderation/answer/{answer}/", {"decision": "dismiss"},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("moderation_decide_idea", "/moderation/idea/{idea}/", {"decision": "dismiss"},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("moderation_claim", "/moderation/idea/{idea}/claim/", {"action": "claim"},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("moderation_flag_idea", "/moderation/idea/{idea}/flag/", {"reason": "spam"},
     ["login", 302, 302, 302, 302, 302, 302]),
    ("idea_edit", "/ideas/ideas/{idea}/edit/",
     {"title": "Book meeting rooms sooner", "description": "Edited", "tags": "meetings"},
     ["login", 302, 403, 403, 403, 403, 403]),
    # Only the idea's author: nobody has replied to this idea, so deleting it (or withdrawing it) is done.
    ("idea_delete", "/ideas/ideas/{idea}/delete/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("idea_withdraw", "/ideas/ideas/{idea}/withdraw/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    # Only the comment's author (the asker, on their own question); nobody has replied to it.
    ("comment_edit", "/comments/{comment}/edit/", {"comment": "Which VPN client do you use now?"},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("comment_delete", "/comments/{comment}/delete/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("comment_withdraw", "/comments/{comment}/withdraw/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("idea_hide", "/ideas/ideas/{idea}/hide/", {"action": "hide"},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("qa_accept", "/qa/answers/{answer}/accept/", {"action": "accept"},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("qa_verify", "/qa/answers/{answer}/verify/", {"review_by": REVIEW_BY},
     ["login", 403, 403, 302, 403, 403, 302]),
    ("qa_answer_edit", "/qa/answers/{answer}/edit/", {"body": "Edited answer"},
     ["login", 302, 403, 302, 403, 403, 302]),
    # Only the answer's author: this answer has no comments, so deleting it (or withdrawing it) is done.
    ("qa_answer_delete", "/qa/answers/{answer}/delete/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("qa_answer_withdraw", "/qa/answers/{answer}/withdraw/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("qa_helpdesk_tags", "/qa/helpdesk/tags/", {"questions": "{question}", "add_tags": "printers"},
     ["login", 403, 403, 302, 403, 403, 302]),
    ("qa_helpdesk_act", "/qa/helpdesk/act/", {"questions": "{question}", "action": "assign_me"},
     ["login", 403, 403, 302, 403, 403, 302]),
    ("qa_unverify", "/qa/answers/{answer}/unverify/", {},
     ["login", 403, 403, 302, 403, 403, 302]),
    ("idea_status", "/ideas/ideas/{idea}/status/", {"status": "planned", "response": "We will do this in May."},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("idea_merge", "/ideas/ideas/{idea}/merge/", {"target": "{other_idea}"},
     ["login", 403, 403, 403, 302, 403, 302]),
    ("campaign_new", "/ideas/campaigns/new/",
     {"title": "What should we change?", "opens_on": timezone.localdate().isoformat(),
      "closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat()},
     ["login", 403, 403, 403, 302, 302, 302]),
    # The listening post: the digital team adds and fetches sources, lets others add them, runs exercises.
    ("listening_source_new", "/listening/sources/new/", {"name": "News", "url": "https://93.184.216.34/feed"},
     ["login", 403, 403, 403, 403, 302, 302]),
    ("listening_source_fetch", "/listening/sources/{source}/fetch/", {},
     ["login", 403, 403, 403, 403, 302, 302]),
    ("listening_allow", "/listening/sources/allow/", {"username": "answerer"},
     ["login", 403, 403, 403, 403, 302, 302]),
    ("listening_exercise_new", "/listening/exercises/new/",
     {"title": "Statement day", "starts_on": timezone.localdate().isoformat(),
      "ends_on": timezone.localdate().isoformat()},
     ["login", 403, 403, 403, 403, 302, 302]),
    # A watch is its owner's alone; any colleague may share an item.
    ("listening_watch_edit", "/listening/watches/{watch}/edit/", {"name": "Mine", "expression": "budget"},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("listening_watch_delete", "/listening/watches/{watch}/delete/", {},
     ["login", 302, 403, 403, 403, 403, 403]),
    ("listening_share", "/listening/items/{item}/share/", {"usernames": "answerer", "note": "Worth a reply?"},
     ["login", 302, 302, 302, 302, 302, 302]),
]  # fmt: skip


def comment_by(user, target, text):
    """A comment saved as ``community.comments.post_comment`` saves it (with its HTML)."""
    comment = django_comments.get_model().objects.create(
        content_object=target, site_id=settings.SITE_ID, user=user, comment=text, is_public=True
    )
    CommentHtml.objects.create(comment=comment, body_html=f"<p>{text}</p>")
    return comment


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Everyone in ROLES and the things they act on, made once for the module (it has a cell per
    role and address) inside a transaction rolled back after it (``tests.conftest.rolled_back``);
    what a cell's request changes is rolled back after that cell, as any test's changes are."""
    with django_db_blocker.unblock(), rolled_back():
        user_model = get_user_model()
        alice = named_user(user_model, "alice")
        people = {
            "anonymous": None,
            "author": alice,
            "staff": named_user(user_model, "bob"),
            "helpdesk": named_user(user_model, "helen"),
            "moderator": named_user(user_model, "mo"),
            "digital": named_user(user_model, "dita"),
            "admin": user_model.objects.create_superuser("root", "root@example.org", "x"),
        }
        question = ask(alice)
        reply = answer(question, make_user(user_model, "answerer"))
        idea, other_idea = submit(alice), submit(make_user(user_model, "proposer"), title="Another idea here")
        remark = comment_by(alice, question, "Which VPN client do you use?")
        # A source on a private address: fetching it is refused at once, with no request made.
        source = ListeningSource.objects.create(name="News", url="http://127.0.0.1:9/feed")
        heard = ListeningItem.objects.create(source=source, guid="1", title="Autumn Statement reaction")
        watch = Watch.objects.create(owner=alice, name="Statement", expression="statement")
        objects = {"question": question.pk, "answer": reply.pk, "idea": idea.pk, "other_idea": other_idea.pk,
                   "comment": remark.pk, "source": source.pk, "item": heard.pk, "watch": watch.pk}  # fmt: skip
        yield people, objects, reply.author


def cases():
    for name, address, data, expected in MATRIX:
        for role, status in zip(ROLES, expected, strict=True):
            yield pytest.param(address, data, role, status, id=f"{name}-{role}")


@pytest.mark.parametrize("address, data, role, expected", list(cases()))
def test_the_matrix(world, address, data, role, expected):
    people, objects, answerer = world
    client = Client()
    if people[role] is not None:
        client.force_login(people[role])
    if role == "author" and address.startswith("/qa/answers/") and "accept" not in address:
        client.force_login(answerer)  # the author of the answer
    form = {key: value.format(**objects) for key, value in data.items()}

    response = client.post(address.format(**objects), form)

    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content.decode()[:400]
