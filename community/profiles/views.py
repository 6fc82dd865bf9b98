"""Profiles and signing in and out."""

import hashlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator

from .. import hooks
from ..helpers import with_allowance
from ..listening.notifications import start_at_zero
from ..uploads import PHOTO_RENDITIONS
from .activity import parse_before, recent_activity
from .forms import LoginForm, PasswordResetForm, ProfileForm, SetPasswordForm
from .models import Profile


def profile_detail(request, username):
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    profile = Profile.for_user(user)
    before, cursor_error = parse_before(request.GET.get("before"))
    return render(
        request,
        "community/profile_detail.html",
        {
            "profile": profile,
            "person": user,
            "is_own": user == request.user,
            "sections": hooks.registered(hooks.PROFILE_SECTIONS),
            "activity": recent_activity(user, request.user, before),
            "activity_is_older": before is not None,
            "cursor_error": cursor_error,
        },
    )


def profile_photo(request, pk, size):
    """A colleague's photo (``size`` "large" or "small"), from Confer itself: only the photo of an
    active person's profile, so a photo that was replaced or removed, or whose owner left, is gone."""
    if size not in PHOTO_RENDITIONS:
        raise Http404("No such size")
    profile = get_object_or_404(Profile.objects.select_related("photo"), photo_id=pk, user__is_active=True)
    rendition = profile.photo.get_rendition(PHOTO_RENDITIONS[size])
    response = FileResponse(rendition.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response


@with_allowance("community.profile")
def profile_edit(request):
    profile = Profile.for_user(request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been updated.")
        return redirect(profile)
    status = 400 if form.errors else 200
    return render(request, "community/profile_edit.html", {"form": form, "profile": profile}, status=status)


class LoginView(auth_views.LoginView):
    """Sign in. Someone already signed in who is sent here was refused a page (the Wagtail admin
    sends people without admin access to the login page): say so, rather than bouncing them back
    to the page that sent them here, which would loop."""

    authentication_form = LoginForm

    def form_valid(self, form):
        first_visit = form.get_user().last_login is None
        response = super().form_valid(form)
        if first_visit:
            start_at_zero(form.get_user())
        return response

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if self.get_redirect_url():
                return render(request, "403.html", status=403)
            return redirect("/")
        return super().get(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class LogoutView(auth_views.LogoutView):
    """Sign out is a POST (the header's button), so a link cannot sign someone out. Opening the
    address asks "Sign out?" with that button, rather than a blank "method not allowed"."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            # No ?next=: signing in again should not land on this page.
            return redirect("login")
        return render(request, "registration/logout.html")


# --- forgotten passwords --------------------------------------------------------------------------


def _reset_allowances(request, email: str) -> bool:
    """One use of the reset allowance of this address (the network one, by IP) and of this email
    address; False when either is spent. Both are taken whether or not an account has the email,
    so the answer never says which addresses Confer knows."""
    from django.conf import settings

    from ..helpers import reserve_allowance
    from .auth import client_ip

    by_ip = reserve_allowance(request, f"password-reset-ip:{client_ip(request)}", settings.PASSWORD_RESET_RATE)
    if not by_ip:
        return False
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    by_email = reserve_allowance(request, f"password-reset-email:{digest}", settings.PASSWORD_RESET_EMAIL_RATE)
    if not by_email:
        by_ip.release()
        return False
    return True


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgotten your password?": a link by email, for local accounts (single sign-on accounts
    have no password here to reset). The same page follows whether or not the address belongs to an
    account; asking too often from one network or for one address is refused with a 429 that says
    so, whoever it is."""

    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form):
        if not _reset_allowances(self.request, form.cleaned_data["email"]):
            return render(self.request, "registration/password_reset_limited.html", status=429)
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)
