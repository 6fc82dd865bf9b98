"""The Listening page (/listening/) and what sits under it: sources, watches, items, exercises."""

import csv

import django_comments
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..comments import mark_replied, place_refused_form, post_comment, takes_replies
from ..helpers import CappedPaginator, posted, refusals_explained_by, require, with_allowance
from ..listening.notifications import notify
from ..workshops.views import csv_cell
from .fetching import fetch_source
from .forms import AllowForm, ExerciseForm, ShareForm, SourceForm, WatchForm, tags_named
from .models import (
    MANAGE_SOURCES,
    RUN_EXERCISES,
    ItemShare,
    ListeningExercise,
    ListeningItem,
    ListeningSource,
    Watch,
    WatchMatch,
)
from .watching import highlight, match_recent, parse

PAGE_SIZE = 20
INDENTS = [0, 4, 6, 8]  # GOV.UK spacing units by reply depth (govuk-!-margin-left-N)
explain_refusals = refusals_explained_by("forbidden.html")
COMMENT_LIMITED = "You have posted a lot in a short time. Wait a while and try again. Nothing was saved."


def _comment_rate(group, request):
    return getattr(settings, "LISTENING_COMMENT_RATE", "30/h")


def _page(request, queryset):
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def visible_watches(user):
    """The watches a person sees on their Listening page: theirs and those shared with their teams."""
    group_ids = list(user.groups.values_list("pk", flat=True))
    mine = Watch.objects.filter(owner=user)
    shared = (
        Watch.objects.filter(shared_with_group_id__in=group_ids).exclude(owner=user)
        if group_ids
        else Watch.objects.none()
    )
    return list(mine.order_by("name", "pk")[:100]), list(
        shared.select_related("owner__profile").order_by("name", "pk")[:100]
    )


def index(request):
    mine, shared = visible_watches(request.user)
    watch = None
    if request.GET.get("watch", "").isdigit():
        wanted = int(request.GET["watch"])
        watch = next((w for w in (*mine, *shared) if w.pk == wanted), None)
        if watch is None:
            raise Http404("No such watch")
    if watch is not None:
        rows = WatchMatch.objects.filter(watch=watch).select_related("item__source").order_by("-matched_at", "-id")
        page = _page(request, rows)
        terms = parse(watch.expression).positive_terms()
        entries = [
            {"item": match.item, "title": highlight(match.item.title, terms),
             "snippet": highlight(match.item.summary_text[:400], terms)}
            for match in page.object_list
        ]  # fmt: skip
    else:
        page = _page(request, ListeningItem.objects.select_related("source").newest())
        entries = [
            {"item": item, "title": item.title, "snippet": item.summary_text[:400]} for item in page.object_list
        ]
    return render(request, "community/listening/index.html", {
        "watch": watch, "mine": mine, "shared": shared, "page": page, "entries": entries,
        "can_manage": request.user.has_perm(MANAGE_SOURCES),
    })  # fmt: skip


# --- watches -------------------------------------------------------------------------------------


def _save_watch(watch, form):
    data = form.cleaned_data
    watch.name, watch.expression = data["name"], data["expression"]
    watch.shared_with_group, watch.shared_with_tag = data["shared_with_group"], data["shared_with_tag"]
    watch.save()
    watch.sources.set(data["sources"])
    watch.tags.set(tags_named(data["tags"]))


@with_allowance("listening.watch")
def watch_new(request):
    form = WatchForm(posted(request), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                watch = Watch(owner=request.user)
                _save_watch(watch, form)
            found = match_recent(watch)
            messages.success(
                request,
                f"Your watch “{watch.name}” is saved. It found {found} recent item{'' if found == 1 else 's'}.",
            )
            return redirect(watch.get_absolute_url())
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/listening/watch_form.html", {"form": form}, status=status)


def _own_watch(request, pk):
    watch = get_object_or_404(Watch, pk=pk)
    require(watch.owner_id == request.user.pk, "Only the person who made this watch can change it.")
    return watch


@explain_refusals
@with_allowance("listening.watch")
def watch_edit(request, pk):
    watch = _own_watch(request, pk)
    initial = {"name": watch.name, "expression": watch.expression, "sources": list(watch.sources.all()),
               "tags": ", ".join(t.name for t in watch.tags.all()), "shared_with_group": watch.shared_with_group,
               "shared_with_tag": watch.shared_with_tag.name if watch.shared_with_tag else ""}  # fmt: skip
    form = WatchForm(posted(request), initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _save_watch(watch, form)
            WatchMatch.objects.filter(watch=watch).delete()  # what it finds now, not what it found
        match_recent(watch)
        messages.success(request, f"Your watch “{watch.name}” is saved.")
        return redirect(watch.get_absolute_url())
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/listening/watch_form.html", {"form": form, "watch": watch}, status=status)


@explain_refusals
@require_POST
@with_allowance("listening.watch")
def watch_delete(request, pk):
    watch = _own_watch(request, pk)
    watch.delete()
    messages.success(request, f"The watch “{watch.name}” is deleted.")
    return redirect("listening:index")


# --- sources -------------------------------------------------------------------------------------


def sources(request):
    rows = ListeningSource.objects.prefetch_related("tags").order_by("name", "pk")
    return render(request, "community/listening/sources.html", {
        "page": _page(request, rows), "can_manage": request.user.has_perm(MANAGE_SOURCES), "allow_form": AllowForm(),
    })  # fmt: skip


def _require_manager(request):
    require(request.user.has_perm(MANAGE_SOURCES),
            "Only the digital team, and colleagues they allow, can add and change listening sources.")  # fmt: skip


@explain_refusals
@with_allowance("listening.source")
def source_new(request):
    _require_manager(request)
    form = SourceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = ListeningSource.objects.create(name=data["name"], url=data["url"], active=data["active"],
                                                added_by=request.user)  # fmt: skip
        source.tags.set(tags_named(data["tags"]))
        messages.success(
            request, f"“{source.name}” is added. Confer fetches it on the schedule, or now with “Fetch now”."
        )
        return redirect("listening:sources")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/listening/source_form.html", {"form": form}, status=status)


@explain_refusals
@with_allowance("listening.source")
def source_edit(request, pk):
    _require_manager(request)
    source = get_object_or_404(ListeningSource, pk=pk)
    initial = {"name": source.name, "url": source.url, "active": source.active,
               "tags": ", ".join(t.name for t in source.tags.all())}  # fmt: skip
    form = SourceForm(posted(request), initial=initial, instance=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["url"] != source.url:
            source.etag = source.last_modified = ""
        source.name, source.url, source.active = data["name"], data["url"], data["active"]
        source.save()
        source.tags.set(tags_named(data["tags"]))
        messages.success(request, f"“{source.name}” is saved.")
        return redirect("listening:sources")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/listening/source_form.html", {"form": form, "source": source}, status=status)


@explain_refusals
@require_POST
@with_allowance("listening.source")
def source_fetch(request, pk):
    _require_manager(request)
    source = get_object_or_404(ListeningSource, pk=pk)
    new = fetch_source(source)
    if source.last_error:
        messages.error(request, f"“{source.name}” could not be fetched: {source.last_error}")
    else:
        messages.success(request, f"“{source.name}” fetched: {len(new)} new item{'' if len(new) == 1 else 's'}.")
    return redirect("listening:sources")


@explain_refusals
@require_POST
@with_allowance("listening.source")
def allow(request):
    """The digital team lets a colleague add and change sources too."""
    _require_manager(request)
    form = AllowForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["username"]))
        return redirect("listening:sources")
    person = form.cleaned_data["username"]
    app_label, codename = MANAGE_SOURCES.split(".")
    person.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    messages.success(request, f"{person.get_username()} can now add and change listening sources.")
    return redirect("listening:sources")


# --- items ---------------------------------------------------------------------------------------


def _comment_form(item, parent=None):
    return django_comments.get_form()(item, comment=parent, auto_id=False)


def _comments(item):
    comments = list(
        django_comments.get_model().objects.filter(
            content_type=ContentType.objects.get_for_model(ListeningItem), object_pk=str(item.pk),
            site_id=settings.SITE_ID, is_public=True, is_removed=False,
        ).select_related("user__profile", "html").order_by("thread_id", "order")
    )  # fmt: skip
    for comment in mark_replied(comments):
        comment.reply_form = _comment_form(item, comment) if takes_replies(comment) and not comment.withdrawn else None
        comment.indent = INDENTS[min(comment.level, len(INDENTS) - 1)]
    return comments


def _item_page(request, item, share_form=None, comment_form=None, status=200):
    # Shares to a tag or into an exercise are open to all; one to named colleagues is theirs and the sharer's.
    received = ItemShare.recipients.through.objects.filter(user=request.user).values("itemshare_id")
    seen = Q(tag__isnull=False) | Q(exercise__isnull=False) | Q(shared_by=request.user) | Q(pk__in=received)
    shares = list(
        item.shares.filter(seen)
        .select_related("shared_by__profile", "tag", "exercise")
        .order_by("-created_at", "-pk")[:50]
    )
    comments = _comments(item)
    context = {
        "item": item, "shares": shares, "comments": comments,
        "share_form": share_form or ShareForm(user=request.user),
        "comment_form": place_refused_form(comments, comment_form) or _comment_form(item),
        "ask_url": f"{reverse('qa:ask')}?from_item={item.pk}",
        "idea_url": f"{reverse('ideas:new')}?from_item={item.pk}",
    }  # fmt: skip
    return render(request, "community/listening/item.html", context, status=status)


def item_detail(request, pk):
    item = get_object_or_404(ListeningItem.objects.select_related("source"), pk=pk)
    return _item_page(request, item)


@require_POST
@with_allowance("listening.share")
def item_share(request, pk):
    item = get_object_or_404(ListeningItem.objects.select_related("source"), pk=pk)
    form = ShareForm(request.POST, user=request.user)
    if not form.is_valid():
        return _item_page(request, item, share_form=form, status=400)
    data = form.cleaned_data
    with transaction.atomic():
        share = ItemShare.objects.create(item=item, shared_by=request.user, note=data["note"], tag=data["tag"],
                                         exercise=data["exercise"])  # fmt: skip
        share.recipients.set(data["usernames"])
        item.keep()
        notify(
            "listening.shared", actor=request.user, target=item, recipients=data["usernames"],
            followed=[data["tag"]] if data["tag"] else [], title=item.title, tags=item.tag_names(),
            data={"note": data["note"], "source": item.source.name},
        )  # fmt: skip
    messages.success(request, "Shared. " + _share_summary(data))
    return redirect(item)


def _share_summary(data) -> str:
    parts = []
    if data["usernames"]:
        parts.append(
            f"{len(data['usernames'])} colleague{'' if len(data['usernames']) == 1 else 's'} will hear about it"
        )
    if data["tag"]:
        parts.append(f"followers of “{data['tag'].name}” will hear about it")
    if data["exercise"]:
        parts.append(f"it is gathered in “{data['exercise'].title}”")
    return ("; ".join(parts) + ".").capitalize() if parts else ""


@require_POST
def item_comment(request, pk):
    item = get_object_or_404(ListeningItem.objects.select_related("source"), pk=pk)

    def show_again(form, status):
        return _item_page(request, item, comment_form=form, status=status)

    return post_comment(request, item, allowance=("listening.comment", _comment_rate), limited=COMMENT_LIMITED,
                        rerender=show_again)  # fmt: skip


# --- listening exercises -------------------------------------------------------------------------


def exercises(request):
    rows = ListeningExercise.objects.order_by("-starts_at", "-id")
    return render(request, "community/listening/exercises.html", {
        "page": _page(request, rows), "can_run": request.user.has_perm(RUN_EXERCISES), "now": timezone.now(),
    })  # fmt: skip


@explain_refusals
@with_allowance("listening.exercise")
def exercise_new(request):
    require(request.user.has_perm(RUN_EXERCISES), "Only the digital team can run listening exercises.")
    form = ExerciseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        start, end = form.window()
        exercise = ListeningExercise.objects.create(title=form.cleaned_data["title"], starts_at=start, ends_at=end,
                                                    description=form.cleaned_data["description"],
                                                    created_by=request.user)  # fmt: skip
        messages.success(request, f"“{exercise.title}” is set up. Colleagues can share items into it while it runs.")
        return redirect(exercise)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "community/listening/exercise_form.html", {"form": form}, status=status)


def _exercise_shares(exercise):
    return (
        ItemShare.objects.filter(exercise=exercise)
        .select_related("item__source", "shared_by__profile")
        .order_by("created_at", "id")
    )


def exercise_detail(request, pk):
    exercise = get_object_or_404(ListeningExercise, pk=pk)
    return render(request, "community/listening/exercise.html", {
        "exercise": exercise, "page": _page(request, _exercise_shares(exercise)),
        "running": exercise.is_running(), "can_run": request.user.has_perm(RUN_EXERCISES),
    })  # fmt: skip


@explain_refusals
def exercise_csv(request, pk):
    """The exercise for the policy team: one row per shared item and note (formula-safe cells)."""
    exercise = get_object_or_404(ListeningExercise, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="listening-exercise-{exercise.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Shared at", "Item", "Link", "Source", "Published", "Shared by", "Note"])
    for share in _exercise_shares(exercise).iterator(chunk_size=500):
        item = share.item
        writer.writerow([csv_cell(value) for value in (
            timezone.localtime(share.created_at).strftime("%Y-%m-%d %H:%M"), item.title, item.link, item.source.name,
            timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M"),
            share.shared_by.get_username() if share.shared_by else "", share.note,
        )])  # fmt: skip
    return response
