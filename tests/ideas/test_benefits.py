"""Benefits: implemented ideas record estimated and realised savings, rolled up for the dashboard."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ideas.models import Idea, IdeaBenefit

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def implemented(idea, mo):
    idea.change_status(mo, "implemented", "Live since Monday.")
    return idea


def record(client, idea, follow=False, **values):
    data = {"estimated_hours_per_year": "", "realised_hours_per_year": "", "estimated_money_per_year": "",
            "realised_money_per_year": "", "evidence": ""}  # fmt: skip
    data.update(values)
    return client.post(f"/ideas/ideas/{idea.pk}/benefit/", data, follow=follow)


@pytest.mark.parametrize("recorder", ["mo", "dita"])
def test_moderators_and_the_digital_team_record_a_benefit(client_for, request, implemented, recorder):
    user = request.getfixturevalue(recorder)

    response = record(client_for(user), implemented, estimated_hours_per_year="400", realised_hours_per_year="520",
                      realised_money_per_year="12500.50", evidence="Timesheets from **March**.")  # fmt: skip

    benefit = IdeaBenefit.objects.get()
    assert response.status_code == 302
    assert (benefit.estimated_hours_per_year, benefit.realised_hours_per_year) == (400, 520)
    assert benefit.realised_money_per_year == Decimal("12500.50")
    assert benefit.estimated_money_per_year is None
    assert benefit.recorded_by == user
    html = client_for(user).get(implemented.get_absolute_url()).content.decode()
    assert "520 realised (estimated 400)" in html
    assert "£12500.50 realised" in html
    assert "Timesheets from <strong>March</strong>." in html


def test_recording_again_corrects_the_figures(client_for, mo, implemented):
    record(client_for(mo), implemented, estimated_hours_per_year="400")
    record(client_for(mo), implemented, estimated_hours_per_year="300", realised_hours_per_year="350")

    benefit = IdeaBenefit.objects.get()
    assert (benefit.estimated_hours_per_year, benefit.realised_hours_per_year) == (300, 350)


def test_it_refuses_benefits_on_ideas_not_implemented(client_for, mo, idea):
    response = record(client_for(mo), idea, estimated_hours_per_year="10", follow=True)

    assert "Benefits can be recorded once an idea is implemented." in response.content.decode()
    assert not IdeaBenefit.objects.exists()
    with pytest.raises(ValidationError):
        idea.record_benefit(mo, estimated_hours_per_year=10)


def test_it_refuses_staff(client_for, alice, implemented):
    response = record(client_for(alice), implemented, estimated_hours_per_year="10")

    assert response.status_code == 403
    assert not IdeaBenefit.objects.exists()
    with pytest.raises(PermissionDenied):
        implemented.record_benefit(alice, estimated_hours_per_year=10)


def test_it_explains_bad_figures(client_for, mo, implemented):
    response = record(client_for(mo), implemented, estimated_hours_per_year="-3", realised_money_per_year="lots",
                      evidence="e" * 5001)  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 400
    assert "Estimated hours cannot be negative" in html
    assert "Realised money saved must be an amount, like 2500 or 2500.50" in html
    assert "The evidence must be 5,000 characters or fewer" in html
    assert not IdeaBenefit.objects.exists()


def test_it_needs_at_least_one_figure(client_for, mo, implemented):
    response = record(client_for(mo), implemented, evidence="Felt quicker.")

    assert "Enter at least one estimated or realised benefit" in response.content.decode()
    assert not IdeaBenefit.objects.exists()


def test_the_dashboard_rolls_up_benefits_of_implemented_ideas(alice, mo):
    first, second, third = (submit(alice, title=f"Idea {n}") for n in range(3))
    for idea in (first, second):
        idea.change_status(mo, "implemented", "Done.")
    first.record_benefit(mo, estimated_hours_per_year=100, realised_hours_per_year=80,
                         realised_money_per_year=Decimal("1000.00"))  # fmt: skip
    second.record_benefit(mo, estimated_hours_per_year=50, estimated_money_per_year=Decimal("250.25"))
    # A benefit on an idea that was later reopened no longer counts as delivered.
    third.change_status(mo, "implemented", "Done.")
    third.record_benefit(mo, realised_hours_per_year=999)
    third.change_status(mo, "in_progress", "It broke.")

    totals = Idea.objects.benefit_totals()

    assert totals == {
        "ideas": 2, "with_benefit": 2, "estimated_hours": 150, "realised_hours": 80,
        "estimated_money": Decimal("250.25"), "realised_money": Decimal("1000.00"),
    }  # fmt: skip


def test_the_dashboard_can_ask_about_a_period_and_the_funnel(alice, mo):
    old, recent = submit(alice, title="Old"), submit(alice, title="Recent")
    for idea in (old, recent):
        idea.change_status(mo, "implemented", "Done.")
        idea.record_benefit(mo, realised_hours_per_year=10)
    Idea.objects.filter(pk=old.pk).update(implemented_at=timezone.now() - datetime.timedelta(days=400))
    submit(alice, title="Waiting")

    last_year = Idea.objects.implemented_between(timezone.now() - datetime.timedelta(days=365), None)

    assert last_year.benefit_totals()["realised_hours"] == 10
    assert Idea.objects.status_counts() == {
        "new": 1, "under_review": 0, "planned": 0, "in_progress": 0, "implemented": 2, "declined": 0, "duplicate": 0,
    }  # fmt: skip


def test_the_dashboard_totals_are_zero_with_nothing_recorded(db):
    assert Idea.objects.benefit_totals() == {
        "ideas": 0, "with_benefit": 0, "estimated_hours": 0, "realised_hours": 0,
        "estimated_money": Decimal("0.00"), "realised_money": Decimal("0.00"),
    }  # fmt: skip
