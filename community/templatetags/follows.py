from django import template

from community.follows import follow_button_context

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
