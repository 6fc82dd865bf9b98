"""The listening post's forms: sources, watches, sharing an item and listening exercises."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.models import Tag

from ..tags import TagsField, clean_tag_names, split_tags
from .fetching import FetchError, check_address
from .models import ListeningExercise, ListeningSource
from .watching import parse


def tags_named(names) -> list[Tag]:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


class SourceForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, error_messages={"required": "Enter a name for the source"})
    url = forms.URLField(
        label="Feed address",
        max_length=1000,
        help_text="The address of an RSS or Atom feed, starting https:// or http://",
        assume_scheme="https",
        error_messages={"required": "Enter the feed's address", "invalid": "Enter a web address, like https://example.org/feed.xml"},
    )  # fmt: skip
    tags = TagsField(label="Tags", min_tags=0, required=False,
                     help_text="Topics, separated by commas: its items show on these tags' pages")  # fmt: skip
    active = forms.BooleanField(label="Fetch it on the schedule", required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_address(url, unresolved_ok=True)
        except FetchError as error:
            raise ValidationError(str(error)) from None
        others = ListeningSource.objects.filter(url=url)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("That feed is already a source.")
        return url


class WatchForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, error_messages={"required": "Give the watch a name"})
    expression = forms.CharField(
        label="Words to listen for",
        max_length=500,
        help_text='Words and "phrases in quotes", joined with AND, OR, NOT and brackets. For example: '
        'budget AND ("autumn statement" OR "spending review") NOT sport',
        error_messages={"required": "Enter at least one word or “phrase” to watch for."},
    )
    sources = forms.ModelMultipleChoiceField(
        label="Only these sources", queryset=ListeningSource.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Leave all unticked to listen to every source.",
    )  # fmt: skip
    tags = TagsField(label="Only sources with these tags", min_tags=0, required=False,
                     help_text="Separated by commas")  # fmt: skip
    shared_with_group = forms.ModelChoiceField(
        label="Share with a team", queryset=Group.objects.none(), required=False,
        empty_label="Nobody: only me", help_text="Everyone in the team hears about its matches.",
    )  # fmt: skip
    shared_with_tag = forms.CharField(
        label="Share with a tag's followers", max_length=100, required=False,
        help_text="Everyone following this tag hears about its matches.",
    )  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A person can share a watch with the teams they are in.
        self.fields["shared_with_group"].queryset = user.groups.order_by("name") if user else Group.objects.none()

    def clean_expression(self):
        expression = self.cleaned_data["expression"]
        parse(expression)  # a ValidationError says what is wrong, in words
        return expression

    def clean_shared_with_tag(self):
        name = self.cleaned_data["shared_with_tag"]
        if not name.strip():
            return None
        [name] = clean_tag_names([name], max_tags=1) or [""]
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            raise ValidationError(f"There is no tag “{name}” yet: choose a tag colleagues already use.")
        return tag


class ShareForm(forms.Form):
    usernames = forms.CharField(
        label="Colleagues", required=False, max_length=500,
        help_text="Their usernames, separated by commas: they get a notification",
    )  # fmt: skip
    tag = forms.CharField(label="A tag", required=False, max_length=100,
                          help_text="Everyone following the tag hears about it")  # fmt: skip
    exercise = forms.ModelChoiceField(
        label="Listening exercise", queryset=ListeningExercise.objects.none(), required=False,
        empty_label="None",
    )  # fmt: skip
    note = forms.CharField(label="Your note", required=False, max_length=500, widget=forms.Textarea({"rows": 3}),
                           help_text="Why it matters, for example “worth a reply?”")  # fmt: skip

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["exercise"].queryset = ListeningExercise.objects.filter(starts_at__lte=now, ends_at__gt=now)
        self.user = user

    def clean_usernames(self):
        names = [name.strip().lstrip("@") for name in split_tags(self.cleaned_data["usernames"])]
        if len(names) > 20:
            raise ValidationError("Share with 20 colleagues or fewer at once.")
        people = list(get_user_model().objects.filter(username__in=names, is_active=True))
        unknown = sorted(set(names) - {person.get_username() for person in people})
        if unknown:
            raise ValidationError(f"Nobody has the username {', '.join(unknown)}: check the spelling.")
        return [person for person in people if self.user is None or person.pk != self.user.pk]

    def clean_tag(self):
        name = self.cleaned_data["tag"]
        if not name.strip():
            return None
        [name] = clean_tag_names([name], max_tags=1) or [""]
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            raise ValidationError(f"There is no tag “{name}” yet: choose a tag colleagues already use.")
        return tag

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("usernames") or data.get("tag") or data.get("exercise")):
            raise ValidationError("Choose who to share it with: colleagues, a tag or a listening exercise.")
        return data


class ExerciseForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150, error_messages={"required": "Enter a title"})
    description = forms.CharField(label="What it listens for", required=False, max_length=2000,
                                  widget=forms.Textarea({"rows": 3}))  # fmt: skip
    starts_on = forms.DateField(
        label="Starts on", help_text="For example, 2026-11-22",
        error_messages={"required": "Enter the day it starts", "invalid": "Enter a date like 2026-11-22"},
    )  # fmt: skip
    ends_on = forms.DateField(
        label="Ends on (the last day)", help_text="For example, 2026-11-23",
        error_messages={"required": "Enter the last day", "invalid": "Enter a date like 2026-11-23"},
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The last day must be on or after the first day.")
        return data

    def window(self):
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.cleaned_data["starts_on"], datetime.time(), zone)
        end = datetime.datetime.combine(
            self.cleaned_data["ends_on"] + datetime.timedelta(days=1), datetime.time(), zone
        )
        return start, end


class AllowForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150, error_messages={"required": "Enter a username"})

    def clean_username(self):
        name = self.cleaned_data["username"].strip().lstrip("@")
        person = get_user_model().objects.filter(username=name, is_active=True).first()
        if person is None:
            raise ValidationError(f"Nobody has the username {name}.")
        return person
