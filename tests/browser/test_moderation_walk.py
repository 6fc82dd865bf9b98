"""Carl (moderator) decides a flag with the post in view: flagged by Tom, hidden with a message to
its author, who reads it in their notifications; no serious accessibility violations."""

import pytest

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_carl_hides_a_flagged_answer_and_tells_its_author(as_user, demo):
    from qa.models import Answer

    spam = Answer.objects.filter(is_hidden=False).exclude(author__username="tom").select_related("author").first()
    author = spam.author.username

    tom = as_user("tom")
    tom.goto(f"/qa/answers/{spam.pk}/flag/")
    tom.get_by_label("It is spam or advertising").check()
    tom.get_by_role("button", name="Send to moderators").click()
    tom.get_by_text("A moderator will look at it.").wait_for()

    carl = as_user("carl")
    carl.goto("/qa/")
    carl.locator("#role-link-moderation").get_by_text("1").wait_for()
    carl.locator("#role-link-moderation").click()
    card = carl.locator(f"#answer-{spam.pk}")
    card.locator("strong", has_text="It is spam or advertising").wait_for()
    assert spam.body[:20] in card.inner_text()
    assert_accessible(carl, "the moderation queue")
    save_screenshot(carl, "60-moderation-queue")

    card.get_by_label("Message to the author").fill("Please keep answers to the question asked.")
    card.get_by_role("button", name="Hide and tell the author").click()
    carl.get_by_text("its author has been told why").wait_for()
    assert "Nothing is waiting." in carl.content()

    carl.goto(f"/moderation/answer/{spam.pk}/history/")
    carl.get_by_text("Hid the post and told the author (1 flag)").wait_for()
    assert_accessible(carl, "the moderation history")

    writer = as_user(author)
    writer.goto("/notifications/")
    writer.get_by_text("Please keep answers to the question asked.").wait_for()
    tom.goto("/notifications/")
    tom.get_by_text("it is now hidden").wait_for()


def test_carl_claims_and_decides_a_flagged_idea_with_the_idea_in_view(as_user, demo):
    from ideas.models import Idea

    idea = Idea.objects.listed().exclude(author__username="tom").first()

    tom = as_user("tom")
    tom.goto(idea.get_absolute_url())
    tom.get_by_role("link", name="Flag this idea for a moderator").click()
    tom.get_by_label("Something else").check()
    tom.get_by_label("Tell the moderators more").fill("This was already done last year.")
    tom.get_by_role("button", name="Send to moderators").click()
    tom.get_by_text("A moderator will look at it.").wait_for()

    carl = as_user("carl")
    carl.goto("/moderation/")
    card = carl.locator(f"#idea-{idea.pk}")
    card.get_by_text("“This was already done last year.”").wait_for()
    assert idea.title in card.inner_text()
    card.get_by_role("button", name="Claim").click()
    carl.get_by_text("You have claimed the idea").wait_for()
    assert carl.locator(f"#claim-idea-{idea.pk}").inner_text() == "You"
    assert_accessible(carl, "the moderation queue with a claimed idea")
    save_screenshot(carl, "61-moderation-queue-idea")

    carl.locator(f"#idea-{idea.pk}").get_by_role("button", name="Dismiss").click()
    carl.get_by_text("Flags dismissed: the idea stays up.").wait_for()

    tom.goto("/notifications/")
    tom.get_by_text("they decided it can stay").wait_for()
