"""Tag pages list who can help with the tag."""

import pytest

from .conftest import skills, volunteer

pytestmark = pytest.mark.django_db


def test_it_lists_who_can_help_on_the_tag_page_with_the_reasons(alice_client, bob, charlie):
    skills(bob, {"excel": "expert"})
    volunteer(charlie, ["excel"])

    response = alice_client.get("/tags/excel/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="section-who-can-help">Who can help</h2>' in page
    assert page.index("Bob Baker") < page.index("charlie")
    assert "Expert in excel" in page
    assert "Digital buddy for excel (2 places free)" in page
    assert 'href="/people/?q=excel"' in page


def test_it_shows_at_most_five_helpers(alice_client, person):
    for number in range(7):
        skills(person(f"helper{number}"), {"excel": "expert"})

    response = alice_client.get("/tags/excel/")

    section = next(entry for entry in response.context["sections"] if entry["section"].key == "who-can-help")
    assert len(section["items"]) == 5
