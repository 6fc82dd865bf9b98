"""Addresses of notifications, their settings, and the feeds (RSS and Atom)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import views
from .feeds import ConferAtomFeed, ConferFeed

notification_patterns = (
    [
        path("", views.notification_list, name="index"),
        path("<int:pk>/", views.notification_open, name="open"),
        path("<int:pk>/read/", views.notification_read, name="read"),
        path("read-all/", views.notification_read_all, name="read_all"),
        path("settings/", views.notification_settings, name="settings"),
        path("settings/feed-token/", views.feed_token_revoke, name="revoke_feed_token"),
        path("settings/unsubscribe-links/", views.unsubscribe_links_revoke, name="revoke_unsubscribe_links"),
        path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
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
