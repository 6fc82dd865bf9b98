from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from ..uploads import delete_photo
from .models import Profile

STAFF_GROUP = "Staff"


@receiver(post_save, sender=get_user_model())
def welcome_new_account(sender, instance, created, raw=False, **kwargs):
    """Every new account is in Staff (that is what lets them take part) and has a profile."""
    if created and not raw:
        group = Group.objects.filter(name=STAFF_GROUP).first()
        if group is not None:
            instance.groups.add(group)
        Profile.for_user(instance)


@receiver(user_logged_in)
def ensure_profile(sender, request, user, **kwargs):
    # Accounts made before Confer, or loaded from a fixture, get their profile on first login.
    Profile.for_user(user)


@receiver(post_delete, sender=Profile)
def delete_profile_photo(sender, instance, **kwargs):
    """A profile deleted with its account takes its photo (and the photo's resized copies) along."""
    if instance.photo_id:
        delete_photo(get_image_model().objects.filter(pk=instance.photo_id).first())
