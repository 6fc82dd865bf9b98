import pytest

from community.models import Directorate, Profile

pytestmark = pytest.mark.django_db


def test_it_asks_a_newcomer_to_complete_their_profile(alice_client):
    response = alice_client.get("/")

    assert b"Complete your profile" in response.content


def test_it_stops_asking_once_the_profile_is_complete(alice_client, alice):
    Profile.objects.filter(user=alice).update(
        job_title="Analyst", team="Data", directorate=Directorate.objects.create(name="Finance")
    )

    response = alice_client.get("/")

    assert b"Complete your profile" not in response.content


def test_it_shows_new_colleagues_but_not_yourself(alice_client, bob):
    response = alice_client.get("/")

    panel = response.content.split(b"New colleagues")[1]
    assert b"Bob Baker" in panel
    assert b'href="/people/alice/"' not in panel


def test_it_links_every_section_that_is_open_in_the_header(alice_client):
    response = alice_client.get("/")

    assert b'class="govuk-service-navigation__link" href="/people/"' in response.content
    assert b'class="govuk-service-navigation__link" href="/search/"' in response.content


def test_it_names_the_site_after_site_url_for_email_links(settings):
    from django.contrib.sites.models import Site

    assert Site.objects.get(pk=settings.SITE_ID).domain == "127.0.0.1:8000"
