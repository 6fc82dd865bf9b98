from django import forms
from django.utils import timezone

from community.tags import TagsField

from .models import (
    MAX_AVAILABILITY_LENGTH,
    MAX_CAPACITY,
    MAX_NOTE_LENGTH,
    MAX_OFFER_TOPICS,
    MAX_OUTCOME_LENGTH,
    MAX_REQUEST_TOPICS,
    MAX_SKILLS,
    HelpOffer,
    Level,
    tags_named,
)

TOPICS_HINT = "Separate topics with commas, for example: excel, blogging, office 365"


def _topics_field(label, hint=TOPICS_HINT, **kwargs):
    kwargs.setdefault("min_tags", 0)
    kwargs.setdefault("max_tags", MAX_SKILLS)
    kwargs.setdefault("required", False)
    return TagsField(
        label=label,
        help_text=hint,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "skills-topic-options"}),
        **kwargs,
    )


class SkillsForm(forms.Form):
    """Skills by level, plus "can help with" and "want to learn": each a comma-separated list of topics."""

    LEVEL_FIELDS = [("expert", Level.EXPERT), ("practising", Level.PRACTISING), ("learning", Level.LEARNING)]

    expert = _topics_field("I am an expert in", "Topics colleagues could rely on you for. " + TOPICS_HINT)
    practising = _topics_field("I am practising", "Topics you use regularly and are getting better at.")
    learning = _topics_field("I am learning", "Topics you have started on.")
    can_help = _topics_field("I can help colleagues with", "You are listed when someone looks for help with these.")
    want_to_learn = _topics_field("I want to learn", "Colleagues who know these can find you, and so can workshops.")

    @classmethod
    def initial_for(cls, skills) -> dict:
        initial = {name: [] for name in ("expert", "practising", "learning", "can_help", "want_to_learn")}
        for skill in skills:
            if skill.level:
                initial[skill.level].append(skill.tag.name)
            if skill.can_help:
                initial["can_help"].append(skill.tag.name)
            if skill.wants_to_learn:
                initial["want_to_learn"].append(skill.tag.name)
        return {key: ", ".join(sorted(names)) for key, names in initial.items()}

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for field_name, _level in self.LEVEL_FIELDS:
            for name in cleaned.get(field_name) or []:
                if name in seen and seen[name] != field_name:
                    other = self.fields[seen[name]].label
                    self.add_error(field_name, f"“{name}” is also under “{other}”. Give each skill one level.")
                seen.setdefault(name, field_name)
        both = set(cleaned.get("can_help") or []) & set(cleaned.get("want_to_learn") or [])
        if both:
            self.add_error(
                "want_to_learn",
                f"“{sorted(both)[0]}” is also under “I can help colleagues with”. Choose one of the two.",
            )
        total = {name for key in self.fields for name in cleaned.get(key) or []}
        if len(total) > MAX_SKILLS:
            raise forms.ValidationError(f"Add {MAX_SKILLS} topics or fewer in all.")
        return cleaned

    def levels(self) -> dict[str, str]:
        return {name: level for field_name, level in self.LEVEL_FIELDS for name in self.cleaned_data[field_name]}


class HelpOfferForm(forms.Form):
    role = forms.ChoiceField(
        label="How would you like to help?",
        choices=[
            (HelpOffer.Role.BUDDY, "As a digital buddy: one to one, for colleagues near you"),
            (HelpOffer.Role.AMBASSADOR, "As a digital ambassador: helping the digital team and sharing ideas"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you would like to help"},
    )
    topics = _topics_field(
        "Topics you can help with",
        f"Up to {MAX_OFFER_TOPICS}. " + TOPICS_HINT,
        min_tags=1,
        max_tags=MAX_OFFER_TOPICS,
        required=True,
        error_messages={"required": "Add at least one topic you can help with"},
    )
    capacity = forms.IntegerField(
        label="How many colleagues can you help at the same time?",
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=2,
        help_text=f"Between 1 and {MAX_CAPACITY}. You are not suggested to anyone else while you are full.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many colleagues you can help at the same time",
            "invalid": "Enter a whole number, like 2",
            "min_value": "You need room for at least 1 colleague",
            "max_value": f"Capacity must be {MAX_CAPACITY} or fewer",
        },
    )
    availability = forms.CharField(
        label="When are you available?",
        required=False,
        max_length=MAX_AVAILABILITY_LENGTH,
        help_text="For example: Tuesday and Thursday mornings, or on Teams most afternoons.",
        error_messages={"max_length": f"Availability must be {MAX_AVAILABILITY_LENGTH} characters or fewer"},
    )
    ends_on = forms.DateField(
        label="Until when?",
        required=False,
        help_text="Leave empty to keep helping until you pause or change your offer.",
        # ISO, whatever the locale: a date input ignores any other value (and would drop the date).
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, for example 2027-03-31"},
    )

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on is not None and ends_on < timezone.localdate():
            raise forms.ValidationError("The end date must be today or in the future")
        return ends_on


class PauseForm(forms.Form):
    action = forms.ChoiceField(choices=[("pause", "Pause"), ("resume", "Resume")])


class BuddyRequestForm(forms.Form):
    topics = _topics_field(
        "What would you like help with?",
        f"Up to {MAX_REQUEST_TOPICS} topics from the list, separated by commas, for example: excel, blogging",
        min_tags=1,
        max_tags=MAX_REQUEST_TOPICS,
        required=True,
        error_messages={"required": "Enter at least one topic you would like help with"},
    )
    note = forms.CharField(
        label="Tell your buddy a little more",
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"What you are trying to do, in a sentence or two. Up to {MAX_NOTE_LENGTH} characters.",
        error_messages={
            "required": "Say in a sentence or two what you would like help with",
            "max_length": f"The note must be {MAX_NOTE_LENGTH} characters or fewer",
        },
    )
    volunteer = forms.CharField(required=False, max_length=150, widget=forms.HiddenInput)

    def clean_topics(self):
        names = self.cleaned_data["topics"]
        tags = tags_named(names, create=False)
        known = {tag.name.lower() for tag in tags}
        unknown = [name for name in names if name.lower() not in known]
        if unknown:
            raise forms.ValidationError(
                f"Nobody has used the topic “{unknown[0]}” yet. Choose topics from the list, "
                "or ask a question instead."
            )
        return tags

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Say in a sentence or two what you would like help with")
        return note


class ChooseForm(forms.Form):
    volunteer = forms.ChoiceField(
        label="Who would you like to ask?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a volunteer to ask", "invalid_choice": "Choose one of the volunteers"},
    )

    def __init__(self, *args, proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        names = [proposal.volunteer.get_username() for proposal in proposals]
        self.fields["volunteer"].choices = [(name, name) for name in names]


class DoneForm(forms.Form):
    outcome = forms.CharField(
        label="How did it go?",
        max_length=MAX_OUTCOME_LENGTH,
        help_text="One line, for example: “Set up my RSS reader and I now follow five blogs”.",
        error_messages={
            "required": "Say in one line how it went",
            "max_length": f"The outcome must be {MAX_OUTCOME_LENGTH} characters or fewer",
        },
    )
    helpful = forms.TypedChoiceField(
        label="Was it helpful?",
        choices=[("yes", "Yes, it helped"), ("no", "No, not really")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it was helpful"},
    )

    def clean_outcome(self):
        outcome = " ".join(self.cleaned_data["outcome"].split())
        if not outcome:
            raise forms.ValidationError("Say in one line how it went")
        return outcome
