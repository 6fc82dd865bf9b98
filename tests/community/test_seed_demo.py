from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag

from community.demo import DEMO_PASSWORD
from community.models import Directorate, Profile, StandardPage

pytestmark = pytest.mark.django_db

# Every test here uses the module's seeded demo (tests/conftest.py); tests that need a database
# without it live in test_seed_demo_if_empty.py.


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return (get_user_model().objects.count(), Profile.objects.count(), Directorate.objects.count(),
            StandardPage.objects.count(), Tag.objects.count())  # fmt: skip


def test_it_loads_people_in_every_role_and_prints_their_logins(demo):
    output = demo

    users = get_user_model().objects
    for group in ("Helpdesk", "Moderators", "Digital team"):
        assert users.filter(groups__name=group).exists(), group
    assert users.get(username="tom").check_password(DEMO_PASSWORD)
    assert Directorate.objects.count() >= 5
    assert f"password for all: {DEMO_PASSWORD}" in output
    assert "hannah" in output and "helpdesk" in output


def test_it_is_idempotent(demo):
    first = counts()

    seed()

    assert counts() == first


def test_it_tags_pages_from_the_shared_vocabulary(demo):

    assert set(Tag.objects.values_list("name", flat=True)) >= {"vpn", "rss", "twitter", "listening"}
    assert StandardPage.objects.live().filter(tags__name="vpn").exists()
