from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django_comments_xtd import views as xtd_views
from mozilla_django_oidc import views as oidc_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community import views as community_views
from community.feeds import ConferAtomFeed, ConferFeed
from community.forms import PasswordChangeForm


def oidc_view(view):
    """Single sign-on views answer only when OpenID Connect is switched on in settings."""

    @login_not_required
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured")
        return view(request, *args, **kwargs)

    return wrapped


account_patterns = [
    path("login/", community_views.LoginView.as_view(), name="login"),
    path("logout/", community_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "oidc/authenticate/",
        oidc_view(oidc_views.OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        oidc_view(oidc_views.OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]

# Only the django-comments-xtd views Confer uses: follow-up emails link to mute/ and cr/. Its reply
# and API views would show comments on objects the reader may not see; Confer's own views post
# and list comments with each part's visibility rules.
comment_patterns = [
    path("sent/", xtd_views.sent, name="comments-xtd-sent"),
    path("confirm/<str:key>/", xtd_views.confirm, name="comments-xtd-confirm"),
    path("mute/<str:key>/", xtd_views.mute, name="comments-xtd-mute"),
    re_path(r"^cr/(\d+)/(.+)/$", shortcut, name="comments-url-redirect"),
]

notification_patterns = (
    [
        path("", community_views.notification_list, name="index"),
        path("<int:pk>/", community_views.notification_open, name="open"),
        path("<int:pk>/read/", community_views.notification_read, name="read"),
        path("read-all/", community_views.notification_read_all, name="read_all"),
        path("settings/", community_views.notification_settings, name="settings"),
        path("settings/feed-token/", community_views.feed_token_revoke, name="revoke_feed_token"),
        path("unsubscribe/<str:token>/", community_views.unsubscribe, name="unsubscribe"),
    ],
    "notifications",
)


def feed_view(feed_class):
    # Feed readers cannot sign in: the secret token in the address stands in for the session.
    return login_not_required(feed_class())


feed_patterns = (
    [
        path("<str:token>/tags/<str:value>/rss/", feed_view(ConferFeed), {"kind": "tag"}, name="tag_rss"),
        path("<str:token>/tags/<str:value>/atom/", feed_view(ConferAtomFeed), {"kind": "tag"}, name="tag_atom"),
        path("<str:token>/search/rss/", feed_view(ConferFeed), {"kind": "search"}, name="search_rss"),
        path("<str:token>/search/atom/", feed_view(ConferAtomFeed), {"kind": "search"}, name="search_atom"),
        path("<str:token>/<str:value>/rss/", feed_view(ConferFeed), {"kind": "source"}, name="source_rss"),
        path("<str:token>/<str:value>/atom/", feed_view(ConferAtomFeed), {"kind": "source"}, name="source_atom"),
    ],
    "feeds",
)

# Wagtail's admin and private pages each bring a bare sign-in form of their own; Confer has one.
to_sign_in = login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))

urlpatterns = [
    path("accounts/", include(account_patterns)),
    path("admin/login/", to_sign_in),
    path("_util/login/", to_sign_in),
    path("healthz", community_views.healthz, name="healthz"),
    path("robots.txt", community_views.robots_txt),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("people/", include("community.urls")),
    path("profile/edit/", community_views.profile_edit, name="profile_edit"),
    path("tags/", community_views.tag_index, name="tag_index"),
    path("tags/<str:slug>/", community_views.tag_detail, name="tag"),
    path("search/", community_views.search, name="search"),
    path("search/similar/", community_views.similar, name="similar"),
    path("qa/", include("qa.urls")),
    path("comments/", include(comment_patterns)),
    path("follow/<str:key>/<int:pk>/", community_views.follow_toggle, name="follow"),
    path("following/", community_views.following, name="following"),
    path("notifications/", include(notification_patterns)),
    path("feeds/", include(feed_patterns)),
    path("ideas/", include("ideas.urls")),
    path("skills/", include("skills.urls")),
    path("workshops/", include("community.workshops_urls")),
    # Wagtail serves every other path from the page tree; it must stay last.
    path("", include(wagtail_urls)),
]
