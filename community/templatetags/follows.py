from django import template

from community.listening.follows import follow_button_context
from community.listening.models import ListeningPreferences

register = template.Library()


@register.inclusion_tag("community/includes/follow_button.html", takes_context=True)
def follow_button(context, obj, label=None):
    """A Follow / Following button for anything registered as followable (works without JavaScript).

    ``label`` replaces the thing's name in the button's hidden text (for things hidden since)."""
    request = context["request"]
    return {
        **follow_button_context(request.user, obj, label=label),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def feed_token(context):
    """The signed-in person's secret for feed addresses: ``{% feed_token as token %}``."""
    return ListeningPreferences.for_user(context["request"].user).feed_token
