from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from taggit.models import Tag

from skills import ranking as skills_ranking
from skills.models import annotate_volunteering

from . import follows, sitesearch
from .emails import user_for_unsubscribe_token
from .feeds import feed_sources
from .follows import follow_button_context, follow_label, follow_url
from .forms import ListeningPreferencesForm, LoginForm, ProfileForm
from .models import Directorate, EmailFrequency, Follow, ListeningPreferences, Notification, Profile
from .notifications import render_notification
from .tags import tag_sections

PEOPLE_PER_PAGE = 24
SEARCH_RESULTS_PER_PAGE = 10


def _directory(query: str, directorate: str, volunteers_only: bool):
    """Profiles whose name, role, team or directorate match every word, with their volunteering."""
    profiles = annotate_volunteering(Profile.objects.active().select_related("user", "directorate"))
    for word in query.split()[:10]:
        profiles = profiles.filter(
            Q(display_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(team__icontains=word)
            | Q(directorate__name__icontains=word)
            | Q(user__username__iexact=word)
        )
    if directorate:
        profiles = profiles.filter(directorate__slug=directorate)
    if volunteers_only:
        profiles = profiles.filter(volunteer_role__isnull=False)
    return profiles


def people_index(request):
    """The staff directory, and "who can help with X": when what is typed names a topic (a tag),
    people are ranked by skills.ranking's documented score, each with the reasons they are listed,
    followed by anyone whose name, role or team matches the words."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    directorate = request.GET.get("directorate", "")[:100]
    volunteers_only = request.GET.get("volunteers") == "1"
    directorates = list(Directorate.objects.all())
    chosen = next((d for d in directorates if d.slug == directorate), None)
    topics = skills_ranking.topics_in(query) if query else []
    context = {
        "query": query,
        "directorates": directorates,
        "selected_directorate": directorate,
        "volunteers_only": volunteers_only,
        "topics": topics,
        "topic_names": [tag.name for tag in topics],
        "topic_text": skills_ranking.topic_phrase([tag.name for tag in topics], "or"),
    }
    if topics:
        if directorate and chosen is None:
            results = []
        else:
            results = skills_ranking.rank_people(topics, directorate=chosen, volunteers_only=volunteers_only)
            listed = {match.user_id for match in results}
            extras = [
                skills_ranking.Match.for_profile(profile, "name, role or team matches")
                for profile in _directory(query, directorate, volunteers_only)[: skills_ranking.DIRECTORY_EXTRAS]
                if profile.user_id not in listed
            ]
            context["extra_count"] = len(extras)
            results += extras
        context["scoring_rules"] = skills_ranking.scoring_rules()
        context["evidence_cap"] = skills_ranking.EVIDENCE_CAP
    else:
        results = _directory(query, directorate, volunteers_only)
        if query:
            context["suggested_topics"] = skills_ranking.suggest_topics(query)
    context["page"] = Paginator(results, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/people_index.html", context)


def profile_detail(request, username):
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    profile = Profile.for_user(user)
    return render(
        request,
        "community/profile_detail.html",
        {"profile": profile, "person": user, "is_own": user == request.user},
    )


def profile_edit(request):
    profile = Profile.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been updated.")
        return redirect(profile)
    return render(request, "community/profile_edit.html", {"form": form, "profile": profile})


def tag_index(request):
    return render(request, "community/tag_index.html", {"tags": Tag.objects.order_by("name")})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    sections = []
    for section in tag_sections():
        items = list(section.items(tag, request))
        sections.append({"section": section, "items": items})
    feed_token = ListeningPreferences.for_user(request.user).feed_token
    return render(request, "community/tag_detail.html", {"tag": tag, "sections": sections, "feed_token": feed_token})


def search(request):
    """One search over every kind of content, faceted by type and tag, with "Did you mean …?"."""
    query = sitesearch.clean_query(request.GET.get("q"))
    context = {"query": query, "types": [], "results": None}
    if not query:
        context["popular_tags"] = Tag.objects.order_by("name")[:30]
        return render(request, "community/search.html", context)

    tag = Tag.objects.filter(slug=request.GET.get("tag", "")).first()
    wanted = request.GET.get("type", "")
    counts, total = _counted_searches(query, request, tag, "and")
    # Nothing has every word: offer a spelling that finds something, and show what has some words.
    suggestion = _working_suggestion(query, request, tag) if total == 0 else None
    loosened = False
    if total == 0 and sitesearch.can_loosen(query):
        loose_counts, loose_total = _counted_searches(query, request, tag, "or")
        if loose_total:
            counts, total, loosened = loose_counts, loose_total, True

    active = next((entry for entry in counts if entry[0].key == wanted), None) or next(
        (entry for entry in counts if entry[2]), counts[0]
    )
    active_type, results, _ = active
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    hits = [{"object": obj, "snippet": sitesearch.highlight(active_type.snippet(obj), query)} for obj in page]
    context.update(
        {
            "types": [{"type": t, "count": count, "active": t is active_type} for t, _, count in counts],
            "active_type": active_type,
            "page": page,
            "hits": hits,
            "total": total,
            "tag": tag,
            "tag_facets": sitesearch.tag_counts(active_type, [obj.pk for obj in results[: sitesearch.TAG_FACET_HITS]]),
            "suggestion": suggestion,
            "loosened": loosened,
            "feed_token": ListeningPreferences.for_user(request.user).feed_token,
            "unavailable": sitesearch.unavailable_types(),
        }
    )
    return render(request, "community/search.html", context)


def _counted_searches(query, request, tag, operator):
    """``([(search type, lazy results, count), …], total)`` for every kind of content."""
    counts = []
    for search_type in sitesearch.search_types():
        results = sitesearch.run_search(query, search_type, request, tag, operator=operator)
        counts.append((search_type, results, results.count()))
    return counts, sum(count for _, _, count in counts)


def _working_suggestion(query, request, tag):
    """ "Did you mean …?" only for a spelling that finds something this person may see: the index's
    vocabulary also holds words from drafts and hidden posts, which must not leak through it."""
    suggestion = sitesearch.suggest(query)
    if suggestion is None:
        return None
    for search_type in sitesearch.search_types():
        if sitesearch.run_search(suggestion, search_type, request, tag).count():
            return suggestion
    return None


def similar(request):
    """Up to five items like the title being typed (an htmx partial; a plain page without JS)."""
    search_type = sitesearch.get_search_type(request.GET.get("type", ""))
    if search_type is None:
        raise Http404("Unknown kind of content")
    query = sitesearch.clean_query(request.GET.get("q") or request.GET.get("title"))
    exclude = request.GET.get("exclude")
    items = sitesearch.similar(
        query, search_type, request, exclude_pk=int(exclude) if exclude and exclude.isdigit() else None
    )
    template = "community/includes/similar.html" if request.htmx else "community/similar.html"
    links = [sitesearch.link_for(item) for item in items]
    return render(request, template, {"items": links, "query": query, "search_type": search_type})


@never_cache
@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def rate_limited(request, exception):
    """django-ratelimit sends over-limit requests here."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


@login_not_required
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def safe_next(request, fallback: str) -> str:
    """The page a form came from (its ``next`` field), if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


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


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related("actor__profile")
    show = request.GET.get("show", "all")
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"notification": n, "html": render_notification(n, link=n.get_absolute_url())} for n in page]
    return render(request, "community/notification_list.html", {"page": page, "rows": rows, "show": show})


def notification_open(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification.mark_read()
    return redirect(notification.url if url_has_allowed_host_and_scheme(notification.url, None) else "/")


@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notification.mark_read()
    if request.htmx:
        # The row, and the header's unread count swapped out of band.
        return render(
            request,
            "community/includes/notification_marked_read.html",
            {"row": {"notification": notification, "html": render_notification(notification, link=notification.url)}},
        )
    return redirect("notifications:index")


@require_POST
def notification_read_all(request):
    count = Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} as read.")
    return redirect("notifications:index")


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
def feed_token_revoke(request):
    ListeningPreferences.for_user(request.user).revoke_feed_token()
    messages.success(
        request, "Your feed addresses have changed. The old ones no longer work: update your feed reader."
    )
    return redirect(reverse("notifications:settings") + "#feeds")


@login_not_required
@csrf_exempt  # RFC 8058 one-click: the mail client posts without a session; the signed token is the proof
def unsubscribe(request, token):
    """Stop emails from a link in an email, without signing in.

    GET shows a one-button page (mail scanners that open links must not unsubscribe anyone);
    POST, from that button or from a mail client's one-click unsubscribe, switches emails off.
    """
    user = user_for_unsubscribe_token(token)
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


class LoginView(auth_views.LoginView):
    """Sign in. Someone already signed in who is sent here was refused a page (the Wagtail admin
    sends people without admin access to the login page): say so, rather than bouncing them back
    to the page that sent them here, which would loop."""

    authentication_form = LoginForm

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if self.get_redirect_url():
                return render(request, "403.html", status=403)
            return redirect("/")
        return super().get(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Sign out is a POST (the header's button), so a link cannot sign someone out. Opening the
    address asks "Sign out?" with that button, rather than a blank "method not allowed"."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            # No ?next=: signing in again should not land on this page.
            return redirect("login")
        return render(request, "registration/logout.html")
