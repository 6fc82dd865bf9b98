"""Small helpers every part's views share: refusals that say why, form data, rate allowances."""

import functools
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme


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


def own_content_action(request, *, author_id, refusal, act, back, template, context, done, after=None):
    """What every "delete (or withdraw) what you wrote" view does, with its thing's rules:
    ``refusal`` (why this person may not, or None) is a 403 page for someone else, and for the author
    a message on the thing (``back``: a model or address); a GET asks "are you sure?" with
    ``template``; the POST calls ``act(user)``, which checks again on the locked row (someone may
    have replied while the page was open: then the message says why), says ``done`` and goes to
    ``after`` (``back`` unless given). Questions, answers, ideas and comments share it."""
    if refusal and author_id != request.user.pk:
        raise PermissionDenied(refusal)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST":
        try:
            act(request.user)
        except PermissionDenied as late:
            messages.error(request, str(late))
            return redirect(back)
        messages.success(request, done)
        return redirect(after or back)
    return render(request, template, context)


def posted(request):
    """The form data of a POST (even an empty one), or None for a GET: so an empty POST shows errors."""
    return request.POST if request.method == "POST" else None


def first_message(error: ValidationError) -> str:
    return " ".join(error.messages)


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass
class Reservation:
    """One use of a person's allowance, taken before the action it pays for (``reserve_allowance``).

    It is truthy when granted. ``retry_after`` is how many seconds until the allowance starts again;
    ``release()`` gives the use back when the action did not happen after all.
    """

    key: str
    granted: bool
    retry_after: int

    def __bool__(self) -> bool:
        return self.granted

    def release(self) -> None:
        if self.granted:
            self.granted = False
            try:
                cache.decr(self.key)
            except ValueError:  # the window ended meanwhile: nothing left to give back
                pass

    def refuse(self, response):
        """``response`` (a 429) told when to come back."""
        response["Retry-After"] = str(self.retry_after)
        return response


def _parse_rate(rate: str) -> tuple[int, int]:
    count, _, unit = rate.partition("/")
    number = "".join(ch for ch in unit if ch.isdigit()) or "1"
    return int(count), int(number) * RATE_UNITS[unit.lstrip("0123456789")[:1]]


def reserve_allowance(request, group: str, rate) -> Reservation:
    """Take one use of this person's allowance (``rate``, e.g. "10/h", or a callable
    ``rate(group, request)`` reading settings) in ``group`` *before* acting.

    Reserve-then-act: the count moves with one atomic ``cache.incr`` (Redis in production), so
    thirty requests sent at once are granted exactly the allowance and no more. Checking first and
    counting after the save let 30 parallel questions through a limit of 10 (docs/traps.md). A
    refused request gives its use straight back; an action that then fails (a form with errors, a
    rule that refuses) calls ``release()``, so only what succeeded counts.
    """
    if callable(rate):
        rate = rate(group, request)
    limit, period = _parse_rate(rate)
    now = time.time()
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now))
    key = f"allowance:{group}:{request.user.pk}:{limit}/{period}:{window}"
    cache.add(key, 0, period + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: start the count again
        cache.add(key, 1, period + 60)
        count = 1
    reservation = Reservation(key, True, retry_after)
    if count > limit:
        reservation.release()
    return reservation


ACTION_RATE_DEFAULT = "60/h"


def _action_rate(group, request):
    return getattr(settings, "ACTION_RATE", ACTION_RATE_DEFAULT)


def action_limited_message(retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    when = "a minute" if minutes == 1 else f"{minutes} minutes"
    return f"You have done that a lot in a short time. Nothing was changed. Try again in {when}."


def _error_messages(request) -> int:
    """How many error messages wait for this person: a view that refuses with a redirect says why
    in one. Reading them marks them used; ``used = False`` keeps them for the next page (Django's
    documented way to keep messages)."""
    storage = messages.get_messages(request)
    count = sum(1 for message in storage if message.level >= messages.ERROR)
    storage.used = False
    return count


def with_allowance(group: str):
    """A view decorator: each POST takes one use of this person's allowance in ``group`` (the
    ``ACTION_RATE`` setting, "60/h" unless set) before the view runs; past it, the answer is a 429
    with ``Retry-After`` and a page saying when to try again, and the view does not run.

    For the actions that are not posts or votes but that anyone can repeat: following, signing up
    for a workshop, "did this solve your problem?", buddy replies, profile and settings changes...
    A POST the view refuses (a 4xx, a refusal raised, or a redirect with an error message) gives its
    use back. An htmx request over
    the limit gets the message on the page it came from (htmx swaps nothing on a 4xx, so it is told
    to reload, and the message is waiting there).
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST" or "preview" in request.POST:  # a preview (without JS) changes nothing
                return view(request, *args, **kwargs)
            reservation = reserve_allowance(request, group, _action_rate)
            if not reservation:
                message = action_limited_message(reservation.retry_after)
                if getattr(request, "htmx", False):
                    messages.error(request, message)  # not rendered here, so it waits for the reload
                    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
                    response["HX-Refresh"] = "true"
                else:
                    response = render(request, "429.html", {"message": message}, status=429)
                return reservation.refuse(response)
            errors = _error_messages(request)
            try:
                response = view(request, *args, **kwargs)
            except BaseException:
                reservation.release()
                raise
            if response.status_code >= 400 or _error_messages(request) > errors:
                reservation.release()
            return response

        return wrapped

    return decorator


def safe_next(request, fallback: str) -> str:
    """The page a form came from (its ``next`` field), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# --- lists that cost the same at any size ----------------------------------------------------------

LIST_COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Django's paginator, but it never counts more than ``cap`` rows.

    Counting a list is a scan of every row it holds; past ``cap`` the list says "more than 1,000"
    and pages go on with Next links: each page past the count reads one row more than it shows, to
    know whether there is a next one. A page therefore costs the same at 1,000 rows as at a million
    (docs/scaling.md).
    """

    def __init__(self, object_list, per_page, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap or LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The number of rows, up to ``cap + 1`` (``cap + 1`` means "more than ``cap``")."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def display_count(self) -> str:
        return f"more than {self.cap:,}" if self.is_capped else f"{self.count:,}"

    @cached_property
    def num_pages(self) -> int:
        # Past the cap the last page is unknown; this is the last page the count vouches for.
        return max(1, math.ceil(min(self.count, self.cap) / self.per_page))

    def validate_number(self, number):
        if not self.is_capped:
            return super().validate_number(number)
        number = super().validate_number(1) if number is None else number
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return CappedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


class CappedPage(Page):
    """A page past a capped count: it knows whether a next page exists, not how many there are."""

    def __init__(self, object_list, number, paginator, has_next):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self):
        return self._has_next
