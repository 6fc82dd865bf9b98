"""Sign-in helpers: the client address django-axes throttles by, its lock-out page, and OpenID
Connect users."""

import math
from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ..listening.notifications import start_at_zero
from .models import Profile


def client_ip(request) -> str:
    """The address of the person signing in.

    X-Forwarded-For is anyone's to forge, so it is read only when Confer is told how many trusted
    proxies stand in front of it, and then only the entry the nearest trusted proxy appended.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]


def wait_in_words(duration: timedelta) -> str:
    """The wait in words people can read: "15 minutes", "1 hour 30 minutes", not "0:15:00"."""
    minutes = max(1, math.ceil(duration.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the styled lock-out page, with the wait in words."""
    cool_off = get_cool_off(request)
    context = {"wait": wait_in_words(cool_off) if cool_off else ""}
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class ConferOIDCBackend(OIDCAuthenticationBackend):
    """Creates and updates local accounts from the organisation's identity provider."""

    def filter_users_by_claims(self, claims):
        username = self._username(claims)
        if username:
            users = self.UserModel.objects.filter(username__iexact=username)
            if users.exists():
                return users
        return super().filter_users_by_claims(claims)

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            username=self._username(claims) or self.get_username(claims),
            email=claims.get("email", ""),
            first_name=claims.get("given_name", ""),
            last_name=claims.get("family_name", ""),
        )
        self._update_profile(user, claims)
        return user

    def update_user(self, user, claims):
        if user.last_login is None:  # a local account signing in for the first time, through single sign-on
            start_at_zero(user)
        user.email = claims.get("email", user.email)
        user.first_name = claims.get("given_name", user.first_name)
        user.last_name = claims.get("family_name", user.last_name)
        user.save(update_fields=["email", "first_name", "last_name"])
        self._update_profile(user, claims)
        return user

    @staticmethod
    def _username(claims) -> str:
        return (claims.get("preferred_username") or claims.get("email", "").split("@")[0]).strip()[:150]

    @staticmethod
    def _update_profile(user, claims):
        profile = Profile.for_user(user)
        name = (claims.get("name") or "").strip()
        if name and profile.display_name != name:
            profile.display_name = name[:100]
            profile.save(update_fields=["display_name"])
