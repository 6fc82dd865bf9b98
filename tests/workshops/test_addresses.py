"""Workshop addresses: each action is a route of its page, served by Wagtail with the page's own
checks; the addresses they had before still answer; no slug is reserved and none collides; the
personal calendar feed stays where calendar apps subscribed to it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import Resolver404
from wagtail.models import Page, PageViewRestriction

from community.models import CalendarFeed, WorkshopIndexPage, WorkshopPage, WorkshopSignup

from .conftest import days

pytestmark = pytest.mark.django_db

# The route names of a workshop page; ``route()`` gives their addresses.
WORKSHOP_ROUTES = ["sign_up", "cancel", "attendees", "attendees_csv", "ics"]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def route(workshop, name, place=None):
    return workshop.route_url(name, *([place.pk] if name == "cancel" else []))


def move_index(index, slug="events"):
    """The digital team renames the workshop index, as in the admin (its workshops move with it)."""
    page = WorkshopIndexPage.objects.get(pk=index.pk)
    page.slug = slug
    page.save_revision().publish()
    return WorkshopIndexPage.objects.get(pk=index.pk)


def restrict_to(page, group_name):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    group, _ = Group.objects.get_or_create(name=group_name)
    restriction.groups.set([group])
    return group


def form_on(page_html: str, button: str) -> tuple[str, dict]:
    """The action and fields of the form whose button reads ``button``, as a browser without
    JavaScript would send it."""
    for form in re.findall(r"<form method=\"post\".*?</form>", page_html, re.S):
        if f">{button}</button>" in form:
            action = re.search(r'action="([^"]*)"', form)[1]
            fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
            return action, fields
    raise AssertionError(f"no form with a {button!r} button")


# --- the routes -----------------------------------------------------------------------------------


def test_it_gives_each_action_an_address_below_its_page(workshop, index, alice):
    place = workshop.sign_up(alice)

    assert workshop.url == "/workshops/boost-your-blog/"
    assert workshop.route_url("sign_up") == "/workshops/boost-your-blog/sign-up/"
    assert workshop.route_url("cancel", place.pk) == f"/workshops/boost-your-blog/places/{place.pk}/cancel/"
    assert workshop.route_url("attendees") == "/workshops/boost-your-blog/attendees/"
    assert workshop.route_url("attendees_csv") == "/workshops/boost-your-blog/attendees/csv/"
    assert workshop.route_url("ics") == "/workshops/boost-your-blog/calendar/"
    assert index.route_url("calendar") == "/workshops/calendar/subscribe/"
    assert index.route_url("calendar_revoke") == "/workshops/calendar/new-address/"


def test_it_links_the_routes_from_the_pages(workshop, index, client_for, alice, bob, hana):
    place = workshop.sign_up(alice)

    mine = client_for(alice).get(workshop.url).content.decode()
    someone_elses = client_for(bob).get(workshop.url).content.decode()
    hosting = client_for(hana).get(workshop.url).content.decode()
    listing = client_for(alice).get(index.url).content.decode()
    calendar = client_for(alice).get(index.route_url("calendar")).content.decode()

    assert f'href="/workshops/boost-your-blog/places/{place.pk}/cancel/"' in mine
    assert 'action="/workshops/boost-your-blog/sign-up/"' in someone_elses
    assert 'href="/workshops/boost-your-blog/calendar/" download' in mine
    assert 'href="/workshops/calendar/subscribe/">Subscribe to all your workshops' in mine
    assert 'href="/workshops/boost-your-blog/attendees/"' in hosting
    assert 'href="/workshops/boost-your-blog/attendees/csv/"' in hosting
    assert 'href="/workshops/calendar/subscribe/">Subscribe to the workshops' in listing
    assert 'action="/workshops/calendar/new-address/"' in calendar
    assert 'href="/workshops/">Workshops</a>' in calendar  # the breadcrumb: the index page


def test_it_signs_up_and_cancels_with_the_forms_on_the_page_without_javascript(workshop, alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    action, fields = form_on(browser.get(workshop.url).content.decode(), "Sign up")
    signed_up = browser.post(action, fields, follow=True)
    confirm = re.search(r'<a href="([^"]+)"[^>]*>Cancel my place</a>', signed_up.content.decode())[1]
    action, fields = form_on(browser.get(confirm).content.decode(), "Yes, cancel my place")
    cancelled = browser.post(action, fields, follow=True)

    assert action == workshop.route_url("cancel", WorkshopSignup.objects.get(user=alice).pk)
    assert signed_up.redirect_chain == [(workshop.url, 302)]
    assert "You have a place at Boost your blog." in messages_of(signed_up)
    assert cancelled.redirect_chain == [(workshop.url, 302)]
    assert "You have cancelled your place. Thank you for letting us know." in messages_of(cancelled)
    assert WorkshopSignup.objects.get(user=alice).status == "cancelled"


@pytest.mark.parametrize("name", ["sign_up", "cancel"])
def test_it_refuses_a_post_without_the_csrf_token(workshop, alice, bob, name):
    place = workshop.sign_up(bob)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob if name == "cancel" else alice)

    response = browser.post(route(workshop, name, place))

    assert response.status_code == 403
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"
    assert not WorkshopSignup.objects.filter(user=alice).exists()


def test_it_refuses_a_new_calendar_address_without_the_csrf_token(index, alice):
    old = CalendarFeed.for_user(alice).token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    assert browser.post(index.route_url("calendar_revoke")).status_code == 403
    assert CalendarFeed.for_user(alice).token == old


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", WORKSHOP_ROUTES)
def test_it_sends_people_who_are_not_signed_in_to_sign_in(workshop, alice, client, name, method):
    place = workshop.sign_up(alice)

    response = getattr(client, method)(route(workshop, name, place))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


@pytest.mark.parametrize("name", ["calendar", "calendar_revoke"])
def test_it_sends_people_who_are_not_signed_in_to_sign_in_for_their_calendar(index, client, name):
    assert client.get(index.route_url(name))["Location"].startswith("/accounts/login/?next=")
    assert client.post(index.route_url(name))["Location"].startswith("/accounts/login/?next=")
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("alice", {"attendees": 403, "attendees_csv": 403, "ics": 200}),
        ("helen", {"attendees": 403, "attendees_csv": 403, "ics": 200}),
        ("hana", {"attendees": 200, "attendees_csv": 200, "ics": 200}),
        ("dita", {"attendees": 200, "attendees_csv": 200, "ics": 200}),
    ],
    ids=["staff", "helpdesk", "host", "digital-team"],
)
def test_it_answers_each_reading_route_as_the_persons_role_allows(workshop, client_for, request, who, expected):
    client = client_for(request.getfixturevalue(who))

    answers = {name: client.get(workshop.route_url(name)).status_code for name in expected}

    assert answers == expected


def test_it_shows_the_joining_link_in_the_ics_only_to_the_host_the_team_and_people_with_a_place(
    workshop, client_for, alice, bob, hana, dita
):
    workshop.sign_up(alice)

    def ics(user):
        return client_for(user).get(workshop.route_url("ics")).content.decode().replace("\r\n ", "")

    assert "meet.example.org" in ics(alice) and "meet.example.org" in ics(hana) and "meet.example.org" in ics(dita)
    assert "meet.example.org" not in ics(bob)


def test_it_lets_the_host_and_the_team_record_attendance_but_not_staff(workshop, client_for, alice, bob, hana):
    place = workshop.sign_up(alice)
    WorkshopPage.objects.filter(pk=workshop.pk).update(start_at=days(-1, 10), end_at=days(-1, 12))

    refused = client_for(bob).post(workshop.route_url("attendees"), {"attended": [place.pk]})
    recorded = client_for(hana).post(workshop.route_url("attendees"), {"attended": [place.pk]})

    assert refused.status_code == 403
    assert recorded.status_code == 302 and recorded["Location"] == workshop.route_url("attendees")
    assert WorkshopSignup.objects.get(pk=place.pk).attended is True


@pytest.mark.parametrize("name", ["sign_up", "calendar_revoke"])
def test_it_does_the_actions_only_with_a_post(workshop, index, client_for, alice, name):
    place = workshop.sign_up(alice)
    url = index.route_url(name) if name == "calendar_revoke" else route(workshop, name, place)
    token = CalendarFeed.for_user(alice).token

    response = client_for(alice).get(url)

    assert response.status_code == 405
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"
    assert CalendarFeed.for_user(alice).token == token


def test_it_cancels_only_a_place_at_this_workshop(make_workshop, client_for, alice):
    here = make_workshop("Here")
    there = make_workshop("There")
    place = there.sign_up(alice)

    response = client_for(alice).post(here.route_url("cancel", place.pk))

    assert response.status_code == 404
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


@pytest.mark.parametrize("name", WORKSHOP_ROUTES)
def test_it_keeps_a_restricted_workshops_routes_from_people_outside_its_groups(
    workshop, client_for, alice, bob, dita, name
):
    place = workshop.sign_up(alice)
    restrict_to(workshop, "Finance")

    answers = [client_for(user).post(route(workshop, name, place)) for user in (alice, dita)]
    answers += [client_for(user).get(route(workshop, name, place)) for user in (alice, dita)]

    for response in answers:
        assert response.status_code == 403
        assert "You cannot see this page" in response.content.decode()  # the before_serve_page hook
        assert "Boost your blog" not in response.content.decode()
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


def test_it_serves_a_restricted_workshops_routes_to_its_groups(workshop, client_for, alice, hana):
    group = restrict_to(workshop, "Finance")
    alice.groups.add(group)
    hana.groups.add(group)

    signed_up = client_for(alice).post(workshop.route_url("sign_up"), follow=True)

    assert "You have a place at Boost your blog." in messages_of(signed_up)
    assert client_for(hana).get(workshop.route_url("attendees")).status_code == 200


def test_it_asks_for_a_restricted_workshops_password_before_any_route(workshop, client_for, alice):
    PageViewRestriction.objects.create(
        page=workshop, restriction_type=PageViewRestriction.PASSWORD, password="open sesame"
    )

    response = client_for(alice).post(workshop.route_url("sign_up"))

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert not WorkshopSignup.objects.exists()


@pytest.mark.parametrize("name", WORKSHOP_ROUTES)
def test_it_answers_an_unpublished_workshops_routes_with_404(workshop, client_for, alice, hana, name):
    place = workshop.sign_up(alice)
    workshop.unpublish()

    assert client_for(hana).get(route(workshop, name, place)).status_code == 404
    assert client_for(alice).post(route(workshop, name, place)).status_code == 404
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


def test_it_keeps_the_calendar_routes_of_a_restricted_index_from_people_outside_its_groups(index, client_for, alice):
    restrict_to(index, "Finance")

    assert client_for(alice).get(index.route_url("calendar")).status_code == 403
    assert client_for(alice).post(index.route_url("calendar_revoke")).status_code == 403


def test_it_moves_the_routes_with_the_page(workshop, index, client_for, alice):
    moved = move_index(index)
    workshop = WorkshopPage.objects.get(pk=workshop.pk)

    response = client_for(alice).post("/events/boost-your-blog/sign-up/", follow=True)

    assert workshop.route_url("sign_up") == "/events/boost-your-blog/sign-up/"
    assert moved.route_url("calendar") == "/events/calendar/subscribe/"
    assert response.redirect_chain == [("/events/boost-your-blog/", 302)]
    assert client_for(alice).get("/events/calendar/subscribe/").status_code == 200


# --- no reserved slugs ------------------------------------------------------------------------------


def test_it_lets_editors_give_a_workshop_any_slug(client_for, dita, index):
    from .test_pages import admin_form

    url, data = admin_form(index, dita, slug="calendar", title="Calendar")

    response = client_for(dita).post(url, data)

    assert response.status_code == 302, response.content[:3000]
    assert WorkshopPage.objects.get(slug="calendar").live


def test_it_serves_a_workshop_called_calendar_beside_the_calendar_routes(make_workshop, index, client_for, alice):
    workshop = make_workshop("Calendar", slug="calendar", capacity=5)
    client = client_for(alice)

    page = client.get("/workshops/calendar/")
    signed_up = client.post("/workshops/calendar/sign-up/", follow=True)
    ics = client.get("/workshops/calendar/calendar/")
    mine = client.get("/workshops/calendar/subscribe/")
    revoked = client.post("/workshops/calendar/new-address/", follow=True)

    assert page.context["page"].pk == workshop.pk and page.context["page"].title == "Calendar"
    assert signed_up.redirect_chain == [("/workshops/calendar/", 302)]
    assert WorkshopSignup.objects.get(user=alice).workshop_id == workshop.pk
    assert ics["Content-Disposition"] == 'attachment; filename="calendar.ics"'
    assert "Your workshop calendar" in mine.content.decode()
    assert revoked.redirect_chain == [("/workshops/calendar/subscribe/", 302)]
    assert "The old one no longer works" in revoked.content.decode()


def test_it_serves_a_workshop_whose_slug_is_a_number_not_the_workshop_with_that_id(make_workshop, client_for, alice):
    other = make_workshop("Other")
    numbered = make_workshop("Twenty", slug=str(other.pk))

    response = client_for(alice).post(f"/workshops/{other.pk}/sign-up/", follow=True)

    assert response.redirect_chain == [(numbered.url, 302)]
    assert WorkshopSignup.objects.get(user=alice).workshop_id == numbered.pk


def test_it_keeps_every_index_route_out_of_the_addresses_a_workshop_answers():
    """Why no slug needs reserving: RoutablePageMixin tries the index's routes before its children,
    and a route's first part could be any workshop's slug, so each index route is two parts deep
    and its second part is not an address a workshop answers (a workshop has no child pages)."""
    assert WorkshopPage.allowed_subpage_models() == []
    index_routes = [str(pattern.pattern) for pattern in WorkshopIndexPage.get_subpage_urls() if str(pattern.pattern)]
    assert set(index_routes) == {"calendar/subscribe/", "calendar/new-address/"}
    for path in index_routes:
        first, rest = path.split("/", 1)
        assert first and rest, path
        with pytest.raises(Resolver404):
            WorkshopPage.get_resolver().resolve("/" + rest)


# --- the addresses they had before ----------------------------------------------------------------


def old_addresses(workshop, place):
    return {
        "sign_up": f"/workshops/{workshop.pk}/sign-up/",
        "cancel": f"/workshops/places/{place.pk}/cancel/",
        "attendees": f"/workshops/{workshop.pk}/attendees/",
        "attendees_csv": f"/workshops/{workshop.pk}/attendees.csv",
        "ics": f"/workshops/{workshop.pk}/calendar.ics",
    }


@pytest.mark.parametrize("moved", [False, True], ids=["index-at-workshops", "index-moved"])
@pytest.mark.parametrize("name", WORKSHOP_ROUTES)
def test_it_redirects_each_old_address_to_its_route(workshop, index, client_for, hana, alice, name, moved):
    place = workshop.sign_up(alice)
    if moved:
        move_index(index)
        workshop = WorkshopPage.objects.get(pk=workshop.pk)

    response = client_for(hana).get(old_addresses(workshop, place)[name])

    assert response.status_code == 302
    assert response["Location"] == route(workshop, name, place)
    assert response["Location"].startswith("/events/" if moved else "/workshops/boost-your-blog/")


@pytest.mark.parametrize("moved", [False, True], ids=["index-at-workshops", "index-moved"])
def test_it_passes_a_form_posted_to_an_old_address_on_to_its_route(workshop, index, alice, moved):
    """A page opened before the change still posts its forms to the old addresses: a 307 makes the
    browser send the same form, CSRF token and all, to the route."""
    if moved:
        move_index(index)
        workshop = WorkshopPage.objects.get(pk=workshop.pk)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    token = {
        "csrfmiddlewaretoken": form_on(browser.get(workshop.url).content.decode(), "Sign up")[1]["csrfmiddlewaretoken"]
    }

    signed_up = browser.post(f"/workshops/{workshop.pk}/sign-up/", token, follow=True)
    place = WorkshopSignup.objects.get(user=alice)
    cancelled = browser.post(f"/workshops/places/{place.pk}/cancel/", token, follow=True)

    assert signed_up.redirect_chain == [(workshop.route_url("sign_up"), 307), (workshop.url, 302)]
    assert "You have a place at Boost your blog." in messages_of(signed_up)
    assert cancelled.redirect_chain == [(workshop.route_url("cancel", place.pk), 307), (workshop.url, 302)]
    assert WorkshopSignup.objects.get(pk=place.pk).status == "cancelled"
    assert browser.post(f"/workshops/{workshop.pk}/sign-up/").status_code == 403  # no token, no sign-up


def test_it_passes_attendance_posted_to_the_old_address_on_to_its_route(workshop, client_for, hana, alice):
    place = workshop.sign_up(alice)
    WorkshopPage.objects.filter(pk=workshop.pk).update(start_at=days(-1, 10), end_at=days(-1, 12))

    response = client_for(hana).post(f"/workshops/{workshop.pk}/attendees/", {"attended": [place.pk]}, follow=True)

    assert response.redirect_chain[0] == (workshop.route_url("attendees"), 307)
    assert "Attendance saved: 1 person came." in response.content.decode()
    assert WorkshopSignup.objects.get(pk=place.pk).attended is True


def test_it_refuses_someone_elses_place_at_the_old_cancel_address_too(workshop, client_for, alice, bob):
    place = workshop.sign_up(alice)

    response = client_for(bob).post(f"/workshops/places/{place.pk}/cancel/", follow=True)

    assert response.status_code == 403
    assert "You can only cancel your own place." in response.content.decode()
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


@pytest.mark.parametrize("moved", [False, True], ids=["index-at-workshops", "index-moved"])
def test_it_redirects_the_old_calendar_addresses(index, client_for, alice, moved):
    if moved:
        index = move_index(index)
    client = client_for(alice)
    old = CalendarFeed.for_user(alice).token

    page = client.get("/workshops/calendar/")
    revoked = client.post("/workshops/calendar/new-address/", follow=True)

    assert (page.status_code, page["Location"]) == (302, index.route_url("calendar"))
    if moved:
        assert revoked.redirect_chain == [
            (index.route_url("calendar_revoke"), 307),
            (index.route_url("calendar"), 302),
        ]
    else:  # the old address is the route itself
        assert revoked.redirect_chain == [(index.route_url("calendar"), 302)]
    assert "The old one no longer works" in revoked.content.decode()
    assert CalendarFeed.for_user(alice).token != old


def test_it_keeps_the_index_filter_when_redirecting_to_a_moved_index(index, client_for, alice):
    move_index(index)

    response = client_for(alice).get("/workshops/", {"tag": "excel"})

    assert (response.status_code, response["Location"]) == (302, "/events/?tag=excel")


@pytest.mark.parametrize("name", WORKSHOP_ROUTES)
def test_it_does_not_give_away_where_a_hidden_workshop_is_at_its_old_address(workshop, client_for, alice, dita, name):
    place = workshop.sign_up(alice)
    restrict_to(workshop, "Finance")
    url = old_addresses(workshop, place)[name]

    assert client_for(dita).get(url).status_code == 404
    workshop.unpublish()
    assert client_for(dita).get(url).status_code == 404


@pytest.mark.parametrize("name", WORKSHOP_ROUTES)
def test_it_sends_anonymous_visitors_of_an_old_address_to_sign_in(workshop, client, alice, name):
    url = old_addresses(workshop, workshop.sign_up(alice))[name]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_answers_an_unknown_old_address_with_404(workshop, client_for, alice):
    client = client_for(alice)

    assert client.get("/workshops/999999/attendees/").status_code == 404
    assert client.get("/workshops/999999/calendar.ics").status_code == 404
    assert client.post("/workshops/places/999999/cancel/").status_code == 404


def test_it_leaves_a_pages_own_404_alone(workshop, client_for, alice):
    """A route that answers 404 (no such place here) is not handed to the old addresses."""
    assert client_for(alice).post(workshop.route_url("cancel", 999999)).status_code == 404


def test_it_says_there_is_no_calendar_page_until_there_is_a_workshop_index(no_index, client_for, alice):
    client = client_for(alice)

    assert client.get("/workshops/calendar/").status_code == 404
    assert client.post("/workshops/calendar/new-address/").status_code == 404


# --- the personal calendar feed -------------------------------------------------------------------


@pytest.mark.parametrize("where", ["workshops", "moved", "deleted"])
def test_it_keeps_the_personal_feed_at_its_address_wherever_the_index_is(
    workshop, index, client, client_for, alice, where
):
    workshop.sign_up(alice)
    address = f"/workshops/calendar/{CalendarFeed.for_user(alice).token}.ics"
    before = client.get(address)
    if where == "moved":
        move_index(index)
    elif where == "deleted":
        Page.objects.get(pk=index.pk).delete()  # and the workshops below it

    after = client.get(address)

    assert after.status_code == 200
    assert after["Content-Type"] == "text/calendar; charset=utf-8"
    assert after["Content-Disposition"] == before["Content-Disposition"] == 'inline; filename="confer-workshops.ics"'
    events = after.content.decode().replace("\r\n ", "").count("BEGIN:VEVENT")
    assert events == (0 if where == "deleted" else 1)
    if where == "moved":
        assert "URL:http://127.0.0.1:8000/events/boost-your-blog/" in after.content.decode().replace("\r\n ", "")


def test_it_shows_the_feed_address_people_subscribed_to(index, client_for, alice):
    move_index(index)

    response = client_for(alice).get("/events/calendar/subscribe/")

    token = CalendarFeed.for_user(alice).token
    assert f"http://testserver/workshops/calendar/{token}.ics" in response.content.decode()
    assert f"webcal://testserver/workshops/calendar/{token}.ics" in response.content.decode()


def test_it_answers_the_feed_with_a_good_token_only(workshop, client, alice):
    workshop.sign_up(alice)
    feed = CalendarFeed.for_user(alice)
    good = f"/workshops/calendar/{feed.token}.ics"

    assert client.get(good).status_code == 200
    assert client.get(f"/workshops/calendar/{feed.token[:-1]}x.ics").status_code == 404
    feed.revoke()
    revoked = client.get(good)
    assert revoked.status_code == 404
    assert b"Boost your blog" not in revoked.content
    assert client.get(f"/workshops/calendar/{feed.token}.ics").status_code == 200


def test_it_never_lets_the_feed_hide_a_workshop_called_calendar(make_workshop, client_for, alice):
    workshop = make_workshop("Calendar", slug="calendar")

    response = client_for(alice).get(workshop.route_url("ics"))

    assert response.status_code == 200
    assert 'filename="calendar.ics"' in response["Content-Disposition"]
