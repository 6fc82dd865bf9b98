"""Nobody can take a name colleagues would mistake for someone else's."""

import pytest

from community.models import Profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def hannah(django_user_model):
    from tests.conftest import make_user

    return make_user(django_user_model, "hpatel", "Helpdesk", first_name="Hannah", last_name="Patel")


def name_of(user):
    return Profile.objects.get(user=user).display_name


@pytest.mark.parametrize(
    "name",
    [
        "Hannah Patel",
        "hannah  patel",
        "HANNAH PATEL",
        "Hannah Pätel",
        "Наnnаh Patel",  # Cyrillic Н and а
        "Hannah\u200b Patel",  # zero-width space
        "Ｈａｎｎａｈ Ｐａｔｅｌ",  # full-width
        "Hannah.Patel",
        "hpatel",  # her username
    ],
)
def test_it_refuses_a_colleagues_name_however_it_is_disguised(alice_client, alice, hannah, name):
    response = alice_client.post("/profile/edit/", {"display_name": name})

    assert "A colleague is already known by that name" in response.content.decode()
    assert name_of(alice) == "Alice Archer"


def test_it_strips_direction_overrides_and_control_characters(alice_client, alice):
    alice_client.post("/profile/edit/", {"display_name": "Alice\u202e Archer\x07"})

    assert name_of(alice) == "Alice Archer"


def test_two_people_who_share_a_real_name_may_both_use_it(client_for, django_user_model, hannah):
    from tests.conftest import make_user

    other = make_user(django_user_model, "hpatel2", first_name="Hannah", last_name="Patel")

    response = client_for(other).post("/profile/edit/", {"display_name": "Hannah Patel"})

    assert response.status_code == 302
    assert name_of(other) == "Hannah Patel"


def test_a_name_that_differs_is_fine(alice_client, alice, hannah):
    response = alice_client.post("/profile/edit/", {"display_name": "Hannah Patterson"})

    assert response.status_code == 302
    assert name_of(alice) == "Hannah Patterson"
