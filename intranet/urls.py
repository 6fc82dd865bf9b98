from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django_comments_xtd import views as xtd_views
from mozilla_django_oidc import views as oidc_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community import views as community_views
from community.listening import views as listening_views
from community.listening.urls import feed_patterns, notification_patterns
from community.profiles import views as profile_views
from community.profiles.forms import PasswordChangeForm
from community.sitesearch import views as sitesearch_views
from skills import views as skills_views


def oidc_view(view):
    """Single sign-on views answer only when OpenID Connect is switched on in settings."""

    @login_not_required
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured")
        return view(request, *args, **kwargs)

    return wrapped


account_patterns = [
    path("login/", profile_views.LoginView.as_view(), name="login"),
    path("logout/", profile_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", profile_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        profile_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
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
    re_path(r"^cr/(\d+)/(.+)/$", community_views.comment_target, name="comments-url-redirect"),
    path("<int:pk>/edit/", community_views.comment_edit, name="comment_edit"),
    path("<int:pk>/delete/", community_views.comment_delete, name="comment_delete"),
    path("<int:pk>/withdraw/", community_views.comment_withdraw, name="comment_withdraw"),
]

# The staff directory and "who can help with X" rank people by their skills; profiles are the core's.
people_patterns = (
    [
        path("", skills_views.people_index, name="index"),
        path("<str:username>/", profile_views.profile_detail, name="profile"),
    ],
    "people",
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
    path("people/", include(people_patterns)),
    path("profile/edit/", profile_views.profile_edit, name="profile_edit"),
    path("uploads/images/", community_views.image_upload, name="image_upload"),
    path("uploads/images/<int:pk>/", community_views.uploaded_image, name="uploaded_image"),
    path("uploads/photos/<int:pk>/<str:size>/", profile_views.profile_photo, name="profile_photo"),
    path("mentions/people/", community_views.mention_people, name="mention_people"),
    path("tags/", community_views.tag_index, name="tag_index"),
    path("tags/<str:slug>/", community_views.tag_detail, name="tag"),
    path("search/", sitesearch_views.search, name="search"),
    path("search/similar/", sitesearch_views.similar, name="similar"),
    path("qa/", include("qa.urls")),
    path("moderation/", include("community.moderation.urls")),
    path("comments/", include(comment_patterns)),
    path("follow/<str:key>/<int:pk>/", listening_views.follow_toggle, name="follow"),
    path("following/", listening_views.following, name="following"),
    path("notifications/", include(notification_patterns)),
    path("feeds/", include(feed_patterns)),
    path("listening/", include("community.listeningpost.urls")),
    path("ideas/", include("ideas.urls")),
    path("skills/", include("skills.urls")),
    path("insight/", include("insight.urls")),
    path("workshops/", include("community.workshops.urls")),
    path("communities/", include("community.groups.urls")),
    # Wagtail serves every other path from the page tree.
    path("", include(wagtail_urls)),
    # The addresses workshop actions had before they were page routes: after Wagtail, so a page
    # always wins; community.workshops.old_addresses says how they are still answered.
    path("", include("community.workshops.old_addresses")),
]
