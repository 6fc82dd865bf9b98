"""Wagtail admin views for the helpdesk (find and edit questions and answers) and moderators (the flag
queue); and what Q&A adds to tag pages, the home page, site search, follows, notifications and feeds.

Each viewset is gated by Django model permissions, which the 0002 migration grants to the Helpdesk and
Moderators groups. Edits made here go through the same model rules as the site, so they keep a revision,
and flag decisions hide the post the same way a moderator's button does.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import IndexView, history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from community import hooks as confer_hooks
from community.hooks import (
    ROLE_COUNT_CAP,
    CommunityFeedSource,
    CommunityItem,
    EventType,
    FeedSource,
    Followable,
    HomePanel,
    Moderatable,
    RoleLink,
    SearchType,
    TagSection,
)
from community.listening.feeds import FEED_LENGTH
from community.markdown import plain_text
from community.names import display_name
from community.tags import clean_tag_names

from . import search
from .models import (
    MAX_TAGS,
    WORK_HELPDESK_QUEUE,
    Answer,
    Question,
    QuestionTag,
    can_moderate,
)

ADMIN_EDIT_SUMMARY = "Edited in the admin"


class SiteLinkColumn(TitleColumn):
    """A link to the post on the site, where moderators and the helpdesk see it in context."""

    def get_value(self, instance):
        return "View"


def _on_site(label="On the site"):
    return SiteLinkColumn(
        "site_link",
        label=label,
        get_url=lambda obj: obj.get_absolute_url(),
        link_attrs={"target": "_blank", "rel": "noopener"},
    )


class RelatedIndexView(IndexView):
    select_related = ()

    def get_base_queryset(self):
        return super().get_base_queryset().select_related(*self.select_related)


def _visible_in_admin(post, user) -> bool:
    """The admin shows a post only to those the site shows it to: a hidden question or answer
    (or an answer on a hidden question) is the moderators' and its author's, not the helpdesk's."""
    question = post.question if isinstance(post, Answer) else post
    return post.is_visible_to(user) and question.is_visible_to(user)


class VisiblePostsOnly:
    """For the admin's edit, inspect, history and usage views: a post the person may not see on
    the site is a 404 here too."""

    def get_object(self, *args, **kwargs):
        post = super().get_object(*args, **kwargs)
        if not _visible_in_admin(post, self.request.user):
            raise Http404("No such post")
        return post


def _visible_only(view_class):
    return type(f"VisibleOnly{view_class.__name__}", (VisiblePostsOnly, view_class), {})


class QuestionIndexView(RelatedIndexView):
    select_related = ("author",)

    def get_base_queryset(self):
        return super().get_base_queryset() & Question.objects.visible_to(self.request.user)


class AnswerIndexView(RelatedIndexView):
    select_related = ("question", "author")

    def get_base_queryset(self):
        user = self.request.user
        answers = super().get_base_queryset() & Answer.objects.visible_to(user)
        if can_moderate(user):
            return answers
        return answers.filter(Q(question__is_hidden=False) | Q(question__author=user.pk))


class QuestionAdminForm(WagtailAdminModelForm):
    def clean_tags(self):
        names = clean_tag_names(self.cleaned_data.get("tags") or [], max_tags=MAX_TAGS)
        if not names:
            raise ValidationError("Add at least one tag")
        return names

    def save(self, commit=True):
        # Through the model rule: checks the editor may edit, and keeps a revision.
        question = self.instance
        data = self.cleaned_data
        question.edit(self.for_user, data["title"], data["body"], data["tags"], ADMIN_EDIT_SUMMARY)
        return question


class AnswerAdminForm(WagtailAdminModelForm):
    def save(self, commit=True):
        answer = self.instance
        answer.edit(self.for_user, self.cleaned_data["body"], ADMIN_EDIT_SUMMARY)
        return answer


class NoAddViewSet(ModelViewSet):
    """No "Add" here: questions and answers are posted, and flags raised, on the site, through the
    model methods that check the rules, follow, notify and keep revisions. The add URL is not served."""

    def get_common_view_kwargs(self, **kwargs):
        return {**super().get_common_view_kwargs(**kwargs), "add_url_name": None}

    def get_urlpatterns(self):
        return [pattern for pattern in super().get_urlpatterns() if pattern.name != "add"]


class VisiblePostViewSet(NoAddViewSet):
    """Questions and answers: in the admin, as on the site, hidden ones are for moderators and their
    author only (the helpdesk could list, read and edit them here while the site refused them)."""

    edit_view_class = _visible_only(generic.EditView)
    inspect_view_class = _visible_only(generic.InspectView)
    history_view_class = _visible_only(history.HistoryView)
    usage_view_class = _visible_only(usage.UsageView)
    delete_view_class = _visible_only(generic.DeleteView)


class QuestionViewSet(VisiblePostViewSet):
    model = Question
    index_view_class = QuestionIndexView
    icon = "help"
    menu_label = "Questions"
    list_display = ["title", Column("status"), Column("answer_count", label="Answers"),
                    UserColumn("author"), DateColumn("created_at", label="Asked"), _on_site()]  # fmt: skip
    list_filter = ["status", "is_hidden"]
    search_fields = ["title", "body"]
    # Plain database lookups: the admin search must work whichever site search backend is configured.
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("body", widget=forms.Textarea(attrs={"rows": 15})), FieldPanel("tags")],
        base_form_class=QuestionAdminForm,
    )


class AnswerViewSet(VisiblePostViewSet):
    model = Answer
    index_view_class = AnswerIndexView
    icon = "comment"
    menu_label = "Answers"
    list_display = ["__str__", UserColumn("author"), BooleanColumn("is_accepted", label="Accepted"),
                    DateColumn("verified_at", label="Verified"), DateColumn("review_by", label="Review by"),
                    _on_site()]  # fmt: skip
    list_filter = ["is_accepted", "is_hidden"]
    search_fields = ["body", "question__title"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [FieldPanel("body", widget=forms.Textarea(attrs={"rows": 15}))], base_form_class=AnswerAdminForm
    )


class QAViewSetGroup(ModelViewSetGroup):
    menu_label = "Q&A"
    menu_icon = "help"
    menu_order = 200
    items = (QuestionViewSet("qa_questions"), AnswerViewSet("qa_answers"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return QAViewSetGroup()


# --- what Q&A adds to the rest of Confer ---------------------------------------------------------
# The tag page, home page, site search, follows, notifications and feeds read these through
# community.hooks; the core never imports qa.


def _questions_for_tag(tag, request):
    return (
        Question.objects.visible_to(request.user)
        .listed()
        .filter(tags=tag)
        .select_related("author__profile")
        .prefetch_related("tags")
        .order_by("-created_at")[:20]
    )


def _home_questions(queryset):
    return queryset.select_related("author__profile").prefetch_related("tags")[:5]


def _recent_questions(request):
    return _home_questions(Question.objects.recent())


def _answers_to_my_questions(request):
    # The asker's own questions that have answers, latest activity first (their index by author).
    mine = Question.objects.filter(author=request.user, answer_count__gt=0, is_hidden=False)
    return _home_questions(mine.order_by("-last_activity_at", "-pk"))


def _unanswered_questions(request):
    # Oldest first: the ones waiting longest are the ones a colleague can rescue.
    return _home_questions(Question.objects.unanswered().order_by("created_at"))


def _questions(request):
    # Hidden questions stay out of search for everyone; duplicates stay in (they lead to the original).
    return Question.objects.filter(is_hidden=False, members_only=False)


def _answers(request):
    # Withdrawn answers leave the index too (Answer.withdraw_by); the filter keeps the database
    # fallback the same.
    return Answer.objects.filter(
        is_hidden=False, withdrawn_at__isnull=True, question__is_hidden=False, question__members_only=False
    ).select_related("question")


def _snippet(post):
    return plain_text(post.body_html)


def _feed_questions(user, tag):
    questions = Question.objects.visible_to(user).listed().select_related("author__profile").prefetch_related("tags")
    if tag is not None:
        questions = questions.filter(tags=tag)
    return questions.order_by("-created_at")[:FEED_LENGTH]


def _author_name(post):
    return display_name(post.author)


EVENT_TYPES = [
    # key, digest heading, order
    ("qa.new_question", "New questions", 10),
    ("qa.new_answer", "New answers", 11),
    ("qa.answer_accepted", "Accepted answers", 12),
    ("qa.answer_verified", "Answers verified by the helpdesk", 13),
    ("qa.new_comment", "New comments on questions", 14),
    ("qa.new_answer_comment", "New comments on answers", 14),
    ("qa.question_closed", "Questions closed", 18),
    ("qa.question_reopened", "Questions reopened", 19),
    ("qa.reviews_due", "Your verified answers due for review", 20),
    ("qa.question_assigned", "Questions assigned to you in the helpdesk queue", 21),
]


@hooks.register(confer_hooks.TAG_SECTIONS)
def questions_tag_section():
    return TagSection(key="questions", title="Questions", items=_questions_for_tag,
                      template="qa/includes/tag_questions.html", order=10)  # fmt: skip


@hooks.register(confer_hooks.HOME_PANELS)
def question_home_panels():
    return [
        HomePanel(key="answers-to-your-questions", title="Answers to your questions", items=_answers_to_my_questions,
                  template="qa/includes/home_questions.html",
                  order=5, personal=True, hide_when_empty=True),
        HomePanel(key="recent-questions", title="Recent questions", items=_recent_questions,
                  template="qa/includes/home_questions.html", link="qa:ask", link_text="Ask a question", order=10),
        HomePanel(key="unanswered-questions", title="Waiting for an answer", items=_unanswered_questions,
                  template="qa/includes/home_questions.html", link="qa:index", link_text="See all questions",
                  order=20),
    ]  # fmt: skip


@hooks.register(confer_hooks.SEARCH_TYPES)
def question_search_types():
    return [
        SearchType(key="questions", label="Questions", model=Question, queryset=_questions,
                   template="qa/includes/search_question.html", snippet=_snippet, tag_model=QuestionTag, order=10,
                   resolve=search.resolve_questions, describe=search.describe_questions,
                   embed_text=search.question_text),
        # An answer is shown as its question: found through its text, labelled with its state.
        SearchType(key="answers", label="Answers", model=Answer, queryset=_answers,
                   template="qa/includes/search_answer.html", snippet=_snippet, order=20, facet="questions",
                   resolve=search.resolve_answers, embed_text=search.answer_text),
    ]  # fmt: skip


@hooks.register(confer_hooks.FOLLOWABLES)
def question_followable():
    return Followable(key="question", model=Question, label="Questions", visible=Question.objects.visible_to, order=20)


@hooks.register(confer_hooks.EVENT_TYPES)
def question_event_types():
    return [
        EventType(key=key, label=label, template=f"qa/notifications/{key.split('.', 1)[1]}.html", order=order)
        for key, label, order in EVENT_TYPES
    ]


def _helpdesk_count():
    return Question.objects.needs_helpdesk().values("pk")[:ROLE_COUNT_CAP].count()


@hooks.register(confer_hooks.ROLE_LINKS)
def qa_role_links():
    return [
        RoleLink(key="helpdesk", label="Helpdesk queue", url_name="qa:helpdesk", permission=WORK_HELPDESK_QUEUE,
                 count=_helpdesk_count, order=10),
    ]  # fmt: skip


@hooks.register(confer_hooks.FEED_SOURCES)
def questions_feed():
    return FeedSource(key="questions", title="Questions", items=_feed_questions, item_title=lambda q: q.title,
                      item_description=lambda q: q.body_html, item_author=_author_name, model=Question,
                      order=10)  # fmt: skip


@hooks.register(confer_hooks.CONTENT_EXPORTS)
def qa_content_exports():
    return confer_hooks.ContentExport(
        key="qa",
        models=("qa.Question", "qa.QuestionTag", "qa.Answer", "qa.Revision", "qa.Vote", "qa.SolvedFeedback"),
        order=40,
    )  # fmt: skip


# --- questions and answers in the moderation queue (community.moderation) ----------------------------


def _load_questions(pks):
    return Question.objects.select_related("author__profile").in_bulk(pks)


def _load_answers(pks):
    return Answer.objects.select_related("author__profile", "question").in_bulk(pks)


def _hidden_counts(model):
    def counts(author_ids):
        rows = model.objects.filter(author_id__in=author_ids, is_hidden=True).values("author_id")
        return {row["author_id"]: row["n"] for row in rows.annotate(n=Count("pk"))}

    return counts


def _public_url(post):
    """Where someone who flagged a post can still go once it is hidden: its thread, or the list."""
    question = post.thread
    return reverse("qa:index") if question.is_hidden else question.get_absolute_url()


def _edit_url(post, user):
    if not post.can_edit(user):
        return ""
    return reverse(f"qa:{post.kind}_edit", args=[post.pk])


@hooks.register(confer_hooks.MODERATABLES)
def qa_moderatables():
    common = {
        "template": "moderation/includes/post.html",
        "author": lambda post: post.author,
        "is_hidden": lambda post: post.is_hidden,
        "hide": lambda post, by, **how: post.hide(by, **how),
        "summary": lambda post: post.flag_summary(),
        "public_url": _public_url,
        "edit_url": _edit_url,
        "visible_to": lambda post, user: post.is_visible_to(user),
    }
    return [
        Moderatable(key="question", label="question", model=Question, load=_load_questions,
                    hidden_counts=_hidden_counts(Question), order=10, **common),
        Moderatable(key="answer", label="answer", model=Answer, load=_load_answers,
                    hidden_counts=_hidden_counts(Answer), order=20, **common),
    ]  # fmt: skip


@hooks.register(confer_hooks.PROFILE_ACTIVITY)
def qa_profile_activity():
    from . import activity

    return [
        confer_hooks.ProfileActivity(key="questions", items=activity.question_activity, order=10),
        confer_hooks.ProfileActivity(key="answers", items=activity.answer_activity, order=20),
    ]


# --- communities -----------------------------------------------------------------------------------


def _community_item(question):
    return CommunityItem(date=question.created_at, kind="Question", title=question.title,
                         url=question.get_absolute_url(), snippet=plain_text(question.body_html)[:200],
                         pk=question.pk)  # fmt: skip


def _community_questions(community, viewer, before, limit):
    tag_ids = [tag.pk for tag in community.tags.all()]
    return [_community_item(q) for q in Question.objects.in_community(community, tag_ids, viewer, before, limit)]


def _pinned_questions(community, viewer, ids):
    return [_community_item(q) for q in Question.objects.visible_to(viewer).filter(pk__in=ids, is_hidden=False)]


@hooks.register(confer_hooks.COMMUNITY_FEED)
def community_questions():
    return CommunityFeedSource(key="questions", label="Questions", items=_community_questions,
                               pinned=_pinned_questions, order=10)  # fmt: skip
