"""The communities walk: Liz starts an invite-only community and invites Owen by name; Owen accepts
from his notification and asks a question in it, which its page lists (at desktop width and on a
390 px phone) while it stays out of the site-wide questions list for colleagues outside it."""

import re

import pytest

from community.models import Community
from qa.models import Question

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
TITLE = "Who can review my first post before it goes on the intranet?"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_manager_starts_a_community_invites_a_colleague_who_accepts_and_asks_in_it(as_user, demo):
    liz = as_user("liz")
    liz.goto("/communities/")
    assert_accessible(liz, "the communities directory")
    save_screenshot(liz, "90-communities-directory")
    liz.get_by_role("button", name="Start a community").click()
    liz.get_by_label("Name").fill("Policy bloggers")
    liz.get_by_label("What is it for?").fill("Policy teams who blog, reading each other's drafts.")
    liz.get_by_label("Tags").fill("blogging")
    liz.get_by_label(re.compile("^Invite-only")).check()
    assert_accessible(liz, "the form to start a community")
    liz.get_by_role("button", name="Start the community").click()
    liz.get_by_text("Your community has been started. You are its manager.").wait_for()
    community = Community.objects.get(name="Policy bloggers")
    assert community.kind == "invite"

    liz.get_by_role("link", name="Members and invitations").click()
    liz.get_by_label("Invite a colleague by username").fill("owen")
    liz.get_by_role("button", name="Send the invitation").click()
    liz.get_by_text("The invitation has been sent.").wait_for()
    assert_accessible(liz, "the members page")

    owen = as_user("owen")
    owen.goto("/notifications/")
    owen.get_by_role("link", name=re.compile("invited you to join Policy bloggers")).click()
    owen.get_by_role("heading", name="You are invited to join Policy bloggers").wait_for()
    assert_accessible(owen, "the invitation page")
    owen.get_by_role("button", name="Accept and join").click()
    owen.get_by_text("Welcome to Policy bloggers.").wait_for()
    assert community.is_member(Community.objects.get(pk=community.pk).memberships.get(user__username="owen").user)

    owen.get_by_role("button", name="Ask a question here").click()
    assert owen.get_by_label("Post in a community (optional)").input_value() == community.slug
    owen.get_by_label("Title").fill(TITLE)
    owen.get_by_label("Details").fill("It is about **open policy making**. A second pair of eyes would help.")
    owen.get_by_label("Tags").fill("blogging")
    owen.get_by_role("button", name="Post your question").click()
    owen.get_by_text("Your question has been posted.").wait_for()
    question = Question.objects.get(title=TITLE)
    assert question.community_id == community.pk and question.members_only

    owen.goto(community.get_absolute_url())
    owen.locator("#feed").get_by_role("link", name=TITLE).wait_for()
    assert_accessible(owen, "the community page")
    save_screenshot(owen, "91-community-page")
    owen.set_viewport_size(PHONE)
    owen.reload()
    assert _fits_the_screen(owen), "the community page scrolls sideways at 390 px"
    assert_accessible(owen, "the community page at 390 px")
    save_screenshot(owen, "92-community-page-phone")

    tom = as_user("tom")  # not a member: the question is not his to see
    tom.goto("/qa/")
    assert tom.get_by_text(TITLE).count() == 0
    assert tom.goto(community.get_absolute_url()).status == 404
