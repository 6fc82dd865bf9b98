"""Wagtail admin views for the helpdesk (find and edit questions and answers) and moderators (the flag queue).

Each viewset is gated by Django model permissions, which the 0002 migration grants to the Helpdesk and
Moderators groups. Edits made here go through the same model rules as the site, so they keep a revision,
and flag decisions hide the post the same way a moderator's button does.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn, UserColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from community.tags import clean_tag_names

from .models import MAX_TAGS, Answer, Flag, Question

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


class QuestionIndexView(RelatedIndexView):
    select_related = ("author",)


class AnswerIndexView(RelatedIndexView):
    select_related = ("question", "author")


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


class QuestionViewSet(NoAddViewSet):
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


class AnswerViewSet(NoAddViewSet):
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


class FlagForm(WagtailAdminModelForm):
    status = forms.ChoiceField(
        label="Decision",
        choices=Flag.Status.choices,
        help_text="Hiding the post closes every open flag on it. Hidden posts stay visible to their author "
        "and to moderators.",
    )

    def save(self, commit=True):
        flag = self.instance
        status = self.cleaned_data["status"]
        if status != Flag.Status.OPEN and Flag.objects.filter(pk=flag.pk, status=Flag.Status.OPEN).exists():
            flag.resolve(self.for_user, status)
        return flag


class FlagIndexView(RelatedIndexView):
    select_related = ("user", "question", "answer__question")

    def get_base_queryset(self):
        # Open flags first, oldest first: a queue.
        return (
            super()
            .get_base_queryset()
            .order_by(
                Case(When(status=Flag.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
                "created_at",
            )  # fmt: skip
        )


class FlagViewSet(NoAddViewSet):
    model = Flag
    icon = "warning"
    menu_label = "Flags"
    index_view_class = FlagIndexView
    list_display = ["__str__", Column("note"), Column("status"), UserColumn("user", label="Flagged by"),
                    DateColumn("created_at", label="Flagged"), _on_site("Post")]  # fmt: skip
    list_filter = ["status", "reason"]
    search_fields = ["note"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList([FieldPanel("status")], base_form_class=FlagForm)


class QAViewSetGroup(ModelViewSetGroup):
    menu_label = "Q&A"
    menu_icon = "help"
    menu_order = 200
    items = (QuestionViewSet("qa_questions"), AnswerViewSet("qa_answers"), FlagViewSet("qa_flags"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return QAViewSetGroup()
