"""Every figure on a fixed dataset with known answers (March 2026, Europe/London).

Questions asked in March: waits to the first answer of 1, 2, 4 and 10 hours, and one unanswered, so
the median is 3 hours and the 90th percentile 4 + 0.7 × (10 − 4) = 8.2 hours.
"""

import datetime
import decimal

import django_comments
import pytest
from django.contrib.sites.models import Site
from taggit.models import Tag

from ideas.models import Idea, IdeaBenefit, StatusChange
from ideas.models import Vote as IdeaVote
from insight import metrics
from insight.models import SearchClick, SearchEvent
from insight.period import Period
from qa.models import QuestionTag, SolvedFeedback
from qa.models import Vote as QAVote
from skills.models import BuddyRequest, HelpOffer, Skill

from .conftest import answer, at, question

MARCH = Period(first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 31))
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def march(alice, bob, charlie, helen, mo):
    asked = [question(alice, at(2026, 3, day, 9), title=f"Question {day}") for day in (2, 3, 4, 5, 6)]
    q1, q2, q3, q4, q5 = asked
    answer(q1, bob, q1.created_at + HOUR, is_accepted=True, accepted_at=q1.created_at + 2 * HOUR)
    answer(
        q2,
        bob,
        q2.created_at + 2 * HOUR,
        verified_by=helen,
        verified_at=q2.created_at + 3 * HOUR,
        review_by=datetime.date(2027, 1, 1),
    )
    answer(q3, charlie, q3.created_at + 4 * HOUR)
    answer(q4, charlie, q4.created_at + 20 * HOUR)
    answer(q4, bob, q4.created_at + 10 * HOUR)
    answer(q5, bob, q5.created_at + HOUR, is_hidden=True)  # hidden: q5 stays unanswered
    question(alice, at(2026, 2, 28, 23, 30), title="February")  # outside the range
    return asked


def test_question_figures(march):
    figures = metrics.questions(MARCH)
    assert figures["asked"] == 5
    assert (figures["answered"], figures["answered_share"]) == (4, 80.0)
    assert figures["median_hours"] == pytest.approx(3.0)
    assert figures["p90_hours"] == pytest.approx(8.2)
    assert (figures["accepted"], figures["accepted_share"]) == (1, 20.0)
    assert (figures["verified"], figures["verified_share"]) == (1, 20.0)
    # Now: q5 and February's question wait; February's is the oldest.
    assert figures["unanswered"] == 2


def test_percentiles_interpolate_between_ranks():
    assert metrics.percentile([], 0.5) is None
    assert metrics.percentile([7], 0.9) == 7
    assert metrics.percentile([1, 2, 4, 10], 0.5) == 3
    assert metrics.percentile([10, 1, 4, 2], 0.9) == pytest.approx(8.2)
    assert metrics.percentile(list(range(1, 101)), 0.9) == pytest.approx(90.1)


def test_deflection_and_calls_avoided(march, alice, bob, charlie, settings, django_user_model):
    settings.INSIGHT_CALL_SHARE = 0.5
    q1, q2, q3, *_ = march
    dave = django_user_model.objects.create_user(username="dave", password="x")

    def search(person, query, results, day):
        event = SearchEvent.record(person, query, results)
        SearchEvent.objects.filter(pk=event.pk).update(created_at=at(2026, 3, day, 10))
        return event

    SearchClick.objects.create(search=search(charlie, "password", 3, 10), question=q1, good_answer=True)
    SearchClick.objects.create(search=search(bob, "reset password", 2, 10), question=q2, good_answer=True)
    SearchClick.objects.create(search=search(alice, "password", 2, 11), question=q3, good_answer=False)
    for person in (alice, bob, charlie):
        search(person, "vpn token", 0, 12)
    search(dave, "my appraisal", 0, 12)  # one person: never listed
    search(dave, "outside", 0, 12)
    SearchEvent.objects.filter(query="outside").update(created_at=at(2026, 4, 1, 0, 30))
    for person, asked, solved in ((charlie, q1, True), (alice, q3, True), (bob, q2, False)):
        SolvedFeedback.objects.create(user=person, question=asked, solved=solved, created_at=at(2026, 3, 12))

    figures = metrics.deflection(MARCH)
    assert (figures["searches"], figures["found_nothing"], figures["searchers"]) == (7, 4, 4)
    assert (figures["good_searches"], figures["good_share"]) == (2, 28.6)
    assert (figures["solved"], figures["not_solved"]) == (2, 1)
    # charlie said "solved" about q1, so only bob's good search adds: 2 + 0.5 × 1, halves up = 3.
    assert figures["unreported"] == 1
    assert figures["calls_avoided"] == 3

    table = metrics.unfound_queries(MARCH)
    assert table.rows == [["vpn token", 3, 3, 3]]
    assert "appraisal" not in str(table.rows)


def test_ideas_figures(alice, bob, charlie, mo):
    def idea(title, day, status=Idea.Status.NEW, **extra):
        return Idea.objects.create(
            author=alice, title=title, description="D", created_at=at(2026, 3, day, 9), status=status, **extra
        )

    idea("New", 2)
    review = idea("Review", 3, Idea.Status.UNDER_REVIEW)
    done = idea("Done", 4, Idea.Status.IMPLEMENTED, implemented_at=at(2026, 3, 20))
    no = idea("No", 5, Idea.Status.DECLINED)
    for target, hours in ((review, 24), (done, 48), (no, 12)):
        StatusChange.objects.create(
            idea=target,
            previous_status="new",
            status=target.status,
            response="R",
            changed_by=mo,
            created_at=target.created_at + hours * HOUR,
        )
    StatusChange.objects.create(
        idea=review,
        previous_status="under_review",
        status="under_review",
        response="Later",
        changed_by=mo,
        created_at=review.created_at + 100 * HOUR,
    )
    IdeaBenefit.objects.create(
        idea=done,
        estimated_hours_per_year=100,
        realised_hours_per_year=80,
        estimated_money_per_year=decimal.Decimal("1000"),
        realised_money_per_year=decimal.Decimal("500.50"),
    )
    for person, when in ((bob, at(2026, 3, 6)), (charlie, at(2026, 3, 7)), (mo, at(2026, 2, 27))):
        IdeaVote.objects.create(idea=review, user=person, created_at=when)

    figures = metrics.ideas(MARCH)
    assert figures["submitted"] == 4
    funnel = dict(figures["funnel"].rows)
    assert (funnel["New"], funnel["Under review"], funnel["Implemented"], funnel["Declined"]) == (1, 1, 1, 1)
    assert figures["median_response_hours"] == pytest.approx(24)
    assert figures["votes"] == 2
    benefits = figures["benefits"]
    assert (benefits["ideas"], benefits["estimated_hours"], benefits["realised_hours"]) == (1, 100, 80)
    assert benefits["realised_money"] == decimal.Decimal("500.50")
    assert metrics.implemented_ideas(MARCH).rows == [
        ["Done", datetime.date(2026, 3, 20), 100, 80, decimal.Decimal("1000.00"), decimal.Decimal("500.50")]
    ]


def test_active_contributors_count_each_person_once(march, alice, bob, charlie, mo):
    q1 = march[0]
    QAVote.objects.filter().delete()
    vote = QAVote.objects.create(user=mo, question=q1, value=1)
    QAVote.objects.filter(pk=vote.pk).update(created_at=at(2026, 3, 8))
    django_comments.get_model().objects.create(
        content_object=q1, site=Site.objects.get_current(), user=mo, comment="Thanks", submit_date=at(2026, 3, 9)
    )
    figures = metrics.people(MARCH)
    kinds = dict(figures["by_kind"].rows)
    # alice asked; bob and charlie answered (bob's hidden answer too: he still took part); mo voted, commented.
    assert (kinds["Asked"], kinds["Answered"], kinds["Voted"], kinds["Commented"]) == (1, 2, 1, 1)
    assert figures["active"] == kinds["Any of these"] == 4


def test_buddy_figures(alice, bob, charlie, django_user_model):
    HelpOffer.objects.create(user=bob, capacity=2)
    HelpOffer.objects.create(user=charlie, capacity=1)
    made = [
        BuddyRequest.objects.create(requester=alice, note="n", created_at=at(2026, 3, 2, 9)),
        BuddyRequest.objects.create(requester=alice, note="n", created_at=at(2026, 3, 3, 9)),
        BuddyRequest.objects.create(requester=alice, note="n", created_at=at(2026, 3, 4, 9)),
    ]
    BuddyRequest.objects.filter(pk=made[0].pk).update(
        status="done",
        volunteer=bob,
        matched_at=at(2026, 3, 2, 11),
        finished_at=at(2026, 3, 9),
        helpful=True,
        outcome="Sorted",
    )
    BuddyRequest.objects.filter(pk=made[1].pk).update(
        status="done",
        volunteer=bob,
        matched_at=at(2026, 3, 3, 15),
        finished_at=at(2026, 3, 10),
        helpful=False,
        outcome="Not really",
    )
    BuddyRequest.objects.filter(pk=made[2].pk).update(
        status="accepted", volunteer=charlie, matched_at=at(2026, 3, 5, 9)
    )
    figures = metrics.people(MARCH)
    assert (figures["requests"], figures["matches"]) == (3, 3)
    assert figures["median_match_hours"] == pytest.approx(6)  # waits of 2, 6 and 24 hours
    assert (figures["rated"], figures["helpful"], figures["helpful_share"]) == (2, 1, 50.0)
    assert (figures["volunteers"], figures["places"], figures["places_in_use"]) == (2, 3, 1)
    assert figures["volunteers_full"] == 1  # charlie: one place, one match


def test_tag_figures(alice, bob):
    def tagged(name, count, month=3):
        for number in range(count):
            asked = question(alice, at(2026, month, 10 + number), title=f"{name} {number}")
            QuestionTag.objects.create(content_object=asked, tag=Tag.objects.get_or_create(name=name, slug=name)[0])

    tagged("excel", 5)
    tagged("vpn", 3)
    tagged("vpn", 1, month=2)
    tagged("teams", 2, month=2)
    tagged("teams", 1)
    Skill.objects.create(user=bob, tag=Tag.objects.get(name="excel"), can_help=True)
    figures = metrics.tags(MARCH)
    assert figures["top"].rows == [["excel", 5], ["vpn", 3], ["teams", 1]]
    assert figures["rising"].rows == [["excel", 5, 0, 5], ["vpn", 3, 1, 2]]
    # excel has a helper; teams has too few questions to be a gap.
    assert figures["gaps"].rows == [["vpn", 3]]


def test_the_trend_counts_local_days_across_the_clocks_going_forward(alice):
    # The clocks went forward at 01:00 UTC on 29 March 2026.
    for when in (at(2026, 3, 29, 0, 30), at(2026, 3, 29, 23, 30), at(2026, 3, 30, 0, 15)):
        question(alice, when)
    rows = {row[0]: row[1] for row in metrics.activity_trend(MARCH).rows}
    assert len(rows) == 31
    assert rows[datetime.date(2026, 3, 29)] == 2
    assert rows[datetime.date(2026, 3, 30)] == 1


def test_a_range_starts_at_local_midnight_in_summer_time(alice):
    question(alice, datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC))  # 00:30 BST on 1 July
    question(alice, datetime.datetime(2026, 6, 30, 22, 59, tzinfo=datetime.UTC))  # 23:59 BST on 30 June
    june = Period(first=datetime.date(2026, 6, 1), last=datetime.date(2026, 6, 30))
    july = Period(first=datetime.date(2026, 7, 1), last=datetime.date(2026, 7, 31))
    assert metrics.questions(june)["asked"] == 1
    assert metrics.questions(july)["asked"] == 1
    assert {row[0]: row[1] for row in metrics.activity_trend(july).rows}[datetime.date(2026, 7, 1)] == 1


def test_a_range_ends_at_local_midnight_in_winter_time(alice):
    question(alice, datetime.datetime(2026, 12, 1, 0, 0, tzinfo=datetime.UTC))  # midnight GMT: 1 December
    november = Period(first=datetime.date(2026, 11, 1), last=datetime.date(2026, 11, 30))
    assert metrics.questions(november)["asked"] == 0


def test_longer_ranges_are_grouped_by_week_then_month():
    quarter = Period(first=datetime.date(2026, 1, 1), last=datetime.date(2026, 3, 31))
    unit, starts = metrics.buckets(quarter)
    assert unit == "week" and starts[0] == datetime.date(2025, 12, 29) and starts[-1] == datetime.date(2026, 3, 30)
    two_years = Period(first=datetime.date(2025, 1, 15), last=datetime.date(2026, 12, 6))
    unit, starts = metrics.buckets(two_years)
    assert unit == "month" and len(starts) == 24


def test_workshop_figures(make_workshop, django_user_model):
    from community.workshops.models import WorkshopSignup

    held = make_workshop(title="Boost your blog", start_at=at(2026, 3, 10, 10), end_at=at(2026, 3, 10, 12), capacity=3)
    make_workshop(title="Later", start_at=at(2026, 4, 10, 10), end_at=at(2026, 4, 10, 12))
    folks = [django_user_model.objects.create_user(username=f"w{n}", password="x") for n in range(6)]

    def signup(person, status, **extra):
        return WorkshopSignup.objects.create(
            workshop=held, user=person, status=status, created_at=at(2026, 3, 1), **extra
        )

    signup(folks[0], "confirmed", confirmed_at=at(2026, 3, 1), attended=True)
    signup(folks[1], "confirmed", confirmed_at=at(2026, 3, 1), attended=False)
    signup(folks[2], "confirmed", confirmed_at=at(2026, 3, 2), promoted_at=at(2026, 3, 2), attended=True)
    signup(folks[3], "waitlisted")
    signup(folks[4], "cancelled", confirmed_at=at(2026, 3, 1), cancelled_at=at(2026, 3, 2))
    figures = metrics.workshops(MARCH)
    assert (figures["signups"], figures["waitlisted"]) == (5, 2)
    assert (figures["held"], figures["recorded"], figures["attended"]) == (1, 3, 2)
    assert figures["attendance_share"] == 66.7
    assert figures["table"].rows == [["Boost your blog", datetime.date(2026, 3, 10), 3, 3, 1, 1, 2, 66.7]]
