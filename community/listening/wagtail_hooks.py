"""Tags as something to follow, and the tags a person follows on their home page."""

from taggit.models import Tag
from wagtail import hooks

from .. import hooks as confer_hooks
from ..hooks import Followable, HomePanel
from .follows import followed_ids


def _visible_tags(user):
    return Tag.objects.all()


def _followed_tags(request):
    return Tag.objects.filter(pk__in=followed_ids(request.user, Tag)).order_by("name")


@hooks.register(confer_hooks.FOLLOWABLES)
def tag_followable():
    return Followable(key="tag", model=Tag, label="Tags", visible=_visible_tags, order=10)


@hooks.register(confer_hooks.HOME_PANELS)
def followed_tags_panel():
    return HomePanel(key="followed-tags", title="Tags you follow", items=_followed_tags,
                     template="community/includes/home_followed_tags.html", link="following",
                     link_text="Everything you follow", order=80)  # fmt: skip
