"""The one workshop address that is not a page route: each person's calendar feed, which calendar
apps fetch without signing in (see ``views.calendar_feed``). Everything else workshops do is a
route of a workshop page or of the workshop index (models.py); the addresses these had before are
in old_addresses.py."""

from django.urls import include, path

from . import views

feeds = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]

urlpatterns = [
    path("", include((feeds, "workshops"))),
]
