"""iCalendar (RFC 5545) for workshops: one ``.ics`` per workshop and a personal feed per person.

Every event keeps one UID for the life of its workshop (made from the page's translation key, so it
survives renames, moves and a new SITE_URL), and its SEQUENCE goes up each time the workshop's times
change (``WorkshopSchedule``), so calendar apps replace the old times instead of adding a second
event. Times are written in the site's time zone with a VTIMEZONE, which also keeps an empty feed a
valid calendar (RFC 5545 wants at least one component).
"""

import datetime
import re

from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from ..emails import absolute_url
from .models import WorkshopPage, WorkshopSchedule, WorkshopSignup

PRODID = "-//Confer//Workshops//EN"
# How far back a personal feed keeps workshops that are over, so past ones stay in the calendar.
FEED_HISTORY = datetime.timedelta(days=180)


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """A title or place as one line: a CR or LF typed into it made the whole .ics fail (icalendar
    refuses a bare carriage return in a content line), and other control characters have no place."""
    return " ".join(CONTROL.sub("", text or "").split())


def lines(text: str) -> str:
    """Text with line breaks as plain LF, which icalendar escapes, and no other control characters."""
    return CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def event_uid(workshop: WorkshopPage) -> str:
    return f"workshop-{workshop.translation_key}@confer"


def sequence_of(workshop: WorkshopPage) -> int:
    try:
        return workshop.schedule.sequence
    except WorkshopSchedule.DoesNotExist:
        return 0  # never published through Wagtail's publish action


def location_of(workshop: WorkshopPage, with_link: bool) -> str:
    online = workshop.online_link.strip() if with_link else ("Online" if workshop.online_link else "")
    return " · ".join(one_line(part) for part in (workshop.place, online) if one_line(part))


def workshop_event(workshop: WorkshopPage, signup: WorkshopSignup | None = None, now=None, with_link=False) -> Event:
    """One VEVENT. The joining link is in it only ``with_link`` (for people with a place, the host
    and the digital team), as on the page."""
    zone = timezone.get_current_timezone()
    url = absolute_url(workshop.get_url() or "/")
    description = [workshop.summary, "", f"Details and sign-up: {url}"]
    if with_link and workshop.online_link:
        description.insert(2, f"Join online: {workshop.online_link}")
    summary = one_line(workshop.title)
    status = "CONFIRMED"
    if signup is not None and signup.is_waitlisted:
        summary = f"Waiting list: {summary}"
        status = "TENTATIVE"
    event = Event()
    event.add("uid", event_uid(workshop))
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", workshop.start_at.astimezone(zone))
    event.add("dtend", workshop.end_at.astimezone(zone))
    event.add("sequence", sequence_of(workshop))
    event.add("summary", summary)
    event.add("description", lines("\n".join(description)))
    location = location_of(workshop, with_link)
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("status", status)
    if workshop.last_published_at:
        event.add("last-modified", workshop.last_published_at.astimezone(datetime.UTC))
    for tag in workshop.tags.all():
        event.add("categories", [one_line(tag.name)])
    return event


def _calendar(name: str, events: list[Event], workshops: list[WorkshopPage]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    zone_name = timezone.get_current_timezone_name()
    calendar.add("x-wr-timezone", zone_name)
    today = timezone.localdate()
    dates = [today, *(timezone.localdate(w.start_at) for w in workshops)]
    dates += [timezone.localdate(w.end_at) for w in workshops]
    calendar.add_component(
        Timezone.from_tzid(
            zone_name,
            first_date=min(dates) - datetime.timedelta(days=366),
            last_date=max(dates) + datetime.timedelta(days=366),
        )
    )
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def workshop_calendar(workshop: WorkshopPage, with_link: bool = False) -> bytes:
    """The ``.ics`` for one workshop: what the download link and the emails attach."""
    return _calendar(one_line(workshop.title), [workshop_event(workshop, with_link=with_link)], [workshop])


def personal_calendar(user, now=None) -> bytes:
    """Everything this person has a place at or is waiting for, recent past included."""
    now = now or timezone.now()
    signups = list(
        WorkshopSignup.objects.active()
        .filter(user=user, workshop__live=True, workshop__end_at__gt=now - FEED_HISTORY)
        .select_related("workshop__schedule")
        .prefetch_related("workshop__tags")
        .order_by("workshop__start_at")
    )
    events = [workshop_event(signup.workshop, signup, now, with_link=signup.is_confirmed) for signup in signups]
    return _calendar("Confer workshops", events, [signup.workshop for signup in signups])
