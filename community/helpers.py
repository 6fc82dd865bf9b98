"""Small helpers every part's views share: refusals that say why, form data, rate allowances."""

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django_ratelimit import ALL
from django_ratelimit.core import get_usage


def refusals_explained_by(template: str):
    """A view decorator: PermissionDenied raised by a model rule becomes a 403 page (``template``)
    that tells the person why."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as refusal:
                return render(request, template, {"reason": str(refusal)}, status=403)

        return wrapped

    return decorator


def require(condition: bool, reason: str) -> None:
    if not condition:
        raise PermissionDenied(reason)


def posted(request):
    """The form data of a POST (even an empty one), or None for a GET: so an empty POST shows errors."""
    return request.POST if request.method == "POST" else None


def first_message(error: ValidationError) -> str:
    return " ".join(error.messages)


def allowance_used(request, group: str, rate) -> bool:
    """Has this person used up their allowance (a django-ratelimit ``rate``) in ``group``?

    Only what succeeded counts (``use_allowance``), so a form sent back with errors costs nothing.
    """
    usage = get_usage(request, group=group, key="user", rate=rate, method=ALL)
    return usage is not None and (usage["should_limit"] or usage["count"] >= usage["limit"])


def use_allowance(request, group: str, rate) -> None:
    get_usage(request, group=group, key="user", rate=rate, method=ALL, increment=True)


def safe_next(request, fallback: str) -> str:
    """The page a form came from (its ``next`` field), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback
