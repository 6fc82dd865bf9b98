"""What insight records itself: search page views and the question pages opened from them.

Everything else on the dashboard is counted from what the other parts already keep (answers,
feedback, votes, status changes, buddy requests, workshop places). docs/insight.md defines every
figure.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from qa.models import Question

MAX_QUERY_LENGTH = 200


def normalise_query(query: str) -> str:
    """One spelling per query, so "VPN  Setup" and "vpn setup" count together."""
    return " ".join(query.lower().split())[:MAX_QUERY_LENGTH]


class SearchEventQuerySet(models.QuerySet):
    def between(self, start, end):
        return self.filter(created_at__gte=start, created_at__lt=end)

    def older_than(self, days: int):
        return self.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))


class SearchEvent(models.Model):
    """One view of the search page with a query: what was asked and how many results it found.

    Recorded with a single insert (``record``); kept for ``INSIGHT_SEARCH_RETENTION_DAYS`` and then
    deleted by ``manage.py purge_search_events``. The person is kept only to count distinct searchers
    and to check that a click belongs to its search; the dashboard never shows who searched.
    """

    created_at = models.DateTimeField(default=timezone.now)
    query = models.CharField(max_length=MAX_QUERY_LENGTH)
    results = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SearchEventQuerySet.as_manager()

    class Meta:
        indexes = [
            # Covers every figure the dashboard reads from a range of searches (counts, people, the
            # queries with no good result), so they are read from the index alone.
            models.Index(fields=["created_at", "user", "results", "query"], name="insight_search_covering"),
        ]
        permissions = [("view_insight", "Can see the insight dashboard and its figures")]

    def __str__(self):
        return f"“{self.query}” ({self.results} results)"

    @classmethod
    def record(cls, user, query: str, results: int) -> "SearchEvent":
        return cls.objects.create(
            user=user if user.is_authenticated else None, query=normalise_query(query), results=results
        )


def purge_search_events(days: int | None = None) -> int:
    """Delete search page views (and their clicks) older than the retention period; how many went."""
    days = settings.INSIGHT_SEARCH_RETENTION_DAYS if days is None else days
    deleted, by_model = SearchEvent.objects.older_than(days).delete()
    return by_model.get(SearchEvent._meta.label, 0)


class SearchClick(models.Model):
    """A question page opened from a search's results, and whether it then had a good answer (one the
    asker accepted or the helpdesk verified): the search led somewhere useful."""

    search = models.ForeignKey(SearchEvent, on_delete=models.CASCADE, related_name="clicks")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    good_answer = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["search", "question"], name="insight_click_once_per_search"),
        ]

    def __str__(self):
        return f"{self.search} → {self.question_id}"

    @classmethod
    def record(cls, search: SearchEvent, question: Question) -> None:
        """Count the click once however often the result is opened (back and forth is one visit)."""
        good = (
            Question.objects.filter(pk=question.pk).with_accepted_answer().exists()
            or Question.objects.filter(pk=question.pk).with_verified_answer().exists()
        )
        try:
            with transaction.atomic():
                cls.objects.create(search=search, question=question, good_answer=good)
        except IntegrityError:
            pass
