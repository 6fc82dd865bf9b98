from django import forms, template
from django.utils.html import format_html

from ..markdown import render_markdown
from ..names import display_name

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_figures(context, workspace):
    """The headline figures other parts add to a workspace page (``confer_workspace_figures``), each
    rendered from its own template."""
    from django.template.loader import render_to_string

    from .. import hooks

    request = context["request"]
    return [
        render_to_string(figure.template, figure.context(request), request=request)
        for figure in hooks.registered(hooks.WORKSPACE_FIGURES)
        if figure.workspace == workspace
    ]


AVATAR_SIDES = {"small": 32, "large": 160}


@register.simple_tag
def avatar(who, size="small", alt=""):
    """A person's photo in a circle, or their initials in one when they have none.

    ``who`` is a Profile or a user (whose profile is read as ``display_name`` reads it: lists join it
    with ``select_related``, so no query per person). Beside the person's name the picture adds
    nothing a screen reader needs, so it is silent (``alt=""``, initials ``aria-hidden``); on the
    profile page ``alt`` describes the photo.
    """
    profile = who if hasattr(who, "photo_id") else getattr(who, "profile", None)
    if profile is None:
        return ""
    side = AVATAR_SIDES.get(size, AVATAR_SIDES["small"])
    if profile.photo_id:
        return format_html(
            '<img class="confer-avatar confer-avatar--{}" src="{}" alt="{}" width="{}" height="{}">',
            size,
            profile.photo_url("large" if size == "large" else "small"),
            alt,
            side,
            side,
        )
    return format_html(
        '<span class="confer-avatar confer-avatar--{} confer-avatar--initials" aria-hidden="true">{}</span>',
        size,
        profile.initials,
    )


@register.filter(name="display_name")
def display_name_filter(user):
    """``{{ someone|display_name }}``: their profile's name, else their username; empty for nobody."""
    return display_name(user) if user else ""


@register.filter
def markdown(text):
    """Render user Markdown, sanitised. Prefer the stored *_html field where a model has one."""
    return render_markdown(text)


_WIDGET_CLASSES = [
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.PasswordInput, "govuk-input govuk-password-input__input"),
    (forms.widgets.Input, "govuk-input"),
]


@register.filter
def govuk_widget(bound_field):
    """Render a field's widget with the GOV.UK classes for its type and its error state."""
    widget = bound_field.field.widget
    css = next((css for cls, css in _WIDGET_CLASSES if isinstance(widget, cls)), "")
    if bound_field.errors and css:
        css += f" {css.split()[0]}--error"
    attrs = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    described = [f"{bound_field.auto_id}_helptext"] if bound_field.help_text else []
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def widget_type(bound_field):
    return type(bound_field.field.widget).__name__.lower()
