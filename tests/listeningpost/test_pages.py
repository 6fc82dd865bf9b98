"""The Listening page and what sits under it: who may add sources, watches saved (or refused with
a clear message), sharing, comments, exercises and their CSV, turning an item into a question or
an idea, retention, tag pages and site search; and lists that cost the same at any size."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from taggit.models import Tag

from community.listeningpost.fetching import purge_old_items
from community.listeningpost.models import (
    ItemShare,
    ListeningExercise,
    ListeningItem,
    ListeningSource,
    Watch,
    WatchMatch,
)
from community.models import Notification
from ideas.models import Idea
from qa.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    source = ListeningSource.objects.create(name="Public finance news", url="https://news.example.org/feed")
    source.tags.add(Tag.objects.create(name="budget", slug="budget"))
    return source


def make_items(source, count, title="Autumn Statement item"):
    now = timezone.now()
    return ListeningItem.objects.bulk_create(
        ListeningItem(source=source, guid=f"{source.pk}-{n}", title=f"{title} {n}", summary_text=f"Budget words {n}",
                      published_at=now - datetime.timedelta(minutes=n))
        for n in range(count)
    )  # fmt: skip


# --- who may add sources -------------------------------------------------------------------------


def test_a_colleague_cannot_add_a_source_and_is_told_why(client_for, alice):
    response = client_for(alice).post("/listening/sources/new/", {"name": "X", "url": "https://x.example.org/feed"})

    assert response.status_code == 403
    assert "Only the digital team, and colleagues they allow" in response.content.decode()
    assert not ListeningSource.objects.exists()


def test_the_digital_team_adds_a_source_with_tags(client_for, dita):
    response = client_for(dita).post(
        "/listening/sources/new/",
        {
            "name": "Council news",
            "url": "https://www.example.org/feed.xml",
            "tags": "budget, transport",
            "active": "on",
        },
    )

    assert response.status_code == 302
    source = ListeningSource.objects.get()
    assert (source.name, source.added_by) == ("Council news", dita)
    assert sorted(source.tags.values_list("name", flat=True)) == ["budget", "transport"]


def test_a_source_on_a_private_address_is_refused_with_a_reason(client_for, dita):
    response = client_for(dita).post("/listening/sources/new/", {"name": "Inside", "url": "http://10.1.2.3/feed"})

    assert response.status_code == 400
    assert "private or local network address" in response.content.decode()
    assert not ListeningSource.objects.exists()


def test_the_digital_team_lets_a_colleague_add_sources(client_for, dita, alice):
    client_for(dita).post("/listening/sources/allow/", {"username": "alice"})

    response = client_for(alice).post("/listening/sources/new/", {"name": "Blog", "url": "https://blog.example.org/f"})

    assert response.status_code == 302
    assert ListeningSource.objects.filter(added_by=alice).exists()


def test_a_colleague_cannot_allow_others(client_for, alice, bob):
    response = client_for(alice).post("/listening/sources/allow/", {"username": "bob"})

    assert response.status_code == 403
    assert not bob.has_perm("community.manage_listening_sources")


def test_the_permission_is_a_role_given_to_the_digital_team():
    group = Group.objects.get(name="Digital team")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"manage_listening_sources", "run_listening_exercises"} <= codenames
    assert Permission.objects.filter(codename="manage_listening_sources").count() == 1


# --- watches -------------------------------------------------------------------------------------


def test_saving_a_watch_shows_its_matches_highlighted(client_for, alice, source):
    ListeningItem.objects.create(source=source, guid="1", title="Autumn Statement <reaction>",
                                 summary_text="Councils & the budget")  # fmt: skip
    ListeningItem.objects.create(source=source, guid="2", title="Football", summary_text="Scores")
    client = client_for(alice)

    response = client.post("/listening/watches/new/", {"name": "Statement", "expression": '"autumn statement"'},
                           follow=True)  # fmt: skip

    html = response.content.decode()
    assert "Your watch “Statement” is saved. It found 1 recent item." in html
    assert "<mark>Autumn Statement</mark> &lt;reaction&gt;" in html
    assert "Football" not in html


def test_a_bad_watch_is_refused_with_a_clear_message_and_what_was_typed_kept(client_for, alice):
    response = client_for(alice).post("/listening/watches/new/", {"name": "Mine", "expression": "(budget OR tax"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "An opening bracket “(” is never closed: add a “)”." in html
    assert 'value="(budget OR tax"' in html
    assert not Watch.objects.exists()


def test_only_its_owner_changes_a_watch(client_for, alice, bob):
    watch = Watch.objects.create(owner=alice, name="Mine", expression="budget")

    response = client_for(bob).post(f"/listening/watches/{watch.pk}/edit/", {"name": "Taken", "expression": "x"})

    assert response.status_code == 403
    assert "Only the person who made this watch can change it." in response.content.decode()
    assert Watch.objects.get().name == "Mine"


def test_someone_elses_private_watch_is_not_shown(client_for, alice, bob):
    watch = Watch.objects.create(owner=alice, name="Mine", expression="budget")

    assert client_for(bob).get("/listening/", {"watch": watch.pk}).status_code == 404


def test_a_watch_shared_with_a_team_shows_to_its_members(client_for, alice, bob):
    team = Group.objects.create(name="Policy")
    bob.groups.add(team)
    watch = Watch.objects.create(owner=alice, name="Team watch", expression="budget", shared_with_group=team)

    response = client_for(bob).get("/listening/", {"watch": watch.pk})

    assert response.status_code == 200
    assert "Shared with your teams" in response.content.decode()


# --- sharing, comments ---------------------------------------------------------------------------


def test_sharing_an_item_tells_the_colleagues_named_with_the_note(client_for, alice, bob, source):
    [item] = make_items(source, 1)

    data = {"usernames": "bob", "note": "Worth a reply?"}
    response = client_for(alice).post(f"/listening/items/{item.pk}/share/", data, follow=True)

    assert "1 colleague will hear about it" in response.content.decode()
    [notification] = Notification.objects.filter(recipient=bob)
    assert notification.event_type == "listening.shared" and notification.data["note"] == "Worth a reply?"
    item.refresh_from_db()
    assert item.kept


def test_sharing_with_nobody_or_an_unknown_name_says_so(client_for, alice, source):
    [item] = make_items(source, 1)
    client = client_for(alice)

    nobody = client.post(f"/listening/items/{item.pk}/share/", {"note": "hm"})
    unknown = client.post(f"/listening/items/{item.pk}/share/", {"usernames": "nosuchperson", "note": "hm"})

    assert "Choose who to share it with" in nobody.content.decode()
    assert "Nobody has the username nosuchperson" in unknown.content.decode()
    assert unknown.status_code == 400 and not ItemShare.objects.exists()


def test_a_comment_on_an_item_is_shown_and_people_who_commented_hear_of_the_next(client_for, alice, bob, source):
    from tests.contracts.kinds import comment_data

    [item] = make_items(source, 1)
    client_for(alice).post(f"/listening/items/{item.pk}/comment/", comment_data(item, "Worth a reply from us"))

    response = client_for(bob).post(f"/listening/items/{item.pk}/comment/", comment_data(item, "Agreed"), follow=True)

    html = response.content.decode()
    assert "Worth a reply from us" in html and "Agreed" in html
    [notification] = Notification.objects.filter(recipient=alice)
    assert notification.event_type == "listening.new_comment"
    item.refresh_from_db()
    assert item.kept


# --- listening exercises -------------------------------------------------------------------------


def test_only_the_digital_team_starts_an_exercise(client_for, alice, dita):
    data = {"title": "Autumn Statement day", "starts_on": "2026-11-26", "ends_on": "2026-11-26"}

    refused = client_for(alice).post("/listening/exercises/new/", data)
    started = client_for(dita).post("/listening/exercises/new/", data)

    assert (
        refused.status_code == 403 and "Only the digital team can run listening exercises." in refused.content.decode()
    )
    assert started.status_code == 302
    exercise = ListeningExercise.objects.get()
    assert exercise.ends_at - exercise.starts_at == datetime.timedelta(days=1)


def test_an_exercise_whose_last_day_is_before_its_first_is_refused(client_for, dita):
    data = {"title": "Back to front", "starts_on": "2026-11-26", "ends_on": "2026-11-25"}
    response = client_for(dita).post("/listening/exercises/new/", data)

    assert response.status_code == 400
    assert "The last day must be on or after the first day." in response.content.decode()


def test_items_shared_into_a_running_exercise_export_as_safe_csv(client_for, alice, dita, source):
    now = timezone.now()
    exercise = ListeningExercise.objects.create(
        title="Statement day", starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5)
    )
    [item] = make_items(source, 1, title="=HYPERLINK(evil)")
    client_for(alice).post(f"/listening/items/{item.pk}/share/", {"exercise": exercise.pk, "note": "+1 worth a reply"})

    page = client_for(dita).get(f"/listening/exercises/{exercise.pk}/")
    response = client_for(dita).get(f"/listening/exercises/{exercise.pk}/export.csv")

    assert "+1 worth a reply" in page.content.decode()
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["Shared at", "Item", "Link", "Source", "Published", "Shared by", "Note"]
    assert row[1] == "'=HYPERLINK(evil) 0" and row[3] == "Public finance news"
    assert row[5] == "alice" and row[6] == "'+1 worth a reply"


def test_an_exercise_that_has_ended_takes_no_more_items(client_for, alice, source):
    now = timezone.now()
    over = ListeningExercise.objects.create(title="Over", starts_at=now - datetime.timedelta(days=2),
                                            ends_at=now - datetime.timedelta(days=1))  # fmt: skip
    [item] = make_items(source, 1)

    response = client_for(alice).post(f"/listening/items/{item.pk}/share/", {"exercise": over.pk})

    assert response.status_code == 400
    assert not ItemShare.objects.exists()


# --- turning an item into a question or an idea --------------------------------------------------


def test_an_item_turns_into_a_question_that_links_back(client_for, alice, source):
    item = ListeningItem.objects.create(
        source=source, guid="1", title="Rates relief confusion", link="https://news.example.org/rates",
        summary_text="Firms are unsure.",
    )  # fmt: skip
    client = client_for(alice)

    form = client.get("/qa/ask/", {"from_item": item.pk}).content.decode()
    response = client.post("/qa/ask/", {"from_item": item.pk, "title": "Who qualifies for rates relief?",
                                        "body": "> Firms are unsure.\n\nHeard on [x](https://news.example.org/rates)",
                                        "tags": "budget"})  # fmt: skip

    assert 'value="Rates relief confusion"' in form
    assert "Heard on [Public finance news](https://news.example.org/rates)" in form
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.from_listening_item == item
    page = client.get(question.get_absolute_url()).content.decode()
    assert f'From the listening post: <a class="govuk-link" href="/listening/items/{item.pk}/">' in page
    item.refresh_from_db()
    assert item.kept


def test_an_item_turns_into_an_idea_that_links_back(client_for, alice, source):
    [item] = make_items(source, 1)
    client = client_for(alice)

    form = client.get("/ideas/new/", {"from_item": item.pk}).content.decode()
    client.post("/ideas/new/", {"from_item": item.pk, "title": "Explain rates relief with examples",
                                "description": "From the listening post.", "tags": "budget"})  # fmt: skip

    assert f'name="from_item" value="{item.pk}"' in form
    assert Idea.objects.get().from_listening_item == item


# --- retention -----------------------------------------------------------------------------------


def test_old_items_nobody_kept_are_purged(source, settings):
    settings.LISTENING_POST = {"RETENTION_DAYS": 30}
    old, kept, recent = make_items(source, 3)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ListeningItem.objects.filter(pk__in=[old.pk, kept.pk]).update(fetched_at=long_ago)
    ListeningItem.objects.filter(pk=kept.pk).update(kept=True)

    assert purge_old_items() == 1

    assert sorted(ListeningItem.objects.values_list("pk", flat=True)) == sorted([kept.pk, recent.pk])


# --- tag pages and search ------------------------------------------------------------------------


def test_items_appear_on_the_tag_pages_of_their_source(client_for, alice, source):
    make_items(source, 2)

    html = client_for(alice).get("/tags/budget/").content.decode()

    assert "Heard outside (listening post)" in html and "Autumn Statement item 0" in html


@pytest.mark.whoosh
def test_items_are_found_by_the_site_search(client_for, alice, settings, local_feeds_allowed, server):
    from community.listeningpost.fetching import fetch_source

    from .conftest import XML, make_source, rss

    server.routes["/feed"] = (200, XML, rss({"title": "Rates relief reaction", "guid": "r1", "description": "Firms"}))
    fetch_source(make_source(server.url("/feed")))

    html = client_for(alice).get("/search/", {"q": "rates relief"}).content.decode()

    assert "Rates relief reaction" in html and "Heard outside" in html


# --- lists cost the same at any size -------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 60])
def test_the_listening_page_takes_a_fixed_number_of_queries(
    client_for, alice, source, size, django_assert_max_num_queries
):
    items = make_items(source, size)
    watch = Watch.objects.create(owner=alice, name="All", expression="budget")
    WatchMatch.objects.bulk_create(WatchMatch(watch=watch, item=item) for item in items)
    client = client_for(alice)
    client.get("/listening/")  # the session and preferences settle

    with django_assert_max_num_queries(12):
        everything = client.get("/listening/")
    with django_assert_max_num_queries(12):
        matched = client.get("/listening/", {"watch": watch.pk})

    assert everything.status_code == matched.status_code == 200
    assert matched.content.decode().count("<mark>") == min(size, 20) * 1


@pytest.mark.parametrize("size", [3, 40])
def test_sources_and_exercises_take_a_fixed_number_of_queries(client_for, dita, size, django_assert_max_num_queries):
    for n in range(size):
        ListeningSource.objects.create(name=f"S{n}", url=f"https://s{n}.example.org/feed")
    exercise = ListeningExercise.objects.create(title="E", starts_at=timezone.now() - datetime.timedelta(hours=1),
                                                ends_at=timezone.now() + datetime.timedelta(hours=1))  # fmt: skip
    source = ListeningSource.objects.first()
    for item in make_items(source, size):
        ItemShare.objects.create(item=item, shared_by=dita, exercise=exercise, note="n")
    client = client_for(dita)
    item = source.items.first()
    for address in ("/listening/sources/", f"/listening/exercises/{exercise.pk}/", f"/listening/items/{item.pk}/"):
        client.get(address)  # once first: the process's content-type cache is then filled, whatever ran before

    with django_assert_max_num_queries(14):
        assert client.get("/listening/sources/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/listening/exercises/{exercise.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/listening/items/{item.pk}/").status_code == 200


def test_a_note_to_named_colleagues_is_seen_only_by_them_and_the_sharer(client_for, alice, bob, charlie, source):
    [item] = make_items(source, 1)
    client_for(alice).post(
        f"/listening/items/{item.pk}/share/", {"usernames": "bob", "note": "Between us: worth a reply?"}
    )

    seen = {person.username: "Between us" in client_for(person).get(f"/listening/items/{item.pk}/").content.decode()
            for person in (alice, bob, charlie)}  # fmt: skip

    assert seen == {"alice": True, "bob": True, "charlie": False}


def test_a_flagged_comment_on_an_item_waits_in_the_moderation_queue(client_for, alice, bob, mo, source):
    from tests.contracts.kinds import comment_data, comments

    [item] = make_items(source, 1)
    client_for(alice).post(f"/listening/items/{item.pk}/comment/", comment_data(item, "Buy cheap pills here"))
    [comment] = comments()

    flagged = client_for(bob).post(f"/moderation/comment/{comment.pk}/flag/", {"reason": "spam"})
    queue = client_for(mo).get("/moderation/")

    assert flagged.status_code == 302
    assert "Buy cheap pills here" in queue.content.decode()


def test_why_a_source_failed_is_shown_to_those_who_manage_sources(client_for, alice, dita, source):
    ListeningSource.objects.filter(pk=source.pk).update(last_error="The feed took too long to answer.")

    assert "The feed took too long to answer." in client_for(dita).get("/listening/sources/").content.decode()
    assert "The feed took too long to answer." not in client_for(alice).get("/listening/sources/").content.decode()
