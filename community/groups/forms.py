"""Forms for communities: starting or editing one, inviting, announcing, and the "Post in a
community" choice that the ask, new-idea and workshop forms add."""

from django import forms
from django.contrib.auth import get_user_model

from ..forms import MarkdownTextarea, set_required_messages
from ..tags import TagsField
from ..uploads import image_field
from .models import Community
from .visibility import NOT_A_MEMBER, postable_communities


class CommunityChoiceField(forms.ModelChoiceField):
    """Which community a post goes in (by slug), offering only those the person is a member of; a
    community they are not in is refused by name rather than as "not a valid choice"."""

    def __init__(self, user, **kwargs):
        super().__init__(
            queryset=Community.objects.all(),
            to_field_name="slug",
            required=False,
            label="Post in a community",
            help_text="Members of the community see it in the community’s feed. "
            "In an invite-only community, only its members can see it.",
            error_messages={"invalid_choice": "There is no such community. Choose one of yours, or none."},
            **kwargs,
        )
        self.user = user
        self.widget.choices = [("", "Not in a community")] + [
            (community.slug, f"{community.name}{' (members only)' if community.is_invite_only else ''}")
            for community in postable_communities(user)
        ]

    def clean(self, value):
        community = super().clean(value)
        if community is not None and not community.memberships.filter(user=self.user.pk).exists():
            raise forms.ValidationError(NOT_A_MEMBER)
        return community


def add_community_choice(form, user, initial_slug: str = "") -> None:
    """Give ``form`` its "Post in a community" field, preselected when the person came from a
    community's page (``?community=<slug>``)."""
    form.fields["community"] = CommunityChoiceField(user, initial=initial_slug[:100] or None)


class CommunityForm(forms.Form):
    name = forms.CharField(label="Name", max_length=100)
    description = forms.CharField(
        label="What is it for?",
        max_length=5000,
        required=False,
        help_text="Who it is for and what members do together. You can use Markdown.",
        widget=MarkdownTextarea(attrs={"rows": 6}),
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )
    tags = TagsField(
        label="Tags",
        min_tags=0,
        required=False,
        help_text="Up to 5 topics, separated by commas. Questions, ideas and workshops with these tags "
        "appear in the community’s feed.",
    )
    kind = forms.ChoiceField(
        label="Who can join?", choices=Community.Kind.choices, widget=forms.RadioSelect, initial=Community.Kind.OPEN
    )
    image = image_field("Picture")

    def __init__(self, *args, community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        set_required_messages(self, {"name": "Enter a name for the community", "kind": "Choose who can join"})
        self.fields["name"].error_messages["max_length"] = "The name must be 100 characters or fewer"
        if community is not None and community.is_invite_only:
            # Content posted privately must never turn public: invite-only stays invite-only.
            self.fields["kind"].choices = [(Community.Kind.INVITE, Community.Kind.INVITE.label)]
            self.fields[
                "kind"
            ].help_text = "An invite-only community stays invite-only: its members posted trusting that."
        elif community is not None:
            self.fields["kind"].choices = [c for c in Community.Kind.choices if c[0] != Community.Kind.INVITE]
            self.fields[
                "kind"
            ].help_text = "A community cannot become invite-only later: what was posted in it was posted for everyone."

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the community")
        others = Community.objects.filter(name__iexact=name)
        if self.community is not None:
            others = others.exclude(pk=self.community.pk)
        if others.exists():
            raise forms.ValidationError("There is already a community with that name. Choose another, or join it.")
        return name


class InviteForm(forms.Form):
    username = forms.CharField(
        label="Invite a colleague by username",
        max_length=150,
        help_text="They get a notification with a link to accept, which works only for them and only once.",
        error_messages={"required": "Enter the username of the colleague to invite"},
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lstrip("@")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"Nobody here has the username “{username}”. Check the spelling.")
        return user


class AnnouncementForm(forms.Form):
    subject = forms.CharField(
        label="Subject", max_length=200, error_messages={"required": "Enter a subject for the announcement"}
    )
    body = forms.CharField(
        label="Message",
        max_length=10000,
        widget=MarkdownTextarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter the message to send",
            "max_length": "The message must be 10,000 characters or fewer",
        },
    )


class DirectoryForm(forms.Form):
    q = forms.CharField(label="Search communities", required=False, max_length=100)
    tag = forms.CharField(required=False, max_length=100)
    mine = forms.BooleanField(label="Only my communities", required=False)
