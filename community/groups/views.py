"""Communities: the directory (``/communities/``), each community's page (``/communities/<slug>/``),
and what members and managers do there. Every POST checks who may do it (the model says why not:
a 403 page with the reason) and spends the person's allowance (``with_allowance``)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from taggit.models import Tag

from ..helpers import CappedPaginator, first_message, posted, refusals_explained_by, require, with_allowance
from ..uploads import store_image
from . import feed
from .forms import AnnouncementForm, CommunityForm, DirectoryForm, InviteForm
from .models import Announcement, Community, Invitation, JoinRequest, Membership, Pin

DIRECTORY_PAGE = 20
MEMBERS_SHOWN = 12  # on the community's page; "All members" pages the rest
MEMBERS_PAGE = 50

explain_refusals = refusals_explained_by("communities/forbidden.html")


def _community(request, slug) -> Community:
    """The community, or 404 for one the person may not see (an invite-only community they are not
    in is not advertised: its page says no more than that it exists, unless they hold an invitation)."""
    community = get_object_or_404(Community.objects.select_related("image"), slug=slug)
    if not community.is_visible_to(request.user):
        raise Http404("No such community")
    return community


def directory(request):
    form = DirectoryForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {"q": "", "tag": "", "mine": False}
    communities = Community.objects.listed_for(request.user).matching(chosen["q"])
    tag = None
    if chosen["tag"]:
        tag = Tag.objects.filter(slug=chosen["tag"]).first()
        communities = communities.filter(tagged_items__tag=tag) if tag else communities.none()
    if chosen["mine"]:
        communities = communities.of(request.user)
    page = CappedPaginator(communities.order_by("name"), DIRECTORY_PAGE).get_page(request.GET.get("page"))
    mine = set(Membership.objects.filter(user=request.user, community__in=[c.pk for c in page]).values_list(
        "community_id", flat=True))  # fmt: skip
    return render(request, "communities/directory.html",
                  {"form": form, "page": page, "tag": tag, "chosen": chosen, "mine": mine})  # fmt: skip


@explain_refusals
@with_allowance("communities")
def community_new(request):
    form = CommunityForm(posted(request), request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            image = _stored_image(request, form)
            if not form.errors:
                community = Community.start(
                    request.user, name=data["name"], description=data["description"], kind=data["kind"],
                    tags=data["tags"], image=image,
                )  # fmt: skip
                messages.success(request, "Your community has been started. You are its manager.")
                return redirect(community)
        return render(request, "communities/community_form.html", {"form": form}, status=400)
    return render(request, "communities/community_form.html", {"form": form})


def _stored_image(request, form):
    upload = form.cleaned_data.get("image")
    if not upload:
        return None
    try:
        return store_image(upload, request.user)
    except ValidationError as error:
        form.add_error("image", first_message(error))
        return None


@explain_refusals
@with_allowance("communities")
def community_edit(request, slug):
    community = _community(request, slug)
    require(community.is_manager(request.user), "Only this community's managers can change it.")
    initial = {"name": community.name, "description": community.description, "kind": community.kind,
               "tags": ", ".join(sorted(community.tags.names()))}  # fmt: skip
    form = CommunityForm(posted(request), request.FILES or None, initial=initial, community=community)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            image = _stored_image(request, form)
            if not form.errors:
                community.name, community.description = data["name"], data["description"]
                community.kind = data["kind"]  # the form offers only the kinds it may take
                if image is not None:
                    community.image = image
                community.tags.set(data["tags"])
                community.save()
                messages.success(request, "The community has been updated.")
                return redirect(community)
        return render(request, "communities/community_form.html", {"form": form, "community": community}, status=400)
    return render(request, "communities/community_form.html", {"form": form, "community": community})


def community_detail(request, slug):
    community = _community(request, slug)
    membership = community.membership_of(request.user)
    items, older = feed.page(community, request.user, feed.parse_before(request.GET.get("before", "")))
    managers = list(community.managers())
    members = list(
        community.memberships.filter(role=Membership.Role.MEMBER)
        .select_related("user__profile")
        .order_by("-joined_at", "-id")[:MEMBERS_SHOWN]
    )
    pins = list(community.pins.order_by("-pinned_at")[:10])
    is_manager = membership is not None and membership.is_manager
    context = {
        "community": community,
        "membership": membership,
        "is_manager": is_manager,
        "managers": managers,
        "members": members,
        "items": items,
        "older": older,
        "pinned": feed.pinned(community, request.user, pins),
        "pinnable": {source.key for source in feed.sources() if source.pinned is not None} if is_manager else (),
        "asked": community.join_requests.filter(user=request.user).exists() if membership is None else False,
        "request_count": community.join_requests.count() if is_manager else 0,
        "announcements": list(community.announcements.order_by("-sent_at", "-id")[:3]) if membership else [],
    }
    return render(request, "communities/community_detail.html", context)


@require_POST
@explain_refusals
@with_allowance("communities")
def join(request, slug):
    community = _community(request, slug)
    try:
        if community.kind == Community.Kind.REQUEST:
            community.ask_to_join(request.user, request.POST.get("note", "")[:500])
            messages.success(request, "Your request has been sent. A manager will answer it.")
        else:
            community.join(request.user)
            messages.success(request, f"You have joined {community.name}. You now follow it.")
    except ValidationError as error:
        messages.error(request, first_message(error))
    return redirect(community)


@require_POST
@explain_refusals
@with_allowance("communities")
def leave(request, slug):
    community = _community(request, slug)
    try:
        community.leave(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
        return redirect(community)
    messages.success(request, f"You have left {community.name}.")
    return redirect("communities:directory") if community.is_invite_only else redirect(community)


@explain_refusals
def requests(request, slug):
    community = _community(request, slug)
    require(community.is_manager(request.user), "Only this community's managers see requests to join.")
    waiting = community.join_requests.select_related("user__profile").order_by("created_at", "id")
    page = CappedPaginator(waiting, MEMBERS_PAGE).get_page(request.GET.get("page"))
    return render(request, "communities/requests.html", {"community": community, "page": page})


@require_POST
@explain_refusals
@with_allowance("communities")
def answer_request(request, slug, pk):
    community = _community(request, slug)
    join_request = get_object_or_404(JoinRequest.objects.select_related("user"), pk=pk, community=community)
    if request.POST.get("action") == "approve":
        community.approve(request.user, join_request)
        messages.success(request, "The request has been approved.")
    elif request.POST.get("action") == "refuse":
        community.refuse(request.user, join_request)
        messages.success(request, "The request has been refused.")
    else:
        messages.error(request, "Choose approve or refuse. Nothing was changed.")
    return redirect("communities:requests", slug=community.slug)


@explain_refusals
def members(request, slug):
    community = _community(request, slug)
    is_manager = community.is_manager(request.user)
    everyone = community.memberships.select_related("user__profile").order_by("-role", "joined_at", "id")
    page = CappedPaginator(everyone, MEMBERS_PAGE).get_page(request.GET.get("page"))
    return render(request, "communities/members.html", {
        "community": community, "page": page, "is_manager": is_manager,
        "invite_form": InviteForm() if is_manager else None,
    })  # fmt: skip


@require_POST
@explain_refusals
@with_allowance("communities")
def member_action(request, slug, username):
    community = _community(request, slug)
    member = get_object_or_404(get_user_model(), username=username)
    action = request.POST.get("action")
    try:
        if action == "remove":
            community.remove(request.user, member)
            messages.success(request, "They have been removed from the community.")
        elif action in Membership.Role.values:
            community.set_role(request.user, member, action)
            messages.success(request, "Their role has been changed.")
        else:
            messages.error(request, "Choose what to do. Nothing was changed.")
    except ValidationError as error:
        messages.error(request, first_message(error))
    return redirect("communities:members", slug=community.slug)


@require_POST
@explain_refusals
@with_allowance("communities")
def invite(request, slug):
    community = _community(request, slug)
    require(community.is_manager(request.user), "Only this community's managers can invite people.")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            community.invite(request.user, form.cleaned_data["username"])
        except ValidationError as error:
            form.add_error("username", first_message(error))
    if form.errors:
        everyone = community.memberships.select_related("user__profile").order_by("-role", "joined_at", "id")
        page = CappedPaginator(everyone, MEMBERS_PAGE).get_page(1)
        return render(request, "communities/members.html",
                      {"community": community, "page": page, "is_manager": True, "invite_form": form},
                      status=400)  # fmt: skip
    messages.success(request, "The invitation has been sent. They will see it in their notifications.")
    return redirect("communities:members", slug=community.slug)


@explain_refusals
@with_allowance("communities")
def accept(request, slug, token):
    # Not _community(): the invitee is not a member yet, and may not otherwise see an invite-only one.
    community = get_object_or_404(Community, slug=slug)
    invitation = Invitation.from_token(token)
    valid = invitation is not None and invitation.community_id == community.pk
    for_them = valid and invitation.invitee_id == request.user.pk
    if request.method == "POST":
        community.accept(request.user, token)  # refuses forged, someone else's and used ones: 403
        messages.success(request, f"Welcome to {community.name}. You now follow it.")
        return redirect(community)
    if not for_them:
        require(False, "This invitation link is not valid for you. Ask a manager of the community to invite you.")
    if invitation.used_at is not None:
        require(False, "This invitation has already been used.")
    return render(request, "communities/accept.html", {"community": community, "invitation": invitation})


@require_POST
@explain_refusals
@with_allowance("communities")
def pin(request, slug):
    community = _community(request, slug)
    require(community.is_manager(request.user), "Only this community's managers can pin posts.")
    source = next((s for s in feed.sources() if s.key == request.POST.get("kind") and s.pinned), None)
    object_id = request.POST.get("pk", "")
    if source is None or not object_id.isdigit() or not source.pinned(community, request.user, [int(object_id)]):
        messages.error(request, "That post cannot be pinned here. Nothing was changed.")
        return redirect(community)
    try:
        community.pin(request.user, source.key, int(object_id))
    except ValidationError as error:
        messages.error(request, first_message(error))
        return redirect(community)
    messages.success(request, "The post has been pinned to the top of the community’s page.")
    return redirect(community)


@require_POST
@explain_refusals
@with_allowance("communities")
def unpin(request, slug, pk):
    community = _community(request, slug)
    get_object_or_404(Pin, pk=pk, community=community)
    community.unpin(request.user, pk)
    messages.success(request, "The post is no longer pinned.")
    return redirect(community)


@explain_refusals
@with_allowance("communities")
def announce(request, slug):
    community = _community(request, slug)
    require(community.is_manager(request.user), "Only this community's managers can send announcements.")
    form = AnnouncementForm(posted(request))
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                announcement = community.announce(
                    request.user, form.cleaned_data["subject"], form.cleaned_data["body"]
                )
            count = announcement.recipients.count()
            messages.success(request, f"Your announcement has been sent to {count} member{'s' if count != 1 else ''}.")
            return redirect(announcement)
        return render(request, "communities/announce.html", {"community": community, "form": form}, status=400)
    return render(request, "communities/announce.html", {"community": community, "form": form})


@explain_refusals
def announcement_detail(request, slug, pk):
    community = _community(request, slug)
    announcement = get_object_or_404(
        Announcement.objects.select_related("author__profile"), pk=pk, community=community
    )
    require(community.is_member(request.user), "Announcements are for the community's members.")
    is_manager = community.is_manager(request.user)
    page = None
    if is_manager:
        received = announcement.recipients.select_related("profile").order_by("username")
        page = CappedPaginator(received, MEMBERS_PAGE).get_page(request.GET.get("page"))
    return render(request, "communities/announcement.html",
                  {"community": community, "announcement": announcement, "page": page})  # fmt: skip


def start_url(community, kind: str) -> str:
    """Where "Ask a question here" and "Suggest an idea here" go, the community preselected."""
    return f"{reverse(kind)}?community={community.slug}"
