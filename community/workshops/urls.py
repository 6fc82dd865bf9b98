"""Workshop addresses under /workshops/. The pages themselves are served by Wagtail from the page
tree; these are the actions and calendars, kept to paths no workshop page can take (numbers, and
the reserved slug "calendar")."""

from django.urls import include, path

from . import views

actions = [
    path("<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("<int:pk>/calendar.ics", views.workshop_ics, name="ics"),
    path("places/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new-address/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
]

urlpatterns = [
    # The header's "Workshops" link (community.context_processors) looks for this name.
    path("", views.index, name="workshops"),
    path("", include((actions, "workshops"))),
]
