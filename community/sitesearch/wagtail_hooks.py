"""Synonym groups in the Wagtail admin, for the helpdesk and moderators (model permissions given
by migration 0010; the menu item shows only to those who hold them)."""

from django import forms
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.viewsets.model import ModelViewSet

from . import encoder
from .models import SynonymGroup


class SynonymGroupForm(WagtailAdminModelForm):
    def save(self, commit=True):
        self.instance.updated_by = self.for_user
        return super().save(commit)


class SynonymGroupViewSet(ModelViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = "Search synonyms"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["__str__", Column("note"), UserColumn("updated_by", label="Changed by"),
                    DateColumn("updated_at", label="Changed")]  # fmt: skip
    search_fields = ["terms", "note"]
    # Plain database lookups: the admin search must work whichever site search backend is configured.
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("terms", widget=forms.Textarea(attrs={"rows": 6})), FieldPanel("note")],
        base_form_class=SynonymGroupForm,
    )


@hooks.register("register_admin_viewset")
def register_synonym_groups():
    return SynonymGroupViewSet("synonym_groups")


class SemanticSearchNotice:
    """On the admin dashboard, for the digital team and everyone else who works there: semantic
    search is configured on but its model did not load, so search is lexical only."""

    name = "semantic_search_notice"
    order = 10

    def __init__(self, error):
        self.error = error

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="panel w-mb-4 help-block help-warning"><h2>Semantic search is off</h2>'
            "<p>Search is working with words only: the sentence-embedding model could not be loaded "
            "({}). Run <code>make install</code> and then <code>manage.py update_index</code> on the server; "
            "nothing else is affected.</p></section>",
            self.error or "unknown error",
        )

    @property
    def media(self):
        return forms.Media()


@hooks.register("construct_homepage_panels")
def semantic_search_notice(request, panels):
    state = encoder.status()
    if state["enabled"] and not state["working"]:
        panels.insert(0, SemanticSearchNotice(state["error"]))
