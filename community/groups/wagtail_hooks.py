"""Communities plug into the core: something to follow, their notifications, and their place in
the Wagtail admin (admins list and edit every community, whatever its kind)."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .. import hooks as confer_hooks
from ..hooks import EventType, Followable, TagSection
from .models import Community


def _visible_communities(user):
    return Community.objects.listed_for(user)


@hooks.register(confer_hooks.FOLLOWABLES)
def community_followable():
    return Followable(key="community", model=Community, label="Communities", visible=_visible_communities, order=15)


@hooks.register(confer_hooks.EVENT_TYPES)
def community_event_types():
    return [
        EventType(key="communities.announcement", label="Announcements from your communities",
                  template="communities/notifications/announcement.html", order=5),
        EventType(key="communities.invited", label="Invitations to communities",
                  template="communities/notifications/invited.html", order=6),
        EventType(key="communities.join_requested", label="Requests to join your communities",
                  template="communities/notifications/join_requested.html", order=7),
        EventType(key="communities.request_approved", label="Communities you joined",
                  template="communities/notifications/request_approved.html", order=8),
    ]  # fmt: skip


TAG_SECTION_SIZE = 10


def _communities_for_tag(tag, request):
    return Community.objects.listed_for(request.user).filter(tagged_items__tag=tag).order_by("name")[:TAG_SECTION_SIZE]


@hooks.register(confer_hooks.TAG_SECTIONS)
def communities_tag_section():
    return TagSection(key="communities", title="Communities", items=_communities_for_tag,
                      template="communities/includes/tag_section.html", order=90)  # fmt: skip


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    menu_label = "Communities"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "kind", "member_count", "created_at"]
    list_filter = ["kind"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("tags"),
        FieldPanel("image"),
        # Invite-only or not is fixed once a community exists (community.groups.models says why).
        FieldPanel("kind", read_only=True),
    ]


register_snippet(CommunityViewSet)
