"""Hannah (helpdesk) works the due-for-review tab on a phone: cards that fit a 390 px screen with no
sideways scroll, the overdue answer confirmed as still correct for a preset period, and no serious
accessibility violations."""

import pytest
from django.utils import timezone

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
TITLE = "Can I claim for working lunches with external partners?"


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_hannah_confirms_an_overdue_answer_from_her_phone(as_user, demo):
    from qa.models import Answer, AuditEntry, months_after

    hannah = as_user("hannah")
    hannah.set_viewport_size(PHONE)
    hannah.goto("/qa/helpdesk/")
    hannah.locator("#tab-due").click()
    card = hannah.locator(".govuk-summary-card", has_text=TITLE)
    card.get_by_text("Overdue by 10 days").wait_for()
    assert fits_the_screen(hannah), "the queue scrolls sideways at 390 px"
    assert_accessible(hannah, "the due-for-review tab at 390 px")
    save_screenshot(hannah, "70-helpdesk-due-for-review-phone")

    # Take it, then open it: the card says who has it.
    card.get_by_role("button", name="Assign to me").click()
    hannah.get_by_text("Assigned 1 question to you.").wait_for()
    card = hannah.locator(".govuk-summary-card", has_text=TITLE)
    assert "You" in card.locator(".govuk-summary-list__row", has_text="Assigned to").inner_text()
    card.get_by_role("link", name=TITLE).click()

    hannah.get_by_text("Verified — being reviewed").wait_for()
    assert fits_the_screen(hannah), "the question page scrolls sideways at 390 px"
    assert_accessible(hannah, "a due answer, as the helpdesk sees it, at 390 px")
    hannah.get_by_label("12 months", exact=False).check()
    hannah.get_by_role("button", name="Still correct — verify until this date").click()
    hannah.get_by_text("Answer verified until").wait_for()
    save_screenshot(hannah, "71-helpdesk-verified-again-phone")

    answer = Answer.objects.get(question__title=TITLE)
    assert answer.review_by == months_after(timezone.localdate(), 12)
    assert AuditEntry.about(answer).filter(action=AuditEntry.Action.REVERIFIED).exists()

    hannah.goto("/qa/helpdesk/?tab=due")
    hannah.get_by_text("No verified answer is past its review-by date").wait_for()
