"""Addresses of communities: ``/communities/`` and ``/communities/<slug>/`` (named by issue 18)."""

from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.community_new, name="new"),
    path("<str:slug>/", views.community_detail, name="detail"),
    path("<str:slug>/edit/", views.community_edit, name="edit"),
    path("<str:slug>/join/", views.join, name="join"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/requests/", views.requests, name="requests"),
    path("<str:slug>/requests/<int:pk>/", views.answer_request, name="answer_request"),
    path("<str:slug>/members/", views.members, name="members"),
    path("<str:slug>/members/<str:username>/", views.member_action, name="member_action"),
    path("<str:slug>/invite/", views.invite, name="invite"),
    path("<str:slug>/invitations/<str:token>/", views.accept, name="accept"),
    path("<str:slug>/pins/", views.pin, name="pin"),
    path("<str:slug>/pins/<int:pk>/unpin/", views.unpin, name="unpin"),
    path("<str:slug>/announce/", views.announce, name="announce"),
    path("<str:slug>/announcements/<int:pk>/", views.announcement_detail, name="announcement"),
]
