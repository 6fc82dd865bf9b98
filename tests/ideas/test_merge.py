"""Merging idea B into idea A loses nothing and can be undone, restoring B's own votes exactly."""

import datetime

import django_comments
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.listening.follows import follow, is_following
from community.models import Follow, Notification
from ideas.models import Idea, IdeaMerge, MergedVote, StatusChange, Vote
from tests.conftest import make_user

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    return {name: make_user(django_user_model, name) for name in ("dan", "eve", "fay", "gus", "hal")}


@pytest.fixture
def original(alice):
    return submit(alice, title="Book meeting rooms from the calendar")


@pytest.fixture
def duplicate(bob):
    return submit(bob, title="Meeting room booking in Outlook")


def cast(idea, user, days_ago):
    """A vote cast ``days_ago`` days ago (through the model, then dated)."""
    idea.vote(user)
    Vote.objects.filter(idea=idea, user=user).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))


def votes_of(idea):
    return sorted(Vote.objects.filter(idea=idea).values_list("user__username", "created_at"))


def comment(idea, user, text):
    from ideas.models import Idea as IdeaModel

    created = django_comments.get_model().objects.create(
        content_object=idea, site_id=settings.SITE_ID, user=user, user_name=user.username, comment=text
    )
    IdeaModel.objects.filter(pk=idea.pk).update(comment_count=idea.comment_count + 1)
    return created


@pytest.fixture
def voted(original, duplicate, people):
    """A has votes from dan and eve; B from eve (both!), fay and gus, at different times."""
    cast(original, people["dan"], 1)
    cast(original, people["eve"], 2)
    cast(duplicate, people["eve"], 3)
    cast(duplicate, people["fay"], 4)
    cast(duplicate, people["gus"], 40)
    original.refresh_from_db()
    duplicate.refresh_from_db()
    return original, duplicate


def test_it_moves_votes_to_the_original_one_per_person(mo, voted, people):
    original, duplicate = voted

    merge = duplicate.merge_into(original, mo)

    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert original.vote_count == 4
    assert sorted(Vote.objects.filter(idea=original).values_list("user__username", flat=True)) == [
        "dan", "eve", "fay", "gus",
    ]  # fmt: skip
    assert duplicate.vote_count == 0
    assert not Vote.objects.filter(idea=duplicate).exists()
    assert (merge.votes_moved, merge.votes_already_on_target) == (2, 1)
    # Moved votes keep when they were cast; eve keeps her vote on A.
    eve_on_a = Vote.objects.get(idea=original, user=people["eve"])
    assert eve_on_a.merge is None
    assert Vote.objects.get(idea=original, user=people["gus"]).created_at < timezone.now() - datetime.timedelta(
        days=39
    )


def test_the_merged_idea_shows_merged_into_the_original(client_for, charlie, mo, voted):
    original, duplicate = voted
    duplicate.merge_into(original, mo)

    response = client_for(charlie).get(duplicate.get_absolute_url())

    html = response.content.decode()
    duplicate.refresh_from_db()
    assert duplicate.status == "duplicate"
    assert duplicate.merged_into == original
    assert "This idea was merged into" in html
    assert original.get_absolute_url() in html
    assert "Vote for this idea" not in html


def test_comments_and_followers_of_the_merged_idea_reach_the_original(client_for, charlie, mo, voted, people):
    original, duplicate = voted
    comment(duplicate, people["hal"], "Outlook already has a room finder.")
    duplicate.refresh_from_db()
    follow(people["hal"], duplicate)
    follow(people["dan"], duplicate)  # dan already follows A (he voted for it)

    merge = duplicate.merge_into(original, mo)

    html = client_for(charlie).get(original.get_absolute_url()).content.decode()
    original.refresh_from_db()
    assert "Outlook already has a room finder." in html
    assert "since merged into this idea" in html
    assert original.comment_count == 1
    assert is_following(people["hal"], original)
    assert people["hal"].pk in merge.followers_added
    assert people["dan"].pk not in merge.followers_added
    # B's followers still follow B too: nothing is lost.
    assert is_following(people["hal"], duplicate)


def test_it_records_who_merged_when_and_what_moved(client_for, mo, voted):
    original, duplicate = voted

    response = client_for(mo).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": str(original.pk),
                                                                             "note": "Same request."})  # fmt: skip

    merge = IdeaMerge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == original.get_absolute_url()
    assert (merge.source, merge.target, merge.merged_by, merge.note) == (duplicate, original, mo, "Same request.")
    assert merge.previous_status == "new"
    assert sorted(MergedVote.objects.values_list("user__username", "moved")) == [
        ("eve", False), ("fay", True), ("gus", True),
    ]  # fmt: skip
    assert StatusChange.objects.filter(idea=duplicate, status="duplicate", merge=merge).exists()
    html = client_for(mo).get(original.get_absolute_url()).content.decode()
    assert "Ideas merged into this one" in html and "2 votes moved, 1 already here" in html


def test_it_accepts_a_link_to_the_original(client_for, mo, voted):
    original, duplicate = voted

    client_for(mo).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": f"http://testserver{original.url}"})

    assert IdeaMerge.objects.get().target == original


@pytest.mark.parametrize(
    "target",
    [
        "http://elsewhere.example/ideas/{pk}/",
        "https://evil.example/ideas/{pk}/anything/",
        "//elsewhere.example/ideas/{pk}/",
        "javascript:alert(1)//ideas/{pk}/",
        "http://testserver/ideas/{pk}/../../qa/{pk}/",
        "http://testserver/qa/{pk}/",
    ],
)
def test_it_refuses_a_link_that_is_not_to_an_idea_on_this_site(client_for, mo, voted, target):
    original, duplicate = voted

    response = client_for(mo).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": target.format(pk=original.pk)})

    assert response.status_code == 400
    assert "Choose the original idea from the list" in response.content.decode()
    assert not IdeaMerge.objects.exists()


def test_it_tells_the_merged_ideas_voters_and_followers(mo, voted, people):
    original, duplicate = voted
    follow(people["hal"], duplicate)

    duplicate.merge_into(original, mo)

    told = set(Notification.objects.filter(event_type="ideas.merged").values_list("recipient__username", flat=True))
    assert told == {"bob", "eve", "fay", "gus", "hal"}
    assert Notification.objects.filter(event_type="ideas.merged").first().url == original.get_absolute_url()


def test_undo_restores_every_vote_exactly(client_for, mo, voted, people):
    original, duplicate = voted
    before_a, before_b = votes_of(original), votes_of(duplicate)
    follow(people["hal"], duplicate)
    comment(duplicate, people["hal"], "A comment on B")
    duplicate.change_status(mo, "under_review", "Looking.")
    duplicate.refresh_from_db()
    a_comments = Idea.objects.get(pk=original.pk).comment_count
    merge = duplicate.merge_into(original, mo)

    response = client_for(mo).post(f"/ideas/merges/{merge.pk}/undo/")

    original.refresh_from_db()
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert response.status_code == 302
    assert votes_of(original) == before_a
    assert votes_of(duplicate) == before_b
    assert (original.vote_count, duplicate.vote_count) == (len(before_a), len(before_b))
    assert duplicate.status == "under_review" and duplicate.merged_into is None
    assert original.comment_count == a_comments
    assert not is_following(people["hal"], original)
    assert is_following(people["hal"], duplicate)
    assert (merge.undone_by, merge.is_active) == (mo, False)
    # The record of the merge and of what moved is kept.
    assert MergedVote.objects.filter(merge=merge).count() == 3
    html = client_for(mo).get(duplicate.get_absolute_url()).content.decode()
    assert "The merge into “Book meeting rooms from the calendar” was undone." in html


def test_undo_leaves_votes_cast_on_the_original_after_the_merge(mo, voted, people):
    original, duplicate = voted
    merge = duplicate.merge_into(original, mo)
    original.vote(people["hal"])
    # fay changes her mind about A after the merge: her moved vote is withdrawn.
    original.withdraw_vote(people["fay"])

    merge.undo(mo)

    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert sorted(Vote.objects.filter(idea=original).values_list("user__username", flat=True)) == ["dan", "eve", "hal"]
    assert original.vote_count == 3
    assert sorted(Vote.objects.filter(idea=duplicate).values_list("user__username", flat=True)) == [
        "eve",
        "fay",
        "gus",
    ]
    assert duplicate.vote_count == 3


def test_it_refuses_merging_an_idea_into_itself(client_for, mo, duplicate):
    response = client_for(mo).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": str(duplicate.pk)})

    assert response.status_code == 400
    assert "An idea cannot be merged into itself." in response.content.decode()
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        duplicate.merge_into(duplicate, mo)
    assert not IdeaMerge.objects.exists()


def test_it_refuses_merging_into_an_idea_already_merged_elsewhere(client_for, mo, alice, original, duplicate):
    third = submit(alice, title="Rooms on the intranet")
    duplicate.merge_into(original, mo)

    response = client_for(mo).post(f"/ideas/ideas/{third.pk}/merge/", {"target": str(duplicate.pk)})

    html = response.content.decode()
    assert response.status_code == 400
    assert "has itself been merged into “Book meeting rooms from the calendar”" in html
    assert IdeaMerge.objects.count() == 1
    third.refresh_from_db()
    assert third.status == "new"


def test_it_refuses_merging_an_idea_twice(mo, alice, original, duplicate):
    third = submit(alice, title="Rooms on the intranet")
    duplicate.merge_into(original, mo)

    with pytest.raises(ValidationError, match="already been merged"):
        Idea.objects.get(pk=duplicate.pk).merge_into(third, mo)


def test_it_refuses_merging_an_idea_that_others_were_merged_into(mo, alice, original, duplicate):
    third = submit(alice, title="Rooms on the intranet")
    duplicate.merge_into(original, mo)

    with pytest.raises(ValidationError, match="Other ideas have been merged into"):
        Idea.objects.get(pk=original.pk).merge_into(third, mo)


def test_it_refuses_an_unknown_idea_number(client_for, mo, duplicate):
    response = client_for(mo).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": "99999"})

    assert response.status_code == 400
    assert "There is no idea with that number" in response.content.decode()


def test_only_moderators_merge_and_undo(client_for, alice, bob, mo, original, duplicate):
    response = client_for(bob).post(f"/ideas/ideas/{duplicate.pk}/merge/", {"target": str(original.pk)})
    assert response.status_code == 403
    assert not IdeaMerge.objects.exists()
    with pytest.raises(PermissionDenied):
        duplicate.merge_into(original, bob)

    merge = duplicate.merge_into(original, mo)
    assert client_for(alice).post(f"/ideas/merges/{merge.pk}/undo/").status_code == 403
    merge.refresh_from_db()
    assert merge.is_active


def test_it_refuses_undoing_twice(client_for, mo, original, duplicate):
    merge = duplicate.merge_into(original, mo)
    merge.undo(mo)

    response = client_for(mo).post(f"/ideas/merges/{merge.pk}/undo/", follow=True)

    assert "This merge has already been undone." in response.content.decode()
    assert StatusChange.objects.filter(idea=duplicate).count() == 2


def test_merged_ideas_take_no_comments_votes_or_status_changes(client_for, mo, charlie, original, duplicate):
    duplicate.merge_into(original, mo)
    duplicate = Idea.objects.get(pk=duplicate.pk)

    with pytest.raises(ValidationError, match="merged into"):
        duplicate.vote(charlie)
    with pytest.raises(ValidationError, match="Undo the merge first"):
        duplicate.change_status(mo, "planned", "Hmm")
    response = client_for(charlie).post(f"/ideas/ideas/{duplicate.pk}/comment/", {"comment": "Late"}, follow=True)
    assert "Comment there instead." in response.content.decode()
    assert not django_comments.get_model().objects.exists()


def test_merge_then_undo_round_trip_restores_many_votes_exactly(mo, original, duplicate, django_user_model):
    """A larger round trip: 30 people, overlapping votes, every timestamp back where it was."""
    crowd = [make_user(django_user_model, f"crowd{n}") for n in range(30)]
    for n, person in enumerate(crowd):
        if n % 3 != 0:
            cast(duplicate, person, n)
        if n % 2 == 0:
            cast(original, person, n + 0.5)
    before_a, before_b = votes_of(original), votes_of(duplicate)
    follows_before = sorted(Follow.objects.values_list("user_id", "object_id"))

    merge = Idea.objects.get(pk=duplicate.pk).merge_into(original, mo)
    assert Idea.objects.get(pk=original.pk).vote_count == len({u for u, _ in before_a} | {u for u, _ in before_b})
    merge.undo(mo)

    assert votes_of(original) == before_a
    assert votes_of(duplicate) == before_b
    assert Idea.objects.get(pk=original.pk).vote_count == len(before_a)
    assert Idea.objects.get(pk=duplicate.pk).vote_count == len(before_b)
    assert sorted(Follow.objects.values_list("user_id", "object_id")) == follows_before
