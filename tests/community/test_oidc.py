"""Single sign-on with OpenID Connect, the identity provider mocked at the HTTP boundary."""

from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import responses
from django.contrib.auth import get_user_model
from django.test import override_settings

from community.models import Profile

pytestmark = pytest.mark.django_db

PROVIDER = "https://sso.example.org"
CLIENT_SECRET = "a-client-secret-long-enough-for-hs256-signing"
OIDC_SETTINGS = {
    "OIDC_ENABLED": True,
    "OIDC_PROVIDER_NAME": "Example SSO",
    "OIDC_RP_CLIENT_ID": "confer",
    "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "",
    "AUTHENTICATION_BACKENDS": [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "community.profiles.auth.ConferOIDCBackend",
    ],
}
CLAIMS = {
    "sub": "0001",
    "email": "nia.evans@example.org",
    "preferred_username": "nia.evans",
    "name": "Nia Evans",
    "given_name": "Nia",
    "family_name": "Evans",
}


def start_sign_in(client):
    response = client.get("/accounts/oidc/authenticate/?next=/people/")
    assert response.status_code == 302
    params = parse_qs(urlparse(response["Location"]).query)
    return params["state"][0], params["nonce"][0]


def mock_provider(nonce, claims=CLAIMS):
    id_token = jwt.encode(
        {"iss": PROVIDER, "aud": "confer", "sub": claims["sub"], "nonce": nonce, "exp": 4_000_000_000},
        CLIENT_SECRET,
        algorithm="HS256",
    )
    responses.add(responses.POST, f"{PROVIDER}/token", json={"id_token": id_token, "access_token": "at"})
    responses.add(responses.GET, f"{PROVIDER}/userinfo", json=claims)


@override_settings(**OIDC_SETTINGS)
def test_it_offers_single_sign_on_on_the_login_page(client):
    response = client.get("/accounts/login/")

    assert b"Sign in with Example SSO" in response.content


def test_it_hides_single_sign_on_when_not_configured(client):
    assert b"Sign in with" not in client.get("/accounts/login/").content
    assert client.get("/accounts/oidc/authenticate/").status_code == 404


@responses.activate
@override_settings(**OIDC_SETTINGS)
def test_it_creates_an_account_and_profile_on_first_sign_on(client):
    state, nonce = start_sign_in(client)
    mock_provider(nonce)

    response = client.get(f"/accounts/oidc/callback/?code=the-code&state={state}")

    assert response.status_code == 302
    assert response["Location"] == "/people/"
    user = get_user_model().objects.get(username="nia.evans")
    assert user.email == "nia.evans@example.org"
    assert Profile.objects.get(user=user).display_name == "Nia Evans"
    assert user.groups.filter(name="Staff").exists()
    assert client.get("/").wsgi_request.user == user


@responses.activate
@override_settings(**OIDC_SETTINGS)
def test_it_signs_an_existing_colleague_in_to_their_own_account(client, django_user_model):
    existing = django_user_model.objects.create_user(username="nia.evans", email="old@example.org")

    state, nonce = start_sign_in(client)
    mock_provider(nonce)
    client.get(f"/accounts/oidc/callback/?code=the-code&state={state}")

    assert django_user_model.objects.filter(username="nia.evans").count() == 1
    existing.refresh_from_db()
    assert existing.email == "nia.evans@example.org"
    assert client.get("/").wsgi_request.user == existing


@responses.activate
@override_settings(**OIDC_SETTINGS)
def test_it_refuses_a_callback_with_a_forged_state(client):
    start_sign_in(client)

    response = client.get("/accounts/oidc/callback/?code=the-code&state=forged")

    assert response.status_code in (302, 400)
    assert not get_user_model().objects.filter(username="nia.evans").exists()
    assert client.get("/").status_code == 302


@responses.activate
@override_settings(**OIDC_SETTINGS)
def test_it_refuses_a_token_signed_with_another_key(client):
    state, nonce = start_sign_in(client)
    forged = jwt.encode({"sub": "0001", "nonce": nonce, "aud": "confer"}, "another-key-" * 4, algorithm="HS256")
    responses.add(responses.POST, f"{PROVIDER}/token", json={"id_token": forged, "access_token": "at"})
    responses.add(responses.GET, f"{PROVIDER}/userinfo", json=CLAIMS)

    client.get(f"/accounts/oidc/callback/?code=the-code&state={state}")

    assert not get_user_model().objects.filter(username="nia.evans").exists()
    assert client.get("/").status_code == 302
