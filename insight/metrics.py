"""Every figure on the insight dashboard, from aggregate queries (docs/insight.md defines each one).

Each section is one function of a ``Period`` that returns its figures and its ``Table``s; a table is
what the page shows under a chart and what its CSV holds. The number of queries is fixed: no
section loops over rows with a query each, so the page costs the same at 100 questions and at
100,000 (tests/insight/test_queries.py holds it).
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

import django_comments
from django.conf import settings
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.utils import timezone
from taggit.models import Tag

from community.profiles.models import Directorate, Profile
from community.workshops.models import WorkshopPage, WorkshopSignup
from ideas.models import Idea, SecondsBetween
from ideas.models import Vote as IdeaVote
from qa.models import Answer, Question, QuestionTag, SolvedFeedback
from qa.models import Vote as QAVote
from skills.models import BuddyRequest, HelpOffer, HelpOfferTopic, Skill

from .models import SearchClick, SearchEvent
from .period import MIN_GROUP_SIZE, Period, local_midnight

# The share of people who found an accepted or verified answer through search, without saying it
# solved their problem, who would otherwise have contacted the helpdesk (an assumption, on the page).
DEFAULT_CALL_SHARE = 0.5
# A search query is listed only when at least this many different people searched for it, so a
# query typed once cannot point at the one person who typed it.
DEFAULT_QUERY_MIN_PEOPLE = 2
TOP_QUERIES = 20
TOP_TAGS = 10
# A tag is a gap when at least this many questions in the range carry it and nobody offers help.
GAP_MIN_QUESTIONS = 3


def call_share() -> float:
    return float(getattr(settings, "INSIGHT_CALL_SHARE", DEFAULT_CALL_SHARE))


def query_min_people() -> int:
    return int(getattr(settings, "INSIGHT_QUERY_MIN_PEOPLE", DEFAULT_QUERY_MIN_PEOPLE))


@dataclass
class Table:
    """Rows of figures with a caption: shown on the page and downloadable as CSV under ``key``."""

    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""


# --- arithmetic ---------------------------------------------------------------------------------


def percentile(values, fraction: float):
    """The ``fraction`` percentile by linear interpolation between the closest ranks (what
    PostgreSQL's percentile_cont and numpy's default give); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def share(part, whole):
    """``part`` of ``whole`` as a percentage rounded to one place, or None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


# --- filters --------------------------------------------------------------------------------------


def _in(period: Period, field_name: str = "created_at") -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def _of(period: Period, person: str) -> Q:
    """Only what people of the chosen directorate did (everything when none is chosen)."""
    if period.directorate is None:
        return Q()
    return Q(**{f"{person}__profile__directorate": period.directorate})


# --- trends ---------------------------------------------------------------------------------------


def buckets(period: Period) -> tuple[str, list[datetime.date]]:
    """Days for up to two months, weeks (from Monday) up to a year, months beyond."""
    if period.days <= 62:
        return "day", [period.first + datetime.timedelta(days=n) for n in range(period.days)]
    if period.days <= 366:
        start = period.first - datetime.timedelta(days=period.first.weekday())
        return "week", [start + datetime.timedelta(weeks=n) for n in range((period.last - start).days // 7 + 1)]
    months, month = [], period.first.replace(day=1)
    while month <= period.last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return "month", months


def counts_by_bucket(period: Period, queryset, field_name: str = "created_at") -> list[tuple[datetime.date, int]]:
    """[(bucket start, count)] in one query, one conditional count per bucket.

    Buckets are cut at local midnights turned into instants here (so a day of 23 or 25 hours when
    the clocks change is counted whole), and the database only compares timestamps: no per-row time
    zone conversion, which SQLite would do by calling back into Python for every row.
    """
    unit, starts = buckets(period)
    edges = [max(local_midnight(start), period.start) for start in starts] + [period.end]
    counts = queryset.aggregate(
        **{
            f"b{number}": Count(
                "pk", filter=Q(**{f"{field_name}__gte": edges[number], f"{field_name}__lt": edges[number + 1]})
            )
            for number in range(len(starts))
        }
    )
    return [(start, counts[f"b{number}"]) for number, start in enumerate(starts)]


# --- helpdesk deflection ----------------------------------------------------------------------------


def searches(period: Period):
    return SearchEvent.objects.between(period.start, period.end).filter(_of(period, "user"))


def deflection(period: Period) -> dict:
    events = searches(period)
    counts = events.aggregate(
        searches=Count("pk"), found_nothing=Count("pk", filter=Q(results=0)), searchers=Count("user", distinct=True)
    )
    good = SearchClick.objects.filter(search__in=events, good_answer=True)
    solved_same = SolvedFeedback.objects.filter(
        user=OuterRef("search__user"), question=OuterRef("question"), solved=True
    )
    clicks = good.aggregate(
        good_searches=Count("search", distinct=True),
        unreported=Count("search", distinct=True, filter=~Q(Exists(solved_same))),
    )
    feedback = SolvedFeedback.objects.filter(_in(period), _of(period, "user")).aggregate(
        yes=Count("pk", filter=Q(solved=True)), no=Count("pk", filter=Q(solved=False))
    )
    rate = call_share()
    # To the nearest whole call, halves up (Python's round() would send 0.5 to 0).
    from_searches = math.floor(rate * clicks["unreported"] + 0.5)
    return {
        **counts,
        **clicks,
        "solved": feedback["yes"],
        "not_solved": feedback["no"],
        "good_share": share(clicks["good_searches"], counts["searches"]),
        "call_share": rate,
        "call_share_percent": round(rate * 100),
        "calls_from_searches": from_searches,
        "calls_avoided": feedback["yes"] + from_searches,
    }


def calls_avoided(period: Period) -> int:
    """The calls avoided estimate alone (the helpdesk queue and the home page show it)."""
    return deflection(period)["calls_avoided"]


def unfound_queries(period: Period) -> Table:
    """The helpdesk's to-do list: queries whose searches opened no question with a good answer."""
    good_click = SearchClick.objects.filter(search=OuterRef("pk"), good_answer=True)
    rows = (
        searches(period)
        .filter(~Exists(good_click))
        .values("query")
        .annotate(
            searches=Count("pk"), found_nothing=Count("pk", filter=Q(results=0)), people=Count("user", distinct=True)
        )
        .filter(people__gte=query_min_people())
        .order_by("-searches", "query")[:TOP_QUERIES]
    )
    return Table(
        key="unfound_queries",
        title="Top searches with no good result",
        columns=["Search", "Searches", "Found nothing", "People"],
        rows=[[row["query"], row["searches"], row["found_nothing"], row["people"]] for row in rows],
        note=f"Searches that opened no question with an accepted or verified answer. A search is listed "
        f"only when at least {query_min_people()} different people made it; nobody's name is kept with it.",
    )


# --- questions -------------------------------------------------------------------------------------


def _hours(queryset, later: str, earlier: str = "created_at") -> list[float]:
    """Hours from ``earlier`` to ``later`` for each row, computed by the database (floats only: no
    datetimes to parse for thousands of rows)."""
    seconds = queryset.annotate(wait=SecondsBetween(F(later), F(earlier))).values_list("wait", flat=True)
    return [value / 3600 for value in seconds if value is not None]


def questions(period: Period) -> dict:
    visible = Answer.objects.filter(question=OuterRef("pk"), is_hidden=False)
    asked = Question.objects.public().filter(_in(period), _of(period, "author")).order_by()
    counts = asked.aggregate(
        asked=Count("pk"),
        accepted=Count("pk", filter=Exists(visible.filter(is_accepted=True))),
        verified=Count("pk", filter=Exists(visible.filter(verified_at__isnull=False))),
    )
    waits = _hours(
        asked.annotate(first_answer_at=Min("answers__created_at", filter=Q(answers__is_hidden=False))).filter(
            first_answer_at__isnull=False
        ),
        "first_answer_at",
    )
    total, answered, accepted, verified = counts["asked"], len(waits), counts["accepted"], counts["verified"]

    queue = (
        Question.objects.unanswered()
        .filter(_of(period, "author"))
        .aggregate(count=Count("pk"), oldest=Min("created_at"))
    )
    oldest_hours = (timezone.now() - queue["oldest"]).total_seconds() / 3600 if queue["oldest"] else None
    return {
        "asked": total,
        "answered": answered,
        "answered_share": share(answered, total),
        "accepted": accepted,
        "accepted_share": share(accepted, total),
        "verified": verified,
        "verified_share": share(verified, total),
        "median_hours": percentile(waits, 0.5),
        "p90_hours": percentile(waits, 0.9),
        "unanswered": queue["count"],
        "oldest_unanswered_hours": oldest_hours,
        "verifications_due": Answer.objects.due_for_review().filter(_of(period, "question__author")).count(),
    }


def activity_trend(period: Period) -> Table:
    """Questions asked, searches and "solved my problem" answers per day, week or month."""
    asked = counts_by_bucket(period, Question.objects.public().filter(_in(period), _of(period, "author")))
    searched = counts_by_bucket(period, searches(period))
    solved = counts_by_bucket(period, SolvedFeedback.objects.filter(_in(period), _of(period, "user"), solved=True))
    unit, _ = buckets(period)
    return Table(
        key="activity",
        title=f"Questions, searches and problems solved, by {unit}",
        columns=[f"{unit.title()} starting", "Questions asked", "Searches", "Solved my problem"],
        rows=[[start, a, s, v] for (start, a), (_, s), (_, v) in zip(asked, searched, solved, strict=True)],
    )


# --- ideas ---------------------------------------------------------------------------------------


def ideas(period: Period) -> dict:
    # Ideas posted in an invite-only community are its members' business: left out of every figure.
    created = Idea.objects.filter(_in(period), _of(period, "author"), members_only=False)
    funnel = created.status_counts()
    waits = _hours(
        created.order_by()
        .annotate(first_response=Min("status_changes__created_at"))
        .filter(first_response__isnull=False),
        "first_response",
    )
    votes = IdeaVote.objects.filter(_in(period), _of(period, "user"), merge__isnull=True).count()
    benefits = (
        Idea.objects.implemented_between(period.start, period.end)
        .filter(_of(period, "author"), members_only=False)
        .benefit_totals()
    )
    return {
        "submitted": sum(funnel.values()),
        "funnel": Table(
            key="ideas_funnel",
            title="Ideas submitted in the range, by where they are now",
            columns=["Status", "Ideas"],
            rows=[[label, funnel[value]] for value, label in Idea.Status.choices],
        ),
        "responded": len(waits),
        "median_response_hours": percentile(waits, 0.5),
        "votes": votes,
        "benefits": benefits,
    }


def implemented_ideas(period: Period) -> Table:
    rows = (
        Idea.objects.implemented_between(period.start, period.end)
        .filter(_of(period, "author"), members_only=False)
        .order_by("-implemented_at", "-pk")
        .values_list(
            "title",
            "implemented_at",
            "benefit__estimated_hours_per_year",
            "benefit__realised_hours_per_year",
            "benefit__estimated_money_per_year",
            "benefit__realised_money_per_year",
        )[:50]
    )
    return Table(
        key="implemented_ideas",
        title="Ideas implemented in the range and their benefits a year",
        columns=[
            "Idea",
            "Implemented on",
            "Estimated hours",
            "Realised hours",
            "Estimated £",
            "Realised £",
        ],
        rows=[[title, timezone.localtime(when).date(), *benefits] for title, when, *benefits in rows],
    )


# --- people ----------------------------------------------------------------------------------------


def people(period: Period) -> dict:
    comment_model = django_comments.get_model()
    # Who did each kind of thing: (kind, [user id querysets]); a person counts once per kind and once
    # in "any of these", through UNION (which removes duplicates) rather than by fetching the ids.
    kinds = [
        (
            "Asked",
            [Question.objects.filter(_in(period), _of(period, "author"), members_only=False).values_list("author_id")],
        ),
        (
            "Answered",
            [
                Answer.objects.filter(_in(period), _of(period, "author"), question__members_only=False).values_list(
                    "author_id"
                )
            ],
        ),
        (
            "Voted",
            [
                QAVote.objects.filter(_in(period), _of(period, "user")).values_list("user_id"),
                IdeaVote.objects.filter(_in(period), _of(period, "user"), merge__isnull=True).values_list("user_id"),
            ],
        ),
        (
            "Commented",
            [
                comment_model.objects.filter(_in(period, "submit_date"), _of(period, "user"), is_removed=False)
                .exclude(user=None)
                .values_list("user_id")
            ],
        ),
        (
            "Suggested ideas",
            [Idea.objects.filter(_in(period), _of(period, "author"), members_only=False).values_list("author_id")],
        ),
    ]

    def distinct_people(querysets) -> int:
        querysets = [queryset.order_by() for queryset in querysets]
        if len(querysets) == 1:
            return querysets[0].distinct().count()
        return querysets[0].union(*querysets[1:]).count()

    each = {kind: distinct_people(querysets) for kind, querysets in kinds}
    active = distinct_people([queryset for _, querysets in kinds for queryset in querysets])

    offers = HelpOffer.objects.active().filter(_of(period, "user"))
    volunteer = offers.aggregate(volunteers=Count("pk"), places=Sum("capacity"))
    in_use = BuddyRequest.objects.filter(
        status=BuddyRequest.Status.ACCEPTED, volunteer__in=offers.values("user_id")
    ).count()
    full = offers.with_places().filter(free_places__lte=0).count()

    requests = BuddyRequest.objects.filter(_of(period, "requester"))
    buddy = requests.aggregate(
        requests=Count("pk", filter=_in(period)),
        matches=Count("pk", filter=_in(period, "matched_at")),
        finished=Count("pk", filter=_in(period, "finished_at") & Q(status=BuddyRequest.Status.DONE)),
        rated=Count("pk", filter=_in(period, "finished_at") & Q(helpful__isnull=False)),
        helpful=Count("pk", filter=_in(period, "finished_at") & Q(helpful=True)),
    )
    waits = _hours(requests.filter(_in(period, "matched_at")), "matched_at")
    return {
        "active": active,
        "by_kind": Table(
            key="contributors",
            title="People who took part in the range",
            columns=["Took part by", "People"],
            rows=[[kind, count] for kind, count in each.items()] + [["Any of these", active]],
        ),
        "volunteers": volunteer["volunteers"],
        "places": volunteer["places"] or 0,
        "places_in_use": in_use,
        "places_share": share(in_use, volunteer["places"] or 0),
        "volunteers_full": full,
        **buddy,
        "helpful_share": share(buddy["helpful"], buddy["rated"]),
        "median_match_hours": percentile(waits, 0.5),
    }


RESTRICTED_WORKSHOP = "A workshop for a restricted group"


def workshops(period: Period) -> dict:
    signups = WorkshopSignup.objects.filter(_of(period, "user"))
    made = signups.filter(_in(period)).aggregate(
        signups=Count("pk"),
        waitlisted=Count("pk", filter=Q(confirmed_at__isnull=True) | Q(promoted_at__isnull=False)),
    )
    held = WorkshopPage.objects.live().filter(_in(period, "start_at"))
    per_workshop = (
        signups.filter(workshop__in=held)
        .values("workshop_id")
        .annotate(
            places=Count("pk", filter=Q(status=WorkshopSignup.Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=WorkshopSignup.Status.WAITLISTED)),
            promoted=Count("pk", filter=Q(promoted_at__isnull=False)),
            recorded=Count("pk", filter=Q(attended__isnull=False)),
            attended=Count("pk", filter=Q(attended=True)),
        )
    )
    counts = {row.pop("workshop_id"): row for row in per_workshop}
    # A workshop whose page is restricted to some colleagues is counted, but not named: the dashboard's
    # readers (the helpdesk, moderators) may not be among those allowed to see it.
    public = set(held.public().values_list("pk", flat=True))
    rows, recorded, attended = [], 0, 0
    for workshop in held.order_by("start_at", "pk").values("pk", "title", "start_at", "capacity"):
        row = counts.get(workshop["pk"], dict.fromkeys(("places", "waiting", "promoted", "recorded", "attended"), 0))
        recorded += row["recorded"]
        attended += row["attended"]
        rows.append(
            [
                workshop["title"] if workshop["pk"] in public else RESTRICTED_WORKSHOP,
                timezone.localtime(workshop["start_at"]).date(),
                workshop["capacity"],
                row["places"],
                row["waiting"],
                row["promoted"],
                row["attended"] if row["recorded"] else "",
                share(row["attended"], row["recorded"]) if row["recorded"] else "",
            ]
        )
    return {
        **made,
        "held": len(rows),
        "recorded": recorded,
        "attended": attended,
        "attendance_share": share(attended, recorded),
        "table": Table(
            key="workshops",
            title="Workshops held in the range",
            columns=[
                "Workshop",
                "Date",
                "Places",
                "Taken",
                "Waiting",
                "Given a place from the list",
                "Attended",
                "Attendance %",
            ],
            rows=rows,
        ),
    }


# --- tags ----------------------------------------------------------------------------------------


def _tag_counts(period: Period):
    return (
        QuestionTag.objects.filter(
            _in(period, "content_object__created_at"),
            content_object__is_hidden=False,
            content_object__members_only=False,
        )
        .filter(_of(period, "content_object__author"))
        .values("tag_id")
        .annotate(n=Count("pk"))
    )


def tags(period: Period) -> dict:
    now = {row["tag_id"]: row["n"] for row in _tag_counts(period).order_by("-n")[:200]}
    before = {row["tag_id"]: row["n"] for row in _tag_counts(period.previous()).filter(tag_id__in=list(now))}
    helpers = Skill.objects.filter(tag=OuterRef("pk"), can_help=True, user__is_active=True)
    volunteers = HelpOfferTopic.objects.filter(tag=OuterRef("pk"), content_object__in=HelpOffer.objects.active())
    names = dict(Tag.objects.filter(pk__in=list(now)).values_list("pk", "name"))
    helped = set(
        Tag.objects.filter(pk__in=list(now))
        .filter(Q(Exists(helpers)) | Q(Exists(volunteers)))
        .values_list("pk", flat=True)
    )
    top = sorted(now.items(), key=lambda item: (-item[1], names.get(item[0], "")))
    rising = sorted(
        ((pk, count - before.get(pk, 0)) for pk, count in now.items() if count > before.get(pk, 0)),
        key=lambda item: (-item[1], names.get(item[0], "")),
    )
    gaps = [(pk, count) for pk, count in top if count >= GAP_MIN_QUESTIONS and pk not in helped]
    return {
        "top": Table(
            key="top_tags",
            title="Most asked-about tags",
            columns=["Tag", "Questions"],
            rows=[[names[pk], count] for pk, count in top[:TOP_TAGS]],
        ),
        "rising": Table(
            key="rising_tags",
            title="Rising tags: more questions than in the same number of days before",
            columns=["Tag", "Questions", "Before", "Increase"],
            rows=[[names[pk], now[pk], before.get(pk, 0), up] for pk, up in rising[:TOP_TAGS]],
        ),
        "gaps": Table(
            key="tag_gaps",
            title="Gaps: tags asked about that nobody offers help with",
            columns=["Tag", "Questions"],
            rows=[[names[pk], count] for pk, count in gaps[:TOP_TAGS]],
            note=f"Tags on at least {GAP_MIN_QUESTIONS} questions in the range with nobody who says they can help "
            "with them or volunteers for them.",
        ),
    }


# --- directorates --------------------------------------------------------------------------------


OTHER = "Other (directorates of fewer than five people, or none)"


def by_directorate(period: Period) -> Table:
    """Questions, answers and ideas by the directorate of the person, for the whole organisation.

    Directorates of fewer than ``MIN_GROUP_SIZE`` people are folded into one "Other" row with people
    who have none; if that row is itself fewer than five people, its figures are withheld.
    """
    people = dict(
        Profile.objects.active()
        .order_by()
        .values("directorate")
        .annotate(n=Count("pk"))
        .values_list("directorate", "n")
    )

    def counted(queryset, person):
        rows = queryset.order_by().values(f"{person}__profile__directorate").annotate(n=Count("pk"))
        return {row[f"{person}__profile__directorate"]: row["n"] for row in rows}

    asked = counted(Question.objects.public().filter(_in(period)), "author")
    answers = counted(Answer.objects.public().filter(_in(period)), "author")
    suggested = counted(Idea.objects.filter(_in(period), members_only=False), "author")
    names = dict(Directorate.objects.values_list("pk", "name"))
    rows, other = [], Counter()
    for pk in sorted(set(people) | set(asked) | set(answers) | set(suggested), key=lambda pk: names.get(pk, "")):
        figures = {"people": people.get(pk, 0), "asked": asked.get(pk, 0), "answers": answers.get(pk, 0)}
        figures["ideas"] = suggested.get(pk, 0)
        if pk is None or figures["people"] < MIN_GROUP_SIZE:
            other.update(figures)
        else:
            rows.append([names[pk], figures["people"], figures["asked"], figures["answers"], figures["ideas"]])
    if other:
        if other["people"] >= MIN_GROUP_SIZE:
            rows.append([OTHER, other["people"], other["asked"], other["answers"], other["ideas"]])
        else:
            rows.append([OTHER, "fewer than 5", "", "", ""])
    return Table(
        key="directorates",
        title="By directorate (whole organisation)",
        columns=["Directorate", "People", "Questions asked", "Answers given", "Ideas suggested"],
        rows=rows,
        note="A directorate with fewer than five people is counted in “Other”, so no figure describes a "
        "group that small.",
    )


# --- the whole dashboard -----------------------------------------------------------------------------


def dashboard(period: Period) -> dict:
    """Every section of the page for ``period``."""
    idea_figures = ideas(period)
    people_figures = people(period)
    tag_figures = tags(period)
    workshop_figures = workshops(period)
    tables = [
        activity_trend(period),
        unfound_queries(period),
        idea_figures["funnel"],
        implemented_ideas(period),
        people_figures["by_kind"],
        workshop_figures["table"],
        tag_figures["top"],
        tag_figures["rising"],
        tag_figures["gaps"],
        by_directorate(period),
    ]
    return {
        "deflection": deflection(period),
        "questions": questions(period),
        "ideas": idea_figures,
        "people": people_figures,
        "workshops": workshop_figures,
        "tags": tag_figures,
        "tables": {table.key: table for table in tables},
    }


# Each table on its own, for its CSV: only the queries of its section.
TABLE_SOURCES = {
    "activity": activity_trend,
    "unfound_queries": unfound_queries,
    "ideas_funnel": lambda period: ideas(period)["funnel"],
    "implemented_ideas": implemented_ideas,
    "contributors": lambda period: people(period)["by_kind"],
    "workshops": lambda period: workshops(period)["table"],
    "top_tags": lambda period: tags(period)["top"],
    "rising_tags": lambda period: tags(period)["rising"],
    "tag_gaps": lambda period: tags(period)["gaps"],
    "directorates": by_directorate,
}


def table(period: Period, key: str) -> Table | None:
    source = TABLE_SOURCES.get(key)
    return source(period) if source else None


def this_month() -> Period:
    today = timezone.localdate()
    return Period(first=today.replace(day=1), last=today, preset="this-month")
