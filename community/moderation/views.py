"""The moderation queue (``/moderation/``), one-click decisions, claims, each thing's history, and the
flag form for the kinds that have no flag page of their own (ideas, comments)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..helpers import first_message, posted, refusals_explained_by, require, reserve_allowance, safe_next
from ..names import display_name
from .forms import DecisionForm, FlagForm
from .models import AuditEntry, Claim, Decision, Flag, can_moderate, kinds

PER_PAGE = 20
HISTORY_READERS = ("community.moderate_content", "qa.work_helpdesk_queue")
FLAG_RATE_LIMITED_MESSAGE = (
    "You have flagged a lot in a short time. Wait a while and try again, or tell a moderator directly. "
    "Nothing was sent."
)


explain_refusals = refusals_explained_by("forbidden.html")


def refused_status(request, form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _flag_rate(group, request):
    return getattr(settings, "QA_FLAG_RATE", "20/h")


def _kind(key):
    kind = kinds().get(key)
    if kind is None:
        raise Http404
    return kind


def _thing(key, pk):
    kind = _kind(key)
    return kind, kind.load([pk]).get(pk)


def _default_message(kind, obj, flags) -> str:
    reasons = sorted({flag.get_reason_display().lower() for flag in flags})
    return (
        f"A moderator hid your {kind.label} “{kind.summary(obj)}” because colleagues reported it: "
        f"{'; '.join(reasons)}. You can still see it and edit it."
        if kind.key != "comment"
        else f"A moderator hid your comment on “{kind.summary(obj)}” because colleagues reported it: "
        f"{'; '.join(reasons)}."
    )


@explain_refusals
def queue(request):
    """Everything with open flags, first flagged first, with what a decision needs in view: the thing
    itself, each flag's reason and note, how many flagged it, who has claimed it, and its author's
    hidden things so far. A page costs the same number of queries however long the queue is: one
    load per kind on the page, one for their flags, one for the claims, one per kind for history."""
    require(can_moderate(request.user), "Only moderators can see the moderation queue.")
    page = Paginator(Flag.objects.waiting(), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    by_kind: dict = {}
    for row in rows:
        by_kind.setdefault(row["content_type_id"], []).append(row["object_id"])
    registered = {kind.model: kind for kind in kinds().values()}
    loaded = {}
    for content_type_id, pks in by_kind.items():
        kind = registered.get(ContentType.objects.get_for_id(content_type_id).model_class())
        if kind is not None:
            loaded[content_type_id] = (kind, kind.load(pks))
    open_flags: dict = {}
    claims: dict = {}
    if rows:
        keys = {(row["content_type_id"], row["object_id"]) for row in rows}
        object_ids = {object_id for _, object_id in keys}
        for flag in Flag.objects.open().filter(object_id__in=object_ids).select_related("user__profile"):
            if (flag.content_type_id, flag.object_id) in keys:
                open_flags.setdefault((flag.content_type_id, flag.object_id), []).append(flag)
        for claim in Claim.objects.filter(object_id__in=object_ids).select_related("moderator__profile"):
            claims[(claim.content_type_id, claim.object_id)] = claim
    items = []
    for row in rows:
        kind, objects = loaded.get(row["content_type_id"], (None, {}))
        obj = objects.get(row["object_id"])
        if obj is None:  # deleted between the two queries
            continue
        key = (row["content_type_id"], row["object_id"])
        flags = open_flags.get(key, [])
        items.append({"kind": kind, "obj": obj, "author": kind.author(obj), "flags": flags, "count": row["count"],
                      "first_at": row["first_at"], "claim": claims.get(key), "hidden": kind.is_hidden(obj),
                      "edit_url": kind.edit_url(obj, request.user), "summary": kind.summary(obj), "url": kind.url(obj),
                      "message": _default_message(kind, obj, flags)})  # fmt: skip
    history: dict = {}
    author_ids = {item["author"].pk for item in items if item["author"] is not None}
    for kind in {item["kind"].key: item["kind"] for item in items}.values():
        for author_id, count in kind.hidden_counts(author_ids).items():
            history[author_id] = history.get(author_id, 0) + count
    for item in items:
        item["hidden_before"] = history.get(item["author"].pk, 0) if item["author"] is not None else 0
    return render(request, "moderation/queue.html", {"page": page, "items": items})


def _gone(request, key, back):
    messages.error(request, f"That {_kind(key).label} has been deleted, so there is nothing left to decide. "
                            "Nothing was changed.")  # fmt: skip
    return back


@require_POST
@explain_refusals
def decide(request, kind, pk):
    require(can_moderate(request.user), "Only moderators can deal with flags.")
    back = redirect(safe_next(request, reverse("moderation:queue")))
    kind, obj = _thing(kind, pk)
    if obj is None:
        return _gone(request, kind.key, back)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return back
    decision = form.cleaned_data["decision"]
    try:
        outcome = Flag.decide(request.user, obj, decision, form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, first_message(error))
        return back
    done = {
        Decision.DISMISS: f"Flags dismissed: the {kind.label} stays up.",
        Decision.HIDE: f"The {kind.label} is hidden.",
        Decision.HIDE_AND_TELL: f"The {kind.label} is hidden and its author has been told why.",
    }[decision]
    count = outcome["flags"]
    told = f"The {count} {'person' if count == 1 else 'people'} who flagged it will be told it was dealt with."
    claimed = ""
    if outcome["claimed_by"] is not None:
        claimed = f" {display_name(outcome['claimed_by'])} had claimed it: you decided it for them."
    messages.success(request, f"{done} {told}{claimed}")
    return back


@require_POST
@explain_refusals
def claim(request, kind, pk):
    require(can_moderate(request.user), "Only moderators can claim flagged items.")
    back = redirect(safe_next(request, reverse("moderation:queue")))
    kind, obj = _thing(kind, pk)
    if obj is None:
        return _gone(request, kind.key, back)
    try:
        if request.POST.get("action") == "unclaim":
            Claim.unclaim(request.user, obj)
            messages.success(request, f"The {kind.label} is back in the queue for any moderator.")
        else:
            Claim.claim(request.user, obj)
            messages.success(request, f"You have claimed the {kind.label}: other moderators see it is yours.")
    except ValidationError as error:
        messages.error(request, first_message(error))
    return back


@explain_refusals
def history(request, kind, pk):
    """The audit trail of one thing: every decision, who made it, when and why, and every flag."""
    user = request.user
    require(any(user.has_perm(perm) for perm in HISTORY_READERS),
            "Only moderators and the helpdesk can read the moderation history.")  # fmt: skip
    kind, obj = _thing(kind, pk)
    if obj is None:
        raise Http404
    entries = AuditEntry.about(obj).select_related("actor__profile")[:200]
    flags = Flag.objects.on(obj).select_related("user__profile", "resolved_by__profile")[:200]
    context = {"kind": kind, "obj": obj, "summary": kind.summary(obj), "hidden": kind.is_hidden(obj),
               "url": kind.url(obj), "entries": entries, "flags": flags}  # fmt: skip
    return render(request, "moderation/history.html", context)


def flag(request, kind, pk):
    """Flag anything registered (``Moderatable``) that this person may see and did not write."""
    kind, obj = _thing(kind, pk)
    if obj is None or not kind.visible_to(obj, request.user):
        raise Http404
    author = kind.author(obj)
    if author is not None and author.pk == request.user.pk:
        messages.error(request, f"You cannot flag your own {kind.label}. Edit it instead.")
        return redirect(kind.url(obj))
    form = FlagForm(posted(request))
    context = {"kind": kind, "obj": obj, "summary": kind.summary(obj), "back": kind.url(obj), "form": form}
    if request.method == "POST" and form.is_valid():
        reservation = reserve_allowance(request, "qa.flag", _flag_rate)
        if not reservation:
            form.add_error(None, FLAG_RATE_LIMITED_MESSAGE)
            return reservation.refuse(render(request, "moderation/flag_form.html", context, status=429))
        try:
            Flag.raise_flag(request.user, obj, form.cleaned_data["reason"], form.cleaned_data["note"])
        except ValidationError as error:
            reservation.release()
            messages.error(request, first_message(error))
        else:
            messages.success(request, "Thank you. A moderator will look at it.")
        return redirect(kind.url(obj))
    return render(request, "moderation/flag_form.html", context, status=refused_status(request, form))
