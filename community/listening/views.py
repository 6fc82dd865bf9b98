"""Following, notifications, notification settings, feed addresses and unsubscribing."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..helpers import safe_next, with_allowance
from . import follows
from .emails import user_for_unsubscribe_token
from .feeds import feed_sources
from .follows import follow_button_context, follow_label, follow_url
from .forms import ListeningPreferencesForm
from .models import EmailFrequency, Follow, ListeningPreferences, Notification
from .notifications import as_they_stand, event_types, one_link_phrase

# --- following ------------------------------------------------------------------------------------


def _followable_object(request, key, pk, unfollowing=False):
    """The item behind a follow button, or 404 when it does not exist or is hidden from this person.

    Stopping is always allowed: someone who follows a question that was hidden since can still
    unfollow it (``visible`` is then False, and its title must not be shown to them)."""
    followable = follows.get_followable(key)
    if followable is None:
        raise Http404("That cannot be followed")
    obj = followable.visible(request.user).filter(pk=pk).first()
    if obj is not None:
        return followable, obj, True
    if unfollowing:
        obj = followable.model._default_manager.filter(pk=pk).first()
        if obj is not None and follows.is_following(request.user, obj):
            return followable, obj, False
    raise Http404("There is nothing to follow here")


@require_POST
@with_allowance("community.follow")
def follow_toggle(request, key, pk):
    """Follow or stop following (the form says which, so a repeated click does what it shows;
    a form that does not say toggles)."""
    action = request.POST.get("action")
    followable, obj, visible = _followable_object(request, key, pk, unfollowing=action != "follow")
    if action not in ("follow", "unfollow"):
        action = "unfollow" if follows.is_following(request.user, obj) else "follow"
    if action == "follow":
        if obj == request.user:
            return _follow_refused(request, obj, "You cannot follow yourself.")
        follows.follow(request.user, obj)
    else:
        follows.unfollow(request.user, obj)
    following = follows.is_following(request.user, obj)
    if not visible:
        label = follows.hidden_label(followable)
        if request.htmx:
            return HttpResponse(f'<p class="govuk-body-s govuk-!-margin-bottom-0">You no longer follow {label}.</p>')
        messages.success(request, f"You no longer follow {label}.")
        return redirect(safe_next(request, reverse("following")))
    if request.htmx:
        return render(
            request, "community/includes/follow_button.html", follow_button_context(request.user, obj, following)
        )
    label = follow_label(obj)
    messages.success(request, f"You are following {label}." if following else f"You no longer follow {label}.")
    return redirect(safe_next(request, follow_url(obj)))


def _follow_refused(request, obj, message):
    if request.htmx:
        context = follow_button_context(request.user, obj)
        return render(request, "community/includes/follow_button.html", {**context, "error": message}, status=400)
    messages.error(request, message)
    return redirect(safe_next(request, follow_url(obj)))


def following(request):
    """Everything this person follows, grouped by kind, each with a button to stop."""
    groups = []
    mine = Follow.objects.filter(user=request.user)
    for followable in follows.followables():
        content_type = ContentType.objects.get_for_model(followable.model)
        ids = [row.object_id for row in mine if row.content_type_id == content_type.pk]
        items = list(followable.visible(request.user).filter(pk__in=ids)) if ids else []
        items.sort(key=lambda item: follow_label(item).lower())
        entries = [{"object": item, "label": follow_label(item), "url": follow_url(item)} for item in items]
        # Followed before it was hidden: listed so it can be unfollowed, without its title.
        unseen = set(ids) - {item.pk for item in items}
        if unseen:
            label = follows.hidden_label(followable).capitalize()
            entries += [
                {"object": item, "label": label, "url": None, "hidden": True}
                for item in followable.model._default_manager.filter(pk__in=unseen).order_by("pk")
            ]
        groups.append({"followable": followable, "items": entries})
    return render(
        request, "community/following.html", {"groups": groups, "total": sum(len(g["items"]) for g in groups)}
    )


# --- notifications ----------------------------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 25


TABS = {"for-you": ("For you", True), "following": ("Following", False)}


def notification_list(request):
    """This person's notifications in two lists: "For you" (about their own content, or addressed
    to them) and "Following" (what they follow); each filterable by kind and by unread, newest
    first, a page at a time through an index of its own."""
    tab = request.GET.get("tab", "for-you")
    if tab not in TABS:
        tab = "for-you"
    kinds = {event_type.key: event_type.label for event_type in event_types()}
    kind = request.GET.get("kind", "")
    if kind not in kinds:
        kind = ""
    notifications = Notification.objects.filter(recipient=request.user, for_you=TABS[tab][1])
    if kind:
        notifications = notifications.filter(event_type=kind)
    notifications = notifications.select_related("actor__profile")
    show = request.GET.get("show", "all")
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    # Current titles; a notification about a post hidden since is left out of the page.
    current = as_they_stand(page, recipient=request.user)
    rows = [{"notification": n, "html": one_link_phrase(n)} for n in current]
    query = {"tab": tab, **({"kind": kind} if kind else {}), **({"show": show} if show == "unread" else {})}
    return render(
        request,
        "community/notification_list.html",
        {
            "page": page,
            "rows": rows,
            "show": show,
            "tab": tab,
            "tab_label": TABS[tab][0],
            "tabs": [{"key": key, "label": label, "current": key == tab} for key, (label, _) in TABS.items()],
            "kind": kind,
            "kinds": sorted(kinds.items(), key=lambda item: item[1].lower()),
            "query": urlencode(query),
            "unread_query": urlencode({**query, "show": "unread"}),
            "all_query": urlencode({key: value for key, value in query.items() if key != "show"}),
        },
    )


def notification_open(request, pk):
    """Follow a notification's link, marking it read on the way when the link is the one Confer
    gave its recipient (``Notification.get_absolute_url``)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if constant_time_compare(request.GET.get("t", ""), notification.open_token()):
        notification.mark_read()
    return redirect(notification.url if url_has_allowed_host_and_scheme(notification.url, None) else "/")


@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification.mark_read()
    if request.htmx and (current := as_they_stand([notification], recipient=request.user)):
        notification = current[0]
        # The row, and the header's unread count swapped out of band.
        return render(
            request,
            "community/includes/notification_marked_read.html",
            {"row": {"notification": notification, "html": one_link_phrase(notification)}},
        )
    return redirect("notifications:index")


@require_POST
def notification_read_all(request):
    count = Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:index")


@with_allowance("community.settings")
def notification_settings(request):
    preferences = ListeningPreferences.for_user(request.user)
    form = ListeningPreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your notification settings have been saved.")
        return redirect("notifications:settings")
    feeds = [{"title": source.title, "key": source.key} for source in feed_sources()]
    return render(
        request,
        "community/notification_settings.html",
        {"form": form, "preferences": preferences, "feeds": feeds, "has_email": bool(request.user.email)},
    )


@require_POST
@with_allowance("community.settings")
def feed_token_revoke(request):
    ListeningPreferences.for_user(request.user).revoke_feed_token()
    messages.success(
        request, "Your feed addresses have changed. The old ones no longer work: update your feed reader."
    )
    return redirect(reverse("notifications:settings") + "#feeds")


@require_POST
@with_allowance("community.settings")
def unsubscribe_links_revoke(request):
    ListeningPreferences.for_user(request.user).revoke_unsubscribe_links()
    messages.success(request, "The unsubscribe links in emails Confer has already sent no longer work.")
    return redirect(reverse("notifications:settings") + "#email")


@login_not_required
@csrf_exempt  # RFC 8058 one-click: the mail client posts without a session; the signed token is the proof
def unsubscribe(request, token):
    """Stop emails from a link in an email, without signing in.

    GET shows a one-button page (mail scanners that open links must not unsubscribe anyone);
    POST, from that button or from a mail client's one-click unsubscribe, switches emails off.
    """
    try:
        user = user_for_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "community/unsubscribe.html", {"expired": True}, status=410)
    if user is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    preferences = ListeningPreferences.for_user(user)
    done = False
    if request.method == "POST":
        if preferences.email_frequency != EmailFrequency.OFF:
            preferences.email_frequency = EmailFrequency.OFF
            preferences.save(update_fields=["email_frequency"])
        done = True
    return render(
        request,
        "community/unsubscribe.html",
        {"person": user, "done": done, "already": preferences.email_frequency == EmailFrequency.OFF},
    )
