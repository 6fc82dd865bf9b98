"""The dashboard's date range and directorate filter: reading them from the address, with a clear
message for anything that cannot be used, and turning dates into the datetimes queries need.

Days are local days (``TIME_ZONE``, Europe/London): a question asked at 00:30 BST on 1 July was
asked on 1 July although it is still 30 June in UTC, and the day the clocks change has 23 or 25
hours, all of them counted.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from community.profiles.models import Directorate

DEFAULT_DAYS = 30
# Longer ranges are refused: the figures would mean little and the queries would read everything.
MAX_DAYS = 3 * 366
# A directorate's own figures are shown only if at least this many people belong to it.
MIN_GROUP_SIZE = 5

PRESETS = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "this-month": "This month",
    "last-month": "Last month",
    "12m": "Last 12 months",
}


@dataclass
class Period:
    """An inclusive range of local dates, and the directorate whose figures are asked for (or None)."""

    first: datetime.date
    last: datetime.date
    preset: str = ""
    directorate: Directorate | None = None
    errors: list = field(default_factory=list)  # (field id, message): shown in an error summary
    notices: list = field(default_factory=list)  # what was changed, and why

    @property
    def start(self) -> datetime.datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the range (exclusive)."""
        return local_midnight(self.last + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        """The same number of days just before this range (for "rising" tags)."""
        last = self.first - datetime.timedelta(days=1)
        return Period(first=last - datetime.timedelta(days=self.days - 1), last=last)

    @property
    def label(self) -> str:
        if self.preset in PRESETS:
            return f"{PRESETS[self.preset]} ({_day(self.first)} to {_day(self.last)})"
        return f"{_day(self.first)} to {_day(self.last)}"

    def query(self) -> dict:
        """The address parameters that give this range again (for CSV links)."""
        params = {"preset": self.preset} if self.preset else {"start": self.first, "end": self.last}
        params = {key: str(value) for key, value in params.items()}
        if self.directorate is not None:
            params["directorate"] = self.directorate.slug
        return params


def _day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def local_midnight(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def preset_range(preset: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if preset == "this-month":
        return today.replace(day=1), today
    if preset == "last-month":
        last = today.replace(day=1) - datetime.timedelta(days=1)
        return last.replace(day=1), last
    days = {"7d": 7, "30d": 30, "90d": 90, "12m": 365}[preset]
    return today - datetime.timedelta(days=days - 1), today


def _parse_date(value: str):
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _date_from_parts(params, name):
    """A date from GOV.UK date-input parts (``name-day``, ``-month``, ``-year``) or one ISO value."""
    if params.get(name):
        return _parse_date(params[name]), True
    parts = [params.get(f"{name}-{part}", "").strip() for part in ("year", "month", "day")]
    if not any(parts):
        return None, False
    try:
        return datetime.date(*(int(part) for part in parts)), True
    except ValueError:
        return None, True


def read_period(params, today: datetime.date | None = None) -> Period:
    """The range and directorate asked for in ``params`` (request.GET). Anything unusable leaves the
    default (the last 30 days, the whole organisation) in place and says why.

    A preset (``preset=90d``) wins over dates; dates (``start``/``end`` as ISO dates, or GOV.UK date
    parts ``start-day``, ``start-month``, ``start-year``) are read when the preset is "custom" or absent.
    """
    today = today or timezone.localdate()
    first, last = preset_range("30d", today)
    period = Period(first=first, last=last, preset="30d")
    preset = params.get("preset", "")
    start, start_given = _date_from_parts(params, "start")
    end, end_given = _date_from_parts(params, "end")

    if preset and preset != "custom":
        if preset in PRESETS:
            period.preset = preset
            period.first, period.last = preset_range(preset, today)
        else:
            period.errors.append(("preset", "Choose one of the ranges listed"))
    elif start_given or end_given:
        period.preset = ""
        problems = []
        if start is None:
            problems.append(("start", "Enter the start date as a real date, for example 27 3 2026"))
        if end is None and end_given:
            problems.append(("end", "Enter the end date as a real date, for example 27 3 2026"))
        end = end if end_given else today
        if not problems:
            if start > today:
                problems.append(("start", "The start date must be today or in the past"))
            elif end < start:
                problems.append(("end", "The end date must be the same as or after the start date"))
            elif end > today:
                period.notices.append("The end date is in the future, so the figures run to today.")
                end = today
        if not problems and (end - start).days + 1 > MAX_DAYS:
            problems.append(("start", "Choose a range of 3 years or less"))
        if problems:
            period.errors.extend(problems)
            period.preset = "30d"
        else:
            period.first, period.last = start, end

    slug = params.get("directorate", "").strip()
    if slug:
        directorate = Directorate.objects.filter(slug=slug[:100]).first()
        if directorate is None:
            period.errors.append(
                ("directorate", "There is no directorate with that name; figures are for the whole organisation")
            )
        elif directorate.profiles.filter(user__is_active=True).count() < MIN_GROUP_SIZE:
            period.errors.append(
                (
                    "directorate",
                    f"{directorate.name} has fewer than {MIN_GROUP_SIZE} people, so its figures are not shown "
                    "on their own; figures are for the whole organisation",
                )
            )
        else:
            period.directorate = directorate
    return period
