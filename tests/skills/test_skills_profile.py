"""Profile skills: a level per topic, "can help with" and "want to learn", edited on your own page."""

import pytest

from skills.models import Skill

from .conftest import skills, volunteer

pytestmark = pytest.mark.django_db


def edit(client, **fields):
    data = {"expert": "", "practising": "", "learning": "", "can_help": "", "want_to_learn": ""}
    data.update(fields)
    return client.post("/skills/profile/", data)


def summary(user):
    return sorted((s.tag.name, s.level, s.can_help, s.wants_to_learn) for s in Skill.objects.filter(user=user))


def test_it_saves_skills_at_levels_with_help_and_learning(alice_client, alice):
    response = edit(
        alice_client, expert="Excel, word", practising="blogging", can_help="excel, RSS", want_to_learn="python"
    )

    assert response.status_code == 302
    assert response["Location"] == "/people/alice/"
    assert summary(alice) == [
        ("blogging", "practising", False, False),
        ("excel", "expert", True, False),
        ("python", "", False, True),
        ("rss", "", True, False),
        ("word", "expert", False, False),
    ]


def test_it_replaces_the_old_skills_and_shows_them_on_the_form(alice_client, alice):
    skills(alice, {"excel": "learning", "vpn": "expert"})

    edit(alice_client, practising="excel")

    assert summary(alice) == [("excel", "practising", False, False)]
    form = alice_client.get("/skills/profile/").content.decode()
    assert 'value="excel"' in form


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expert": "excel", "learning": "Excel"}, "“excel” is also under “I am an expert in”. Give each skill one"),
        ({"can_help": "excel", "want_to_learn": "excel"}, "is also under “I can help colleagues with”"),
        ({"expert": "<b>bold</b>"}, "is not a valid tag"),
        ({"expert": "x" * 60}, "Tags must be 50 characters or fewer"),
        ({"learning": ", ".join(f"topic{n}" for n in range(41))}, "Use 40 tags or fewer"),
    ],
)
def test_it_refuses_bad_skills_with_a_message_and_keeps_the_old_ones(alice_client, alice, fields, message):
    skills(alice, {"vpn": "expert"})

    response = edit(alice_client, **fields)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert summary(alice) == [("vpn", "expert", False, False)]


def test_it_shows_skills_and_the_offer_on_the_profile(alice_client, bob):
    skills(bob, {"excel": "expert", "vpn": "learning"}, can_help=["excel"], want_to_learn=["blogging"])
    volunteer(bob, ["excel"], capacity=3, availability="Tuesday mornings")

    page = alice_client.get("/people/bob/").content.decode()

    assert "Expert" in page and ">excel<" in page
    assert "Can help with" in page and "Wants to learn" in page and ">blogging<" in page
    assert "Digital buddy" in page and "Tuesday mornings" in page and "3 of 3 places free" in page
    assert "Ask Bob Baker for help" in page
    assert "Change your skills" not in page


def test_it_offers_your_own_profile_the_links_to_change_skills(alice_client):
    page = alice_client.get("/people/alice/").content.decode()

    assert "You have not added any skills yet" in page
    assert 'href="/skills/profile/"' in page
    assert "Ask Alice" not in page


@pytest.mark.whoosh
def test_it_finds_skills_and_help_offers_in_site_search(alice_client, bob, charlie):
    skills(bob, {"excel": "expert"})
    volunteer(charlie, ["spreadsheets"], availability="Fridays")

    by_skill = alice_client.get("/search/", {"q": "excel expert", "type": "skills"})
    by_offer = alice_client.get("/search/", {"q": "spreadsheets", "type": "help-offers"})

    assert [hit["object"].user for hit in by_skill.context["hits"]] == [bob]
    assert "Bob Baker" in by_skill.content.decode()
    assert [hit["object"].user for hit in by_offer.context["hits"]] == [charlie]
    assert "Digital buddy" in by_offer.content.decode()


def test_it_keeps_paused_offers_and_departed_people_out_of_search(alice_client, bob, charlie):
    volunteer(bob, ["spreadsheets"]).pause(bob)
    volunteer(charlie, ["spreadsheets"])
    charlie.is_active = False
    charlie.save()

    response = alice_client.get("/search/", {"q": "spreadsheets", "type": "help-offers"})

    assert response.context["hits"] == []
