"""Q&A views: each reads input through a form, calls one model method, and renders or redirects.

Actions answer htmx requests with a partial and plain form posts with a redirect and a message, so
everything works without JavaScript. Model methods raise PermissionDenied (shown as a 403 page that
says why) or ValidationError (shown as a message; nothing is changed).
"""

import datetime
import re
from urllib.parse import urlencode, urlsplit

import django_comments
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from taggit.models import Tag

from community.comments import mark_replied, place_refused_form, post_comment, takes_replies
from community.groups.forms import add_community_choice
from community.helpers import (
    LIST_COUNT_CAP,
    CappedPaginator,
    first_message,
    own_content_action,
    posted,
    refusals_explained_by,
    require,
    reserve_allowance,
    with_allowance,
)
from community.listening.follows import followed_ids
from community.listeningpost import prefill as listening_prefill
from community.markdown import render_markdown
from community.mentions import warn_unknown_mentions
from community.models import ListeningPreferences, TagUsage
from community.moderation import views as moderation_views
from community.names import display_name
from community.roles import users_with_perm
from community.sitesearch import search as sitesearch
from community.tags import clean_tag_names, complete_tags, split_tags, suggest_tags
from community.uploads import attach_uploaded_image

from .forms import (
    AcceptForm,
    AnswerEditForm,
    AnswerForm,
    BulkTagForm,
    CloseForm,
    FeedbackForm,
    HelpdeskActionForm,
    HelpdeskFilterForm,
    HideForm,
    QuestionEditForm,
    QuestionFilterForm,
    QuestionForm,
    VerifyForm,
    VoteForm,
)
from .models import (
    MAX_BODY_LENGTH,
    MAX_TITLE_LENGTH,
    WORK_HELPDESK_QUEUE,
    Answer,
    Question,
    QuestionTag,
    SolvedFeedback,
    Vote,
    can_curate,
    can_moderate,
    can_verify,
    can_work_helpdesk_queue,
    months_after,
)

QUESTIONS_PER_PAGE = 20
QUEUE_PER_PAGE = 25
TAG_OPTIONS = 200
MAX_SUGGESTED_TAGS = 8
INDENTS = [0, 4, 6, 8]  # GOV.UK spacing units by reply depth (govuk-!-margin-left-N)
RATE_LIMITED_MESSAGE = (
    "You have posted a lot in a short time. To keep Confer useful for everyone, wait a while and try again. "
    "Nothing was saved."
)

VOTE_RATE_LIMITED_MESSAGE = "You have voted a lot in a short time. Wait a while and try again. Nothing was changed."

# --- helpers --------------------------------------------------------------------------------------

explain_refusals = refusals_explained_by("qa/forbidden.html")


def get_question(request, pk, queryset=None) -> Question:
    """The question, if this person may see it (hidden ones: moderators and the author only)."""
    question = get_object_or_404(queryset if queryset is not None else Question.objects.all(), pk=pk)
    if not question.is_visible_to(request.user):
        raise Http404("No such question")
    return question


def get_answer(request, pk) -> Answer:
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    if not (answer.is_visible_to(request.user) and answer.question.is_visible_to(request.user)):
        raise Http404("No such answer")
    return answer


def _post_rate(group, request):
    return getattr(settings, "QA_POST_RATE", "10/h")


def _vote_rate(group, request):
    return getattr(settings, "QA_VOTE_RATE", "60/h")


def reserve_post(request, group: str):
    """One of this person's posts for now, taken before saving (released if nothing is saved)."""
    return reserve_allowance(request, group, _post_rate)


def refused_status(request, form) -> int:
    """400 for a form sent with errors (not for a preview, nor a form not yet sent), else 200."""
    sent = request.method == "POST" and ("preview" not in request.POST or form.has_error("image"))
    return 400 if sent and form.errors else 200


def back_to(request, fallback: str):
    """Redirect to the page the form was on (when it is one of ours), or to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


# --- lists ---------------------------------------------------------------------------------------


def _listing(queryset):
    return queryset.select_related("author__profile").prefetch_related("tags")


def question_list(request):
    """All questions, filtered (unanswered, no accepted answer, verified, tag) and sorted."""
    form = QuestionFilterForm(request.GET or None)
    chosen = form.filters()
    questions = Question.objects.visible_to(request.user)
    if not chosen["duplicates"]:
        questions = questions.listed()
    show = chosen["show"]
    if show == "unanswered":
        questions = questions.open().filter(answer_count=0)
    elif show == "no_accepted":
        questions = questions.without_accepted_answer()
    elif show == "verified":
        questions = questions.with_verified_answer()
    tag = None
    if chosen["tag"]:
        tag = Tag.objects.filter(Q(slug=chosen["tag"]) | Q(name__iexact=chosen["tag"])).first()
        questions = questions.filter(tags=tag) if tag else questions.none()
    if chosen["followed"]:
        # A subquery, not a join: no DISTINCT, so the page is still read in the order of an index.
        tagged = QuestionTag.objects.filter(tag__in=followed_ids(request.user, Tag)).values("content_object_id")
        questions = questions.filter(pk__in=tagged)
    ordering = {
        "newest": ["-created_at", "-pk"],
        "active": ["-last_activity_at", "-pk"],
        "votes": ["-score", "-created_at", "-pk"],
    }[chosen["sort"]]
    page = CappedPaginator(_listing(questions.order_by(*ordering)), QUESTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "qa/question_list.html",
        {
            "page": page,
            "form": form,
            "chosen": chosen,
            "tag": tag,
            "tag_options": _tag_options(),
            "follows_tags": bool(followed_ids(request.user, Tag)),
            "feed_token": ListeningPreferences.for_user(request.user).feed_token,
        },
    )


def _tag_options():
    return TagUsage.most_used("questions", TAG_OPTIONS)


def tag_suggest(request):
    """A <datalist> completing the last tag being typed, keeping the ones before it."""
    options = complete_tags(request.GET.get("tags", ""), "qa_questiontag_items")
    return render(request, "qa/includes/tag_options.html", {"options": options})


HELPDESK_TABS = {
    "unanswered": Question.objects.helpdesk_unanswered,
    "unverified": Question.objects.helpdesk_unverified,
    "due": Question.objects.helpdesk_due,
}


def _helpdesk_filtered(tab: str, chosen: dict):
    """One tab's questions with the tag and age filters applied (the tag through a subquery, so the
    page is still read in the tab's order; the age as a range on the column the tab is ordered by)."""
    questions = HELPDESK_TABS[tab]()
    if chosen["tag"]:
        tag = Tag.objects.filter(Q(slug=chosen["tag"]) | Q(name__iexact=chosen["tag"])).first()
        if tag is None:
            return questions.none()
        questions = questions.filter(pk__in=QuestionTag.objects.filter(tag=tag).values("content_object_id"))
    if chosen["age"]:
        days = int(chosen["age"])
        if tab == "due":
            questions = questions.filter(review_due_on__lt=timezone.localdate() - datetime.timedelta(days=days))
        else:
            questions = questions.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
    return questions


def _capped_count(queryset) -> str:
    count = queryset.values("pk")[: LIST_COUNT_CAP + 1].count()
    return f"{LIST_COUNT_CAP:,}+" if count > LIST_COUNT_CAP else f"{count:,}"


def _suggested_tags(data) -> dict:
    """The suggestions box for the ask form: existing tags named in the title and details, with
    the ones already ticked kept (and ticked) and the ones already typed left out."""
    try:
        typed = clean_tag_names(split_tags(data.get("tags", "")))
    except ValidationError:
        typed = []
    try:
        ticked = [name for name in clean_tag_names(data.getlist("suggested_tags")) if name not in typed]
    except ValidationError:
        ticked = []
    text = f"{data.get('title', '')}\n{data.get('body', '')}"
    found = suggest_tags(text, "qa_questiontag_items", exclude=[*typed, *ticked])
    return {"suggestions": [*ticked, *found][:MAX_SUGGESTED_TAGS], "ticked": set(ticked)}


def tag_suggestions(request):
    """htmx, as the title and details are typed: the suggested tags box, ticks kept."""
    return render(request, "qa/includes/suggested_tags.html", _suggested_tags(request.GET))


@explain_refusals
def helpdesk_queue(request):
    """The helpdesk's work in three tabs (unanswered, not yet verified, due for review), each with
    its count, filtered by tag and by how long it has waited; assign and verify in bulk."""
    require(can_work_helpdesk_queue(request.user), "Only the helpdesk can see the helpdesk queue.")
    return _helpdesk_page(request, BulkTagForm(), HelpdeskActionForm())


def _helpdesk_page(request, tag_form, action_form, errors=(), status=200, query=None):
    """The queue; after a refused action, with the errors, the ticked questions and what was typed.
    ``query`` is the tab, filters and page the form was sent from."""
    filters = HelpdeskFilterForm(query if query is not None else request.GET or None)
    chosen = filters.filters()
    tab = chosen["tab"]
    queue = _listing(_helpdesk_filtered(tab, chosen)).select_related("assignee__profile")
    page_number = (query or request.GET).get("page")
    page = CappedPaginator(queue, QUEUE_PER_PAGE).get_page(page_number)
    tabs = []
    for key, label in HelpdeskFilterForm.TABS:
        if key == tab:
            count = page.paginator.display_count.replace(f"more than {LIST_COUNT_CAP:,}", f"{LIST_COUNT_CAP:,}+")
        else:
            count = _capped_count(_helpdesk_filtered(key, chosen))
        tabs.append({"key": key, "label": label, "count": count, "selected": key == tab})
    ticked = set(request.POST.getlist("questions")) if request.method == "POST" else set()
    params = {key: value for key, value in chosen.items() if value and key != "tab"}  # kept across tabs
    context = {
        "page": page,
        "tabs": tabs,
        "tab": tab,
        "chosen": chosen,
        "age_choices": HelpdeskFilterForm.AGES,
        "filter_query": urlencode(params),
        "tag_options": _tag_options(),
        "form": tag_form,
        "action_form": action_form,
        "helpdesk_people": list(users_with_perm(WORK_HELPDESK_QUEUE).select_related("profile").order_by("username")),
        "presets": VerifyForm.presets(),
        "errors": list(errors),
        "ticked": ticked,
    }
    return render(request, "qa/question_helpdesk.html", context, status=status)


def _query_of(request) -> QueryDict:
    """The tab, filters and page of the queue page a form was sent from (its ``next``)."""
    return QueryDict(urlsplit(request.POST.get("next", "")).query)


def _due_answers(questions) -> dict:
    """Each question's verified answers past their review-by date, in one query."""
    due: dict = {}
    answers = Answer.objects.due_for_review().filter(question__in=[q.pk for q in questions])
    for answer in answers.select_related("question"):
        due.setdefault(answer.question_id, []).append(answer)
    return due


@require_POST
@explain_refusals
def helpdesk_act(request):
    """Assign, unassign or verify again the ticked questions (or one row's): all of them, or none
    when one cannot be done, with the reason."""
    require(can_work_helpdesk_queue(request.user), "Only the helpdesk can work the helpdesk queue.")
    form = HelpdeskActionForm(request.POST, queryset=Question.objects.needs_helpdesk())

    def refuse(*errors):
        return _helpdesk_page(request, BulkTagForm(), form, errors, status=400, query=_query_of(request))

    if not form.is_valid():
        return refuse(*(error for errors in form.errors.values() for error in errors))
    action = form.cleaned_data["action"]
    questions = list(form.cleaned_data["questions"])
    with transaction.atomic():
        if action.startswith("verify_"):
            review_by = months_after(timezone.localdate(), int(action.removeprefix("verify_")))
            due = _due_answers(questions)
            for question in questions:
                if question.pk not in due:
                    return refuse(f"“{question.title}” has no verified answer due for review: open it to verify "
                                  "an answer. Nothing was changed.")  # fmt: skip
            for question in questions:
                for answer in due[question.pk]:
                    answer.verify(request.user, review_by)
            done = f"Verified again until {review_by:%-d %B %Y}"
        elif action == "unassign":
            changed = sum(question.unassign(request.user) for question in questions)
            done = f"Unassigned {changed} question{'s' if changed != 1 else ''}"
        else:
            person = request.user if action == "assign_me" else form.cleaned_data["assignee"]
            try:
                changed = sum(question.assign(request.user, person) for question in questions)
            except ValidationError as error:
                transaction.set_rollback(True)
                return refuse(first_message(error))
            who = "you" if person.pk == request.user.pk else display_name(person)
            done = f"Assigned {changed} question{'s' if changed != 1 else ''} to {who}"
    messages.success(request, f"{done}.")
    return back_to(request, reverse("qa:helpdesk"))


@require_POST
@explain_refusals
def helpdesk_bulk_tags(request):
    require(can_work_helpdesk_queue(request.user), "Only the helpdesk can edit tags in bulk.")
    form = BulkTagForm(request.POST, queryset=Question.objects.needs_helpdesk())

    def refuse(*errors):
        # Back on the page the form was on, nothing lost.
        return _helpdesk_page(request, form, HelpdeskActionForm(), errors, status=400, query=_query_of(request))

    if not form.is_valid():
        return refuse(*(" ".join(errors) for errors in form.errors.values()))
    add, remove = form.cleaned_data["add_tags"] or [], set(form.cleaned_data["remove_tags"] or [])
    questions = list(form.cleaned_data["questions"].prefetch_related("tags"))
    planned = []
    for question in questions:
        names = [name for name in question.tag_names() if name.lower() not in remove]
        names += [name for name in add if name.lower() not in {n.lower() for n in names}]
        if not names:
            return refuse(f"“{question.title}” would have no tags left. Nothing was changed.")
        if len(names) > 5:
            return refuse(f"“{question.title}” would have more than 5 tags. Nothing was changed.")
        planned.append((question, names))
    changed = 0
    with transaction.atomic():
        for question, names in planned:
            changed += question.set_tags(request.user, names, "Tags edited from the helpdesk queue")
    messages.success(request, f"Tags changed on {changed} question{'s' if changed != 1 else ''}.")
    return back_to(request, reverse("qa:helpdesk"))


# --- asking --------------------------------------------------------------------------------------


def _bound(request, form_class, field: str, **kwargs):
    """``form_class`` bound to what was posted, with a picture in its "image" field stored and its
    Markdown added to ``field`` (or the field's error when it was refused: the text is kept)."""
    data, upload_error = attach_uploaded_image(request, field)
    form = form_class(data, **kwargs)
    if upload_error:
        form.add_error("image", upload_error)
    return form


def question_ask(request):
    # "Turn into a question" on a listening post item: the form starts from the item (prefill.py).
    from_item = listening_prefill.item_from(request)
    initial = listening_prefill.initial(from_item, MAX_TITLE_LENGTH, "body") if from_item else None
    form = _bound(request, QuestionForm, "body", initial=initial)
    add_community_choice(form, request.user, request.GET.get("community", ""))
    preview, status = None, 200
    if request.method == "POST":
        if "preview" in request.POST:
            preview = render_markdown(form.data.get("body", "")[:MAX_BODY_LENGTH])
            status = 400 if form.has_error("image") else 200
        elif form.is_valid():
            reservation = reserve_post(request, "qa.post")
            if reservation:
                data = form.cleaned_data
                question = Question.ask(request.user, data["title"], data["body"], data["tags"], data["community"])
                if from_item is not None:
                    listening_prefill.used_for(from_item, question)
                messages.success(request, "Your question has been posted.")
                warn_unknown_mentions(request, question.body)
                return redirect(question)
            form.add_error(None, RATE_LIMITED_MESSAGE)
            status = 429
        else:
            status = 400
    context = {"form": form, "preview": preview, "tag_options": _tag_options(), "similar": _similar_questions(request),
               "from_item": from_item}  # fmt: skip
    context.update(_suggested_tags(request.POST if request.method == "POST" else request.GET))
    response = render(request, "qa/question_form.html", context, status=status)
    return reservation.refuse(response) if status == 429 else response


def _similar_questions(request) -> list[dict]:
    """The similar questions htmx shows while the title is typed, for a page shown again after a
    preview or an error: the same suggestions without JavaScript."""
    title = sitesearch.clean_query(request.POST.get("title")) if request.method == "POST" else ""
    search_type = sitesearch.get_search_type("questions") if title else None
    if search_type is None:
        return []
    return sitesearch.similar_links(sitesearch.similar(title, search_type, request), search_type, request)


@require_POST
def markdown_preview(request):
    """htmx: the body as it will look once posted."""
    return render(
        request,
        "includes/markdown_preview.html",
        {"preview": render_markdown(request.POST.get("body", "")[:MAX_BODY_LENGTH])},
    )


# --- one question ---------------------------------------------------------------------------------


def _comment_form(question, parent=None):
    return django_comments.get_form()(question, comment=parent, auto_id=False)


def _shown_comments(model, pks):
    """The public comments on the ``model`` rows ``pks``, in thread order, in one query."""
    return (
        django_comments.get_model()
        .objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in pks],
            site_id=settings.SITE_ID,
            is_public=True,
            is_removed=False,
        )
        .select_related("user__profile", "html")
        .order_by("thread_id", "order")
    )


def _with_reply_forms(target, comments) -> list:
    for comment in mark_replied(comments):
        open_to_replies = (
            takes_replies(comment) and not comment.withdrawn and not getattr(target, "withdrawn_at", None)
        )
        comment.reply_form = _comment_form(target, comment) if open_to_replies else None
        comment.indent = INDENTS[min(comment.level, len(INDENTS) - 1)]
    return comments


def _comments(question) -> list:
    return _with_reply_forms(question, list(_shown_comments(Question, [question.pk])))


def answers_for(request, question, refused_comment=None):
    """The answers this person may see, with their votes and comments (one query for all the
    answers' comments); ``refused_comment`` (answer pk, form) is a comment form shown again."""
    answers = list(
        question.answers.visible_to(request.user)
        .select_related("author__profile", "verified_by__profile")
        .in_display_order()
    )
    _show_votes_of(request.user, question, answers)
    by_answer: dict[str, list] = {}
    for comment in _shown_comments(Answer, [answer.pk for answer in answers]):
        by_answer.setdefault(comment.object_pk, []).append(comment)
    for answer in answers:
        answer.question = question  # already loaded: no query per answer for its URL
        answer.comments = _with_reply_forms(answer, by_answer.get(str(answer.pk), []))
        form = refused_comment[1] if refused_comment and refused_comment[0] == answer.pk else None
        form = place_refused_form(answer.comments, form)
        answer.comment_form = form if form is not None else _comment_form(answer)
        answer.comment_form_open = form is not None
        answer.comment_prefix = f"a{answer.pk}-"  # the page's comment form ids stay unique
    return answers


def _show_votes_of(user, question, answers) -> None:
    """Set ``my_vote`` (1, -1 or 0) on the question and each answer: this person's votes on the whole
    page, in one query (a subquery per row cost more to build than to run)."""
    votes = Vote.objects.filter(user=user.pk).filter(Q(question=question.pk) | Q(answer__question=question.pk))
    mine = {(q, a): value for q, a, value in votes.values_list("question_id", "answer_id", "value")}
    question.my_vote = mine.get((question.pk, None), 0)
    for answer in answers:
        answer.my_vote = mine.get((None, answer.pk), 0)


def _answers_context(request, question, verify_failed=None, refused_comment=None) -> dict:
    user = request.user
    return {
        "question": question,
        "answers": answers_for(request, question, refused_comment),
        "is_asker": question.author_id == user.pk,
        "verify_form": VerifyForm(),
        "presets": VerifyForm.presets(),
        # {"pk", "value", "error"}: the answer whose verification was refused, and the date typed.
        "verify_failed": verify_failed,
    }


def _detail(
    request, question, answer_form=None, status=200, preview=None, comment_form=None, verify_failed=None,
    refused_comment=None,
):  # fmt: skip
    """The question page; a form shown again after an error (``answer_form``, ``comment_form``,
    ``verify_failed``, ``refused_comment`` on an answer) keeps what was typed."""
    user = request.user
    context = _answers_context(request, question, verify_failed, refused_comment)
    comments = _comments(question)
    comment_form = place_refused_form(comments, comment_form)
    context.update(
        {
            "can_edit": question.can_edit(user),
            "answer_form": answer_form or AnswerForm(),
            "comments": comments,
            "comment_form": comment_form if comment_form is not None else _comment_form(question),
            "feedback": SolvedFeedback.objects.filter(user=user, question=question).first(),
            "feedback_refusal": question.feedback_refusal(user, {a.author_id for a in context["answers"]}),
            "duplicates": list(question.duplicates.public().only("pk", "title", "slug")),
            "preview": preview,
        }
    )
    return render(request, "qa/question_detail.html", context, status=status)


def _question_for_page(request, pk):
    queryset = Question.objects.select_related("author__profile", "duplicate_of", "closed_by__profile", "community")
    return get_question(request, pk, queryset.prefetch_related("tags"))


def question_detail(request, pk, slug=None):
    question = _question_for_page(request, pk)
    if slug != question.slug:
        return redirect(question, permanent=True)
    return _detail(request, question)


def answer_detail(request, pk):
    return redirect(get_answer(request, pk))


@require_POST
def answer_create(request, pk):
    question = _question_for_page(request, pk)
    form = _bound(request, AnswerForm, "body")
    if "preview" in request.POST and not form.has_error("image"):
        body = form.data.get("body", "")
        preview = render_markdown(body[:MAX_BODY_LENGTH])
        return _detail(request, question, AnswerForm(initial={"body": body}), preview=preview)
    if "preview" in request.POST or not form.is_valid():
        return _detail(request, question, form, status=400)
    reservation = reserve_post(request, "qa.post")
    if not reservation:
        form.add_error(None, RATE_LIMITED_MESSAGE)
        return reservation.refuse(_detail(request, question, form, status=429))
    try:
        answer = question.add_answer(request.user, form.cleaned_data["body"])
    except ValidationError as error:
        reservation.release()
        messages.error(request, first_message(error))
        return redirect(question)
    messages.success(request, "Your answer has been posted.")
    warn_unknown_mentions(request, answer.body)
    return redirect(answer)


@require_POST
def question_comment(request, pk):
    """A comment or a reply: post_comment checks (Question.check_can_comment), counts and saves it."""
    question = get_question(request, pk)

    def show_again(form, status):
        return _detail(request, _question_for_page(request, pk), comment_form=form, status=status)

    allowance = ("qa.comment", _post_rate)
    return post_comment(
        request, question, allowance=allowance, limited=RATE_LIMITED_MESSAGE, rerender=show_again,
        saved=lambda comment: warn_unknown_mentions(request, comment.comment),
    )  # fmt: skip


@require_POST
def answer_comment(request, pk):
    """A comment (or a reply) on an answer, shown under it: the same path as a question's."""
    answer = get_answer(request, pk)

    def show_again(form, status):
        question = _question_for_page(request, answer.question_id)
        return _detail(request, question, refused_comment=(answer.pk, form), status=status)

    allowance = ("qa.comment", _post_rate)
    return post_comment(
        request, answer, allowance=allowance, limited=RATE_LIMITED_MESSAGE, rerender=show_again,
        saved=lambda comment: warn_unknown_mentions(request, comment.comment),
    )  # fmt: skip


# --- voting, accepting, verifying -------------------------------------------------------------------


def _vote(request, post):
    form = VoteForm(request.POST)
    error = reservation = None
    if not form.is_valid():
        error = "Choose to vote up or down."
    elif not (reservation := reserve_allowance(request, "qa.vote", _vote_rate)):
        error = VOTE_RATE_LIMITED_MESSAGE
    else:
        try:
            post.vote(request.user, form.cleaned_data["value"])
        except ValidationError as refusal:
            reservation.release()
            error = first_message(refusal)
        except PermissionDenied:
            reservation.release()
            raise
    limited = error == VOTE_RATE_LIMITED_MESSAGE
    if request.htmx:
        post.my_vote = post.vote_of(request.user)
        context = {"post": post, "error": error}
        response = render(request, "qa/includes/vote.html", context, status=429 if limited else 200)
        return reservation.refuse(response) if limited else response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Your vote has been recorded." if form.cleaned_data["value"] else "Vote withdrawn.")
    return redirect(post.get_absolute_url())


@require_POST
@explain_refusals
def question_vote(request, pk):
    return _vote(request, get_question(request, pk))


@require_POST
@explain_refusals
def answer_vote(request, pk):
    return _vote(request, get_answer(request, pk))


def _answers_partial_or_redirect(request, question, error=None, success=None):
    if request.htmx:
        context = _answers_context(request, question)
        context["error"] = error
        context["success"] = success
        return render(request, "qa/includes/answer_list.html", context)
    if error:
        messages.error(request, error)
    elif success:
        messages.success(request, success)
    return redirect(question)


@require_POST
@explain_refusals
@with_allowance("qa.accept")
def answer_accept(request, pk):
    answer = get_answer(request, pk)
    question = answer.question
    require(question.author_id == request.user.pk, "Only the person who asked can accept an answer.")
    form = AcceptForm(request.POST)
    action = form.cleaned_data["action"] if form.is_valid() else "accept"
    try:
        if action == "accept":
            question.accept(answer, request.user)
            success = "You accepted an answer. Thank you: it helps the next person with the same question."
        else:
            question.unaccept(answer, request.user)
            success = "The answer is no longer marked as accepted."
    except ValidationError as error:
        return _answers_partial_or_redirect(request, question, error=first_message(error))
    return _answers_partial_or_redirect(request, question, success=success)


@require_POST
@explain_refusals
def answer_verify(request, pk):
    require(can_verify(request.user), "Only the helpdesk can verify answers.")
    answer = get_answer(request, pk)
    form = VerifyForm(request.POST)
    error = None
    if not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            answer.verify(request.user, form.cleaned_data["review_by"])
        except ValidationError as refusal:
            error = first_message(refusal)
    if error:
        # Shown again with the period chosen and the date as typed, next to the answer's form.
        period = request.POST.get("period", "")
        failed = {"pk": answer.pk, "period": period if period in {"3", "6", "12"} else "other",
                  "error": error, **form.date_parts()}  # fmt: skip
        typed = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", request.POST.get("review_by", "").strip())
        if typed and not any(failed[part] for part in ("day", "month", "year")):
            failed.update(year=typed[1], month=typed[2], day=typed[3])  # a date sent as YYYY-MM-DD
        if request.htmx:
            # htmx does not swap 4xx responses by default: the error comes back in a 200 partial.
            context = {**_answers_context(request, answer.question, failed), "error": error}
            return render(request, "qa/includes/answer_list.html", context)
        return _detail(request, _question_for_page(request, answer.question_id), verify_failed=failed, status=400)
    return _answers_partial_or_redirect(
        request, answer.question, success=f"Answer verified until {form.cleaned_data['review_by']:%-d %B %Y}."
    )


@require_POST
@explain_refusals
def answer_unverify(request, pk):
    require(can_verify(request.user), "Only the helpdesk can remove a verification.")
    answer = get_answer(request, pk)
    try:
        answer.unverify(request.user)
    except ValidationError as error:
        return _answers_partial_or_redirect(request, answer.question, error=first_message(error))
    return _answers_partial_or_redirect(request, answer.question, success="The answer is no longer verified.")


@require_POST
@with_allowance("qa.feedback")
def question_feedback(request, pk):
    """“Did this solve your problem?” yes or no, once per person."""
    question = get_question(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose yes or no.")
    else:
        try:
            question.record_feedback(request.user, form.cleaned_data["solved"])
        except ValidationError as error:
            messages.error(request, first_message(error))
        else:
            messages.success(request, "Thank you for telling us.")
    return redirect(f"{question.get_absolute_url()}#solved")


# --- curating: close, reopen, edit, history --------------------------------------------------------


@explain_refusals
def question_close(request, pk):
    question = get_question(request, pk)
    require(can_curate(request.user), "Only the helpdesk and moderators can close questions.")
    form = CloseForm(posted(request), question=question, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question.close(request.user, data["reason"], duplicate_of=data["duplicate_of"], note=data["note"])
        except ValidationError as error:
            field = "duplicate_of" if data["reason"] == "duplicate" and question.is_open else None
            form.add_error(field, first_message(error))
        else:
            messages.success(request, "The question has been closed. The asker, answerers and followers were told.")
            return redirect(question)
    query = request.GET.get("q", "").strip()[:200]
    chosen = request.POST.get("duplicate_of", "") if request.method == "POST" else ""
    context = {"question": question, "form": form, "query": query, "chosen": chosen,
               "candidates": _original_candidates(request, question, query, chosen)}  # fmt: skip
    return render(request, "qa/question_close.html", context, status=refused_status(request, form))


def _original_candidates(request, question, query: str, chosen: str) -> list:
    """The questions offered as the original: the one already chosen, what the search box found (a
    number or a link finds that question), then questions like this one. Only open, visible
    questions other than this one are offered, since only those can be chosen."""
    visible = Question.objects.visible_to(request.user).filter(status=Question.Status.OPEN, is_hidden=False)
    found = []
    if chosen.isdigit():
        found += list(visible.filter(pk=int(chosen)))
    search_type = sitesearch.get_search_type("questions")
    number = re.search(r"(?:^|/qa/)(\d+)(?:/|$)", query)
    if number:
        found += list(visible.filter(pk=int(number.group(1))))
    elif query and search_type:
        found += sitesearch.similar(query, search_type, request, limit=10, exclude_pk=question.pk)
    if search_type:
        found += sitesearch.similar(question.title, search_type, request, exclude_pk=question.pk)
    allowed = set(visible.filter(pk__in=[item.pk for item in found]).values_list("pk", flat=True))
    candidates, seen = [], {question.pk}
    for item in found:
        if item.pk in allowed and item.pk not in seen:
            seen.add(item.pk)
            candidates.append(item)
    return candidates


@require_POST
@explain_refusals
def question_reopen(request, pk):
    question = get_question(request, pk)
    try:
        question.reopen(request.user)
    except ValidationError as error:
        messages.error(request, first_message(error))
    else:
        messages.success(request, "The question has been reopened. The asker, answerers and followers were told.")
    return redirect(question)


@explain_refusals
@with_allowance("qa.edit")
def question_edit(request, pk):
    question = get_question(request, pk, Question.objects.prefetch_related("tags"))
    require(question.can_edit(request.user), "Only the person who asked and the helpdesk can edit this question.")
    initial = {"title": question.title, "body": question.body, "tags": ", ".join(question.tag_names())}
    form = _bound(request, QuestionEditForm, "body", initial=initial)
    preview = None
    if request.method == "POST":
        if "preview" in request.POST:
            preview = render_markdown(form.data.get("body", "")[:MAX_BODY_LENGTH])
        elif form.is_valid():
            data = form.cleaned_data
            if question.edit(request.user, data["title"], data["body"], data["tags"], data["summary"]):
                messages.success(request, "Your changes have been saved.")
                warn_unknown_mentions(request, question.body)
            else:
                messages.info(request, "Nothing was changed.")
            return redirect(question)
    return render(
        request,
        "qa/question_edit.html",
        {"question": question, "form": form, "preview": preview, "tag_options": _tag_options()},
        status=refused_status(request, form),
    )


@explain_refusals
def question_delete(request, pk):
    """Delete your own question while nobody has replied: a GET asks "are you sure?", the POST
    deletes. After a reply it is refused, with why (and nothing is lost)."""
    question = get_question(request, pk)
    return own_content_action(
        request, author_id=question.author_id, refusal=question.deletion_refusal(request.user),
        act=question.delete_by, back=question, after="qa:index", template="qa/question_delete.html",
        context={"question": question}, done=f"Your question “{question.title}” has been deleted.",
    )  # fmt: skip


@explain_refusals
def answer_delete(request, pk):
    """Delete your own answer while nobody has commented on it: a GET asks "are you sure?", the
    POST deletes. After a comment it is refused, with why, and withdrawing is offered instead."""
    answer = get_answer(request, pk)
    return own_content_action(
        request, author_id=answer.author_id, refusal=answer.deletion_refusal(request.user),
        act=answer.delete_by, back=answer, after=answer.question, template="qa/answer_delete.html",
        context={"answer": answer, "question": answer.question}, done="Your answer has been deleted.",
    )  # fmt: skip


@explain_refusals
def answer_withdraw(request, pk):
    """Withdraw your own answer (once someone has commented, deleting it would take their comments):
    a GET asks "are you sure?", the POST withdraws."""
    answer = get_answer(request, pk)
    return own_content_action(
        request, author_id=answer.author_id, refusal=answer.withdrawal_refusal(request.user),
        act=answer.withdraw_by, back=answer, template="qa/answer_withdraw.html",
        context={"answer": answer, "question": answer.question},
        done="Your answer has been withdrawn. Others now see “Withdrawn by the author” in its place.",
    )  # fmt: skip


@explain_refusals
@with_allowance("qa.edit")
def answer_edit(request, pk):
    answer = get_answer(request, pk)
    require(not answer.withdrawn_at, "This answer was withdrawn by its author, so it can no longer be edited.")
    require(answer.can_edit(request.user), "Only the person who answered and the helpdesk can edit this answer.")
    form = _bound(request, AnswerEditForm, "body", initial={"body": answer.body})
    preview = None
    if request.method == "POST":
        if "preview" in request.POST:
            preview = render_markdown(form.data.get("body", "")[:MAX_BODY_LENGTH])
        elif form.is_valid():
            if answer.edit(request.user, form.cleaned_data["body"], form.cleaned_data["summary"]):
                messages.success(request, "Your changes have been saved.")
                warn_unknown_mentions(request, answer.body)
            else:
                messages.info(request, "Nothing was changed.")
            return redirect(answer)
    context = {"answer": answer, "form": form, "preview": preview}
    return render(request, "qa/answer_edit.html", context, status=refused_status(request, form))


def _revisions(post) -> list[dict]:
    revisions = list(post.revisions.select_related("editor__profile"))
    entries, previous = [], None
    for number, revision in enumerate(revisions, start=1):
        entries.append({"number": number, "revision": revision, "changes": revision.changes_from(previous)})
        previous = revision
    return entries[::-1]


def question_revisions(request, pk):
    question = get_question(request, pk)
    return render(request, "qa/revision_list.html", {"post": question, "question": question,
                                                      "entries": _revisions(question)})  # fmt: skip


def answer_revisions(request, pk):
    answer = get_answer(request, pk)
    if answer.withdrawn_at and not (answer.author_id == request.user.pk or can_moderate(request.user)):
        raise Http404("Its author withdrew this answer")  # its history is kept, not shown to others
    return render(request, "qa/revision_list.html", {"post": answer, "question": answer.question,
                                                      "entries": _revisions(answer)})  # fmt: skip


# --- moderation -------------------------------------------------------------------------------------


def question_flag(request, pk):
    # Flagging is the same for everything (community.moderation); the old addresses stay.
    return moderation_views.flag(request, "question", pk)


def answer_flag(request, pk):
    return moderation_views.flag(request, "answer", pk)


def _hide(request, post):
    require(can_moderate(request.user), "Only moderators can hide posts.")
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to hide or show the post.")
        return redirect(post.get_absolute_url())
    try:
        if form.cleaned_data["action"] == "hide":
            post.hide(request.user)
            messages.success(request, f"The {post.kind} is now hidden from everyone but its author and moderators.")
        else:
            post.unhide(request.user)
            messages.success(request, f"The {post.kind} is visible to everyone again.")
    except ValidationError as error:
        messages.error(request, first_message(error))
    return redirect(post.get_absolute_url())


@require_POST
@explain_refusals
def question_hide(request, pk):
    return _hide(request, get_question(request, pk))


@require_POST
@explain_refusals
def answer_hide(request, pk):
    return _hide(request, get_answer(request, pk))
