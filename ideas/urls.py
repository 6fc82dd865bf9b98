from django.urls import path

from . import views

app_name = "ideas"

# Actions live under ideas/, merges/ and campaigns/, so an idea's slug can never shadow one.
urlpatterns = [
    path("", views.idea_list, name="index"),
    path("new/", views.idea_new, name="new"),
    path("preview/", views.markdown_preview, name="preview"),
    path("similar/", views.similar, name="similar"),
    path("tags/suggest/", views.tag_suggest, name="tag_suggest"),
    path("<int:pk>/", views.idea_detail, name="idea_short"),
    path("<int:pk>/<str:slug>/", views.idea_detail, name="idea"),
    path("ideas/<int:pk>/vote/", views.idea_vote, name="vote"),
    path("ideas/<int:pk>/comment/", views.idea_comment, name="comment"),
    path("ideas/<int:pk>/status/", views.idea_status, name="status"),
    path("ideas/<int:pk>/merge/", views.idea_merge, name="merge"),
    path("ideas/<int:pk>/benefit/", views.idea_benefit, name="benefit"),
    path("ideas/<int:pk>/hide/", views.idea_hide, name="hide"),
    path("ideas/<int:pk>/delete/", views.idea_delete, name="delete"),
    path("ideas/<int:pk>/edit/", views.idea_edit, name="edit"),
    path("ideas/<int:pk>/history/", views.idea_revisions, name="revisions"),
    path("ideas/<int:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_short"),
    path("campaigns/<int:pk>/<str:slug>/", views.campaign_detail, name="campaign"),
]
