from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "qa"

# Actions live under questions/ and answers/, so a question's slug can never shadow one.
urlpatterns = [
    path("", views.question_list, name="index"),
    path("ask/", views.question_ask, name="ask"),
    path("preview/", views.markdown_preview, name="preview"),
    path("tags/suggest/", views.tag_suggest, name="tag_suggest"),
    path("tags/suggestions/", views.tag_suggestions, name="tag_suggestions"),
    path("helpdesk/", views.helpdesk_queue, name="helpdesk"),
    path("helpdesk/tags/", views.helpdesk_bulk_tags, name="helpdesk_tags"),
    path("helpdesk/act/", views.helpdesk_act, name="helpdesk_act"),
    # The moderation queue moved to /moderation/ when ideas and comments joined it.
    path("moderation/", RedirectView.as_view(pattern_name="moderation:queue"), name="moderation"),
    path("moderation/<str:kind>/<int:pk>/history/", RedirectView.as_view(pattern_name="moderation:history")),
    path("<int:pk>/", views.question_detail, name="question_short"),
    path("<int:pk>/<str:slug>/", views.question_detail, name="question"),
    path("questions/<int:pk>/answer/", views.answer_create, name="answer"),
    path("questions/<int:pk>/comment/", views.question_comment, name="comment"),
    path("questions/<int:pk>/vote/", views.question_vote, name="question_vote"),
    path("questions/<int:pk>/solved/", views.question_feedback, name="feedback"),
    path("questions/<int:pk>/close/", views.question_close, name="close"),
    path("questions/<int:pk>/reopen/", views.question_reopen, name="reopen"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("questions/<int:pk>/history/", views.question_revisions, name="question_revisions"),
    path("questions/<int:pk>/flag/", views.question_flag, name="question_flag"),
    path("questions/<int:pk>/hide/", views.question_hide, name="question_hide"),
    path("answers/<int:pk>/", views.answer_detail, name="answer_detail"),
    path("answers/<int:pk>/vote/", views.answer_vote, name="answer_vote"),
    path("answers/<int:pk>/comment/", views.answer_comment, name="answer_comment"),
    path("answers/<int:pk>/accept/", views.answer_accept, name="accept"),
    path("answers/<int:pk>/verify/", views.answer_verify, name="verify"),
    path("answers/<int:pk>/unverify/", views.answer_unverify, name="unverify"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/delete/", views.answer_delete, name="answer_delete"),
    path("answers/<int:pk>/withdraw/", views.answer_withdraw, name="answer_withdraw"),
    path("answers/<int:pk>/history/", views.answer_revisions, name="answer_revisions"),
    path("answers/<int:pk>/flag/", views.answer_flag, name="answer_flag"),
    path("answers/<int:pk>/hide/", views.answer_hide, name="answer_hide"),
]
