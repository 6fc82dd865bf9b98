"""People: the directorates they belong to and the profile colleagues see."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from modelsearch.queryset import SearchableQuerySetMixin
from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from ..markdown import render_markdown
from ..names import name_key
from ..uploads import PHOTO_URL_PATTERN

__all__ = ["Directorate", "Profile"]


@register_snippet
class Directorate(models.Model):
    """A part of the organisation; profiles belong to one, and insight groups by it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, blank=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class ProfileQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True)


class Profile(index.Indexed, models.Model):
    """What colleagues see of a person: created with the account, edited by its owner."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=100)
    # What the name looks like (community.names.name_key), indexed so that a new name is checked
    # against every colleague's in one lookup: nobody may take a name colleagues would confuse.
    name_key = models.CharField(max_length=100, blank=True, editable=False, db_index=True)
    job_title = models.CharField(max_length=100, blank=True)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.SET_NULL, related_name="profiles"
    )
    team = models.CharField(max_length=100, blank=True)
    bio = models.TextField("short bio", max_length=1000, blank=True, help_text="Markdown")
    bio_html = models.TextField(blank=True, editable=False)
    # Cropped square and re-encoded without metadata (community.uploads.clean_photo), in the
    # "Profile photos" collection; set and removed on the profile edit page.
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    search_fields = [
        index.SearchField("display_name", boost=3),
        index.AutocompleteField("display_name"),
        index.SearchField("job_title", boost=2),
        index.SearchField("team"),
        index.SearchField("bio"),
        index.RelatedFields("directorate", [index.SearchField("name")]),
        index.RelatedFields("user", [index.SearchField("username"), index.FilterField("is_active")]),
        index.FilterField("id"),
        index.FilterField("directorate"),
    ]

    class Meta:
        ordering = ["display_name"]
        permissions = [("erase_personal_data", "Can erase the personal data of someone who has left")]
        # The people directory (/people/) reads a page of everyone by name in this order.
        indexes = [
            models.Index(fields=["display_name", "id"], name="community_profile_by_name"),
            # The home page's "new colleagues": the newest profiles, walked in this order.
            models.Index(fields=["-created_at", "-id"], name="community_profile_newest"),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.bio_html = render_markdown(self.bio)
        self.name_key = name_key(self.display_name)[:100]
        if kwargs.get("update_fields") is not None and "bio" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "bio_html"}
        if kwargs.get("update_fields") is not None and "display_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    @classmethod
    def name_taken(cls, name: str, by) -> bool:
        """Could ``name`` be confused with a colleague other than ``by``: another active person's
        profile name, or someone's username? A person may always use the name on their own account."""
        key = name_key(name)
        if not key or key == name_key(by.get_full_name()) or key == name_key(by.get_username()):
            return False
        others = cls.objects.filter(name_key=key, user__is_active=True).exclude(user=by)
        usernames = get_user_model().objects.filter(username__iexact=key).exclude(pk=by.pk)
        return others.exists() or usernames.exists()

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.user.get_username()])

    @classmethod
    def default_display_name(cls, user) -> str:
        return user.get_full_name().strip() or user.get_username()

    @classmethod
    def for_user(cls, user) -> "Profile":
        """The user's profile, made on first need (first login, or a colleague opening it)."""
        profile, _ = cls.objects.get_or_create(user=user, defaults={"display_name": cls.default_display_name(user)})
        return profile

    def photo_url(self, size: str = "small") -> str:
        """Where the photo is served in ``size`` ("large" or "small"), or "" without one. Reads only
        ``photo_id``: a list of people shows their photos without a query per person."""
        return PHOTO_URL_PATTERN.format(pk=self.photo_id, size=size) if self.photo_id else ""

    @property
    def initials(self) -> str:
        """Up to two letters for the circle shown when there is no photo ("Tom Smith" → "TS")."""
        words = [word for word in self.display_name.replace("-", " ").split() if word[:1].isalnum()]
        letters = "".join(word[0] for word in (words[:1] + words[1:][-1:]))
        return letters.upper() or "?"

    @property
    def is_complete(self) -> bool:
        return bool(self.job_title and self.directorate_id and self.team)

    @classmethod
    def get_indexed_objects(cls):
        # Deactivated accounts (people who left) drop out of search.
        return cls.objects.active().select_related("directorate", "user")
