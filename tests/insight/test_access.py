"""Only the digital team, the helpdesk and moderators see the dashboard and its CSVs; the permission
is what counts, not the group's name."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from .conftest import dashboard


@pytest.mark.parametrize("person", ["dita", "helen", "mo"])
def test_the_digital_team_helpdesk_and_moderators_see_it(client_for, person, request):
    response = dashboard(client_for(request.getfixturevalue(person)))
    assert response.status_code == 200
    assert "Helpdesk deflection" in response.content.decode()


def test_staff_are_refused_with_a_reason(client_for, alice):
    response = dashboard(client_for(alice))
    assert response.status_code == 403
    assert "Only the digital team, the helpdesk and moderators" in response.content.decode()


def test_staff_are_refused_every_csv(client_for, alice):
    response = client_for(alice).get(reverse("insight:csv", args=["activity"]))
    assert response.status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("insight:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_follows_the_permission_not_the_group_name(client_for, dita, alice):
    Group.objects.filter(name="Digital team").update(name="Data and digital")
    assert dashboard(client_for(dita)).status_code == 200
    analysts = Group.objects.create(name="Analysts")
    analysts.permissions.add(Permission.objects.get(codename="view_insight"))
    alice.groups.add(analysts)
    assert dashboard(client_for(alice)).status_code == 200
