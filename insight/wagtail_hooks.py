"""What insight plugs into the core: search page views are recorded (one insert each), their
question results link through a counted redirect, and the home page shows calls avoided this month
to the people who may see the dashboard."""

from django.urls import reverse
from wagtail import hooks

from community import hooks as confer_hooks
from community.hooks import HomePanel, SearchRecorder, WorkspaceFigure
from qa.models import Answer, Question

from .metrics import calls_avoided, this_month
from .models import SearchEvent
from .views import can_view_insight


def record_search(request, query, total):
    return SearchEvent.record(request.user, query, total).pk


def result_link(search_id, obj) -> str:
    if isinstance(obj, Question):
        return reverse("insight:open_result", args=[search_id, obj.pk])
    if isinstance(obj, Answer):
        return f"{reverse('insight:open_result', args=[search_id, obj.question_id])}?answer={obj.pk}"
    return ""


@hooks.register(confer_hooks.SEARCH_RECORDERS)
def search_recorder():
    return SearchRecorder(key="insight", record=record_search, link=result_link)


def _calls_avoided_panel(request):
    if not can_view_insight(request.user):
        return []
    return [{"calls_avoided": calls_avoided(this_month())}]


@hooks.register(confer_hooks.HOME_PANELS)
def calls_avoided_panel():
    return HomePanel(
        key="insight",
        title="Calls avoided this month",
        items=_calls_avoided_panel,
        template="insight/includes/home_calls_avoided.html",
        order=5,
        hide_when_empty=True,
    )


@hooks.register(confer_hooks.CONTENT_EXPORTS)
def insight_content_exports():
    return confer_hooks.ContentExport(key="insight", models=("insight.SearchEvent", "insight.SearchClick"), order=70)


@hooks.register(confer_hooks.WORKSPACE_FIGURES)
def calls_avoided_on_the_helpdesk_queue():
    return WorkspaceFigure(
        key="calls_avoided",
        workspace="helpdesk",
        template="insight/includes/calls_avoided_figure.html",
        context=lambda request: {
            "calls_avoided": calls_avoided(this_month()),
            "can_see_insight": can_view_insight(request.user),
        },
    )
