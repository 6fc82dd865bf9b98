"""Ideas views: each reads input through a form, calls one model method, and renders or redirects.

Model methods raise PermissionDenied (shown as a 403 page that says why) or ValidationError (shown as
a message or a form error; nothing is changed). Voting answers htmx with a partial and plain posts
with a redirect, so everything works without JavaScript.
"""

import django_comments
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from taggit.models import Tag

from community.comments import mark_replied, place_refused_form, post_comment, takes_replies
from community.groups.forms import add_community_choice
from community.helpers import (
    CappedPaginator,
    first_message,
    own_content_action,
    posted,
    refusals_explained_by,
    require,
    reserve_allowance,
    safe_next,
    with_allowance,
)
from community.listeningpost import prefill as listening_prefill
from community.markdown import render_markdown
from community.mentions import warn_unknown_mentions
from community.models import ListeningPreferences, TagUsage
from community.moderation.models import can_moderate
from community.sitesearch import search as sitesearch
from community.tags import complete_tags
from community.uploads import attach_uploaded_image

from .forms import (
    BenefitForm,
    CampaignForm,
    IdeaEditForm,
    IdeaFilterForm,
    IdeaForm,
    MergeForm,
    StatusForm,
    VoteForm,
    idea_number,
)
from .models import (
    MAX_DESCRIPTION_LENGTH,
    MAX_TITLE_LENGTH,
    Campaign,
    Idea,
    IdeaMerge,
    can_merge,
    can_record_benefits,
    can_run_campaigns,
    can_set_status,
)

IDEAS_PER_PAGE = 20
TAG_OPTIONS = 200
INDENTS = [0, 4, 6, 8]  # GOV.UK spacing units by reply depth (govuk-!-margin-left-N)
RATE_LIMITED_MESSAGE = (
    "You have posted a lot in a short time. To keep Confer useful for everyone, wait a while and try again. "
    "Nothing was saved."
)
VOTE_RATE_LIMITED_MESSAGE = "You have voted a lot in a short time. Wait a while and try again. Nothing was changed."


# --- helpers --------------------------------------------------------------------------------------

explain_refusals = refusals_explained_by("ideas/forbidden.html")


# Rates are django-ratelimit rates ("10/h"); settings may override them.
def _post_rate(group, request):
    return getattr(settings, "IDEAS_POST_RATE", "10/h")


def _vote_rate(group, request):
    return getattr(settings, "IDEAS_VOTE_RATE", "60/h")


RATES = {"ideas.post": _post_rate, "ideas.comment": _post_rate, "ideas.vote": _vote_rate}


def reserve_use(request, group: str):
    """One use of this person's allowance, taken before acting (released if nothing happens)."""
    return reserve_allowance(request, group, RATES[group])


def _tag_options():
    return TagUsage.most_used("ideas", TAG_OPTIONS)


def _listing(queryset, user):
    return queryset.with_vote_of(user).select_related("author__profile", "campaign").prefetch_related("tags")


def sorted_ideas(queryset, sort: str):
    if sort == "top":
        return queryset.top()
    if sort == "newest":
        return queryset.newest()
    if sort == "discussed":
        return queryset.most_discussed()
    return queryset.trending()


# --- lists ---------------------------------------------------------------------------------------


def idea_list(request):
    """All ideas, sorted (trending, top, newest, most discussed) and filtered (status, tag, campaign)."""
    form = IdeaFilterForm(request.GET or None)
    chosen = form.filters()
    ideas = Idea.objects.visible_to(request.user)
    if chosen["status"]:
        ideas = ideas.filter(status=chosen["status"], withdrawn_at__isnull=True)
    else:
        ideas = ideas.listed()
    tag = campaign = None
    if chosen["tag"]:
        tag = Tag.objects.filter(Q(slug=chosen["tag"]) | Q(name__iexact=chosen["tag"])).first()
        ideas = ideas.filter(tags=tag) if tag else ideas.none()
    if chosen["campaign"]:
        campaign = Campaign.objects.filter(pk=chosen["campaign"]).first()
        ideas = ideas.filter(campaign=campaign) if campaign else ideas.none()
    ideas = sorted_ideas(_listing(ideas, request.user), chosen["sort"])
    page = CappedPaginator(ideas, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ideas/idea_list.html",
        {
            "page": page,
            "form": form,
            "chosen": chosen,
            "tag": tag,
            "campaign": campaign,
            "campaigns": Campaign.objects.only("pk", "title"),
            "open_campaigns": Campaign.objects.open().order_by("closes_at"),
            "tag_options": _tag_options(),
            "feed_token": ListeningPreferences.for_user(request.user).feed_token,
        },
    )


def tag_suggest(request):
    """A <datalist> completing the last tag being typed, keeping the ones before it."""
    options = complete_tags(request.GET.get("tags", ""), "ideas_ideatag_items")
    return render(request, "ideas/includes/tag_options.html", {"options": options})


def similar(request):
    """Ideas like the title being typed (an htmx partial), with their votes and status."""
    query = sitesearch.clean_query(request.GET.get("title") or request.GET.get("q"))
    search_type = sitesearch.get_search_type("ideas")
    found = sitesearch.similar(query, search_type, request) if search_type and query else []
    # Search hits come back in relevance order; load them again with what the partial shows.
    by_pk = Idea.objects.select_related("campaign").in_bulk([idea.pk for idea in found])
    ideas = [by_pk[idea.pk] for idea in found if idea.pk in by_pk]
    template = "ideas/includes/similar.html" if request.htmx else "ideas/similar.html"
    return render(request, template, {"ideas": ideas, "query": query})


# --- submitting ------------------------------------------------------------------------------------


def idea_new(request):
    initial = {}
    if request.method == "GET" and request.GET.get("campaign", "").isdigit():
        initial["campaign"] = request.GET["campaign"]
    # "Turn into an idea" on a listening post item: the form starts from the item (prefill.py).
    from_item = listening_prefill.item_from(request)
    if from_item is not None:
        initial.update(listening_prefill.initial(from_item, MAX_TITLE_LENGTH, "description"))
    data, upload_error = attach_uploaded_image(request, "description")
    form = IdeaForm(data, initial=initial)
    add_community_choice(form, request.user, request.GET.get("community", ""))
    if upload_error:
        form.add_error("image", upload_error)
    preview, status = None, 200
    if request.method == "POST":
        if "preview" in request.POST:
            preview = render_markdown(form.data.get("description", "")[:MAX_DESCRIPTION_LENGTH])
            status = 400 if upload_error else 200
        elif not form.is_valid():
            status = 400
        elif not (reservation := reserve_use(request, "ideas.post")):
            form.add_error(None, RATE_LIMITED_MESSAGE)
            status = 429
        else:
            data = form.cleaned_data
            try:
                idea = Idea.submit(
                    request.user, data["title"], data["description"], data["tags"], data["campaign"], data["community"]
                )
                if from_item is not None:
                    listening_prefill.used_for(from_item, idea)
            except ValidationError as error:
                reservation.release()
                form.add_error("campaign", first_message(error))
                status = 400
            else:
                messages.success(request, "Your idea has been posted. Colleagues can now vote for it.")
                warn_unknown_mentions(request, idea.description)
                return redirect(idea)
    response = render(
        request,
        "ideas/idea_form.html",
        {"form": form, "preview": preview, "tag_options": _tag_options(), "from_item": from_item},
        status=status,
    )
    return reservation.refuse(response) if status == 429 else response


@require_POST
def markdown_preview(request):
    """htmx: the description as it will look once posted."""
    return render(
        request,
        "includes/markdown_preview.html",
        {"preview": render_markdown(request.POST.get("description", "")[:MAX_DESCRIPTION_LENGTH])},
    )


# --- one idea ---------------------------------------------------------------------------------------


def get_idea(request, pk, queryset=None) -> Idea:
    """The idea, if this person may see it (hidden ones: moderators and the author only)."""
    idea = get_object_or_404(queryset if queryset is not None else Idea.objects.all(), pk=pk)
    if not idea.is_visible_to(request.user):
        raise Http404("No such idea")
    return idea


def _comment_form(idea, parent=None):
    return django_comments.get_form()(idea, comment=parent, auto_id=False)


def comments_for(idea, merged: list) -> list:
    """The idea's comments, threaded, followed by those of ideas merged into it (read-only here)."""
    sources = {str(idea.pk): None, **{str(other.pk): other for other in merged}}
    comments = list(
        django_comments.get_model()
        .objects.filter(
            content_type=ContentType.objects.get_for_model(Idea),
            object_pk__in=list(sources),
            site_id=settings.SITE_ID,
            is_public=True,
            is_removed=False,
        )
        .select_related("user__profile", "html")
        .order_by("thread_id", "order")
    )
    for comment in mark_replied(comments):
        comment.merged_from = sources.get(comment.object_pk)
        own = comment.merged_from is None
        open_to_replies = own and takes_replies(comment) and not comment.withdrawn and not idea.withdrawn_at
        comment.reply_form = _comment_form(idea, comment) if open_to_replies else None
        comment.indent = INDENTS[min(comment.level, len(INDENTS) - 1)]
    # This idea's own threads first, then each merged idea's.
    comments.sort(key=lambda comment: comment.merged_from is not None)
    return comments


def _idea_for_page(request, pk):
    queryset = (
        Idea.objects.with_vote_of(request.user)
        .select_related("author__profile", "campaign", "merged_into", "benefit", "community")
        .prefetch_related("tags")
    )
    return get_idea(request, pk, queryset)


def _detail(request, idea, status=200, comment_form=None):
    """The idea page; a comment form shown again after an error keeps what was typed."""
    merges_in = list(
        idea.merges_in.active().select_related("source", "merged_by__profile").order_by("merged_at", "pk")
    )
    merged = [merge.source for merge in merges_in]
    context = {
        "idea": idea,
        "voting_refusal": idea.voting_refusal(),
        "history": list(idea.status_changes.select_related("changed_by__profile")),
        "merges_in": merges_in,
        "merge_out": idea.merges_out.active().select_related("merged_by__profile").first() if idea.is_merged else None,
        "comments": comments_for(idea, merged),
    }
    context["comment_form"] = place_refused_form(context["comments"], comment_form) or _comment_form(idea)
    context["latest_response"] = next((change for change in context["history"] if change.merge_id is None), None)
    # The author is offered deleting while nobody has replied, withdrawing after.
    context["owner_action"] = ""
    context["can_edit"] = idea.edit_refusal(request.user) is None
    if idea.author_id == request.user.pk and not idea.withdrawn_at:
        context["owner_action"] = "withdraw" if idea.deletion_refusal(request.user) else "delete"
    return render(request, "ideas/idea_detail.html", context, status=status)


def idea_detail(request, pk, slug=None):
    idea = _idea_for_page(request, pk)
    if slug != idea.slug:
        return redirect(idea, permanent=True)
    return _detail(request, idea)


@require_POST
def idea_vote(request, pk):
    idea = get_idea(request, pk, Idea.objects.select_related("campaign", "merged_into"))
    form = VoteForm(request.POST)
    error = success = None
    if not form.is_valid():
        error = "Choose to vote for the idea or to withdraw your vote."
    elif not (reservation := reserve_use(request, "ideas.vote")):
        error = VOTE_RATE_LIMITED_MESSAGE
    else:
        try:
            if form.cleaned_data["action"] == "vote":
                idea.vote(request.user)
                success = "Your vote has been counted."
            else:
                idea.withdraw_vote(request.user)
                success = "Your vote has been withdrawn."
        except ValidationError as refusal:
            reservation.release()
            error = first_message(refusal)
    # The ideas list votes in place ("inline"): its own smaller partial, and without JavaScript
    # the browser goes back to the list it came from (``next``), not to the idea.
    inline = bool(request.POST.get("inline"))
    if request.htmx:
        idea.refresh_from_db(fields=["vote_count"])
        idea.has_voted = idea.has_vote_from(request.user)
        context = {"idea": idea, "voting_refusal": idea.voting_refusal(), "error": error, "success": success,
                   "next_url": safe_next(request, reverse("ideas:index"))}  # fmt: skip
        template = "ideas/includes/vote_inline.html" if inline else "ideas/includes/vote.html"
        if error == VOTE_RATE_LIMITED_MESSAGE:
            return reservation.refuse(render(request, template, context, status=429))
        return render(request, template, context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(safe_next(request, idea.get_absolute_url()) if inline else idea)


@require_POST
def idea_comment(request, pk):
    """A comment or a reply: post_comment checks (Idea.check_can_comment), counts and saves it."""
    idea = get_idea(request, pk, Idea.objects.select_related("merged_into"))

    def show_again(form, status):
        return _detail(request, _idea_for_page(request, pk), status=status, comment_form=form)

    allowance = ("ideas.comment", RATES["ideas.comment"])
    return post_comment(
        request, idea, allowance=allowance, limited=RATE_LIMITED_MESSAGE, rerender=show_again,
        saved=lambda comment: warn_unknown_mentions(request, comment.comment),
    )  # fmt: skip


# --- owning your idea: edit it (with a history), delete it while nobody has replied, else withdraw --


@explain_refusals
def idea_edit(request, pk):
    """Its author changes the idea's words and tags; every change is kept (``idea_revisions``)."""
    idea = get_idea(request, pk, Idea.objects.prefetch_related("tags"))
    refusal = idea.edit_refusal(request.user)
    if refusal:
        raise PermissionDenied(refusal)
    initial = {"title": idea.title, "description": idea.description, "tags": ", ".join(idea.tag_names())}
    data, upload_error = attach_uploaded_image(request, "description")
    form = IdeaEditForm(data, initial=initial)
    if upload_error:
        form.add_error("image", upload_error)
    preview, status = None, 200
    if request.method == "POST":
        if "preview" in request.POST:
            preview = render_markdown(form.data.get("description", "")[:MAX_DESCRIPTION_LENGTH])
            status = 400 if upload_error else 200
        elif not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            if idea.edit(request.user, data["title"], data["description"], data["tags"], data["summary"]):
                messages.success(request, "Your changes have been saved.")
                warn_unknown_mentions(request, idea.description)
            else:
                messages.info(request, "Nothing was changed.")
            return redirect(idea)
    context = {"idea": idea, "form": form, "preview": preview, "tag_options": _tag_options()}
    return render(request, "ideas/idea_edit.html", context, status=status)


def idea_revisions(request, pk):
    """The idea's history of changes, newest first; a withdrawn idea's only to its author and moderators."""
    idea = get_idea(request, pk)
    if idea.withdrawn_at and not (idea.author_id == request.user.pk or can_moderate(request.user)):
        raise Http404("Its author withdrew this idea")
    revisions = list(idea.revisions.select_related("editor__profile"))
    entries, previous = [], None
    for number, revision in enumerate(revisions, start=1):
        entries.append({"number": number, "revision": revision, "changes": revision.changes_from(previous)})
        previous = revision
    return render(request, "ideas/idea_revisions.html", {"idea": idea, "entries": entries[::-1]})


@explain_refusals
def idea_delete(request, pk):
    """Delete your own idea while nobody has replied: a GET asks "are you sure?", the POST deletes.
    After a reply it is refused, with why, and withdrawing is offered instead."""
    idea = get_idea(request, pk)
    return own_content_action(
        request, author_id=idea.author_id, refusal=idea.deletion_refusal(request.user), act=idea.delete_by,
        back=idea, after="ideas:index", template="ideas/idea_delete.html", context={"idea": idea},
        done=f"Your idea “{idea.title}” has been deleted.",
    )  # fmt: skip


@explain_refusals
def idea_withdraw(request, pk):
    """Withdraw your own idea: a GET asks "are you sure?", the POST withdraws."""
    idea = get_idea(request, pk)
    return own_content_action(
        request, author_id=idea.author_id, refusal=idea.withdrawal_refusal(request.user), act=idea.withdraw_by,
        back=idea, template="ideas/idea_withdraw.html", context={"idea": idea},
        done="Your idea has been withdrawn. Others now see “Withdrawn by the author” in place of its description.",
    )  # fmt: skip


# --- moderating: status, merge, benefit -------------------------------------------------------------


@explain_refusals
def idea_status(request, pk):
    require(can_set_status(request.user), "Only moderators can change the status of an idea.")
    idea = get_idea(request, pk, Idea.objects.select_related("merged_into"))
    if idea.is_merged:
        messages.error(request, f"This idea was merged into “{idea.merged_into.title}”. Undo the merge first.")
        return redirect(idea)
    form = StatusForm(posted(request), idea=idea)
    preview = None
    if request.method == "POST":
        if "preview" in request.POST:
            preview = render_markdown(request.POST.get("response", "")[:MAX_DESCRIPTION_LENGTH])
        elif form.is_valid():
            try:
                idea.change_status(request.user, form.cleaned_data["status"], form.cleaned_data["response"])
            except ValidationError as error:
                form.add_error(None, first_message(error))
            else:
                messages.success(
                    request, f"The idea is now “{idea.get_status_display()}”. Its voters and followers have been told."
                )
                return redirect(idea)
    return render(
        request,
        "ideas/idea_status_form.html",
        {"idea": idea, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


@explain_refusals
def idea_merge(request, pk):
    require(can_merge(request.user), "Only moderators can merge ideas.")
    idea = get_idea(request, pk, Idea.objects.select_related("merged_into"))
    if idea.is_merged:
        messages.error(request, f"This idea has already been merged into “{idea.merged_into.title}”.")
        return redirect(idea)
    form = MergeForm(posted(request), idea=idea, user=request.user)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            merge = idea.merge_into(target, request.user, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error("target", first_message(error))
        else:
            messages.success(
                request,
                f"“{idea.title}” has been merged into this idea: {merge.votes_moved} vote"
                f"{'s' if merge.votes_moved != 1 else ''} moved"
                + (f", {merge.votes_already_on_target} already here" if merge.votes_already_on_target else "")
                + ". Its author, voters and followers were told.",
            )
            return redirect(target)
    query = request.GET.get("q", "").strip()[:200]
    chosen = request.POST.get("target", "").strip() if request.method == "POST" else ""
    context = {"idea": idea, "form": form, "query": query, "chosen": chosen,
               "candidates": _original_candidates(request, idea, query, chosen)}  # fmt: skip
    return render(request, "ideas/idea_merge_form.html", context, status=400 if form.errors else 200)


def _original_candidates(request, idea, query: str, chosen: str) -> list:
    """The ideas offered as the original: the one already chosen, what the search box found (a number
    or a link finds that idea), then ideas like this one. Only ideas that can be the original are
    offered: listed (not merged, not hidden), visible, and not this one."""
    allowed_ideas = Idea.objects.visible_to(request.user).listed()
    found = []
    if chosen.isdigit():
        found += list(allowed_ideas.filter(pk=int(chosen)))
    search_type = sitesearch.get_search_type("ideas")
    number = idea_number(query) if query else None
    if number is not None:
        found += list(allowed_ideas.filter(pk=number))
    elif query and search_type:
        found += sitesearch.similar(query, search_type, request, limit=10, exclude_pk=idea.pk)
    if search_type:
        found += sitesearch.similar(idea.title, search_type, request, exclude_pk=idea.pk)
    allowed = set(allowed_ideas.filter(pk__in=[item.pk for item in found]).values_list("pk", flat=True))
    candidates, seen = [], {idea.pk}
    for item in found:
        if item.pk in allowed and item.pk not in seen:
            seen.add(item.pk)
            candidates.append(item)
    return candidates


@require_POST
@explain_refusals
def merge_undo(request, pk):
    require(can_merge(request.user), "Only moderators can undo a merge.")
    merge = get_object_or_404(IdeaMerge.objects.select_related("source", "target"), pk=pk)
    try:
        merge.undo(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, f"The merge has been undone: “{merge.source.title}” has its own votes back.")
    return redirect(merge.source)


@explain_refusals
@with_allowance("ideas.benefit")
def idea_benefit(request, pk):
    require(can_record_benefits(request.user), "Only moderators and the digital team can record benefits.")
    idea = get_idea(request, pk, Idea.objects.select_related("benefit"))
    if idea.status != Idea.Status.IMPLEMENTED:
        messages.error(request, "Benefits can be recorded once an idea is implemented.")
        return redirect(idea)
    benefit = getattr(idea, "benefit", None)
    initial = {}
    if benefit is not None:
        initial = {name: getattr(benefit, name) for name in (*benefit.VALUE_FIELDS, "evidence")}
    form = BenefitForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            idea.record_benefit(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            messages.success(request, "The benefit has been recorded.")
            return redirect(f"{idea.get_absolute_url()}#benefit")
    return render(
        request, "ideas/idea_benefit_form.html", {"idea": idea, "form": form}, status=400 if form.errors else 200
    )


# --- campaigns ------------------------------------------------------------------------------------


def campaign_list(request):
    campaigns = Campaign.objects.with_idea_count()
    return render(
        request,
        "ideas/campaign_list.html",
        {
            "open": list(campaigns.open().order_by("closes_at")),
            "upcoming": list(campaigns.upcoming().order_by("opens_at")),
            "closed": list(campaigns.closed().order_by("-closes_at")),
        },
    )


def campaign_detail(request, pk, slug=None):
    campaign = get_object_or_404(Campaign, pk=pk)
    if slug != campaign.slug:
        return redirect(campaign, permanent=True)
    form = IdeaFilterForm(request.GET or None)
    chosen = form.filters()
    ideas = sorted_ideas(_listing(Idea.objects.listed().filter(campaign=campaign), request.user), chosen["sort"])
    page = Paginator(ideas, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ideas/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "form": form,
            "chosen": chosen,
        },
    )


@explain_refusals
def campaign_new(request):
    require(can_run_campaigns(request.user), "Only moderators and the digital team can start campaigns.")
    form = CampaignForm(posted(request), initial={"opens_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = Campaign.start(
                request.user, data["title"], data["description"], data["opens_at"], data["closes_at"]
            )
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            messages.success(request, "The campaign has been created.")
            return redirect(campaign)
    return render(request, "ideas/campaign_form.html", {"form": form}, status=400 if form.errors else 200)


@explain_refusals
def campaign_edit(request, pk):
    require(can_run_campaigns(request.user), "Only moderators and the digital team can change campaigns.")
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(posted(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign.edit(request.user, data["title"], data["description"], data["opens_at"], data["closes_at"])
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            messages.success(request, "The campaign has been changed.")
            return redirect(campaign)
    return render(
        request,
        "ideas/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=400 if form.errors else 200,
    )


@require_POST
@explain_refusals
def campaign_close(request, pk):
    require(can_run_campaigns(request.user), "Only moderators and the digital team can close campaigns.")
    campaign = get_object_or_404(Campaign, pk=pk)
    try:
        campaign.close_now(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, "The campaign is closed: it takes no more ideas or votes.")
    return redirect(campaign)


@require_POST
@explain_refusals
def idea_hide(request, pk):
    """A moderator hides an idea from everyone but its author and moderators, or shows it again."""
    require(can_moderate(request.user), "Only moderators can hide ideas.")
    idea = get_idea(request, pk)
    action = request.POST.get("action")
    try:
        if action == "hide":
            idea.hide(request.user)
            messages.success(request, "The idea is now hidden from everyone but its author and moderators.")
        elif action == "unhide":
            idea.unhide(request.user)
            messages.success(request, "The idea is visible to everyone again.")
        else:
            messages.error(request, "Choose to hide or show the idea.")
    except ValidationError as error:
        messages.error(request, first_message(error))
    return redirect(idea)
