"""Workshop actions: sign up, cancel, the attendee list (with CSV and attendance), calendars.

The workshop pages themselves are Wagtail pages (community/workshops/models.py); these views do what the
page's buttons and links ask, through the model methods, and go back to the page, so the places
count, the joining link and the sign-up panel all show the new state. PermissionDenied becomes a
403 page that says why; ValidationError a message, with nothing changed.
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
from wagtail.views import serve as wagtail_serve

from ..helpers import refusals_explained_by
from .calendars import personal_calendar, workshop_calendar
from .models import CalendarFeed, WorkshopIndexPage, WorkshopPage, WorkshopSignup

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"

explain_refusals = refusals_explained_by("community/workshop_forbidden.html")


def get_workshop(request, pk) -> WorkshopPage:
    """The published workshop, if this person may see its page (Wagtail's view restrictions)."""
    workshop = get_object_or_404(WorkshopPage.objects.live().select_related("host__profile"), pk=pk)
    if any(not restriction.accept_request(request) for restriction in workshop.get_view_restrictions()):
        raise Http404("No such workshop")
    return workshop


def index(request):
    """/workshops/: the workshop index page where it lives at that address, else the first one."""
    try:
        return wagtail_serve(request, "workshops/")
    except Http404:
        pass
    index_page = WorkshopIndexPage.objects.live().public().order_by("path").first()
    if index_page is not None and index_page.get_url():
        return redirect(index_page.get_url())
    return render(request, "community/workshop_none.html")


# --- sign up and cancel ---------------------------------------------------------------------------


def _signed_up_message(signup) -> str:
    if signup.is_confirmed:
        return f"You have a place at {signup.workshop.title}."
    return (
        f"{signup.workshop.title} is full, so you are number {signup.waitlist_position()} on the waiting list. "
        "If a place comes up it is yours, and we will email you."
    )


@require_POST
def sign_up(request, pk):
    workshop = get_workshop(request, pk)
    try:
        signup = workshop.sign_up(request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, _signed_up_message(signup))
    return redirect(workshop.get_url())


@require_POST
@explain_refusals
def cancel(request, pk):
    signup = get_object_or_404(WorkshopSignup.objects.select_related("workshop"), pk=pk)
    workshop = get_workshop(request, signup.workshop_id)
    was_waitlisted = signup.is_waitlisted
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
    return redirect(workshop.get_url())


# --- the attendee list ----------------------------------------------------------------------------


def _managed_workshop(request, pk) -> WorkshopPage:
    workshop = get_workshop(request, pk)
    if not workshop.can_manage(request.user):
        raise PermissionDenied("Only the host and the digital team can see who is coming.")
    return workshop


@explain_refusals
def attendees(request, pk):
    """Who has a place, who is waiting, who cancelled; and after the start, who came."""
    workshop = _managed_workshop(request, pk)
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
                return redirect("workshops:attendees", workshop.pk)
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
def attendees_csv(request, pk):
    workshop = _managed_workshop(request, pk)
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


def workshop_ics(request, pk):
    workshop = get_workshop(request, pk)
    signup = workshop.signup_of(request.user)
    with_link = workshop.can_manage(request.user) or bool(signup and signup.is_confirmed)
    response = HttpResponse(workshop_calendar(workshop, with_link=with_link), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}.ics"'
    return response


def calendar(request):
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
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1], "signups": signups},
    )


@require_POST
def calendar_revoke(request):
    CalendarFeed.for_user(request.user).revoke()
    messages.success(
        request, "Your calendar address has changed. The old one no longer works: subscribe again with the new one."
    )
    return redirect("workshops:calendar")


@never_cache
@login_not_required  # calendar apps cannot sign in: the secret token in the address stands in
def calendar_feed(request, token):
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(personal_calendar(feed.user), content_type=CALENDAR_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="confer-workshops.ics"'
    return response
