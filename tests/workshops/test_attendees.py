"""The attendee list, its CSV export and attendance: for the host and the digital team only."""

import csv
import io

import pytest

from community.models import Profile, WorkshopSignup

from .conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_up(workshop, alice, bob, charlie):
    for user in (alice, bob, charlie):
        workshop.sign_up(user)
    return workshop


def start(workshop):
    """Time passes: the workshop has begun."""
    type(workshop).objects.filter(pk=workshop.pk).update(start_at=days(-1, 10), end_at=days(-1, 12))


@pytest.mark.parametrize("who", ["hana", "dita"])
def test_it_shows_the_host_and_the_digital_team_who_is_coming(signed_up, client_for, request, who):
    response = client_for(request.getfixturevalue(who)).get(signed_up.route_url("attendees"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Alice Archer" in page.split("Waiting list")[0] and "Bob Baker" in page.split("Waiting list")[0]
    assert "charlie" in page.split("Waiting list")[1]


@pytest.mark.parametrize("route", ["attendees", "attendees_csv"])
def test_it_keeps_attendees_from_everyone_else(signed_up, client_for, alice, helen, route):
    for user in (alice, helen):
        response = client_for(user).get(signed_up.route_url(route))

        assert response.status_code == 403
        assert "Only the host and the digital team can see who is coming." in response.content.decode()
        assert b"Bob Baker" not in response.content


def test_it_links_the_attendee_list_only_for_those_who_may_see_it(signed_up, client_for, alice, hana):
    assert "Download the attendee list" in client_for(hana).get(signed_up.url).content.decode()
    assert "Download the attendee list" not in client_for(alice).get(signed_up.url).content.decode()


def test_it_exports_the_attendees_as_csv(signed_up, client_for, dita, alice):
    Profile.objects.filter(user=alice).update(team='=HYPERLINK("http://evil")')

    response = client_for(dita).get(signed_up.route_url("attendees_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="boost-your-blog-attendees.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["Username"], row["Status"]) for row in rows] == [
        ("alice", "Has a place"),
        ("bob", "Has a place"),
        ("charlie", "On the waiting list"),
    ]
    assert rows[0]["Email"] == "alice@example.org"
    assert rows[0]["Team"].startswith("'=")  # a spreadsheet shows it, never runs it


def test_it_records_who_came_after_the_start(signed_up, client_for, hana, alice, bob):
    start(signed_up)
    came = WorkshopSignup.objects.get(user=alice)

    response = client_for(hana).post(signed_up.route_url("attendees"), {"attended": [came.pk]}, follow=True)

    assert "Attendance saved: 1 person came." in response.content.decode()
    assert WorkshopSignup.objects.get(user=alice).attended is True
    assert WorkshopSignup.objects.get(user=bob).attended is False
    assert WorkshopSignup.objects.get(user__username="charlie").attended is None


def test_it_refuses_attendance_before_the_start(signed_up, client_for, hana, alice):
    came = WorkshopSignup.objects.get(user=alice)

    response = client_for(hana).post(signed_up.route_url("attendees"), {"attended": [came.pk]})

    assert response.status_code == 400
    assert "You can record attendance once the workshop has started." in response.content.decode()
    assert not WorkshopSignup.objects.filter(attended__isnull=False).exists()


@pytest.mark.parametrize("value", ["waiting", "abc", "999999"])
def test_it_refuses_attendance_for_people_without_a_place(signed_up, client_for, hana, value):
    start(signed_up)
    if value == "waiting":
        value = str(WorkshopSignup.objects.get(user__username="charlie").pk)

    response = client_for(hana).post(signed_up.route_url("attendees"), {"attended": [value]})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not WorkshopSignup.objects.filter(attended__isnull=False).exists()


def test_it_refuses_attendance_from_staff(signed_up, client_for, alice):
    start(signed_up)
    mine = WorkshopSignup.objects.get(user=alice)

    response = client_for(alice).post(signed_up.route_url("attendees"), {"attended": [mine.pk]})

    assert response.status_code == 403
    assert WorkshopSignup.objects.get(pk=mine.pk).attended is None


def test_it_lists_attendees_in_a_fixed_number_of_queries(
    workshop, client_for, dita, django_user_model, django_assert_max_num_queries
):
    from tests.conftest import make_user

    for number in range(25):
        workshop.sign_up(make_user(django_user_model, f"person{number}"))
    client = client_for(dita)
    client.get(workshop.route_url("attendees"))

    # Constant however many signed up. 19, not the 12 of the old by-id view: the list is a route of
    # the workshop page now, served by Wagtail like the page, which finds the site and walks the
    # page tree (home, index, workshop: 6 queries) and checks view restrictions twice (Wagtail's
    # hook and Confer's before_serve_page: 4), where the old view fetched one page and checked once.
    with django_assert_max_num_queries(19):
        response = client.get(workshop.route_url("attendees"))
    with django_assert_max_num_queries(19):
        client.get(workshop.route_url("attendees_csv"))

    assert response.status_code == 200
