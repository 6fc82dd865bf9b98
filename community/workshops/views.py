"""Workshop actions: sign up, cancel, the attendee list (with CSV and attendance), calendars.

These are the views of the workshop pages' routes (``WorkshopPage`` and ``WorkshopIndexPage`` in
models.py): Wagtail serves them like the pages, after its view restrictions and the
``before_serve_page`` hooks, and hands each the page it belongs to. They do what the page's
buttons and links ask, through the model methods, and go back to the page, so the places count,
the joining link and the sign-up panel all show the new state. PermissionDenied becomes a 403 page
that says why; ValidationError a message, with nothing changed.

The one address here that is not a page route is each person's calendar feed (``calendar_feed``).
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..helpers import refusals_explained_by, with_allowance
from .calendars import personal_calendar, workshop_calendar
from .models import CalendarFeed, WorkshopIndexPage, WorkshopPage, WorkshopSignup

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"

explain_refusals = refusals_explained_by("community/workshop_forbidden.html")


# --- sign up and cancel ---------------------------------------------------------------------------


def _signed_up_message(signup) -> str:
    if signup.is_confirmed:
        return f"You have a place at {signup.workshop.title}."
    return (
        f"{signup.workshop.title} is full, so you are number {signup.waitlist_position()} on the waiting list. "
        "If a place comes up it is yours, and we will let you know here and by email."
    )


@require_POST
@with_allowance("community.workshop_place")
def sign_up(request, workshop: WorkshopPage):
    try:
        signup = workshop.sign_up(request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _signed_up_message(signup))
    return redirect(workshop.get_url(request))


@explain_refusals
@with_allowance("community.workshop_place")
def cancel(request, workshop: WorkshopPage, pk: int):
    """Cancel the place ``pk`` at this workshop: a GET asks "are you sure?", the POST cancels.
    Only its holder may do either (the model refuses anyone else too)."""
    signup = get_object_or_404(workshop.signups.all(), pk=pk)
    if signup.user_id != request.user.pk:
        raise PermissionDenied("You can only cancel your own place.")
    was_waitlisted = signup.is_waitlisted
    if request.method != "POST":
        if not signup.is_active:
            messages.info(request, "You have already cancelled this place.")
            return redirect(workshop.get_url(request))
        return render(request, "community/workshop_cancel.html", {"page": workshop, "signup": signup})
    try:
        signup.cancel(request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(
            request,
            "You have left the waiting list."
            if was_waitlisted
            else "You have cancelled your place. Thank you for letting us know.",
        )
    return redirect(workshop.get_url(request))


# --- the attendee list ----------------------------------------------------------------------------


def _require_manager(request, workshop: WorkshopPage) -> None:
    if not workshop.can_manage(request.user):
        raise PermissionDenied("Only the host and the digital team can see who is coming.")


@explain_refusals
def attendees(request, workshop: WorkshopPage):
    """Who has a place, who is waiting, who cancelled; and after the start, who came (a POST)."""
    _require_manager(request, workshop)
    errors = []
    if request.method == "POST":
        raw = request.POST.getlist("attended")
        ids = [int(value) for value in raw if value.isdigit()]
        if len(ids) != len(raw):
            errors.append("Something went wrong with the list of people: reload the page and try again.")
        else:
            try:
                count = workshop.record_attendance(request.user, ids)
            except ValidationError as refusal:
                errors.extend(refusal.messages)
            else:
                messages.success(request, f"Attendance saved: {count} {'person' if count == 1 else 'people'} came.")
                return redirect(workshop.route_url("attendees", request=request))
    signups = list(workshop.signups.select_related("user__profile__directorate"))
    return render(
        request,
        "community/workshop_attendees.html",
        {
            "workshop": workshop,
            "confirmed": [s for s in signups if s.status == WorkshopSignup.Status.CONFIRMED],
            "waiting": [s for s in signups if s.status == WorkshopSignup.Status.WAITLISTED],
            "cancelled": [s for s in signups if s.status == WorkshopSignup.Status.CANCELLED],
            "can_record": workshop.has_started(),
            "errors": errors,
            "ticked": {int(v) for v in request.POST.getlist("attended") if v.isdigit()} if errors else None,
        },
        status=400 if errors else 200,
    )


def csv_cell(value) -> str:
    """A spreadsheet must not run what a person typed: cells starting with = + - @ are quoted."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@explain_refusals
def attendees_csv(request, workshop: WorkshopPage):
    _require_manager(request, workshop)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-attendees.csv"'
    writer = csv.writer(response)
    writer.writerow(["Name", "Username", "Email", "Directorate", "Team", "Status", "Signed up", "Attended"])
    order = {status: number for number, status in enumerate(WorkshopSignup.Status)}
    signups = sorted(
        workshop.signups.select_related("user__profile__directorate"),
        key=lambda signup: (order[signup.status], signup.queued_at, signup.pk),
    )
    attended = {True: "yes", False: "no", None: ""}
    for signup in signups:
        profile = getattr(signup.user, "profile", None)
        writer.writerow(
            [
                csv_cell(profile.display_name if profile else ""),
                csv_cell(signup.user.get_username()),
                csv_cell(signup.user.email),
                csv_cell(profile.directorate.name if profile and profile.directorate else ""),
                csv_cell(profile.team if profile else ""),
                signup.get_status_display(),
                timezone.localtime(signup.queued_at).strftime("%Y-%m-%d %H:%M"),
                attended[signup.attended],
            ]
        )
    return response


# --- calendars ------------------------------------------------------------------------------------


def workshop_ics(request, workshop: WorkshopPage):
    """The workshop as a calendar file. The page offers it only to people with a place (and to its
    host and the digital team): someone waiting has no place to put in a calendar yet. The address
    itself still answers anyone who may see the page, without the joining link."""
    signup = workshop.signup_of(request.user)
    with_link = workshop.can_manage(request.user) or bool(signup and signup.is_confirmed)
    response = HttpResponse(workshop_calendar(workshop, with_link=with_link), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}.ics"'
    return response


def calendar(request, index: WorkshopIndexPage):
    """This person's calendar-feed address, what it lists, and a button to change the address."""
    feed = CalendarFeed.for_user(request.user)
    url = request.build_absolute_uri(reverse("workshops:feed", args=[feed.token]))
    signups = (
        WorkshopSignup.objects.active()
        .filter(user=request.user, workshop__live=True, workshop__end_at__gt=timezone.now())
        .select_related("workshop")
        .order_by("workshop__start_at")
    )
    return render(
        request,
        "community/workshop_calendar.html",
        {
            "page": index,
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "signups": signups,
        },
    )


@require_POST
@with_allowance("community.settings")
def calendar_revoke(request, index: WorkshopIndexPage):
    CalendarFeed.for_user(request.user).revoke()
    messages.success(
        request, "Your calendar address has changed. The old one no longer works: subscribe again with the new one."
    )
    return redirect(index.route_url("calendar", request=request))


# The feed is a plain Django route (community/workshops/urls.py), not a page route, and stays at
# /workshops/calendar/<token>.ics: calendar apps subscribed to that exact address and cannot
# follow a sign-in, Wagtail's page addresses sit behind login, and the digital team may move or
# rename the workshop index. Wagtail never serves an address with a dot in it, so this one cannot
# hide a page.
@never_cache
@login_not_required  # calendar apps cannot sign in: the secret token in the address stands in
def calendar_feed(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(personal_calendar(feed.user), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="confer-workshops.ics"'
    return response
