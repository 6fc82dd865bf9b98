from django.urls import path

from . import views

app_name = "skills"

# "Who can help with X" is /people/?q=<topic> (community.urls); everything you do about it is here.
urlpatterns = [
    path("", views.index, name="index"),
    path("profile/", views.skills_edit, name="edit"),
    path("volunteer/", views.offer_edit, name="offer"),
    path("volunteer/pause/", views.offer_pause, name="offer_pause"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/choose/", views.request_choose, name="request_choose"),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/done/", views.request_done, name="request_done"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
]
