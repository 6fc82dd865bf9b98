"""Erasing someone who has left, from the Wagtail admin: the same ``leaving.erase`` that
``manage.py erase_user`` runs, after a page that says what will happen."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from ..names import display_name
from .leaving import erase, what_erasing_removes, what_keeps

ERASE_PERMISSION = "community.erase_personal_data"


def can_erase(user) -> bool:
    """Superusers, and whoever is given "Can erase the personal data of someone who has left"."""
    return user.is_active and user.has_perm(ERASE_PERMISSION)


def _refuse(request, person, name, refusal):
    context = {"person": person, "name": name, "refusal": refusal}
    return TemplateResponse(request, "community/admin/user_erase.html", context, status=403)


def erase_person(request, pk):
    """GET: what erasing this person keeps and removes; POST: erase them (and say what was removed)."""
    person = get_object_or_404(get_user_model(), pk=pk)
    name = display_name(person)
    if not can_erase(request.user):
        # A 403 page of our own: raising PermissionDenied in the admin only redirects to its dashboard.
        return _refuse(request, person, name, "Only administrators allowed to erase personal data can do this.")
    if person.pk == request.user.pk:
        return _refuse(request, person, name, "You cannot erase your own account: ask another administrator.")
    context = {"person": person, "name": name, "kept": what_keeps(person), "goes": what_erasing_removes(person)}
    if request.method != "POST":
        return TemplateResponse(request, "community/admin/user_erase.html", context)
    removed = erase(person)
    gone = ", ".join(f"{holding.count} {holding.label}" for holding in removed) or "nothing else"
    messages.success(
        request,
        f"{name}'s personal data was erased: the account is now former-colleague-{person.pk}. Removed: {gone}.",
    )
    return redirect(reverse("wagtailusers_users:index"))
