"""No figure describes a group of fewer than five people; nobody's searches carry their name."""

import datetime

from community.profiles.models import Directorate
from insight import metrics
from insight.models import SearchEvent
from insight.period import Period

from .conftest import at, dashboard, people, question

MARCH = Period(first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 31))


def test_small_directorates_are_folded_into_other(django_user_model, finance):
    tiny = Directorate.objects.create(name="Tiny")
    big = people(django_user_model, "f", 5, finance)
    small = people(django_user_model, "t", 2, tiny)
    loose = people(django_user_model, "n", 3)
    question(big[0], at(2026, 3, 2))
    question(small[0], at(2026, 3, 3))
    question(loose[0], at(2026, 3, 4))
    question(loose[1], at(2026, 3, 5))
    rows = metrics.by_directorate(MARCH).rows
    assert rows == [["Finance", 5, 1, 0, 0], [metrics.OTHER, 5, 3, 0, 0]]


def test_other_is_withheld_when_it_is_fewer_than_five_people(django_user_model, finance):
    people(django_user_model, "f", 5, finance)
    small = people(django_user_model, "n", 4)
    question(small[0], at(2026, 3, 3))
    rows = metrics.by_directorate(MARCH).rows
    assert rows[-1] == [metrics.OTHER, "fewer than 5", "", "", ""]
    assert "Tiny" not in str(rows)


def test_directorate_figures_count_only_that_directorate(django_user_model, finance):
    finance_people = people(django_user_model, "f", 5, finance)
    others = people(django_user_model, "n", 2)
    question(finance_people[0], at(2026, 3, 2))
    question(others[0], at(2026, 3, 3))
    only_finance = Period(first=MARCH.first, last=MARCH.last, directorate=finance)
    assert metrics.questions(only_finance)["asked"] == 1
    assert metrics.questions(MARCH)["asked"] == 2


def test_searches_are_shown_without_names(client_for, dita, django_user_model):
    # Names no random token on the page could contain by chance ("s1" turned up in a CSRF token).
    searchers = people(django_user_model, "searcher", 3)
    for person in searchers:
        SearchEvent.record(person, "expenses form", 0)
    page = dashboard(client_for(dita)).content.decode()
    assert "expenses form" in page
    for person in searchers:
        assert person.username not in page and person.profile.display_name not in page
