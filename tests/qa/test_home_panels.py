import pytest

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_it_shows_recent_and_unanswered_questions_on_the_home_page(client_for, alice, bob):
    answered = ask(alice, title="How do I claim travel expenses?", tags=["expenses"])
    answer(answered, bob)
    waiting = ask(alice, title="Where is the Yammer group for auditors?", tags=["yammer"])

    response = client_for(bob).get("/")

    recent = response.content.split(b"Recent questions")[1].split(b"Waiting for an answer")[0]
    unanswered = response.content.split(b"Waiting for an answer")[1]
    assert answered.title.encode() in recent and waiting.title.encode() in recent
    assert waiting.title.encode() in unanswered
    assert answered.title.encode() not in unanswered


def test_it_keeps_the_home_page_to_a_fixed_number_of_queries(client_for, alice, bob, django_assert_max_num_queries):
    for number in range(12):
        ask(alice, title=f"Question number {number} about the VPN", tags=["vpn", f"topic{number}"])
    client = client_for(bob)
    client.get("/")  # warm Wagtail's site cache

    # A query or two per panel (answers to your questions, from what you follow, open campaigns, your
    # workshops, questions, ideas, workshops, volunteers, followed tags), whatever the data,
    # and two for the page's view restrictions (looked up by Wagtail and by Confer's private-page check).
    with django_assert_max_num_queries(28):
        response = client.get("/")

    assert response.status_code == 200
