"""Skills, volunteering and buddy-request views: each reads input through a form, calls one model
method, and renders or redirects. Model methods raise PermissionDenied (a 403 page that says why)
or ValidationError (shown on the form or as a message; nothing is changed).

"Who can help with X" is the people directory, /people/?q=<topic> (``people_index``, ranked by
skills.ranking).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from taggit.models import Tag

from community.helpers import (
    CappedPaginator,
    first_message,
    posted,
    refusals_explained_by,
    reserve_allowance,
    with_allowance,
)
from community.profiles.models import Directorate, Profile

from . import ranking, search
from .forms import BuddyRequestForm, ChooseForm, DoneForm, HelpOfferForm, PauseForm, SkillsForm
from .models import BuddyProposal, BuddyRequest, HelpOffer, Skill, annotate_volunteering, display_name

TOPIC_OPTIONS = 300
LIST_LENGTH = 20
PEOPLE_PER_PAGE = 24
RATE_LIMITED_MESSAGE = "You have asked for help a lot in a short time. Wait a while and try again. Nothing was saved."


# --- helpers --------------------------------------------------------------------------------------

explain_refusals = refusals_explained_by("skills/forbidden.html")


def _request_rate(group, request):
    return getattr(settings, "SKILLS_REQUEST_RATE", "5/h")


def reserve_request(request):
    """One of this person's buddy requests for now, taken before saving (released if none is saved)."""
    return reserve_allowance(request, "skills.request", _request_rate)


def topic_options():
    """Topic names for the inputs' suggestions: the shared vocabulary."""
    return Tag.objects.order_by("name").values_list("name", flat=True)[:TOPIC_OPTIONS]


def get_buddy_request(request, pk) -> BuddyRequest:
    """The request, if this person is the one who asked or the volunteer asked (403 otherwise)."""
    buddy_request = get_object_or_404(
        BuddyRequest.objects.select_related(
            "requester__profile__directorate", "volunteer__profile__directorate", "finished_by__profile"
        ),
        pk=pk,
    )
    if not buddy_request.is_party(request.user):
        raise PermissionDenied(
            "Only the colleague who asked for help and the volunteer they asked can see this request."
        )
    return buddy_request


# --- your skills and volunteering ------------------------------------------------------------------


def index(request):
    """Your skills, your offer to help, and the buddy requests you are part of."""
    user = request.user
    offer = HelpOffer.objects.filter(user=user).with_places().prefetch_related("topics").first()
    requests = BuddyRequest.objects.select_related("requester__profile", "volunteer__profile").prefetch_related(
        "topics"
    )
    return render(
        request,
        "skills/index.html",
        {
            "skills": list(Skill.objects.filter(user=user).select_related("tag")),
            "offer": offer,
            "asked": list(requests.filter(requester=user)[:LIST_LENGTH]),
            "helping": list(requests.filter(volunteer=user)[:LIST_LENGTH]),
        },
    )


@with_allowance("skills.profile")
def skills_edit(request):
    skills = Skill.objects.filter(user=request.user).select_related("tag")
    form = SkillsForm(posted(request), initial=SkillsForm.initial_for(skills))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = Skill.set_for(request.user, form.levels(), data["can_help"], data["want_to_learn"])
        except ValidationError as error:
            form.add_error(None, first_message(error))
        else:
            messages.success(request, "Your skills have been saved." if changed else "Nothing was changed.")
            return redirect("people:profile", request.user.get_username())
    return render(
        request,
        "skills/skills_form.html",
        {"form": form, "topic_options": topic_options()},
        status=400 if form.errors else 200,
    )


@with_allowance("skills.profile")
def offer_edit(request):
    """Volunteer as a digital buddy or ambassador, or change the offer."""
    offer = HelpOffer.objects.filter(user=request.user).prefetch_related("topics").first()
    if offer is not None:
        initial = {
            "role": offer.role,
            "topics": ", ".join(offer.topic_names()),
            "capacity": offer.capacity,
            "availability": offer.availability,
            "ends_on": offer.ends_on,
        }
    else:
        helps = Skill.objects.filter(user=request.user, can_help=True).values_list("tag__name", flat=True)
        initial = {"role": HelpOffer.Role.BUDDY, "capacity": 2, "topics": ", ".join(sorted(helps))}
    form = HelpOfferForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            HelpOffer.save_for(
                request.user,
                role=data["role"],
                topics=data["topics"],
                capacity=data["capacity"],
                availability=data["availability"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            message = first_message(error)
            form.add_error("capacity" if "capacity" in message.lower() else None, message)
        else:
            messages.success(
                request,
                "Your offer has been updated."
                if offer
                else "Thank you for volunteering. Colleagues can now find you and ask you for help.",
            )
            return redirect("skills:index")
    return render(
        request,
        "skills/offer_form.html",
        {"form": form, "offer": offer, "topic_options": topic_options()},
        status=400 if form.errors else 200,
    )


@require_POST
@explain_refusals
@with_allowance("skills.profile")
def offer_pause(request):
    offer = get_object_or_404(HelpOffer, user=request.user)
    form = PauseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to pause or resume your offer.")
        return redirect("skills:index")
    try:
        if form.cleaned_data["action"] == "pause":
            offer.pause(request.user)
            messages.success(request, "Your offer is paused: nobody new will be suggested to you until you resume it.")
        else:
            offer.resume(request.user)
            messages.success(request, "Your offer is open again: colleagues can ask you for help.")
    except ValidationError as error:
        messages.error(request, first_message(error))
    return redirect("skills:index")


# --- asking for a buddy ------------------------------------------------------------------------------


def _chosen_volunteer(username: str):
    if not username:
        return None
    return get_user_model().objects.filter(username=username, is_active=True).select_related("profile").first()


def request_new(request):
    """Ask for a digital buddy on some topics, from anyone Confer suggests or from one volunteer."""
    initial = {"topics": request.GET.get("topics", "")[:500], "volunteer": request.GET.get("volunteer", "")[:150]}
    form = BuddyRequestForm(posted(request), initial=initial)
    username = (request.POST if request.method == "POST" else request.GET).get("volunteer", "")[:150]
    volunteer = _chosen_volunteer(username)
    status, problem = 200, None
    if username and volunteer is None:
        problem = "That colleague cannot be found. Let Confer suggest someone instead."
    elif volunteer is not None and volunteer.pk == request.user.pk:
        problem = "You cannot ask yourself for help. Let Confer suggest a colleague instead."
    if problem:
        status = 400
        if form.is_bound:
            form.add_error(None, problem)
        else:  # an address with a wrong ?volunteer=: the form (not yet sent) stays free of errors
            form = BuddyRequestForm(initial={**initial, "volunteer": ""})
            volunteer = None
    elif request.method == "POST":
        if form.is_valid() and not (reservation := reserve_request(request)):
            form.add_error(None, RATE_LIMITED_MESSAGE)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                buddy_request = BuddyRequest.open_for(request.user, data["topics"], data["note"], volunteer=volunteer)
            except ValidationError as error:
                reservation.release()
                form.add_error(None, first_message(error))
            else:
                if buddy_request.status == BuddyRequest.Status.ASKED:
                    text = f"We have asked {display_name(volunteer)}. You will hear as soon as they reply."
                elif buddy_request.status == BuddyRequest.Status.PROPOSED:
                    text = "Your request has been saved. Choose who you would like to ask."
                else:
                    text = "Your request has been saved. Nobody is free on these topics just now: we will email you."
                messages.success(request, text)
                return redirect(buddy_request)
        if form.errors and status == 200:
            status = 400
    offer = HelpOffer.objects.active().filter(user=volunteer).first() if volunteer is not None else None
    response = render(
        request,
        "skills/request_form.html",
        {
            "form": form,
            "volunteer": volunteer,
            "offer": offer,
            "topic_options": topic_options(),
            "problem": problem if not form.is_bound else None,
        },
        status=status,
    )
    return reservation.refuse(response) if status == 429 else response


def _detail(request, buddy_request, choose_form=None, done_form=None, status=200):
    user = request.user
    is_requester = user.pk == buddy_request.requester_id
    proposals = list(buddy_request.proposed()) if is_requester else []
    history = (
        list(
            buddy_request.proposals.exclude(status=BuddyProposal.Status.PROPOSED)
            .select_related("volunteer__profile")
            .order_by("asked_at", "pk")
        )
        if is_requester
        else []
    )
    offer = HelpOffer.objects.filter(user_id=buddy_request.volunteer_id).first() if buddy_request.volunteer else None
    return render(
        request,
        "skills/request_detail.html",
        {
            "buddy_request": buddy_request,
            "topics": buddy_request.topic_names(),
            "is_requester": is_requester,
            "is_volunteer": user.pk == buddy_request.volunteer_id,
            "can_withdraw": is_requester and buddy_request.status in BuddyRequest.WITHDRAWABLE,
            "proposals": proposals,
            "history": history,
            "offer": offer,
            "choose_form": choose_form or ChooseForm(proposals=proposals),
            "done_form": done_form or DoneForm(),
        },
        status=status,
    )


@explain_refusals
def request_detail(request, pk):
    return _detail(request, get_buddy_request(request, pk))


@require_POST
@explain_refusals
@with_allowance("skills.reply")
def request_choose(request, pk):
    buddy_request = get_buddy_request(request, pk)
    if request.user.pk != buddy_request.requester_id:
        raise PermissionDenied("Only the colleague who asked for help can choose a volunteer.")
    form = ChooseForm(request.POST, proposals=list(buddy_request.proposed()))
    if not form.is_valid():
        return _detail(request, buddy_request, choose_form=form, status=400)
    volunteer = _chosen_volunteer(form.cleaned_data["volunteer"])
    try:
        buddy_request.choose(request.user, volunteer)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, f"We have asked {display_name(volunteer)}. You will hear as soon as they reply.")
    return redirect(buddy_request)


@require_POST
@explain_refusals
@with_allowance("skills.reply")
def request_accept(request, pk):
    buddy_request = get_buddy_request(request, pk)
    try:
        buddy_request.accept(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(
            request,
            f"Thank you. We have emailed you and {display_name(buddy_request.requester)} to introduce you.",
        )
    return redirect(buddy_request)


@require_POST
@explain_refusals
@with_allowance("skills.reply")
def request_decline(request, pk):
    buddy_request = get_buddy_request(request, pk)
    requester = buddy_request.requester
    try:
        buddy_request.decline(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
        return redirect(buddy_request)
    messages.success(request, f"Thank you for letting {display_name(requester)} know. We will suggest someone else.")
    return redirect("skills:index")


@require_POST
@explain_refusals
@with_allowance("skills.reply")
def request_done(request, pk):
    buddy_request = get_buddy_request(request, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        return _detail(request, buddy_request, done_form=form, status=400)
    try:
        buddy_request.mark_done(request.user, form.cleaned_data["outcome"], form.cleaned_data["helpful"])
    except ValidationError as error:
        form.add_error(None, first_message(error))
        return _detail(request, buddy_request, done_form=form, status=400)
    messages.success(request, "Marked as done. Thank you for telling us how it went.")
    return redirect(buddy_request)


@require_POST
@explain_refusals
@with_allowance("skills.reply")
def request_withdraw(request, pk):
    buddy_request = get_buddy_request(request, pk)
    try:
        buddy_request.withdraw(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
        return redirect(buddy_request)
    messages.success(request, "Your request has been withdrawn.")
    return redirect("skills:index")


# --- the people directory: who can help with X ------------------------------------------------------


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
    topics = ranking.topics_in(query) if query else []
    # No topic named in other words ("spreadsheets" for excel): the topics people hold nearest in
    # meaning, when semantic search is on (skills/search.py).
    by_meaning = search.topics_by_meaning(query, request) if query and not topics else []
    topics = topics or by_meaning
    context = {
        "by_meaning": bool(by_meaning),
        "query": query,
        "directorates": directorates,
        "selected_directorate": directorate,
        "volunteers_only": volunteers_only,
        "topics": topics,
        "topic_names": [tag.name for tag in topics],
        "topic_text": ranking.topic_phrase([tag.name for tag in topics], "or"),
    }
    if topics:
        if directorate and chosen is None:
            results = []
        else:
            results = ranking.who_can_help(
                topics, limit=ranking.PEOPLE_RANKED, directorate=chosen, volunteers_only=volunteers_only
            )
            context["ranked_capped"] = len(results) == ranking.PEOPLE_RANKED
            context["ranked_count"] = len(results)
            listed = {match.user_id for match in results}
            extras = [
                ranking.Match.for_profile(profile, "name, role or team matches")
                for profile in _directory(query, directorate, volunteers_only)[: ranking.DIRECTORY_EXTRAS]
                if profile.user_id not in listed
            ]
            context["extra_count"] = len(extras)
            results += extras
        context["scoring_rules"] = ranking.scoring_rules()
        context["evidence_cap"] = ranking.EVIDENCE_CAP
        context["page"] = Paginator(results, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    else:
        # Everyone (or everyone whose name, role or team matches), by name: read a page at a time in
        # the order of community_profile_by_name, the count capped (docs/scaling.md).
        results = _directory(query, directorate, volunteers_only).order_by("display_name", "pk")
        if query:
            context["suggested_topics"] = ranking.suggest_topics(query)
        context["page"] = CappedPaginator(results, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "skills/people_index.html", context)
