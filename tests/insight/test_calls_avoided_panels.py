"""“Calls avoided this month” on the helpdesk queue and on the home page of those who see insight."""

from django.urls import reverse
from django.utils import timezone

from insight.models import SearchClick, SearchEvent
from qa.models import SolvedFeedback

from .conftest import question


def _month_with_three_calls(alice, bob, charlie):
    asked = question(alice, timezone.now())
    for person in (alice, bob, charlie):
        SolvedFeedback.objects.create(user=person, question=asked, solved=True)
    # Two good searches nobody said "solved" about: half of them, one call (INSIGHT_CALL_SHARE 0.5).
    # (Rounded half to even: 0.5 × 2 = 1.)
    for person in (alice, bob):
        other = question(charlie, timezone.now(), title="Other")
        SearchClick.objects.create(search=SearchEvent.record(person, "q", 1), question=other, good_answer=True)
    return asked


def test_the_helpdesk_queue_shows_calls_avoided_this_month(client_for, helen, alice, bob, charlie):
    _month_with_three_calls(alice, bob, charlie)
    page = client_for(helen).get(reverse("qa:helpdesk")).content.decode()
    assert '<strong class="govuk-!-font-size-36">4</strong> helpdesk calls avoided this month' in page
    assert reverse("insight:dashboard") in page


def test_the_digital_teams_home_page_shows_it(client_for, dita, alice, bob, charlie, settings):
    _month_with_three_calls(alice, bob, charlie)
    page = client_for(dita).get("/").content.decode()
    assert "Calls avoided this month" in page
    assert "4</span> helpdesk calls avoided since the 1st" in page
    assert reverse("insight:dashboard") in page


def test_colleagues_home_pages_do_not(client_for, alice, bob, charlie):
    _month_with_three_calls(alice, bob, charlie)
    page = client_for(alice).get("/").content.decode()
    assert "Calls avoided this month" not in page
