"""Starting a community, its page and directory, and posting questions and ideas into one."""

import pytest

from community.models import Community
from ideas.models import Idea
from qa.models import Question
from tests.groups.conftest import start

pytestmark = pytest.mark.django_db

ASK = {"title": "How do I find a digital buddy?", "body": "I am new to Teams.", "tags": "teams"}


def test_it_starts_a_community_with_its_founder_as_manager(client_for, alice):
    response = client_for(alice).post("/communities/new/", {
        "name": "  Boost your   blog alumni ", "description": "Bloggers **helping** each other.",
        "tags": "blogging, writing", "kind": "request",
    })  # fmt: skip

    community = Community.objects.get()
    assert response.status_code == 302 and response["Location"] == "/communities/boost-your-blog-alumni/"
    assert community.name == "Boost your blog alumni"
    assert "<strong>helping</strong>" in community.description_html
    assert sorted(community.tags.names()) == ["blogging", "writing"]
    assert community.is_manager(alice)


def test_it_refuses_a_community_without_a_name_or_with_a_taken_one(client_for, alice, open_community):
    client = client_for(alice)

    empty = client.post("/communities/new/", {"name": " ", "kind": "open"})
    taken = client.post("/communities/new/", {"name": "digital BUDDY network", "kind": "open"})

    assert empty.status_code == 400 and "Enter a name for the community" in empty.content.decode()
    assert taken.status_code == 400 and "already a community with that name" in taken.content.decode()
    assert Community.objects.count() == 1


def test_it_never_lets_an_invite_only_community_turn_open(client_for, alice, invite_community):
    response = client_for(alice).post(f"/communities/{invite_community.slug}/edit/",
                                      {"name": invite_community.name, "kind": "open"})  # fmt: skip

    assert response.status_code == 400
    assert Community.objects.get(pk=invite_community.pk).kind == "invite"


def test_it_refuses_edits_by_members_who_are_not_managers(client_for, open_community, bob):
    open_community.join(bob)

    response = client_for(bob).post(f"/communities/{open_community.slug}/edit/", {"name": "Mine now", "kind": "open"})

    assert response.status_code == 403
    assert Community.objects.get(pk=open_community.pk).name == "Digital buddy network"


def test_it_preselects_the_community_on_the_ask_form(client_for, open_community, alice):
    page = client_for(alice).get(f"/qa/ask/?community={open_community.slug}").content.decode()

    assert f'<option value="{open_community.slug}" selected>' in page


def test_a_member_posts_a_question_into_the_community(client_for, open_community, bob):
    open_community.join(bob)

    response = client_for(bob).post("/qa/ask/", {**ASK, "community": open_community.slug})

    question = Question.objects.get()
    assert response.status_code == 302
    assert question.community == open_community and not question.members_only
    feed = client_for(bob).get(open_community.get_absolute_url()).content.decode()
    assert ASK["title"] in feed
    page = client_for(bob).get(question.get_absolute_url()).content.decode()
    assert "Posted in the community" in page and f'href="{open_community.get_absolute_url()}"' in page


def test_it_refuses_posting_into_a_community_you_are_not_in(client_for, open_community, bob):
    response = client_for(bob).post("/qa/ask/", {**ASK, "community": open_community.slug})

    assert response.status_code == 400
    assert "only post into a community you are a member of" in response.content.decode()
    assert not Question.objects.exists()


def test_it_refuses_posting_an_idea_into_a_community_you_are_not_in(client_for, open_community, bob):
    response = client_for(bob).post("/ideas/new/", {"title": "Buddy lunches", "description": "Monthly.",
                                                   "tags": "buddies", "community": open_community.slug})  # fmt: skip

    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_a_member_posts_an_idea_into_an_invite_only_community(client_for, invite_community, alice):
    client_for(alice).post("/ideas/new/", {"title": "Close the books sooner", "description": "Two days.",
                                          "tags": "finance", "community": invite_community.slug})  # fmt: skip

    idea = Idea.objects.get()
    assert idea.community == invite_community and idea.members_only
    page = client_for(alice).get(idea.get_absolute_url()).content.decode()
    assert "Posted in the community" in page and "(only its members see it)" in page


def test_the_feed_lists_what_carries_its_tags_and_pages_by_date(client_for, alice, bob):
    community = start(alice, "Bloggers", tags=["blogging"])
    for n in range(25):
        Question.ask(bob, f"Blog question {n:02}", "How?", ["blogging"])
    Question.ask(bob, "Unrelated printer question", "Jams.", ["printers"])
    client = client_for(alice)

    first = client.get(community.get_absolute_url()).content.decode()
    assert "Blog question 24" in first and "Blog question 04" not in first
    assert "Unrelated printer question" not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(community.get_absolute_url() + older).content.decode()
    assert "Blog question 04" in second and "Blog question 00" in second
    assert "Blog question 24" not in second


def test_managers_pin_a_post_and_members_cannot(client_for, open_community, alice, bob):
    open_community.join(bob)
    question = Question.ask(bob, "Pin me please", "A good one.", ["buddies"], open_community)

    refused = client_for(bob).post(
        f"{open_community.get_absolute_url()}pins/", {"kind": "questions", "pk": question.pk}
    )
    assert refused.status_code == 403
    client_for(alice).post(f"{open_community.get_absolute_url()}pins/", {"kind": "questions", "pk": question.pk})

    page = client_for(bob).get(open_community.get_absolute_url()).content.decode()
    assert "Pinned by the managers" in page
    assert page.index("Pin me please") < page.index("Latest")


def test_the_directory_searches_filters_by_tag_and_shows_mine(client_for, open_community, request_community, bob):
    client = client_for(bob)
    request_community.ask_to_join(bob)
    open_community.join(bob)

    searched = client.get("/communities/?q=blog").content.decode()
    tagged = client.get("/communities/?tag=buddies").content.decode()
    mine = client.get("/communities/?mine=on").content.decode()

    assert "Boost your blog alumni" in searched and "Digital buddy network" not in searched
    assert "Digital buddy network" in tagged and "Boost your blog alumni" not in tagged
    assert "Digital buddy network" in mine and "Boost your blog alumni" not in mine


def test_the_directory_does_not_advertise_invite_only_communities(client_for, invite_community, alice, bob):
    assert "Finance leads" not in client_for(bob).get("/communities/").content.decode()
    assert "Finance leads" in client_for(alice).get("/communities/").content.decode()
    assert client_for(bob).get(invite_community.get_absolute_url()).status_code == 404


def test_a_tag_page_lists_the_communities_with_that_tag_except_invite_only_ones(client_for, alice, bob):
    start(alice, "Bloggers", tags=["blogging"])
    start(alice, "Secret bloggers", Community.Kind.INVITE, tags=["blogging"])

    page = client_for(bob).get("/tags/blogging/").content.decode()

    assert "Bloggers" in page and "Secret bloggers" not in page


def test_a_moderator_outside_an_invite_only_community_opens_its_posts_only_from_a_flag(
    client_for, invite_community, alice, mo
):
    question = Question.ask(
        alice, "Which cost centre for the away day?", "Finance only.", ["finance"], invite_community
    )
    moderator = client_for(mo)

    # Not listed to a moderator who is not a member, and not told of it...
    assert b"Which cost centre" not in moderator.get("/qa/").content
    assert not Question.objects.visible_to(mo).filter(pk=question.pk).exists()
    assert mo.pk not in question.who_can_see({mo.pk, alice.pk})
    # ...but a colleague's flag can still be acted on: the post opens for the moderator.
    assert moderator.get(question.get_absolute_url()).status_code == 200
    # A moderator who is a member sees it listed like any member.
    invite_community.memberships.create(user=mo)
    assert Question.objects.visible_to(mo).filter(pk=question.pk).exists()
    assert mo.pk in question.who_can_see({mo.pk})


def test_the_feed_lists_what_the_listening_post_heard_under_its_tags(client_for, alice, bob):
    from datetime import timedelta

    from django.utils import timezone

    from community.models import ListeningItem, ListeningSource

    community = start(alice, "Bloggers", tags=["blogging"])
    blogs = ListeningSource.objects.create(name="Civil service blogs", url="https://blogs.example.org/feed")
    blogs.tags.add(*community.tags.all())
    other = ListeningSource.objects.create(name="Football news", url="https://sport.example.org/feed")
    now = timezone.now()
    for n in range(25):
        ListeningItem.objects.create(source=blogs, guid=str(n), title=f"Heard post {n:02}",
                                     published_at=now - timedelta(hours=25 - n))  # fmt: skip
    ListeningItem.objects.create(source=other, guid="x", title="Cup final tonight", published_at=now)
    client = client_for(bob)

    first = client.get(community.get_absolute_url()).content.decode()
    assert "Heard post 24" in first and "Heard outside: Civil service blogs" in first
    assert "Heard post 04" not in first and "Cup final tonight" not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(community.get_absolute_url() + older).content.decode()
    assert "Heard post 04" in second and "Heard post 24" not in second
