from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting

from .models import Directorate, ListeningPreferences, Profile


class GovukFormRenderer(TemplatesSetting):
    """Render every Django form with GOV.UK Design System markup (error summary, hints, errors)."""

    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class LoginForm(AuthenticationForm):
    error_messages = {
        # Deliberately the same whether the account exists, is inactive, or the password is wrong.
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }


class ProfileForm(forms.ModelForm):
    directorate = forms.ModelChoiceField(
        queryset=Directorate.objects.all(), required=False, empty_label="Choose your directorate"
    )

    class Meta:
        model = Profile
        fields = ["display_name", "job_title", "directorate", "team", "bio"]
        labels = {"display_name": "Name shown to colleagues"}
        help_texts = {
            "job_title": "For example, Senior auditor or Policy adviser.",
            "team": "The team you work in day to day.",
            "bio": "A few lines about what you do and what you can help with. You can use Markdown.",
        }
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
        error_messages = {"display_name": {"required": "Enter the name colleagues know you by."}}

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError("Enter the name colleagues know you by.")
        return name


class ListeningPreferencesForm(forms.ModelForm):
    class Meta:
        model = ListeningPreferences
        fields = ["email_frequency", "auto_follow"]
        widgets = {"email_frequency": forms.RadioSelect}
        error_messages = {"email_frequency": {"required": "Choose how often Confer should email you."}}
