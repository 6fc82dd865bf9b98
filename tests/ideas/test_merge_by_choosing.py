"""Merging by choosing the original from a list (similar ideas and a search box), refusing originals
that cannot be one, and telling the idea's author, voters and followers, on merging and on undoing."""

import pytest

from community.listening.follows import follow
from community.models import AuditEntry, Notification
from ideas.models import IdeaMerge
from tests.conftest import make_user

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(bob):
    return submit(bob, title="Meeting room booking from Outlook")


def merge_page(client, idea, **params):
    return client.get(f"/ideas/ideas/{idea.pk}/merge/", params).content.decode()


def merge(client, idea, **data):
    return client.post(f"/ideas/ideas/{idea.pk}/merge/", data, follow=True)


def test_it_offers_similar_ideas_as_choices_not_a_number_to_type(client_for, mo, alice, duplicate):
    original = submit(alice, title="Meeting room booking in the calendar")

    html = merge_page(client_for(mo), duplicate)

    assert f'name="target" type="radio" value="{original.pk}"' in html
    assert f'value="{duplicate.pk}"' not in html
    assert "Link to the original idea, or its number" not in html


def test_ideas_that_cannot_be_the_original_are_not_offered(client_for, mo, alice, charlie, duplicate):
    hidden = submit(alice, title="Meeting room booking by phone")
    hidden.hide(mo)
    merged, into = submit(alice, title="Meeting room booking on paper"), submit(charlie, title="Desk booking app")
    merged.merge_into(into, mo)

    html = merge_page(client_for(mo), duplicate, q="meeting room booking")

    assert f'value="{hidden.pk}"' not in html
    assert f'value="{merged.pk}"' not in html


def test_the_search_box_finds_ideas_by_words_number_or_link(client_for, mo, alice, duplicate):
    printer = submit(alice, title="Fix the printer on floor three", tags=("printing",))

    for query in ("printer floor", str(printer.pk), f"http://testserver{printer.get_absolute_url()}"):
        assert f'name="target" type="radio" value="{printer.pk}"' in merge_page(client_for(mo), duplicate, q=query)
    assert "No idea that can be the original matches “zebra crossing”." in merge_page(
        client_for(mo), duplicate, q="zebra crossing"
    )


def test_choosing_merges_and_tells_the_author_voters_and_followers_once(client_for, django_user_model, mo, alice,
                                                                         bob, duplicate):  # fmt: skip
    original = submit(alice, title="Meeting room booking in the calendar")
    voter, follower = make_user(django_user_model, "voter"), make_user(django_user_model, "follower")
    duplicate.vote(voter)
    follow(follower, duplicate)
    follow(voter, duplicate)  # a voter who also follows hears once

    response = merge(client_for(mo), duplicate, target=str(original.pk))

    assert "Its author, voters and followers were told." in response.content.decode()
    told = Notification.objects.filter(event_type="ideas.merged")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["bob", "follower", "voter"]
    assert {n.url for n in told} == {original.get_absolute_url()}
    assert AuditEntry.objects.get().action == AuditEntry.Action.MERGED


def test_undoing_the_merge_tells_them_too(client_for, django_user_model, mo, alice, bob, duplicate):
    original = submit(alice, title="Meeting room booking in the calendar")
    voter = make_user(django_user_model, "voter")
    duplicate.vote(voter)
    merge(client_for(mo), duplicate, target=str(original.pk))

    client_for(mo).post(f"/ideas/merges/{IdeaMerge.objects.get().pk}/undo/")

    told = Notification.objects.filter(event_type="ideas.unmerged")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["bob", "voter"]
    assert {n.url for n in told} == {duplicate.get_absolute_url()}
    assert "undid the merge" in client_for(bob).get("/notifications/").content.decode()
    assert [e.action for e in AuditEntry.objects.order_by("created_at", "pk")] == ["merged", "unmerged"]


@pytest.mark.parametrize("case", ["itself", "hidden", "merged", "has_merged_into_it", "nothing"])
def test_it_refuses_originals_that_cannot_be_one(client_for, mo, alice, charlie, duplicate, case):
    original = submit(alice, title="Meeting room booking in the calendar")
    expected = {
        "itself": "An idea cannot be merged into itself. Choose the original idea",
        "hidden": "is hidden, so it cannot be the original.",
        "merged": "has itself been merged into",
        "has_merged_into_it": "Other ideas have been merged into",
        "nothing": "Choose the original idea, or search for it",
    }[case]
    target = str(original.pk)
    if case == "itself":
        target = str(duplicate.pk)
    elif case == "hidden":
        original.hide(mo)
    elif case == "merged":
        original.merge_into(submit(charlie, title="Desk booking app"), mo)
    elif case == "has_merged_into_it":
        # A loop or a chain: something was merged into the duplicate already.
        submit(charlie, title="Room booking on the intranet").merge_into(duplicate, mo)
    elif case == "nothing":
        target = ""

    response = client_for(mo).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": target})

    assert response.status_code == 400
    assert expected in response.content.decode()
    duplicate.refresh_from_db()
    assert not duplicate.is_merged
    assert not Notification.objects.filter(event_type="ideas.merged", recipient__username="bob").exists()
