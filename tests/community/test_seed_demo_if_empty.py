"""seed_demo --if-empty, as `make run` calls it: a database that already has people is left alone."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_leaves_a_database_with_people_alone_when_asked(alice):
    output = seed("--if-empty")

    assert "not loaded" in output
    assert get_user_model().objects.count() == 1
