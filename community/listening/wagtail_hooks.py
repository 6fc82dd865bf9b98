"""Tags as something to follow, and the tags a person follows on their home page."""

from taggit.models import Tag
from wagtail import hooks

from .. import hooks as confer_hooks
from ..hooks import Followable, HomePanel
from .follows import followed_ids
from .notifications import one_link_phrase, recent_following


def _visible_tags(user):
    return Tag.objects.all()


def _followed_tags(request):
    return Tag.objects.filter(pk__in=followed_ids(request.user, Tag)).order_by("name")


HOME_FOLLOWING_SIZE = 5


def _from_what_you_follow(request):
    return [
        {"notification": n, "html": one_link_phrase(n)} for n in recent_following(request.user, HOME_FOLLOWING_SIZE)
    ]


@hooks.register(confer_hooks.HOME_PANELS)
def following_news_panel():
    return HomePanel(key="from-what-you-follow", title="From what you follow", items=_from_what_you_follow,
                     template="community/includes/home_following.html", link="notifications:index",
                     link_text="All your notifications", order=6, personal=True, hide_when_empty=True)  # fmt: skip


@hooks.register(confer_hooks.FOLLOWABLES)
def tag_followable():
    return Followable(key="tag", model=Tag, label="Tags", visible=_visible_tags, order=10)


@hooks.register(confer_hooks.HOME_PANELS)
def followed_tags_panel():
    return HomePanel(key="followed-tags", title="Tags you follow", items=_followed_tags,
                     template="community/includes/home_followed_tags.html", link="following",
                     link_text="Everything you follow", order=80)  # fmt: skip
