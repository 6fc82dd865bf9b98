import pytest
from django.contrib.auth.signals import user_logged_in
from django.test import RequestFactory

from community.models import Directorate, Profile

pytestmark = pytest.mark.django_db


def test_it_gives_every_new_account_a_profile_named_after_them(alice, charlie):
    assert alice.profile.display_name == "Alice Archer"
    assert charlie.profile.display_name == "charlie"


def test_it_makes_a_missing_profile_on_first_login(alice):
    Profile.objects.filter(user=alice).delete()

    user_logged_in.send(sender=type(alice), request=RequestFactory().get("/"), user=alice)

    assert Profile.objects.filter(user=alice).count() == 1


def test_it_shows_a_colleagues_profile(alice_client, bob):
    audit = Directorate.objects.create(name="Audit")
    Profile.objects.filter(user=bob).update(job_title="Senior auditor", directorate=audit, team="VFM")

    response = alice_client.get("/people/bob/")

    assert response.status_code == 200
    assert b"Bob Baker" in response.content
    assert b"Senior auditor" in response.content
    assert b"Audit" in response.content
    assert b"Edit your profile</a>" not in response.content.split(b"<footer")[0]


def test_it_offers_to_edit_only_your_own_profile(alice_client):
    response = alice_client.get("/people/alice/")

    assert b"Edit your profile</a>" in response.content.split(b"<footer")[0]


def test_it_returns_404_for_unknown_and_departed_people(alice_client, bob):
    bob.is_active = False
    bob.save()

    assert alice_client.get("/people/nobody/").status_code == 404
    assert alice_client.get("/people/bob/").status_code == 404


def test_it_saves_an_edited_profile_with_sanitised_markdown(alice_client, alice):
    hr = Directorate.objects.create(name="People and HR")

    response = alice_client.post(
        "/profile/edit/",
        {
            "display_name": "  Alice   Archer ",
            "job_title": "HR adviser",
            "directorate": hr.pk,
            "team": "Pay",
            "bio": "I know **payroll**. <img src=x onerror=alert(1)>",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/people/alice/"
    profile = Profile.objects.get(user=alice)
    assert profile.display_name == "Alice Archer"
    assert profile.directorate == hr
    assert "<strong>payroll</strong>" in profile.bio_html
    assert "<img" not in profile.bio_html  # shown as text, never as an element
    assert profile.is_complete


def test_it_refuses_a_blank_name_and_keeps_what_was_saved(alice_client, alice):
    response = alice_client.post("/profile/edit/", {"display_name": "   ", "job_title": "x" * 101})

    assert response.status_code == 400
    assert (
        b"Enter the name colleagues know you by" in response.content or b"This field is required" in response.content
    )
    assert b"Ensure this value has at most 100 characters" in response.content
    assert Profile.objects.get(user=alice).display_name == "Alice Archer"


def test_it_edits_only_the_signed_in_users_profile(alice_client, bob):
    alice_client.post("/profile/edit/", {"display_name": "Hacked", "user": bob.pk})

    assert Profile.objects.get(user=bob).display_name == "Bob Baker"


def test_it_finds_colleagues_by_name_role_and_directorate(alice_client, bob, charlie):
    audit = Directorate.objects.create(name="Audit")
    Profile.objects.filter(user=bob).update(job_title="Senior auditor", directorate=audit)

    by_role = alice_client.get("/people/", {"q": "auditor"})
    by_directorate = alice_client.get("/people/", {"directorate": "audit"})

    for response in (by_role, by_directorate):
        assert b"Bob Baker" in response.content
        assert b">charlie<" not in response.content


def test_it_lists_the_directory_in_a_fixed_number_of_queries(
    alice_client, django_user_model, django_assert_max_num_queries
):
    audit = Directorate.objects.create(name="Audit")
    for number in range(30):
        user = django_user_model.objects.create_user(username=f"person{number}")
        Profile.objects.filter(user=user).update(directorate=audit)

    with django_assert_max_num_queries(9):
        response = alice_client.get("/people/")

    assert response.status_code == 200
    assert response.content.count(b'class="confer-card"') == 24
