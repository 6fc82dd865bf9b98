"""A person's recent activity on their profile (/people/<username>/): their questions, answers,
ideas, comments and the workshops they host, newest first, paged by "Older activity" links (no
count), showing only what the viewer may see; the person sees their own withdrawn, hidden and
duplicate things, marked. Every source reads along an index on (author, date), and a page costs the
same number of queries whatever a person wrote."""

import datetime
import re

import django_comments
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from community.comment_html import CommentHtml
from community.profiles import activity
from ideas.models import Idea
from qa.models import Answer, Question
from tests.scale import plan_problems, query_plan
from tests.workshops import conftest as workshop_fixtures
from tests.workshops.conftest import days

# The workshop fixtures (an index page, a host, make_workshop), as tests/workshops has them.
_published_index, index = workshop_fixtures._published_index, workshop_fixtures.index
hana, make_workshop = workshop_fixtures.hana, workshop_fixtures.make_workshop

pytestmark = pytest.mark.django_db


def comment_on(target, user, text, **extra):
    return django_comments.get_model().objects.create(
        content_object=target, site_id=settings.SITE_ID, user=user, user_name=user.username, comment=text, **extra
    )


def dated(obj, when, field="created_at"):
    type(obj).objects.filter(pk=obj.pk).update(**{field: when})


def listed(html) -> list[str]:
    """The titles of the activity list, in order."""
    section = html.split('id="activity"', 1)[1]
    return re.findall(
        r'<p class="govuk-body govuk-!-font-weight-bold[^"]*"><a class="govuk-link" href="[^"]*">([^<]*)</a>', section
    )


def test_colleagues_see_what_a_person_asked_answered_proposed_commented_and_hosts_newest_first(
    client_for, alice, bob, make_workshop
):
    now = timezone.now()
    question = Question.ask(alice, "How do I book a meeting room?", "The **booking** page is empty.", [])
    theirs = Question.ask(bob, "Where is the VPN guide?", "I cannot find it.", [])
    answer = theirs.add_answer(alice, "It is on the IT pages.")
    idea = Idea.submit(alice, "Quiet carriages on the shuttle", "No calls on the morning bus.", [], None)
    comment = comment_on(theirs, alice, "Same problem here.")
    workshop = make_workshop("Spreadsheets for beginners", host=alice, start_at=days(-3, 10), end_at=days(-3, 12))
    dated(question, now - datetime.timedelta(days=5))
    dated(answer, now - datetime.timedelta(days=4))
    dated(idea, now - datetime.timedelta(days=2))
    django_comments.get_model().objects.filter(pk=comment.pk).update(submit_date=now - datetime.timedelta(days=1))

    html = client_for(bob).get("/people/alice/").content.decode()

    assert listed(html) == [
        "Where is the VPN guide?",  # the comment, yesterday
        "Quiet carriages on the shuttle",
        "Spreadsheets for beginners",
        "Where is the VPN guide?",  # the answer
        "How do I book a meeting room?",
    ]
    section = html.split('id="activity"', 1)[1]
    assert "Commented on a question" in section and "Proposed an idea" in section and "Hosted a workshop" in section
    assert "Answered" in section and "Asked" in section
    assert f'href="{theirs.get_absolute_url()}#c{comment.pk}"' in section
    assert f'href="{theirs.get_absolute_url()}#answer-{answer.pk}"' in section
    assert f'href="{workshop.url}"' in section
    assert "The booking page is empty." in section  # a line of it, as plain text
    assert "Older activity" not in section


def test_a_person_with_no_activity_is_told_so(client_for, alice, bob):
    assert "Nothing yet." in client_for(bob).get("/people/alice/").content.decode()
    own = client_for(alice).get("/people/alice/").content.decode()
    assert "You have not asked, answered, proposed or commented on anything yet." in own


def test_older_activity_pages_on_with_no_gap_and_no_repeat(client_for, alice, bob, monkeypatch):
    monkeypatch.setattr(activity, "PAGE_SIZE", 3)
    monkeypatch.setattr(activity.recent_activity, "__defaults__", (None, 3))
    now = timezone.now()
    titles = []
    theirs = Question.ask(bob, "Bob's question", "Body.", [])
    dated(theirs, now - datetime.timedelta(days=30))
    for n in range(10):
        when = now - datetime.timedelta(hours=n + 1)
        if n % 3 == 0:
            dated(Question.ask(alice, f"Question {n}", "Body.", []), when)
            titles.append(f"Question {n}")
        elif n % 3 == 1:
            dated(Idea.submit(alice, f"Idea {n}", "Body.", [], None), when)
            titles.append(f"Idea {n}")
        else:
            comment = comment_on(theirs, alice, f"Comment {n}")
            django_comments.get_model().objects.filter(pk=comment.pk).update(submit_date=when)
            titles.append("Bob&#x27;s question")
    viewer = client_for(bob)

    seen, url, pages = [], "/people/alice/", 0
    while url:
        html = viewer.get(url).content.decode()
        pages += 1
        seen += listed(html)
        older = re.search(r'href="([^"]*\?before=[^"#]*)#activity" rel="next"', html)
        url = older.group(1).replace("&amp;", "&") if older else ""
        assert pages < 10

    assert seen == titles
    assert pages == 4
    assert "Older activity</h2>" in html and "Newest activity" in html


def test_a_broken_older_link_says_so_and_shows_the_newest(client_for, alice, bob):
    Question.ask(alice, "How do I book a meeting room?", "Body.", [])

    response = client_for(bob).get("/people/alice/", {"before": "yesterday-ish"})

    html = response.content.decode()
    assert response.status_code == 200
    assert activity.BAD_CURSOR in html
    assert "How do I book a meeting room?" in listed(html)


@pytest.fixture
def everything_alice_did_that_others_may_not_see(alice, bob, charlie, mo, make_workshop, index):
    """Alice's items of every kind in the state colleagues may not see, and one visible control."""
    hidden_q = Question.ask(alice, "Hiddenquestion", "Body.", [])
    hidden_q.hide(mo, "Spam")
    canonical = Question.ask(bob, "Canonicalquestion", "Body.", [])
    duplicate = Question.ask(alice, "Duplicatequestion", "Body.", [])
    duplicate.close(mo, Question.CloseReason.DUPLICATE, duplicate_of=canonical)
    Question.ask(alice, "Visiblequestion", "Body.", [])
    bobs_hidden = Question.ask(charlie, "Othershiddenquestion", "Body.", [])
    bobs_hidden.add_answer(alice, "Answeronhiddenquestion")
    comment_on(bobs_hidden, alice, "Commentonhiddenquestion")
    bobs_hidden.hide(mo, "Spam")
    answer = canonical.add_answer(alice, "Hiddenanswer")
    Answer.objects.get(pk=answer.pk).hide(mo, "Spam")
    withdrawn = canonical.add_answer(alice, "Withdrawnanswer")
    comment_on(withdrawn, bob, "A reply, so it can only be withdrawn")
    Answer.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    hidden_idea = Idea.submit(alice, "Hiddenidea", "Body.", [], None)
    Idea.objects.filter(pk=hidden_idea.pk).update(is_hidden=True)
    Idea.objects.filter(pk=Idea.submit(alice, "Withdrawnidea", "Body.", [], None).pk).update(
        withdrawn_at=timezone.now()
    )
    original = Idea.submit(bob, "Originalidea", "Body.", [], None)
    Idea.objects.filter(pk=Idea.submit(alice, "Mergedidea", "Body.", [], None).pk).update(
        merged_into=original, status=Idea.Status.DUPLICATE
    )
    comment_on(canonical, alice, "Removedcomment", is_removed=True)
    withdrawn_comment = comment_on(canonical, alice, "Withdrawncomment")
    CommentHtml.objects.create(
        comment=withdrawn_comment, body_html="<p>Withdrawncomment</p>", withdrawn_at=timezone.now()
    )
    deleted = comment_on(canonical, alice, "Deletedcomment")
    deleted.delete()
    restricted = make_workshop("Restrictedworkshop", host=alice)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    unpublished = make_workshop("Unpublishedworkshop", host=alice)
    unpublished.unpublish()
    return alice


NEVER_TO_OTHERS = [
    "Hiddenquestion", "Duplicatequestion", "Answeronhiddenquestion", "Commentonhiddenquestion", "Hiddenanswer",
    "Withdrawnanswer", "Hiddenidea", "Withdrawnidea", "Mergedidea", "Removedcomment", "Withdrawncomment",
    "Deletedcomment", "Restrictedworkshop", "Unpublishedworkshop", "Othershiddenquestion",
]  # fmt: skip


@pytest.mark.parametrize("viewer", ["bob", "mo"])
def test_colleagues_and_moderators_see_nothing_hidden_withdrawn_merged_deleted_or_restricted(
    everything_alice_did_that_others_may_not_see, client_for, bob, mo, viewer
):
    html = client_for({"bob": bob, "mo": mo}[viewer]).get("/people/alice/").content.decode()

    section = html.split('id="activity"', 1)[1]
    assert "Visiblequestion" in section  # the control: the list is there
    assert [words for words in NEVER_TO_OTHERS if words in section] == []


def test_the_person_sees_their_own_hidden_withdrawn_and_duplicate_things_marked(
    everything_alice_did_that_others_may_not_see, client_for, alice
):
    html = client_for(alice).get("/people/alice/").content.decode()

    section = html.split('id="activity"', 1)[1]
    cards = {card.split("</li>")[0] for card in section.split('<li class="confer-card">')[1:]}

    def state_of(words):
        [card] = [card for card in cards if words in card]
        found = re.search(r'govuk-tag--grey">([^<]*)<', card)
        return found.group(1) if found else ""

    assert state_of("Hiddenquestion") == "Hidden by a moderator"
    assert state_of("Duplicatequestion") == "Closed as a duplicate"
    assert state_of("Hiddenanswer") == "Hidden by a moderator"
    assert state_of("Withdrawnanswer") == "Withdrawn"
    assert state_of("Hiddenidea") == "Hidden by a moderator"
    assert state_of("Withdrawnidea") == "Withdrawn"
    assert state_of("Mergedidea") == "Merged into another idea"
    assert state_of("Removedcomment") == "Hidden by a moderator"
    assert state_of("Withdrawncomment") == "Withdrawn"
    assert state_of("Visiblequestion") == ""
    # What a moderator hid from her (someone else's question) stays out even of her own list, and
    # deleted things are gone; restricted or unpublished workshops are listed for nobody.
    for words in ("Othershiddenquestion", "Answeronhiddenquestion", "Commentonhiddenquestion", "Deletedcomment",
                  "Restrictedworkshop", "Unpublishedworkshop"):  # fmt: skip
        assert words not in section


def make_activity(person, other, count):
    """``count`` of each kind by ``person``, in bulk."""
    now = timezone.now()
    questions = Question.objects.bulk_create(
        Question(author=person, title=f"Question {n}", slug=f"question-{n}", body="Body.", body_html="<p>Body.</p>",
                 created_at=now - datetime.timedelta(minutes=n))
        for n in range(count)
    )  # fmt: skip
    theirs = Question.ask(other, "Their question", "Body.", [])
    Answer.objects.bulk_create(
        Answer(question=theirs, author=person, body=f"Answer {n}", body_html=f"<p>Answer {n}</p>",
               created_at=now - datetime.timedelta(minutes=n, seconds=10))
        for n in range(count)
    )  # fmt: skip
    Idea.objects.bulk_create(
        Idea(author=person, title=f"Idea {n}", slug=f"idea-{n}", description="Body.", description_html="<p>Body.</p>",
             created_at=now - datetime.timedelta(minutes=n, seconds=20))
        for n in range(count)
    )  # fmt: skip
    idea = Idea.submit(other, "Their idea", "Body.", [], None)
    for n in range(count):
        for target in (theirs, idea, questions[0]):
            comment = comment_on(target, person, f"Comment {n}")
            comment.submit_date = now - datetime.timedelta(minutes=n, seconds=30)
            comment.save(update_fields=["submit_date"])


PROFILE_QUERIES = 20  # measured: 20 (the activity is 5 sources + up to 3 kinds of comment target)


@pytest.mark.parametrize("count", [3, 60])
def test_a_profile_page_runs_the_same_queries_at_any_size(
    client_for, alice, bob, count, django_assert_max_num_queries, make_workshop
):
    make_activity(alice, bob, count)
    for n in range(min(count, 20)):
        make_workshop(f"Workshop {n}", host=alice, tags=(), start_at=days(-n - 1, 10), end_at=days(-n - 1, 12))
    viewer = client_for(bob)
    first = viewer.get("/people/alice/").content.decode()
    older = re.search(r'href="[^"]*\?before=([^"#]*)#activity"', first)

    with django_assert_max_num_queries(PROFILE_QUERIES):
        html = viewer.get("/people/alice/").content.decode()
    with django_assert_max_num_queries(PROFILE_QUERIES):
        viewer.get("/people/alice/", {"before": timezone.now().isoformat()})

    assert len(listed(html)) == activity.PAGE_SIZE
    assert older is not None


def test_each_source_reads_a_person_s_items_along_an_index(client_for, alice, bob, make_workshop):
    make_activity(alice, bob, 30)
    make_workshop("Workshop", host=alice, tags=())
    with CaptureQueriesContext(connection) as captured:
        assert client_for(bob).get("/people/alice/", {"before": timezone.now().isoformat()}).status_code == 200

    checked = []
    for table in (
        "qa_question",
        "qa_answer",
        "ideas_idea",
        "django_comments_xtd_xtdcomment",
        "community_workshoppage",
    ):
        pages = [q["sql"] for q in captured.captured_queries
                 if f'FROM "{table}"' in q["sql"] and "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]]  # fmt: skip
        assert pages, f"no page of {table} read"
        for sql in pages:
            assert not plan_problems(sql, table), f"{table}:\n{sql}\n{query_plan(sql)}"
            checked.append(table)
        assert "COUNT(" not in " ".join(pages)
    assert len(checked) >= 5
