"""Everyday workshop flows: cancelling asks first; a place from the waiting list is told in Confer
as well as by email; the calendar file is offered only with a place; the digital team adds a
workshop from /workshops/; an abandoned draft never blocks the next new page; the admin carries the
organisation's name."""

import re

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import Site

from community.listening.models import Notification
from community.models import WorkshopPage, WorkshopSignup

from .test_pages import admin_form

pytestmark = pytest.mark.django_db


# --- cancelling asks first -------------------------------------------------------------------------


def test_it_asks_before_cancelling_a_place_and_changes_nothing_until_confirmed(workshop, client_for, alice):
    place = workshop.sign_up(alice)

    page = client_for(alice).get(workshop.url).content.decode()
    confirm = client_for(alice).get(workshop.route_url("cancel", place.pk))

    assert f'href="{workshop.route_url("cancel", place.pk)}"' in page
    assert confirm.status_code == 200
    assert "Are you sure you want to cancel your place?" in confirm.content.decode()
    assert "Yes, cancel my place" in confirm.content.decode()
    assert f'href="{workshop.url}">No, keep my place' in confirm.content.decode()
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


def test_it_cancels_once_confirmed_with_the_form_and_its_token(workshop, alice):
    place = workshop.sign_up(alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    html = browser.get(workshop.route_url("cancel", place.pk)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    response = browser.post(workshop.route_url("cancel", place.pk), {"csrfmiddlewaretoken": token}, follow=True)

    assert response.redirect_chain == [(workshop.url, 302)]
    assert "You have cancelled your place." in response.content.decode()
    assert WorkshopSignup.objects.get(pk=place.pk).status == "cancelled"


def test_it_asks_before_leaving_the_waiting_list(make_workshop, client_for, alice, bob):
    workshop = make_workshop(capacity=1)
    workshop.sign_up(alice)
    waiting = workshop.sign_up(bob)

    confirm = client_for(bob).get(workshop.route_url("cancel", waiting.pk)).content.decode()

    assert "Are you sure you want to leave the waiting list?" in confirm
    assert "You are number 1 on the waiting list" in confirm
    assert WorkshopSignup.objects.get(pk=waiting.pk).status == "waitlisted"


def test_it_refuses_to_show_someone_elses_cancel_page(workshop, client_for, alice, bob):
    place = workshop.sign_up(alice)

    seen = client_for(bob).get(workshop.route_url("cancel", place.pk))
    posted = client_for(bob).post(workshop.route_url("cancel", place.pk))

    assert seen.status_code == posted.status_code == 403
    assert "You can only cancel your own place." in seen.content.decode()
    assert WorkshopSignup.objects.get(pk=place.pk).status == "confirmed"


def test_it_sends_a_cancelled_place_back_to_the_workshop(workshop, client_for, alice):
    place = workshop.sign_up(alice)
    place.cancel(alice)

    response = client_for(alice).get(workshop.route_url("cancel", place.pk), follow=True)

    assert response.redirect_chain == [(workshop.url, 302)]
    assert "You have already cancelled this place." in response.content.decode()


# --- promotion is told in Confer too ---------------------------------------------------------------


def test_it_tells_the_promoted_person_in_confer_and_emails_them_once(
    make_workshop, alice, bob, charlie, client_for, django_capture_on_commit_callbacks
):
    from community.listening.models import EmailFrequency, ListeningPreferences

    workshop = make_workshop(capacity=1)
    place = workshop.sign_up(alice)
    workshop.sign_up(bob)
    workshop.sign_up(charlie)
    ListeningPreferences.objects.update_or_create(user=bob, defaults={"email_frequency": EmailFrequency.IMMEDIATELY})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        place.cancel(alice)

    [told] = Notification.objects.filter(event_type="workshops.promoted")
    listed = client_for(bob).get("/notifications/").content.decode()
    assert told.recipient == bob and told.read_at is None
    assert "a place came up and you were next on the waiting list" in listed
    assert [message.to for message in mail.outbox] == [[bob.email]]  # the promotion email, not a second one
    assert not Notification.objects.filter(recipient__in=[alice, charlie], event_type="workshops.promoted").exists()


# --- the calendar file -----------------------------------------------------------------------------


def test_it_offers_the_calendar_file_only_to_people_with_a_place(make_workshop, client_for, alice, bob, charlie, hana):
    workshop = make_workshop(capacity=1)
    workshop.sign_up(alice)
    workshop.sign_up(bob)
    link = f'href="{workshop.route_url("ics")}" download'

    def page(user):
        return client_for(user).get(workshop.url).content.decode()

    assert link in page(alice)
    assert link not in page(bob)  # only waiting
    assert link not in page(charlie)  # not signed up
    assert link in page(hana)  # the host


# --- adding a workshop -----------------------------------------------------------------------------


def test_it_gives_the_digital_team_an_add_a_workshop_button_and_nobody_else(index, client_for, dita, alice, helen):
    add = f"/admin/pages/add/community/workshoppage/{index.pk}/"

    team = client_for(dita).get(index.url).content.decode()

    assert f'href="{add}"' in team and ">Add a workshop</a>" in team
    assert client_for(dita).get(add).status_code == 200
    for user in (alice, helen):
        assert "Add a workshop" not in client_for(user).get(index.url).content.decode()


def test_it_gives_a_new_page_a_free_slug_when_an_abandoned_draft_holds_its_title(index, client_for, dita):
    draft = WorkshopPage(title="Boost your blog", slug="boost-your-blog", **_workshop_fields(dita))
    index.add_child(instance=draft)
    draft.unpublish()  # never published: an abandoned draft
    url, data = admin_form(index, dita)

    response = client_for(dita).post(url, data)

    assert response.status_code == 302, response.content[:2000]
    assert WorkshopPage.objects.get(slug="boost-your-blog-2").live
    assert not WorkshopPage.objects.get(pk=draft.pk).live


def test_it_keeps_a_slug_the_editor_typed_and_says_it_is_taken(index, client_for, dita):
    index.add_child(instance=WorkshopPage(title="Old one", slug="my-slug", **_workshop_fields(dita)))
    url, data = admin_form(index, dita, slug="my-slug")

    response = client_for(dita).post(url, data)

    assert response.status_code == 200
    assert "The slug &#x27;my-slug&#x27; is already in use" in response.content.decode()
    assert WorkshopPage.objects.filter(slug__startswith="my-slug").count() == 1


def _workshop_fields(host):
    from .conftest import days

    return {"summary": "s", "start_at": days(7, 10), "end_at": days(7, 12), "place": "Room 1", "host": host}


# --- the admin's name ------------------------------------------------------------------------------


def test_it_names_the_wagtail_site_after_the_organisation_not_localhost(client_for, dita, settings):
    from django.conf import settings as live

    site = Site.objects.get(is_default_site=True)

    admin = client_for(dita).get("/admin/").content.decode()

    assert site.site_name == live.WAGTAIL_SITE_NAME
    assert "localhost" not in admin
    assert live.WAGTAIL_SITE_NAME in admin


def test_it_reads_the_organisations_name_from_the_environment(monkeypatch):
    import importlib

    import intranet.settings as module

    monkeypatch.setenv("CONFER_SITE_NAME", "Department for Widgets intranet")
    try:
        assert importlib.reload(module).WAGTAIL_SITE_NAME == "Department for Widgets intranet"
    finally:
        monkeypatch.delenv("CONFER_SITE_NAME")
        importlib.reload(module)
