"""Addresses of the moderation queue, its decisions and claims, each thing's history, and flagging."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("<str:kind>/<int:pk>/claim/", views.claim, name="claim"),
    path("<str:kind>/<int:pk>/history/", views.history, name="history"),
    path("<str:kind>/<int:pk>/flag/", views.flag, name="flag"),
]
