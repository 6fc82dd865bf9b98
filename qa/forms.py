import datetime
import re

from django import forms
from django.urls import reverse
from django.utils import timezone

from community.forms import MarkdownTextarea
from community.moderation.forms import DecisionForm, FlagForm  # noqa: F401  (the flag form is shared)
from community.roles import users_with_perm
from community.tags import TagsField, clean_tag_names
from community.uploads import image_field

from .models import (
    MAX_BODY_LENGTH,
    MAX_TAGS,
    MAX_TITLE_LENGTH,
    REVIEW_PERIODS,
    WORK_HELPDESK_QUEUE,
    Question,
    months_after,
)

BODY_HINT = "You can use Markdown: **bold**, *italic*, `code`, lists and links."


def _title_field():
    return forms.CharField(
        label="Title",
        max_length=MAX_TITLE_LENGTH,
        help_text="Say what you need in one sentence, as you would ask a colleague.",
        error_messages={
            "required": "Enter a title for your question",
            "max_length": f"Title must be {MAX_TITLE_LENGTH} characters or fewer",
        },
    )


def _body_field(label, required_message):
    return forms.CharField(
        label=label,
        max_length=MAX_BODY_LENGTH,
        help_text=BODY_HINT,
        widget=MarkdownTextarea(),
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {MAX_BODY_LENGTH:,} characters or fewer",
        },
    )


def _tags_field():
    # Optional: a colleague who does not know the topics' names still asks; the helpdesk tags
    # untagged questions later from its queue ("Needs tags").
    return TagsField(
        label="Tags",
        min_tags=0,
        required=False,
        help_text=f"Up to {MAX_TAGS} topics, separated by commas, for example: vpn, remote working. "
        "If you are not sure, leave this empty and the helpdesk will add them.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "qa-tag-options"}),
    )


class QuestionForm(forms.Form):
    title = _title_field()
    body = _body_field("Details", "Enter the details of your question")
    image = image_field()
    tags = _tags_field()
    # Tags suggested from the title and details (existing ones only), ticked to use them: the
    # page offers them after "Preview" or an error without JavaScript, and as the words are typed
    # with it. Anything ticked that is not a valid tag name is refused like a typed tag.
    suggested_tags = forms.MultipleChoiceField(label="Suggested tags", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = self.data.getlist("suggested_tags") if hasattr(self.data, "getlist") else []
        self.fields["suggested_tags"].choices = [(name, name) for name in chosen]
        # While the title is typed, similar questions appear below it (progressive enhancement).
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": f"{reverse('similar')}?type=questions",
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#similar-questions",
                "aria-controls": "similar-questions",
            }
        )
        self.fields["tags"].widget.attrs.update(
            {
                "hx-get": reverse("qa:tag_suggest"),
                "hx-trigger": "keyup changed delay:200ms",
                "hx-target": "#qa-tag-options",
                "hx-swap": "outerHTML",
            }
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Enter a title for your question")
        return title

    def clean_suggested_tags(self):
        try:
            return clean_tag_names(self.cleaned_data["suggested_tags"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned and "suggested_tags" in cleaned:
            names = [*cleaned["tags"], *(n for n in cleaned["suggested_tags"] if n not in cleaned["tags"])]
            if len(names) > MAX_TAGS:
                self.add_error("tags", f"Use {MAX_TAGS} tags or fewer.")
            else:
                cleaned["tags"] = names
        return cleaned


def _summary_field():
    return forms.CharField(
        label="What did you change?",
        max_length=200,
        required=False,
        help_text="For example, “Added the error message”. Shown in the history of changes.",
        error_messages={"max_length": "What you changed must be 200 characters or fewer"},
    )


class QuestionEditForm(QuestionForm):
    summary = _summary_field()


class AnswerForm(forms.Form):
    body = _body_field("Your answer", "Enter your answer")
    image = image_field()


class AnswerEditForm(AnswerForm):
    summary = _summary_field()


class VoteForm(forms.Form):
    VALUES = {"up": 1, "down": -1, "withdraw": 0}
    value = forms.ChoiceField(choices=[(key, key) for key in VALUES])

    def clean_value(self):
        return self.VALUES[self.cleaned_data["value"]]


class AcceptForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "Accept"), ("unaccept", "Unaccept")], initial="accept")


class VerifyForm(forms.Form):
    """How long the helpdesk vouches for an answer: 3, 6 or 12 months, or another date (the GOV.UK
    date input: ``review_by-day``, ``-month``, ``-year``). ``review_by`` as one ISO date (YYYY-MM-DD)
    is read too, for scripts and pages opened before the periods existed."""

    OTHER = "other"
    period = forms.ChoiceField(
        choices=[(str(months), f"{months} months") for months in REVIEW_PERIODS] + [(OTHER, "Another date")],
        required=False,
        error_messages={"invalid_choice": "Choose how long the answer stays verified"},
    )
    review_by = forms.DateField(required=False, input_formats=["%Y-%m-%d"],
                                error_messages={"invalid": "Enter a real review-by date"})  # fmt: skip

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"period": "6"})
        super().__init__(*args, **kwargs)

    @staticmethod
    def presets(today=None) -> list[dict]:
        """The periods offered, each with the date it ends on."""
        today = today or timezone.localdate()
        return [{"value": str(months), "months": months, "date": months_after(today, months)}
                for months in REVIEW_PERIODS]  # fmt: skip

    def date_parts(self) -> dict:
        return {part: (self.data.get(f"review_by-{part}") or "").strip()[:4] for part in ("day", "month", "year")}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        period = cleaned.get("period")
        parts = self.date_parts()
        if period and period != self.OTHER:
            review_by = months_after(today, int(period))
        elif any(parts.values()):
            review_by = self._date_from(parts)
        elif cleaned.get("review_by"):
            review_by = cleaned["review_by"]
        elif period == self.OTHER:
            raise forms.ValidationError("Enter the review-by date")
        else:
            raise forms.ValidationError("Enter a review-by date")
        if review_by <= today:
            raise forms.ValidationError("The review-by date must be in the future")
        cleaned["review_by"] = review_by
        return cleaned

    @staticmethod
    def _date_from(parts: dict) -> datetime.date:
        missing = [part for part in ("day", "month", "year") if not parts[part]]
        if missing:
            raise forms.ValidationError(f"The review-by date must include a {' and a '.join(missing)}")
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise forms.ValidationError("The review-by date must be a real date") from None


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you closing this question?",
        choices=Question.CloseReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are closing this question"},
    )
    # Chosen from the similar questions and search results the page offers (their numbers); the
    # page lists them as radios, so nobody types a number.
    duplicate_of = forms.CharField(required=False, max_length=300)
    note = forms.CharField(
        label="Note for the person who asked",
        max_length=500,
        required=False,
        error_messages={"max_length": "The note must be 500 characters or fewer"},
    )

    def __init__(self, *args, question=None, user=None, **kwargs):
        self.question, self.user = question, user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") != Question.CloseReason.DUPLICATE:
            cleaned["duplicate_of"] = None
            return cleaned
        raw = (cleaned.get("duplicate_of") or "").strip()
        match = re.search(r"(?:^|/qa/)(\d+)(?:/|$)", raw)
        if not raw:
            self.add_error("duplicate_of", "Choose the question this one duplicates, or search for it")
        elif not match:
            self.add_error("duplicate_of", "Choose the question this one duplicates from the list")
        else:
            original = Question.objects.visible_to(self.user).filter(pk=int(match.group(1))).first()
            if original is None:
                self.add_error("duplicate_of", "There is no question with that number")
            cleaned["duplicate_of"] = original
        return cleaned


class HideForm(forms.Form):
    action = forms.ChoiceField(choices=[("hide", "Hide"), ("unhide", "Show again")])


class FeedbackForm(forms.Form):
    solved = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose yes or no"},
    )


class QuestionFilterForm(forms.Form):
    """The filters and sorts of /qa/. Anything invalid falls back to the default."""

    SHOW = [
        ("all", "All questions"),
        ("unanswered", "Unanswered"),
        ("no_accepted", "No accepted answer"),
        ("verified", "Verified by the helpdesk"),
    ]
    SORTS = [("newest", "Newest"), ("active", "Recently active"), ("votes", "Most votes")]

    show = forms.ChoiceField(label="Show", choices=SHOW, required=False, widget=forms.RadioSelect)
    tag = forms.CharField(label="Tag", required=False, max_length=100)
    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)
    duplicates = forms.BooleanField(label="Include duplicates", required=False)
    followed = forms.BooleanField(label="Only tags I follow", required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["tag"].widget.attrs.update({"list": "qa-tag-options", "autocomplete": "off"})

    def filters(self) -> dict:
        values = {"show": "all", "tag": "", "sort": "newest", "duplicates": False, "followed": False}
        if self.is_bound and self.is_valid():
            values.update({key: value for key, value in self.cleaned_data.items() if value})
        values["tag"] = values["tag"].strip()
        return values


class BulkTagForm(forms.Form):
    """Helpdesk: add and remove tags on many queued questions at once."""

    questions = forms.ModelMultipleChoiceField(
        queryset=Question.objects.none(),
        error_messages={"required": "Select at least one question"},
    )
    add_tags = TagsField(label="Add tags", required=False, min_tags=0, max_tags=MAX_TAGS)
    remove_tags = TagsField(label="Remove tags", required=False, min_tags=0, max_tags=None)

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["questions"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("add_tags") and not cleaned.get("remove_tags"):
            raise forms.ValidationError("Enter tags to add or remove")
        return cleaned


class HelpdeskFilterForm(forms.Form):
    """The helpdesk queue's tab and filters. Anything invalid falls back to the default."""

    TABS = [("unanswered", "Unanswered"), ("unverified", "Not yet verified"), ("due", "Due for review")]
    AGES = [("", "Any time"), ("1", "More than a day"), ("7", "More than a week"), ("30", "More than 30 days")]

    tab = forms.ChoiceField(choices=TABS, required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=100)
    age = forms.ChoiceField(label="Waiting", choices=AGES, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["tag"].widget.attrs.update({"list": "qa-tag-options", "autocomplete": "off"})

    def filters(self) -> dict:
        values = {"tab": "unanswered", "tag": "", "age": ""}
        if self.is_bound and self.is_valid():
            values.update({key: value for key, value in self.cleaned_data.items() if value})
        values["tag"] = values["tag"].strip()
        return values


class HelpdeskActionForm(forms.Form):
    """One action on the questions ticked in the helpdesk queue (or on one row's button)."""

    ACTIONS = [
        ("assign_me", "Assign to me"),
        ("assign", "Assign to the person chosen"),
        ("unassign", "Unassign"),
        *[(f"verify_{months}", f"Still correct: verify again for {months} months") for months in REVIEW_PERIODS],
    ]

    action = forms.ChoiceField(
        choices=ACTIONS,
        error_messages={"required": "Choose what to do with the selected questions",
                        "invalid_choice": "Choose what to do with the selected questions"},
    )  # fmt: skip
    questions = forms.ModelMultipleChoiceField(
        queryset=Question.objects.none(),
        error_messages={"required": "Select at least one question",
                        "invalid_choice": "A selected question is no longer in the queue. Nothing was changed.",
                        "invalid_pk_value": "Select questions from the list"},
    )  # fmt: skip
    assignee = forms.CharField(required=False, max_length=150)

    def __init__(self, data=None, *, queryset=None, **kwargs):
        # A row's own button ("row" = "assign_me:12") acts on that question alone.
        if data is not None and data.get("row"):
            action, _, pk = data["row"].partition(":")
            data = data.copy()
            data.setlist("questions", [pk])
            data["action"] = action
        super().__init__(data, **kwargs)
        if queryset is not None:
            self.fields["questions"].queryset = queryset

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "assign":
            username = (cleaned.get("assignee") or "").strip()
            if not username:
                self.add_error("assignee", "Choose who to assign the selected questions to")
            else:
                person = users_with_perm(WORK_HELPDESK_QUEUE).filter(username=username).first()
                if person is None:
                    self.add_error("assignee", "Only people in the helpdesk can be assigned questions")
                cleaned["assignee"] = person
        return cleaned
