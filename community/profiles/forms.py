from django import forms
from django.contrib.auth import forms as auth_forms
from django.db import transaction
from django.urls import reverse

from ..emails import absolute_url, make_message
from ..forms import set_required_messages
from ..names import clean_name, display_name
from ..uploads import ACCEPT, MAX_UPLOAD_BYTES, clean_photo, delete_photo, store_photo
from .models import Directorate, Profile


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        # Deliberately the same whether the account exists, is inactive, or the password is wrong.
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_required_messages(self, {"username": "Enter your username", "password": "Enter your password"})


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Ask for a reset link by email. Django's form already mails only active accounts with a
    usable password (local accounts: single sign-on accounts have none) and says nothing about
    which addresses it knows; the email itself goes through ``make_message`` like every other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The email address of your Confer account."
        self.fields["email"].error_messages = {
            **self.fields["email"].error_messages,
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        }

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        link = absolute_url(
            reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        )
        message = make_message("password-reset", to_email, {"name": display_name(context["user"]), "reset_url": link})
        message.send()


class SetPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": "The passwords you entered do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = "Type your new password again."
        set_required_messages(
            self, {"new_password1": "Enter a new password", "new_password2": "Type your new password again"}
        )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": "The passwords you entered do not match",
        "password_incorrect": "Your current password is not right. Try again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = "Type your new password again."
        set_required_messages(
            self,
            {
                "old_password": "Enter your current password",
                "new_password1": "Enter a new password",
                "new_password2": "Confirm your new password",
            },
        )


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

    photo_file = forms.FileField(
        label="Photo",
        required=False,
        help_text=f"A PNG, JPEG or WebP photo of yourself up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. It is "
        "cropped square from the middle, and its camera and location details are removed.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._photo = None
        if not self.instance.photo_id:
            del self.fields["remove_photo"]
        else:
            self.fields["photo_file"].label = "Replace your photo"

    def clean_photo_file(self):
        upload = self.cleaned_data.get("photo_file")
        if upload:
            self._photo = clean_photo(upload)  # a ValidationError says what is wrong; the old photo stays
        return upload

    def clean(self):
        cleaned = super().clean()
        if self._photo is not None and cleaned.get("remove_photo"):
            self.add_error("remove_photo", "Either choose a new photo or remove your photo, not both.")
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        profile = super().save(commit=False)
        old = None
        if self._photo is not None or self.cleaned_data.get("remove_photo"):
            # Read under a lock: of two changes at once, the second replaces (and deletes) the first's.
            old = Profile.objects.select_for_update(of=("self",)).select_related("photo").get(pk=profile.pk).photo
            profile.photo = store_photo(self._photo, profile.user) if self._photo is not None else None
        profile.save()
        if old is not None:
            delete_photo(old)
        return profile

    def clean_display_name(self):
        name = clean_name(self.cleaned_data["display_name"])
        if not name:
            raise forms.ValidationError("Enter the name colleagues know you by.")
        if Profile.name_taken(name, self.instance.user):
            raise forms.ValidationError(
                "A colleague is already known by that name, or one that looks the same. Use your own "
                "name, or add something that tells you apart, such as your team."
            )
        return name
