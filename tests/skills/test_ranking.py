"""Who can help with X: the documented score on a fixed dataset, with the reasons each person is listed."""

import pytest
from django.contrib.auth import get_user_model
from wagtail import hooks

from skills import ranking
from skills.models import HelpOffer
from skills.ranking import EvidenceSource, rank_people
from tests.conftest import named_user, rolled_back

from .conftest import answered, make_person, place_in, skills, tags, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _dataset(django_db_setup, django_db_blocker):
    """excel: fay has 7 accepted answers (capped at 5), bob practises it and has 3 accepted answers,
    dan has one answer both accepted and verified, charlie volunteers on it and can help, alice is
    an expert with nothing to show yet, erin is learning it, gus's accepted answer was hidden.

    Made once for the module (it takes a few tenths of a second) inside a transaction rolled back
    after it: each test's own changes are a savepoint within it, undone when the test ends."""
    users = get_user_model()
    with django_db_blocker.unblock(), rolled_back():
        alice, bob, charlie, helen = (named_user(users, name) for name in ("alice", "bob", "charlie", "helen"))
        asker, fay, dan, erin, gus = (
            make_person(users, name, name.title()) for name in ("asker", "fay", "dan", "erin", "gus")
        )
        for number in range(7):
            answered(fay, asker, title=f"Excel question {number}")
        for number in range(3):
            answered(bob, asker, title=f"Another excel question {number}")
        answered(dan, asker, verified_by=helen, title="A verified excel answer")
        hidden = answered(gus, asker, title="A hidden excel answer")
        type(hidden).objects.filter(pk=hidden.pk).update(is_hidden=True)
        answered(alice, asker, topics=("vpn",), title="Alice's accepted answer on vpn")
        skills(alice, {"excel": "expert"})
        skills(bob, {"excel": "practising"})
        skills(charlie, can_help=["excel"])
        skills(erin, {"excel": "learning"}, want_to_learn=["vpn"])
        volunteer(charlie, ["excel", "word"], capacity=2)
        yield {user.username: user.pk for user in (alice, bob, charlie, dan, erin, fay, gus)}


@pytest.fixture
def dataset(_dataset, db):
    """The module's people, read afresh for each test, by username."""
    users = get_user_model().objects.in_bulk(_dataset.values())
    return {username: users[pk] for username, pk in _dataset.items()}


def listed(matches):
    return [(match.profile.user.username, match.score, match.why) for match in matches]


def test_it_ranks_by_the_documented_score_and_says_why(dataset):
    assert listed(rank_people(tags("excel"))) == [
        ("fay", 15, "7 accepted answers on excel"),
        ("bob", 12, "3 accepted answers on excel, practising in excel"),
        ("dan", 7, "1 accepted answer on excel, 1 verified answer on excel"),
        ("charlie", 6, "can help with excel, digital buddy for excel (2 places free)"),
        ("alice", 5, "expert in excel"),
    ]


def test_it_leaves_out_learners_hidden_answers_and_other_topics(dataset):
    usernames = [match.profile.user.username for match in rank_people(tags("excel"))]

    assert "erin" not in usernames  # learning scores nothing
    assert "gus" not in usernames  # a hidden answer is no evidence
    assert [match.profile.user.username for match in rank_people(tags("vpn"))] == ["alice"]


def test_it_adds_up_several_topics(dataset):
    matches = {match.profile.user.username: match for match in rank_people(tags("excel", "word"))}

    assert matches["charlie"].score == 2 + 4 + 4
    assert matches["charlie"].why == "can help with excel, digital buddy for excel and word (2 places free)"


def test_it_breaks_ties_on_evidence_then_level(dataset, person):
    hugo = person("hugo", "Hugo")
    skills(hugo, {"excel": "expert"}, can_help=["excel"])  # 7 points, like dan, but declared only

    order = [match.profile.user.username for match in rank_people(tags("excel"))]

    assert order.index("dan") < order.index("hugo")


def test_it_filters_by_directorate_and_volunteers_only(dataset):
    audit = place_in(dataset["bob"], "Audit")
    place_in(dataset["charlie"], "Audit")

    in_audit = rank_people(tags("excel"), directorate=audit)
    volunteers = rank_people(tags("excel"), volunteers_only=True)

    assert [match.profile.user.username for match in in_audit] == ["bob", "charlie"]
    assert [match.profile.user.username for match in volunteers] == ["charlie"]


def test_it_says_when_a_volunteer_has_no_place_free(dataset):
    HelpOffer.objects.filter(user=dataset["charlie"]).update(capacity=1)
    from skills.models import BuddyRequest

    request = BuddyRequest.open_for(dataset["alice"], tags("excel"), "Help", volunteer=dataset["charlie"])
    request.accept(dataset["charlie"])

    charlie = next(match for match in rank_people(tags("excel")) if match.profile.user == dataset["charlie"])

    assert "digital buddy for excel (no places free just now)" in charlie.why


def test_it_takes_evidence_from_any_registered_source(dataset):
    """Ideas and workshops plug in their evidence the same way Q&A does."""
    source = EvidenceSource(
        key="test.workshops_run",
        label="workshop run",
        plural="workshops run",
        counts=lambda tag_ids: {dataset["alice"].pk: 2},
        weight=4,
        order=50,
    )
    with hooks.register_temporarily(ranking.EVIDENCE_HOOK, lambda: source):
        alice = next(match for match in rank_people(tags("excel")) if match.profile.user == dataset["alice"])
        rules = ranking.scoring_rules()

    assert alice.score == 5 + 8
    assert alice.why == "2 workshops run on excel, expert in excel"
    assert {"what": "Each of their workshops run on it (up to 5)", "points": 4} in rules


def test_it_counts_each_source_in_one_query_whatever_the_number_of_people(dataset, person, django_assert_num_queries):
    for number in range(20):
        helper = person(f"helper{number}")
        skills(helper, {"excel": "expert"})

    excel = tags("excel")

    # skills, offers, profiles, and one query for each evidence source (Q&A, ideas, workshops)
    with django_assert_num_queries(3 + len(ranking.evidence_sources())):
        matches = rank_people(excel)
        [match.why for match in matches]

    assert len(matches) == 25
