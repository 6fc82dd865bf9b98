"""Communities test helpers: one of each kind, managed by alice."""

import pytest

from community.models import Community


def start(founder, name, kind=Community.Kind.OPEN, tags=()):
    return Community.start(founder, name=name, description=f"About {name}.", kind=kind, tags=list(tags))


@pytest.fixture
def open_community(alice):
    return start(alice, "Digital buddy network", tags=["buddies"])


@pytest.fixture
def request_community(alice):
    return start(alice, "Boost your blog alumni", Community.Kind.REQUEST, tags=["blogging"])


@pytest.fixture
def invite_community(alice):
    return start(alice, "Finance leads", Community.Kind.INVITE)
