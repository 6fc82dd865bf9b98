from django import forms

from .models import ListeningPreferences


class ListeningPreferencesForm(forms.ModelForm):
    class Meta:
        model = ListeningPreferences
        fields = ["email_frequency", "auto_follow"]
        widgets = {"email_frequency": forms.RadioSelect}
        error_messages = {"email_frequency": {"required": "Choose how often Confer should email you."}}
