"""The insight dashboard, the CSV of each of its tables, and the counted way from a search result to
a question."""

import csv
import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode

from community.helpers import refusals_explained_by, require
from community.workshops.views import csv_cell
from qa.models import Question

from . import charts, metrics
from .models import SearchClick, SearchEvent
from .period import PRESETS, read_period

VIEW_INSIGHT = "insight.view_insight"

explain_refusals = refusals_explained_by("insight/forbidden.html")


def can_view_insight(user) -> bool:
    return user.has_perm(VIEW_INSIGHT)


def _require_viewer(request):
    require(
        can_view_insight(request.user),
        "Only the digital team, the helpdesk and moderators can see the insight dashboard.",
    )


@explain_refusals
def dashboard(request):
    _require_viewer(request)
    period = read_period(request.GET)
    figures = metrics.dashboard(period)
    tables = figures["tables"]
    unit = tables["activity"].columns[0].split()[0].lower()
    date_format = (lambda d: f"{d:%b %Y}") if unit == "month" else (lambda d: f"{d:%d %b}")
    context = {
        "period": period,
        "presets": PRESETS,
        "figures": figures,
        "tables": tables,
        "csv_query": urlencode(period.query()),
        "date_fields": [("start", "Start date", period.first), ("end", "End date", period.last)],
        "activity_chart": charts.line_chart(tables["activity"], [1, 2, 3], date_format),
        "funnel_chart": charts.bar_chart(tables["ideas_funnel"]),
        "tags_chart": charts.bar_chart(tables["top_tags"]),
        "directorates": metrics.Directorate.objects.all(),
    }
    return render(request, "insight/dashboard.html", context, status=400 if period.errors else 200)


def _csv_value(value) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return csv_cell(value)


@explain_refusals
def table_csv(request, key: str):
    """One of the dashboard's tables as CSV, for the same range and directorate (an empty range gives
    the header row alone)."""
    _require_viewer(request)
    period = read_period(request.GET)
    if period.errors:
        # A CSV of some other range than the one asked for would be mistaken for it.
        reasons = "\n".join(message for _, message in period.errors)
        return HttpResponse(f"No CSV: {reasons}\n", status=400, content_type="text/plain; charset=utf-8")
    table = metrics.table(period, key)
    if table is None:
        raise Http404("There is no such table on the dashboard")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insight-{key}-{period.first}-to-{period.last}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return response


def open_result(request, search: int, question: int):
    """A question opened from search results: count the click for its search, then go to the question.

    Only the person who searched can add a click to their search; anyone else (or a stale link whose
    search was purged) just goes to the question.
    """
    target = get_object_or_404(Question.objects.visible_to(request.user), pk=question)
    event = SearchEvent.objects.filter(pk=search, user=request.user.pk).first()
    if event is not None:
        SearchClick.record(event, target)
    url = target.get_absolute_url()
    answer = request.GET.get("answer", "")
    if answer.isdigit():
        url += f"#answer-{answer}"
    return redirect(url)
