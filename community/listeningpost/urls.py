"""/listening/: the Listening page, and its sources, watches, items and exercises."""

from django.urls import path

from . import views

app_name = "listening"

urlpatterns = [
    path("", views.index, name="index"),
    path("watches/new/", views.watch_new, name="watch_new"),
    path("watches/<int:pk>/edit/", views.watch_edit, name="watch_edit"),
    path("watches/<int:pk>/delete/", views.watch_delete, name="watch_delete"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/allow/", views.allow, name="allow"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/fetch/", views.source_fetch, name="source_fetch"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/share/", views.item_share, name="item_share"),
    path("items/<int:pk>/comment/", views.item_comment, name="item_comment"),
    path("exercises/", views.exercises, name="exercises"),
    path("exercises/new/", views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", views.exercise_detail, name="exercise"),
    path("exercises/<int:pk>/export.csv", views.exercise_csv, name="exercise_csv"),
]
