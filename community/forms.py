"""Form plumbing every part shares: GOV.UK markup for every form, and error messages that name
the field."""

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Render every Django form with GOV.UK Design System markup (error summary, hints, errors)."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class MarkdownTextarea(forms.Textarea):
    """A textarea for Markdown: "Formatting help" under it for everyone, and the formatting
    toolbar, image button and @-autocomplete of static/js/editor.mjs where JavaScript runs."""

    template_name = "forms/widgets/markdown_textarea.html"

    def __init__(self, attrs=None):
        super().__init__({"rows": 10, "data-markdown": "", **(attrs or {})})


def set_required_messages(form, messages):
    """Give each field its own "Enter your …" message: Django's "This field is required." on every
    empty field leaves people guessing which one it means (GOV.UK error message pattern)."""
    for name, required in messages.items():
        field = form.fields[name]
        field.error_messages = {**field.error_messages, "required": required}
