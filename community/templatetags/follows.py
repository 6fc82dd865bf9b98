from django import template

from community.follows import follow_button_context

register = template.Library()


@register.inclusion_tag("community/includes/follow_button.html", takes_context=True)
def follow_button(context, obj):
    """A Follow / Following button for anything registered as followable (works without JavaScript)."""
    request = context["request"]
    return {
        **follow_button_context(request.user, obj),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
