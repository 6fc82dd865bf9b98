"""Choosing a workshop's host in the Wagtail admin: a searchable list of colleagues by name."""

from django import forms
from django.conf import settings
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser

from ..names import display_name


def host_label(user) -> str:
    """ "Hana Host (hana)": the name colleagues know, and the username that tells two Hanas apart."""
    name = display_name(user)
    return f"{name} ({user.get_username()})" if name != user.get_username() else name


class HostSearchForm(BaseFilterForm):
    """Search colleagues by display name, first or last name, or username, in the database: the
    user table is not in the search index, and a host is always someone the editor can name."""

    q = forms.CharField(
        label="Search by name or username",
        widget=forms.TextInput(attrs={"placeholder": "Name or username"}),
        required=False,
    )

    def filter(self, objects):
        query = " ".join(self.cleaned_data.get("q", "").split())[:100]
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        for word in query.split(" "):
            objects = objects.filter(
                Q(profile__display_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
            )
        return objects


class HostChooseMixin:
    per_page = 25
    filter_form_class = HostSearchForm

    def get_object_list(self):
        model = self.model_class
        return (
            model.objects.filter(is_active=True)
            .select_related("profile__directorate")
            .order_by("profile__display_name", model.USERNAME_FIELD)
        )

    @property
    def columns(self):
        title = self.title_column
        title.accessor, title.label = host_label, "Name"
        return [title, Column("directorate", label="Directorate", accessor="profile.directorate.name")]


class HostChooseView(HostChooseMixin, chooser_views.ChooseView):
    pass


class HostChooseResultsView(HostChooseMixin, chooser_views.ChooseResultsView):
    pass


class HostChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return self.model_class.objects.select_related("profile").get(pk=pk, is_active=True)

    def get_display_title(self, instance):
        return host_label(instance)


class HostChooserWidget(BaseChooser):
    # The user edit page belongs to user administrators, not to the editors who pick a host.
    show_edit_link = False

    def get_instance(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, self.model_class):
            return value
        try:
            return self.model_class.objects.select_related("profile").filter(pk=value).first()
        except (TypeError, ValueError):  # a mangled form post: show no host, the field says why
            return None

    def get_display_title(self, instance):
        return host_label(instance)


class HostChooserViewSet(ChooserViewSet):
    """The workshop host field: a searchable list of active colleagues by name, instead of a
    select of every username. Registered in wagtail_hooks; only the host field uses its widget
    (``register_widget = False``), so other user fields in the admin keep Wagtail's own."""

    model = settings.AUTH_USER_MODEL
    icon = "user"
    choose_one_text = "Choose a host"
    choose_another_text = "Choose another host"
    page_title = "Choose a host"
    register_widget = False
    base_widget_class = HostChooserWidget
    choose_view_class = HostChooseView
    choose_results_view_class = HostChooseResultsView
    chosen_view_class = HostChosenView


host_chooser_viewset = HostChooserViewSet("workshop_host_chooser", url_prefix="workshops/host-chooser")
