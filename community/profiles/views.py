"""Profiles and signing in and out."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator

from .. import hooks
from ..helpers import with_allowance
from .forms import LoginForm, ProfileForm
from .models import Profile


def profile_detail(request, username):
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    profile = Profile.for_user(user)
    return render(
        request,
        "community/profile_detail.html",
        {
            "profile": profile,
            "person": user,
            "is_own": user == request.user,
            "sections": hooks.registered(hooks.PROFILE_SECTIONS),
        },
    )


@with_allowance("community.profile")
def profile_edit(request):
    profile = Profile.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
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
