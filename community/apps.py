from django.apps import AppConfig


def _pages_for_tag(tag, request):
    from .models import StandardPage

    return StandardPage.objects.live().public().filter(tags=tag).order_by("title")


def _people(request):
    from .models import Profile

    return Profile.objects.active().select_related("user", "directorate")


def _pages(request):
    from wagtail.models import Page

    from .pages import WorkshopPage

    # Live and public only: drafts and pages behind a view restriction never appear. Workshops
    # have a search type of their own.
    return Page.objects.live().public().filter(depth__gt=1).not_type(WorkshopPage).specific()


def _person_snippet(profile):
    from .sitesearch import plain_text

    parts = [profile.job_title, profile.directorate.name if profile.directorate else "", profile.team]
    return " · ".join(part for part in parts if part) + (
        " – " + plain_text(profile.bio_html) if profile.bio_html else ""
    )


def _page_snippet(page):
    return getattr(page, "summary", "") or page.search_description or ""


def _visible_tags(user):
    from taggit.models import Tag

    return Tag.objects.all()


def _visible_people(user):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).select_related("profile")


def _followed_tags(request):
    from taggit.models import Tag

    from .follows import followed_ids

    return Tag.objects.filter(pk__in=followed_ids(request.user, Tag)).order_by("name")


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        from django.contrib.auth import get_user_model
        from taggit.models import Tag
        from wagtail.models import Page

        from . import signals  # noqa: F401  (connects the profile and group receivers)
        from .follows import Followable, register_followable
        from .models import Profile, StandardPageTag
        from .panels import HomePanel, register_home_panel
        from .sitesearch import SearchType, register_search_type
        from .tags import TagSection, register_tag_section

        register_tag_section(
            TagSection(
                key="pages",
                title="Pages",
                items=_pages_for_tag,
                template="community/includes/tag_pages.html",
                order=90,
            )
        )
        register_search_type(
            SearchType(key="people", label="People", model=Profile, queryset=_people,
                       template="community/includes/search_person.html", snippet=_person_snippet, order=60)
        )  # fmt: skip
        register_search_type(
            SearchType(key="pages", label="Pages", model=Page, queryset=_pages,
                       template="community/includes/search_page.html", snippet=_page_snippet,
                       tag_model=StandardPageTag, order=90)
        )  # fmt: skip
        register_followable(Followable(key="tag", model=Tag, label="Tags", visible=_visible_tags, order=10))
        register_followable(
            Followable(key="person", model=get_user_model(), label="People", visible=_visible_people, order=40)
        )
        register_home_panel(
            HomePanel(key="followed-tags", title="Tags you follow", items=_followed_tags,
                      template="community/includes/home_followed_tags.html", link="following",
                      link_text="Everything you follow", order=80)
        )  # fmt: skip

        # Workshops register with search, tag pages, follows, notifications, feeds and the home page.
        from . import workshops  # noqa: F401
