"""People in site search, people as something to follow, and deleting an account in the admin."""

from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from .. import hooks as confer_hooks
from ..hooks import Followable, ResultState, SearchType
from ..markdown import plain_text
from ..names import display_name
from .erasure import can_erase, erase_person
from .leaving import what_goes, what_keeps
from .models import Profile


def _people(request):
    return Profile.objects.active().select_related("user", "directorate")


def _person_snippet(profile):
    parts = [profile.job_title, profile.directorate.name if profile.directorate else "", profile.team]
    return " · ".join(part for part in parts if part) + (
        " – " + plain_text(profile.bio_html) if profile.bio_html else ""
    )


def _describe_people(profiles, request):
    # What they do, so a colleague sees at a glance why someone is listed.
    states = {}
    for profile in profiles:
        parts = (profile.job_title, getattr(profile.directorate, "name", ""))
        states[profile.pk] = ResultState(detail=" · ".join(part for part in parts if part))
    return states


def _visible_people(user):
    return get_user_model().objects.filter(is_active=True).select_related("profile")


@hooks.register(confer_hooks.SEARCH_TYPES)
def people_search_type():
    return SearchType(key="people", label="People", model=Profile, queryset=_people,
                      template="community/includes/search_person.html", snippet=_person_snippet, order=60,
                      weight=0.8, describe=_describe_people, embed_text=_person_snippet)  # fmt: skip


@hooks.register(confer_hooks.FOLLOWABLES)
def person_followable():
    return Followable(key="person", model=get_user_model(), label="People", visible=_visible_people, order=40)


@hooks.register("before_delete_user")
def explain_deleting_a_user(request, user):
    """Deleting an account in the admin: refused, saying why, while the person has contributed
    anything; otherwise the confirmation lists what would be deleted with it."""
    kept = what_keeps(user)
    if kept:
        context = {"person": user, "kept": kept, "name": display_name(user), "can_erase": can_erase(request.user)}
        return TemplateResponse(request, "community/admin/user_delete_refused.html", context, status=409)
    if request.method == "GET":
        context = {"person": user, "goes": what_goes(user), "name": display_name(user)}
        return TemplateResponse(request, "community/admin/user_delete_confirm.html", context)
    return None


@hooks.register("register_admin_urls")
def erasure_urls():
    return [path("people/<int:pk>/erase/", erase_person, name="confer_erase_person")]


@hooks.register("register_user_listing_buttons")
def erase_button(user, request_user):
    """ "Erase personal data" in each account's menu, for those allowed to erase."""
    if can_erase(request_user) and user.pk != request_user.pk:
        yield Button("Erase personal data", reverse("confer_erase_person", args=[user.pk]), priority=90)
