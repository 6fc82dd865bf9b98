"""The forms of moderation: flagging anything, and a moderator's decision."""

from django import forms

from .models import Decision, Flag


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with it?",
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what is wrong with it"},
    )
    note = forms.CharField(
        label="Tell the moderators more",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you chose “Something else”.",
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Flag.Reason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Say what is wrong with it")
        return cleaned


class DecisionForm(forms.Form):
    """A moderator's one-click decision on a flagged post (the button pressed), with the message to
    its author when they are to be told why it was hidden."""

    decision = forms.ChoiceField(
        choices=Decision.choices,
        error_messages={"required": "Choose to dismiss the flags, hide the post, or hide it and tell its author."},
    )
    message = forms.CharField(
        label="Message to the author",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The message must be 2,000 characters or fewer"},
    )
