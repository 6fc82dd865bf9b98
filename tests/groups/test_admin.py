"""Administrators list and edit communities in the Wagtail admin; the kind cannot be changed there."""

import pytest
from django.urls import reverse

from community.models import Community
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_admins_list_and_edit_communities(client, django_user_model, invite_community, open_community):
    client.force_login(make_user(django_user_model, "boss", is_superuser=True, is_staff=True))

    listing = client.get(reverse("wagtailsnippets_community_community:list"))
    assert listing.status_code == 200
    assert "Finance leads" in listing.content.decode() and "Digital buddy network" in listing.content.decode()

    edit_url = reverse("wagtailsnippets_community_community:edit", args=[invite_community.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"name": "Finance leads network", "slug": invite_community.slug,
                                      "description": "Month end.", "tags": "finance", "kind": "open"})  # fmt: skip

    community = Community.objects.get(pk=invite_community.pk)
    assert response.status_code == 302
    assert community.name == "Finance leads network"
    assert community.kind == "invite"  # read-only in the admin


def test_colleagues_without_admin_access_cannot_open_it(client_for, bob):
    response = client_for(bob).get(reverse("wagtailsnippets_community_community:list"))

    assert response.status_code in (302, 403)
