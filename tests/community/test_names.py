"""display_name: what Confer calls a person, in Python and in templates."""

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template

from community.models import Profile
from community.names import display_name

pytestmark = pytest.mark.django_db


def test_it_uses_the_profile_name(alice):
    assert display_name(alice) == "Alice Archer"


def test_it_falls_back_to_the_username_without_a_profile_or_a_name(alice, bob):
    Profile.objects.filter(user=alice).update(display_name="")
    Profile.objects.filter(user=bob).delete()

    assert display_name(get_user_model().objects.get(pk=alice.pk)) == "alice"
    assert display_name(get_user_model().objects.get(pk=bob.pk)) == "bob"


def test_the_filter_says_the_same_and_nothing_for_nobody(alice):
    template = Template("{% load confer %}[{{ person|display_name }}][{{ nobody|display_name }}]")

    assert template.render(Context({"person": alice, "nobody": None})) == "[Alice Archer][]"
