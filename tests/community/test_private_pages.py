"""Private Wagtail pages and documents: Confer's own sign-in page, a styled refusal, a styled password page."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from community.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def add_page(title, restriction_type, **restriction):
    page = StandardPage(title=title, slug=title.lower().replace(" ", "-"), summary="")
    HomePage.objects.get().add_child(instance=page)
    groups = restriction.pop("groups", ())
    PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, **restriction).groups.set(groups)
    return page


@pytest.fixture
def digital_only():
    return add_page("Digital roadmap", PageViewRestriction.GROUPS, groups=[Group.objects.get(name="Digital team")])


def test_it_tells_a_colleague_outside_the_group_they_cannot_see_the_page(alice_client, digital_only):
    response = alice_client.get(digital_only.url)

    assert response.status_code == 403
    content = response.content.decode()
    assert "You cannot see this page" in content
    assert "govuk-generic-header" in content
    assert "Digital roadmap" not in content
    assert "_util/login" not in content
    assert "no-cache" in response["Cache-Control"]


def test_it_shows_the_page_to_the_group(client_for, dita, digital_only):
    response = client_for(dita).get(digital_only.url)

    assert response.status_code == 200
    assert "Digital roadmap" in response.content.decode()


def test_it_shows_the_page_to_a_child_of_the_restricted_page_only_to_the_group(client_for, alice, dita, digital_only):
    child = StandardPage(title="Milestones", slug="milestones", summary="")
    digital_only.add_child(instance=child)

    assert client_for(alice).get(child.url).status_code == 403
    assert client_for(dita).get(child.url).status_code == 200


def test_it_sends_anonymous_visitors_to_confers_sign_in(client, digital_only):
    response = client.get(digital_only.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_sends_wagtails_own_sign_in_address_to_confers(client):
    response = client.get("/_util/login/?next=/digital-roadmap/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/digital-roadmap/"


def test_it_sends_the_admin_sign_in_address_to_confers(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_it_asks_for_a_page_password_in_confers_style(alice_client):
    page = add_page("Board notes", PageViewRestriction.PASSWORD, password="s3cret")

    asked = alice_client.get(page.url)
    assert asked.status_code == 200
    assert "Enter the password for this page" in asked.content.decode()
    assert "govuk-generic-header" in asked.content.decode()

    action = asked.context["action_url"]
    wrong = alice_client.post(action, {"password": "guess", "return_url": page.url})
    assert wrong.status_code == 200
    assert "<title>Error: Enter the password for this page" in wrong.content.decode()
    assert "govuk-error-summary" in wrong.content.decode()

    right = alice_client.post(action, {"password": "s3cret", "return_url": page.url})
    assert right.status_code == 302
    assert alice_client.get(page.url).status_code == 200


def test_it_sends_a_colleague_outside_a_private_collection_to_confers_refusal(alice_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    root = Collection.get_first_root_node()
    board = root.add_child(name="Board papers")
    CollectionViewRestriction.objects.create(
        collection=board, restriction_type=CollectionViewRestriction.GROUPS
    ).groups.set([Group.objects.get(name="Digital team")])
    document = Document.objects.create(title="Minutes", collection=board, file=ContentFile(b"minutes", "minutes.txt"))

    response = alice_client.get(document.url, follow=True)

    assert response.redirect_chain[0][0].startswith("/accounts/login/?next=")
    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()
