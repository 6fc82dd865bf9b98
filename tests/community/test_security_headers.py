"""Security headers on every page: a Content-Security-Policy that lets only Confer's own scripts run
(the one inline script by its per-response nonce), and the usual framing, sniffing and referrer rules."""

import re

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("address", ["/", "/qa/", "/ideas/", "/accounts/login/", "/no-such-page/"])
def test_every_page_has_a_policy_that_allows_only_confers_own_scripts(client, alice, address):
    if address != "/accounts/login/":
        client.force_login(alice)

    response = client.get(address)

    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]  # no tracking pixels from other sites


def test_the_inline_script_carries_the_responses_nonce(alice_client):
    response = alice_client.get("/qa/")

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
    assert scripts, "the page has its inline script"
    assert all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert alice_client.get("/qa/")["Content-Security-Policy"] != response["Content-Security-Policy"]  # fresh


def test_the_other_security_headers(alice_client):
    response = alice_client.get("/qa/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_wagtail_admin_keeps_its_own_rules(client_for, dita):
    assert "Content-Security-Policy" not in client_for(dita).get("/admin/")
