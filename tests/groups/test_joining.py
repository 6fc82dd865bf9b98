"""Joining and leaving each kind of community, and what managers may do about members."""

import pytest
from django.contrib.auth.models import Group

from community.listening.follows import is_following
from community.models import Community, Invitation, JoinRequest, Membership

pytestmark = pytest.mark.django_db


def _role(community, user):
    membership = Membership.objects.filter(community=community, user=user).first()
    return membership.role if membership else None


def test_it_makes_the_founder_its_first_manager(open_community, alice):
    assert _role(open_community, alice) == "manager"
    assert Community.objects.get(pk=open_community.pk).member_count == 1
    assert is_following(alice, open_community)


def test_it_lets_anyone_join_an_open_community_and_follow_it(client_for, open_community, bob):
    response = client_for(bob).post(f"/communities/{open_community.slug}/join/")

    assert response.status_code == 302
    assert _role(open_community, bob) == "member"
    assert is_following(bob, open_community)
    assert Community.objects.get(pk=open_community.pk).member_count == 2


def test_it_unfollows_when_a_member_leaves(client_for, open_community, bob):
    open_community.join(bob)

    client_for(bob).post(f"/communities/{open_community.slug}/leave/")

    assert _role(open_community, bob) is None
    assert not is_following(bob, open_community)


def test_it_turns_a_join_into_a_request_a_manager_approves(client_for, request_community, alice, bob):
    client_for(bob).post(f"/communities/{request_community.slug}/join/")
    assert _role(request_community, bob) is None
    join_request = JoinRequest.objects.get(community=request_community, user=bob)
    assert "asked to join" in client_for(alice).get("/notifications/").content.decode()

    response = client_for(alice).post(f"/communities/{request_community.slug}/requests/{join_request.pk}/",
                                      {"action": "approve"})  # fmt: skip

    assert response.status_code == 302
    assert _role(request_community, bob) == "member"
    assert not JoinRequest.objects.filter(pk=join_request.pk).exists()


def test_it_refuses_a_request_without_adding_anyone(client_for, request_community, alice, bob):
    join_request = request_community.ask_to_join(bob)

    client_for(alice).post(f"/communities/{request_community.slug}/requests/{join_request.pk}/", {"action": "refuse"})

    assert _role(request_community, bob) is None
    assert not JoinRequest.objects.exists()


def test_it_refuses_approving_your_own_request(client_for, request_community, bob):
    # A request left waiting from before an administrator named bob a manager in the admin.
    join_request = JoinRequest.objects.create(community=request_community, user=bob)
    Membership.objects.create(community=request_community, user=bob, role="manager")

    response = client_for(bob).post(f"/communities/{request_community.slug}/requests/{join_request.pk}/",
                                    {"action": "approve"})  # fmt: skip

    assert response.status_code == 403
    assert "cannot approve your own request" in response.content.decode()
    assert JoinRequest.objects.filter(pk=join_request.pk).exists()


def test_it_refuses_approval_by_someone_who_is_not_a_manager(client_for, request_community, bob, charlie):
    join_request = request_community.ask_to_join(bob)

    response = client_for(charlie).post(f"/communities/{request_community.slug}/requests/{join_request.pk}/",
                                        {"action": "approve"})  # fmt: skip

    assert response.status_code == 403
    assert "Only this community" in response.content.decode()
    assert _role(request_community, bob) is None


def test_it_refuses_joining_an_invite_only_community_without_an_invitation(client_for, invite_community, bob):
    response = client_for(bob).post(f"/communities/{invite_community.slug}/join/")

    assert response.status_code == 404  # not even advertised to non-members
    with pytest.raises(Exception, match="invite-only"):
        invite_community.join(bob)
    assert _role(invite_community, bob) is None


def test_it_joins_by_an_invitation_once(client_for, invite_community, alice, bob):
    response = client_for(alice).post(f"/communities/{invite_community.slug}/invite/", {"username": "bob"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(invitee=bob)
    bob_client = client_for(bob)
    notifications = bob_client.get("/notifications/").content.decode()
    assert "invited you to join" in notifications

    page = bob_client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    bob_client.post(invitation.get_absolute_url())

    assert _role(invite_community, bob) == "member"
    assert bob.groups.filter(pk=invite_community.members_group_id).exists()
    bob_client.post(f"/communities/{invite_community.slug}/leave/")
    again = bob_client.post(invitation.get_absolute_url())
    assert again.status_code == 403
    assert "already been used" in again.content.decode()
    assert _role(invite_community, bob) is None


def test_it_refuses_someone_elses_invitation(client_for, invite_community, alice, bob, charlie):
    invitation = invite_community.invite(alice, bob)

    response = client_for(charlie).post(invitation.get_absolute_url())

    assert response.status_code == 403
    assert "for someone else" in response.content.decode()
    assert _role(invite_community, charlie) is None
    assert Invitation.objects.get(pk=invitation.pk).used_at is None


def test_it_refuses_a_forged_invitation(client_for, invite_community, alice, bob):
    invitation = invite_community.invite(alice, bob)
    forged = invitation.token[:-3] + ("aaa" if not invitation.token.endswith("aaa") else "bbb")

    response = client_for(bob).post(f"/communities/{invite_community.slug}/invitations/{forged}/")

    assert response.status_code == 403
    assert "not valid" in response.content.decode()
    assert _role(invite_community, bob) is None


def test_it_refuses_inviting_someone_who_does_not_exist(client_for, invite_community, alice):
    response = client_for(alice).post(f"/communities/{invite_community.slug}/invite/", {"username": "nobody"})

    assert response.status_code == 400
    assert "Nobody here has the username" in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_refuses_invitations_from_members_who_are_not_managers(client_for, open_community, bob, charlie):
    open_community.join(bob)

    response = client_for(bob).post(f"/communities/{open_community.slug}/invite/", {"username": "charlie"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_it_keeps_the_last_manager_until_another_is_named(client_for, open_community, alice, bob):
    open_community.join(bob)
    alice_client = client_for(alice)

    refused = alice_client.post(f"/communities/{open_community.slug}/leave/")
    assert refused.status_code == 403
    assert "last manager" in refused.content.decode()
    assert _role(open_community, alice) == "manager"

    alice_client.post(f"/communities/{open_community.slug}/members/bob/", {"action": "manager"})
    alice_client.post(f"/communities/{open_community.slug}/leave/")
    assert _role(open_community, alice) is None
    assert _role(open_community, bob) == "manager"


def test_it_lets_managers_remove_members(client_for, open_community, alice, bob):
    open_community.join(bob)

    client_for(alice).post(f"/communities/{open_community.slug}/members/bob/", {"action": "remove"})

    assert _role(open_community, bob) is None
    assert not is_following(bob, open_community)


def test_it_refuses_removal_by_a_member(client_for, open_community, alice, bob):
    open_community.join(bob)

    response = client_for(bob).post(f"/communities/{open_community.slug}/members/alice/", {"action": "remove"})

    assert response.status_code == 403
    assert _role(open_community, alice) == "manager"


def test_an_invite_only_community_keeps_a_group_of_its_members(invite_community, alice):
    group = Group.objects.get(pk=invite_community.members_group_id)
    assert list(group.user_set.all()) == [alice]
