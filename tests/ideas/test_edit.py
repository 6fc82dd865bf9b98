"""Authors edit their ideas, with a history of changes (as questions have); only people newly
@named are told; nobody else may edit, and bad input keeps what was typed."""

import pytest

from community.models import Notification
from ideas.models import Idea, IdeaRevision

from .conftest import submit

pytestmark = pytest.mark.django_db


def edit_url(idea):
    return f"/ideas/ideas/{idea.pk}/edit/"


def form(title="Book meeting rooms from the calendar", description="It would save emails.", tags="meetings",
         summary=""):  # fmt: skip
    return {"title": title, "description": description, "tags": tags, "summary": summary}


def mentions_of(user):
    return Notification.objects.filter(recipient=user, event_type="community.mention").count()


def test_the_author_edits_the_idea_and_the_change_is_kept(client_for, alice):
    idea = submit(alice, description="It would save emails.")
    client = client_for(alice)

    page = client.get(idea.get_absolute_url()).content.decode()
    shown = client.get(edit_url(idea))
    response = client.post(
        edit_url(idea),
        form(description="It would save *hundreds* of emails.", tags="meetings, rooms", summary="Counted the emails"),
        follow=True,
    )

    assert f'href="{edit_url(idea)}">Edit' in page
    assert 'value="Book meeting rooms from the calendar"' in shown.content.decode()
    html = response.content.decode()
    assert "Your changes have been saved." in html
    assert "It would save <em>hundreds</em> of emails." in html
    idea.refresh_from_db()
    assert idea.tag_names() == ["meetings", "rooms"] and idea.edited_at is not None
    history = client.get(f"/ideas/ideas/{idea.pk}/history/").content.decode()
    assert "Revision 2" in history and "Original" in history
    assert "Counted the emails" in history
    assert "+ It would save *hundreds* of emails." in history


def test_an_idea_from_before_the_history_gets_its_original_kept_first(client_for, alice):
    idea = submit(alice, description="Old words")
    IdeaRevision.objects.filter(idea=idea).delete()  # as ideas suggested before edits had a history

    client_for(alice).post(edit_url(idea), form(description="New words"))

    assert [revision.description for revision in idea.revisions.all()] == ["Old words", "New words"]


def test_nothing_changed_says_so_and_keeps_no_revision(client_for, alice):
    idea = submit(alice, description="It would save emails.")

    response = client_for(alice).post(edit_url(idea), form(), follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert idea.revisions.count() == 1


def test_only_newly_named_people_are_told(client_for, alice, bob, charlie):
    idea = submit(alice, description="@bob what do you think?")
    assert mentions_of(bob) == 1

    client_for(alice).post(edit_url(idea), form(description="@bob what do you think? And @charlie?"))

    assert mentions_of(bob) == 1
    assert mentions_of(charlie) == 1


def test_only_the_author_may_edit(client_for, alice, bob, mo):
    idea = submit(alice, description="It would save emails.")

    for user in (bob, mo):
        seen = client_for(user).get(edit_url(idea))
        posted = client_for(user).post(edit_url(idea), form(description="Not mine to change"))
        assert seen.status_code == posted.status_code == 403
        assert "Only the person who proposed this idea can edit it." in posted.content.decode()
    assert Idea.objects.get(pk=idea.pk).description == "It would save emails."
    assert edit_url(idea) not in client_for(bob).get(idea.get_absolute_url()).content.decode()


def test_bad_input_is_refused_and_kept(client_for, alice):
    idea = submit(alice, description="It would save emails.")

    response = client_for(alice).post(edit_url(idea), form(title="", description="Typed with care"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter your idea in one sentence" in html
    assert "Typed with care" in html
    assert Idea.objects.get(pk=idea.pk).description == "It would save emails."


def test_a_withdrawn_idea_cannot_be_edited(client_for, alice):
    idea = submit(alice)
    idea.withdraw_by(alice)

    response = client_for(alice).post(edit_url(idea), form(description="Changed my mind"))

    assert response.status_code == 403
    assert "You withdrew this idea, so it can no longer be edited." in response.content.decode()
