"""Ideas proposed, for the proposer's profile ("Recent activity", ``community.profiles.activity``):
the ideas colleagues may see (not hidden, withdrawn or merged into another), and the person's own
such ideas, marked, for themselves. The read walks an index on (author, created_at)."""

from community.groups.visibility import within_reach
from community.hooks import ActivityItem
from community.profiles.activity import snippet

from .models import Idea


def idea_activity(person, viewer, before, limit):
    own = viewer.pk == person.pk
    rows = Idea.objects.filter(author=person)
    if not own:
        rows = rows.filter(is_hidden=False, withdrawn_at__isnull=True, merged_into__isnull=True)
        # Posted in an invite-only community: only on the profile as its members see it.
        rows = rows.filter(within_reach(viewer))
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    rows = rows.only(
        "id", "slug", "title", "description_html", "created_at", "is_hidden", "withdrawn_at", "merged_into"
    ).order_by("-created_at", "-pk")
    return [
        ActivityItem(
            date=idea.created_at,
            kind="Proposed an idea",
            title=idea.title,
            url=idea.get_absolute_url(),
            snippet=snippet(idea.description_html),
            state="Hidden by a moderator"
            if idea.is_hidden
            else "Withdrawn"
            if idea.withdrawn_at
            else "Merged into another idea"
            if idea.merged_into_id
            else "",
        )
        for idea in rows[:limit]
    ]
