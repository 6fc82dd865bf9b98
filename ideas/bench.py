"""Ideas benchmark rows (``manage.py seed_bench``; see community/bench.py): at scale 1, 20,000 ideas
with one to three tags, statuses in the proportions of a working ideas board, and 200,000 votes."""

from django.db.models import Count, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from community.bench import Bench, bulk

from .models import Idea, IdeaTag, Vote

STATUSES = [Idea.Status.NEW] * 10 + [
    Idea.Status.UNDER_REVIEW,
    Idea.Status.UNDER_REVIEW,
    Idea.Status.PLANNED,
    Idea.Status.IN_PROGRESS,
    Idea.Status.IMPLEMENTED,
    Idea.Status.DECLINED,
]


def seed(bench: Bench) -> None:
    rng = bench.rng
    before = Idea.objects.aggregate(last=Max("pk"))["last"] or 0
    first = Idea.objects.count()

    def ideas():
        for n in range(first, first + bench.count(20_000)):
            title = f"{bench.sentence(rng.randint(3, 8)).capitalize()} ({n})"
            description = bench.sentence(rng.randint(20, 90))
            yield Idea(
                author_id=bench.some_user(),
                title=title,
                slug=title.lower().replace(" ", "-")[:60].strip("-()"),
                description=description,
                description_html=f"<p>{description}</p>",
                created_at=bench.moment(),
                status=rng.choice(STATUSES),
            )

    bulk(Idea, ideas())
    new = Idea.objects.filter(pk__gt=before)
    made = list(new.values_list("pk", "created_at"))
    bulk(IdeaTag, (IdeaTag(content_object_id=pk, tag_id=tag) for pk, _ in made for tag in bench.some_tags()))
    votes = set()
    for _ in range(bench.count(200_000)):
        votes.add((rng.choice(bench.user_ids), rng.choice(made)))
    bulk(
        Vote,
        (Vote(idea_id=idea, user_id=user, created_at=bench.moment(after=created)) for user, (idea, created) in votes),
        ignore_conflicts=True,
    )
    counts = Vote.objects.filter(idea=OuterRef("pk")).order_by().values("idea").annotate(n=Count("pk")).values("n")
    new.update(vote_count=Coalesce(Subquery(counts), Value(0)))
    new.refresh_trending()
    bench.log(f"  {len(made):,} ideas, {len(votes):,} votes on them")
