"""Synonym groups in the Wagtail admin, for the helpdesk and moderators (model permissions given
by migration 0008; the menu item shows only to those who hold them)."""

from django import forms
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.admin.viewsets.model import ModelViewSet

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
