"""The core's Wagtail hooks: content pages on tag pages and in site search; a private page that
tells a colleague outside its groups so, in Confer's own style; and the hooks of the core's
sub-packages, which Wagtail would not find by itself (it looks for ``wagtail_hooks`` in apps only).
"""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction

from . import hooks as confer_hooks
from .groups import wagtail_hooks as _groups_hooks  # noqa: F401
from .hooks import EventType, SearchType, TagSection
from .listening import wagtail_hooks as _listening_hooks  # noqa: F401
from .listeningpost import wagtail_hooks as _listeningpost_hooks  # noqa: F401
from .mentions import EVENT_TYPE as MENTION_EVENT
from .moderation import wagtail_hooks as _moderation_hooks  # noqa: F401
from .pages import StandardPage, StandardPageTag
from .profiles import wagtail_hooks as _profiles_hooks  # noqa: F401
from .sitesearch import wagtail_hooks as _sitesearch_hooks  # noqa: F401
from .workshops import wagtail_hooks as _workshops_hooks  # noqa: F401
from .workshops.models import WorkshopPage


def _pages_for_tag(tag, request):
    return StandardPage.objects.live().public().filter(tags=tag).order_by("title")


def _pages(request):
    # Live and public only: drafts and pages behind a view restriction never appear. Workshops
    # have a search type of their own.
    return Page.objects.live().public().filter(depth__gt=1).not_type(WorkshopPage).specific()


def _page_snippet(page):
    return getattr(page, "summary", "") or page.search_description or ""


@hooks.register(confer_hooks.EVENT_TYPES)
def mention_event_type():
    return EventType(
        key=MENTION_EVENT, label="Mentions of you", template="community/notifications/mention.html", order=5
    )


@hooks.register(confer_hooks.TAG_SECTIONS)
def pages_tag_section():
    return TagSection(key="pages", title="Pages", items=_pages_for_tag, template="community/includes/tag_pages.html",
                      order=90)  # fmt: skip


# Pages weigh a little more than other kinds: they are the official word (docs/search.md).
@hooks.register(confer_hooks.SEARCH_TYPES)
def pages_search_type():
    return SearchType(key="pages", label="Pages", model=Page, queryset=_pages,
                      template="community/includes/search_page.html", snippet=_page_snippet,
                      tag_model=StandardPageTag, order=90,
                      weight=1.1, embed_text=lambda page: f"{page.title}. {_page_snippet(page)}")  # fmt: skip


@hooks.register("before_serve_page")
def refuse_private_page(page, request, serve_args, serve_kwargs):
    """Wagtail sends a signed-in colleague outside a private page's groups to a sign-in form, which
    they cannot get past; tell them instead. Password and sign-in restrictions stay Wagtail's."""
    if not request.user.is_authenticated:
        return None
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == PageViewRestriction.GROUPS and not restriction.accept_request(request):
            response = render(request, "403_private_page.html", status=403)
            add_never_cache_headers(response)
            return response
    return None


# What export_content and import_content carry from the core (docs/backup.md). Accounts and groups
# first, then Wagtail's site and page tree (every page as a wagtailcore.Page row plus its own type's
# row), then profiles (a profile's photo is an image: images load first), then what points at pages
# and people.
@hooks.register(confer_hooks.CONTENT_EXPORTS)
def core_content_exports():
    return [
        confer_hooks.ContentExport(
            key="accounts",
            models=("auth.Group", "auth.User", "wagtailusers.UserProfile", "community.Directorate",
                    "community.ListeningPreferences", "community.Digest"),
            migrated=("auth.Group",),
            order=10,
        ),
        confer_hooks.ContentExport(
            key="site",
            models=("taggit.Tag", "community.TagUsage", "taggit.TaggedItem", "wagtailcore.Locale",
                    "wagtailcore.Collection",
                    "wagtailcore.GroupCollectionPermission", "wagtailimages.Image", "wagtaildocs.Document",
                    "community.Community", "community.CommunityTag", "community.Membership",
                    "community.JoinRequest", "community.Invitation", "community.Pin", "community.Announcement",
                    "wagtailcore.Page", "wagtailcore.Revision", "community.HomePage", "community.StandardPage",
                    "community.StandardPageTag", "community.BuddyNetworkPage", "community.WorkshopIndexPage",
                    "community.WorkshopPage", "community.WorkshopPageTag", "community.WorkshopSchedule",
                    "community.WorkshopSignup", "community.CalendarFeed", "wagtailcore.Site", "sites.Site",
                    "wagtailcore.GroupPagePermission", "wagtailcore.GroupSitePermission",
                    "wagtailcore.PageViewRestriction", "wagtailcore.CollectionViewRestriction",
                    "wagtailforms.FormSubmission",
                    "wagtailcore.PageLogEntry", "wagtailcore.ModelLogEntry", "wagtailcore.Comment",
                    "wagtailcore.CommentReply", "wagtailcore.PageSubscription", "wagtailredirects.Redirect",
                    "community.SynonymGroup"),
            migrated=("wagtailcore.Locale", "wagtailcore.Collection", "wagtailcore.GroupCollectionPermission",
                      "wagtailcore.Page", "community.HomePage", "wagtailcore.Site", "sites.Site",
                      "wagtailcore.GroupPagePermission"),
            replaces=("wagtailcore.GroupCollectionPermission", "wagtailcore.GroupPagePermission",
                      "wagtailcore.Site", "sites.Site", "wagtailcore.Page"),
            order=20,
        ),
        confer_hooks.ContentExport(key="profiles", models=("community.Profile",), order=25),
        confer_hooks.ContentExport(
            key="conversation",
            models=("django_comments.Comment", "django_comments_xtd.XtdComment", "django_comments.CommentFlag",
                    "django_comments_xtd.BlackListedDomain", "community.CommentHtml", "community.Follow",
                    "community.Notification"),
            order=30,
        ),
        # Flags, claims and the audit trail name what they are about by content type and id, so they
        # load after everything they can point at (questions, answers, ideas, comments).
        confer_hooks.ContentExport(
            key="moderation",
            models=("community.Flag", "community.Claim", "community.AuditEntry"),
            order=90,
        ),
    ]  # fmt: skip


@hooks.register(confer_hooks.PROFILE_ACTIVITY)
def comment_profile_activity():
    from .comments import comment_activity

    return confer_hooks.ProfileActivity(key="comments", items=comment_activity, order=40)
