"""Ideas benchmark rows (``manage.py seed_bench``; see community/bench.py): at scale 1, 20,000 ideas
with one to three tags, statuses in the proportions of a working ideas board, 200,000 votes and
60,000 comments (a few ideas draw most of the discussion; a quarter of comments are replies)."""

from collections import Counter

import django_comments
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from community.bench import BATCH, Bench, analyze, bulk
from community.models import TagUsage

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
    analyze(Idea, IdeaTag, Vote)
    counts = Vote.objects.filter(idea=OuterRef("pk")).order_by().values("idea").annotate(n=Count("pk")).values("n")
    new.update(vote_count=Coalesce(Subquery(counts), Value(0)))
    new.refresh_trending()
    TagUsage.recount("ideas", IdeaTag)  # the tags' counts on /tags/ (bulk rows send no signals)
    comments = seed_comments(bench, made)
    bench.log(f"  {len(made):,} ideas, {len(votes):,} votes and {comments:,} comments on them")


def seed_comments(bench: Bench, made) -> int:
    """Threaded comments as the site makes them (django-comments-xtd: a top-level comment is its own
    thread and parent; a reply sits one level below its idea's first comment), and each idea's
    ``comment_count``. An XtdComment is two tables (django-comments' row and its own), which
    bulk_create cannot make: the first are bulk, the second one ``executemany``."""
    Xtd = django_comments.get_model()
    Base = Xtd._meta.get_field("comment_ptr").related_model
    rng = bench.rng
    idea_type = ContentType.objects.get_for_model(Idea)
    per_idea = Counter()
    for _ in range(bench.count(60_000)):
        rank = min(int(rng.paretovariate(0.8)) - 1, len(made) - 1)
        per_idea[made[rank * 7919 % len(made)]] += 1

    def base(pk, created):
        return Base(
            content_type=idea_type,
            object_pk=str(pk),
            site_id=settings.SITE_ID,
            user_id=bench.some_user(),
            comment=bench.sentence(rng.randint(8, 60)).capitalize() + ".",
            submit_date=bench.moment(after=created),
            is_public=True,
        )

    # bulk_create sets the new rows' keys (SQLite 3.35+ and PostgreSQL return them).
    tops = {pk: [base(pk, created) for _ in range(count - count // 4)] for (pk, created), count in per_idea.items()}
    Base.objects.bulk_create([c for comments in tops.values() for c in comments], batch_size=BATCH)
    replies = {pk: [base(pk, created) for _ in range(count // 4)] for (pk, created), count in per_idea.items()}
    Base.objects.bulk_create([c for comments in replies.values() for c in comments], batch_size=BATCH)
    rows = []  # (ptr, thread, parent, level, order, nested): replies answer each idea's first comment
    for pk, comments in tops.items():
        first = comments[0].pk
        rows += [(c.pk, c.pk, c.pk, 0, 1, len(replies[pk]) if n == 0 else 0) for n, c in enumerate(comments)]
        rows += [(c.pk, first, first, 1, n + 2, 0) for n, c in enumerate(replies[pk])]
    quote = connection.ops.quote_name
    names = ("comment_ptr_id", "thread_id", "parent_id", "level", "order", "nested_count")
    columns = ", ".join(quote(name) for name in names)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Xtd._meta.db_table)} ({columns}, {quote('followup')}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(*row, False) for row in rows],
        )
    ideas = Idea.objects.in_bulk([pk for pk, _ in per_idea])
    for (pk, _), count in per_idea.items():
        ideas[pk].comment_count = count
    Idea.objects.bulk_update(ideas.values(), ["comment_count"], batch_size=1_000)
    return len(rows)
