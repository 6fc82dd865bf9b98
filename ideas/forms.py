import datetime
import re
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from community.forms import MarkdownTextarea
from community.tags import TagsField
from community.uploads import image_field

from .models import (
    DUPLICATE_BY_MERGING,
    MAX_DESCRIPTION_LENGTH,
    MAX_EVIDENCE_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_RESPONSE_LENGTH,
    MAX_TAGS,
    MAX_TITLE_LENGTH,
    Campaign,
    Idea,
)

MARKDOWN_HINT = "You can use Markdown: **bold**, *italic*, lists and links."


def _clean_title(value: str, required_message: str) -> str:
    title = " ".join(value.split())
    if not title:
        raise forms.ValidationError(required_message)
    return title


class IdeaForm(forms.Form):
    title = forms.CharField(
        label="Your idea in one sentence",
        max_length=MAX_TITLE_LENGTH,
        help_text="For example, “Let us book meeting rooms from the calendar”.",
        error_messages={
            "required": "Enter your idea in one sentence",
            "max_length": f"Your idea must be {MAX_TITLE_LENGTH} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Describe your idea",
        max_length=MAX_DESCRIPTION_LENGTH,
        help_text=f"What would change, and who would it help? {MARKDOWN_HINT}",
        widget=MarkdownTextarea(attrs={"rows": 8}),
        error_messages={
            "required": "Describe your idea",
            "max_length": f"The description must be {MAX_DESCRIPTION_LENGTH:,} characters or fewer",
        },
    )
    image = image_field()
    tags = TagsField(
        label="Tags",
        help_text=f"Between 1 and {MAX_TAGS} topics, separated by commas, for example: meetings, travel",
        error_messages={"required": "Add at least one tag"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "ideas-tag-options"}),
    )
    campaign = forms.ModelChoiceField(
        label="Campaign",
        queryset=Campaign.objects.all(),
        required=False,
        empty_label="Not part of a campaign",
        help_text="Is your idea an answer to one of the open campaigns?",
        error_messages={"invalid_choice": "Choose one of the open campaigns"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only open campaigns are offered; a campaign that closes while the form is filled in is
        # refused with a message saying so (clean_campaign), rather than "not a valid choice".
        open_campaigns = list(Campaign.objects.open().order_by("closes_at"))
        self.fields["campaign"].widget.choices = [("", "Not part of a campaign")] + [
            (campaign.pk, campaign.title) for campaign in open_campaigns
        ]
        self.open_campaigns = open_campaigns
        # While the title is typed, similar ideas appear below it (progressive enhancement).
        self.fields["title"].widget.attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("ideas:similar"),
                "hx-trigger": "keyup changed delay:300ms",
                "hx-target": "#similar-ideas",
                "aria-controls": "similar-ideas",
            }
        )
        self.fields["tags"].widget.attrs.update(
            {
                "hx-get": reverse("ideas:tag_suggest"),
                "hx-trigger": "keyup changed delay:200ms",
                "hx-target": "#ideas-tag-options",
                "hx-swap": "outerHTML",
            }
        )

    def clean_title(self):
        return _clean_title(self.cleaned_data["title"], "Enter your idea in one sentence")

    def clean_campaign(self):
        campaign = self.cleaned_data["campaign"]
        if campaign is not None:
            refusal = campaign.refusal("ideas")
            if refusal:
                raise forms.ValidationError(refusal)
        return campaign


class IdeaEditForm(IdeaForm):
    """Its author changes the idea's words and tags (its campaign stays), saying what changed."""

    summary = forms.CharField(
        label="What did you change?",
        max_length=200,
        required=False,
        help_text="For example, “Added who it would help”. Shown in the history of changes.",
        error_messages={"max_length": "What you changed must be 200 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["campaign"]
        # Similar ideas are for a new idea; an edited one is already there.
        for attribute in ("hx-get", "hx-trigger", "hx-target", "aria-controls"):
            self.fields["title"].widget.attrs.pop(attribute, None)


class VoteForm(forms.Form):
    action = forms.ChoiceField(choices=[("vote", "Vote"), ("withdraw", "Withdraw")])


class StatusChoiceField(forms.ChoiceField):
    """The statuses a moderator can set here; "duplicate" is refused with the way to get there."""

    def validate(self, value):
        if value == Idea.Status.DUPLICATE:
            raise forms.ValidationError(DUPLICATE_BY_MERGING, code="duplicate")
        super().validate(value)


class StatusForm(forms.Form):
    status = StatusChoiceField(
        label="New status",
        choices=[(value, label) for value, label in Idea.Status.choices if value != Idea.Status.DUPLICATE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status", "invalid_choice": "Choose one of the statuses"},
    )
    response = forms.CharField(
        label="Official response",
        max_length=MAX_RESPONSE_LENGTH,
        help_text=f"Shown on the idea and sent to everyone who voted for or follows it. {MARKDOWN_HINT}",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the official response",
            "max_length": f"The response must be {MAX_RESPONSE_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, idea=None, **kwargs):
        self.idea = idea
        super().__init__(*args, **kwargs)

    def clean_response(self):
        response = self.cleaned_data["response"].strip()
        if not response:
            raise forms.ValidationError("Enter the official response")
        return response

    def clean_status(self):
        status = self.cleaned_data["status"]
        if self.idea is not None and status == self.idea.status:
            raise forms.ValidationError(f"This idea is already “{self.idea.get_status_display()}”")
        return status


# An idea's address on this site: /ideas/<number>/ and, optionally, its slug.
IDEA_PATH = re.compile(r"^/ideas/(\d+)(?:/[^/]*)?/?$")


def _site_hosts() -> set[str]:
    hosts = {urlsplit(settings.SITE_URL).netloc}
    return hosts | {host for host in settings.ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")}


class MergeForm(forms.Form):
    # Chosen from the similar ideas and search results the page offers (their numbers, as radios), so
    # nobody types a number; a number or a link still works if one is sent.
    target = forms.CharField(
        max_length=300,
        error_messages={"required": "Choose the original idea, or search for it"},
    )
    note = forms.CharField(
        label="Note for voters and followers",
        max_length=MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The note must be {MAX_NOTE_LENGTH} characters or fewer"},
    )

    def __init__(self, *args, idea=None, user=None, **kwargs):
        self.idea, self.user = idea, user
        super().__init__(*args, **kwargs)

    def clean_target(self):
        number = idea_number(self.cleaned_data["target"])
        if number is None:
            raise forms.ValidationError("Choose the original idea from the list")
        ideas = Idea.objects.visible_to(self.user) if self.user is not None else Idea.objects.all()
        target = ideas.select_related("merged_into").filter(pk=number).first()
        if target is None:
            raise forms.ValidationError("There is no idea with that number")
        if self.idea is not None and target.pk == self.idea.pk:
            raise forms.ValidationError("An idea cannot be merged into itself. Choose the original idea")
        return target


def idea_number(raw: str) -> int | None:
    """The idea a number, or a link to an idea on this site, names (None if it names none)."""
    raw = raw.strip()
    if raw.isdigit():
        return int(raw)
    # A link must be to this site: "http://elsewhere/ideas/15/" was taken as idea 15.
    if not raw or not url_has_allowed_host_and_scheme(raw, allowed_hosts=_site_hosts()):
        return None
    match = IDEA_PATH.match(urlsplit(raw).path)
    return int(match.group(1)) if match else None


class BenefitForm(forms.Form):
    estimated_hours_per_year = forms.IntegerField(
        label="Estimated hours saved a year",
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "invalid": "Estimated hours must be a whole number, like 120",
            "min_value": "Estimated hours cannot be negative",
            "max_value": "Estimated hours must be 10,000,000 or fewer",
        },
    )
    realised_hours_per_year = forms.IntegerField(
        label="Realised hours saved a year",
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text="Measured since the idea was put into practice.",
        error_messages={
            "invalid": "Realised hours must be a whole number, like 120",
            "min_value": "Realised hours cannot be negative",
            "max_value": "Realised hours must be 10,000,000 or fewer",
        },
    )
    estimated_money_per_year = forms.DecimalField(
        label="Estimated money saved a year, in pounds",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Estimated money saved must be an amount, like 2500 or 2500.50",
            "min_value": "Estimated money saved cannot be negative",
            "max_digits": "Estimated money saved must be less than £10,000,000,000",
            "max_decimal_places": "Estimated money saved can have at most 2 decimal places",
            "max_whole_digits": "Estimated money saved must be less than £10,000,000,000",
        },
    )
    realised_money_per_year = forms.DecimalField(
        label="Realised money saved a year, in pounds",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Realised money saved must be an amount, like 2500 or 2500.50",
            "min_value": "Realised money saved cannot be negative",
            "max_digits": "Realised money saved must be less than £10,000,000,000",
            "max_decimal_places": "Realised money saved can have at most 2 decimal places",
            "max_whole_digits": "Realised money saved must be less than £10,000,000,000",
        },
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=MAX_EVIDENCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"How the figures were worked out, and where the measurements come from. {MARKDOWN_HINT}",
        error_messages={"max_length": f"The evidence must be {MAX_EVIDENCE_LENGTH:,} characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in ("estimated_hours_per_year", "realised_hours_per_year",
                                                  "estimated_money_per_year", "realised_money_per_year")]  # fmt: skip
        if not self.errors and all(value is None for value in values):
            raise forms.ValidationError("Enter at least one estimated or realised benefit")
        return cleaned


def _date_field(label, help_text, name):
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"Enter the {name} date", "invalid": f"Enter a real {name} date"},
    )


# Campaigns are time-boxed; the bound also keeps "the day after the closing day" a real date
# (9999-12-31 as a closing date was a 500).
MAX_CAMPAIGN_DAYS = 5 * 366


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class CampaignForm(forms.Form):
    """A campaign opens at the start of its opening day and closes at the end of its closing day."""

    title = forms.CharField(
        label="Question",
        max_length=MAX_TITLE_LENGTH,
        help_text="The question colleagues answer with ideas, for example “What should we change after the "
        "Autumn Statement?”",
        error_messages={
            "required": "Enter the campaign’s question",
            "max_length": f"The question must be {MAX_TITLE_LENGTH} characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Why you are asking, and what will happen to the ideas. {MARKDOWN_HINT}",
        error_messages={"max_length": f"The description must be {MAX_DESCRIPTION_LENGTH:,} characters or fewer"},
    )
    opens_on = _date_field("Opens on", "Ideas and votes are taken from the start of this day.", "opening")
    closes_on = _date_field("Closes on", "The last day for ideas and votes.", "closing")

    def __init__(self, *args, campaign=None, **kwargs):
        self.campaign = campaign
        if campaign is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": campaign.title,
                    "description": campaign.description,
                    "opens_on": timezone.localtime(campaign.opens_at).date(),
                    # closes_at is the start of the day after the last day.
                    "closes_on": (timezone.localtime(campaign.closes_at) - datetime.timedelta(seconds=1)).date(),
                },
            )
        super().__init__(*args, **kwargs)

    def clean_title(self):
        return _clean_title(self.cleaned_data["title"], "Enter the campaign’s question")

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on:
            if closes_on < opens_on:
                self.add_error("closes_on", "The closing date must be the same as or after the opening date")
            elif self.campaign is None and closes_on < timezone.localdate():
                self.add_error("closes_on", "The closing date must be today or in the future")
            elif (closes_on - opens_on).days > MAX_CAMPAIGN_DAYS:
                self.add_error("closes_on", "A campaign can run for at most 5 years: choose an earlier closing date")
            elif (opens_on - timezone.localdate()).days > MAX_CAMPAIGN_DAYS:
                self.add_error("opens_on", "The opening date must be within the next 5 years")
            else:
                cleaned["opens_at"] = start_of_day(opens_on)
                cleaned["closes_at"] = start_of_day(closes_on + datetime.timedelta(days=1))
        return cleaned


class IdeaFilterForm(forms.Form):
    """The filters and sorts of /ideas/. Anything invalid falls back to the default."""

    SORTS = [("trending", "Trending"), ("top", "Most votes"), ("newest", "Newest"), ("discussed", "Most discussed")]
    STATUSES = [("", "Any status")] + list(Idea.Status.choices)

    sort = forms.ChoiceField(label="Sort by", choices=SORTS, required=False)
    status = forms.ChoiceField(label="Status", choices=STATUSES, required=False)
    tag = forms.CharField(label="Tag", required=False, max_length=100)
    campaign = forms.IntegerField(label="Campaign", required=False, min_value=1)

    def filters(self) -> dict:
        values = {"sort": "trending", "status": "", "tag": "", "campaign": None}
        if self.is_bound:
            self.is_valid()
            # Keep every valid filter even when another one is nonsense.
            values.update({key: value for key, value in self.cleaned_data.items() if value})
        values["tag"] = values["tag"].strip()
        return values
