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


def test_new_colleagues_are_read_in_the_order_of_an_index(alice_client, alice):
    from django.contrib.auth import get_user_model

    from tests.scale import page_queries, plan_problems, query_plan, selects_on

    User = get_user_model()
    User.objects.bulk_create(User(username=f"new{n}", email=f"new{n}@example.org") for n in range(40))
    for user in User.objects.filter(username__startswith="new"):
        Profile.for_user(user)

    [newest] = [
        sql
        for sql in selects_on(page_queries(alice_client, "/"), "community_profile")
        if 'ORDER BY "community_profile"."created_at" DESC' in sql
    ]
    # The newest profiles are walked in the order of community_profile_newest: no scan of every
    # profile and no sort, whatever the organisation's size.
    assert not plan_problems(newest, "community_profile", False), query_plan(newest)
    assert "community_profile_newest" in query_plan(newest)
