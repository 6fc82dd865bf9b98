"""Q&A benchmark rows (``manage.py seed_bench``; see community/bench.py): at scale 1, 100,000
questions with one to three tags, 250,000 answers (a tenth of questions unanswered, two in five
with an accepted answer, one in ten verified) and 1,000,000 votes."""

import datetime

from django.db.models import Count, Max, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from community.bench import Bench, analyze, bulk
from community.models import TagUsage

from .models import Answer, Question, QuestionTag, Vote


def seed(bench: Bench) -> None:
    rng = bench.rng
    before = Question.objects.aggregate(last=Max("pk"))["last"] or 0
    first = Question.objects.count()
    count = bench.count(100_000)

    def questions():
        for n in range(first, first + count):
            title = f"{bench.sentence(rng.randint(4, 9)).capitalize()} ({n})?"
            created = bench.moment()
            body = bench.sentence(rng.randint(20, 80))
            yield Question(
                author_id=bench.some_user(),
                title=title,
                slug=title.lower().replace(" ", "-")[:60].strip("-?()"),
                body=body,
                body_html=f"<p>{body}</p>",
                created_at=created,
                last_activity_at=created,
            )

    bulk(Question, questions())
    new = Question.objects.filter(pk__gt=before)
    made = list(new.values_list("pk", "created_at", "author_id"))
    bulk(QuestionTag, (QuestionTag(content_object_id=pk, tag_id=tag) for pk, *_ in made for tag in bench.some_tags()))

    today = bench.now.date()

    def answers():
        for pk, created, _author in made:
            if rng.random() < 0.1:
                continue  # unanswered
            accepted = rng.random() < 0.45
            verified = rng.random() < 0.11
            for position in range(max(1, round(rng.expovariate(1 / 2.6)))):
                at = bench.moment(after=created)
                body = bench.sentence(rng.randint(15, 60))
                is_verified = verified and position == 0
                yield Answer(
                    question_id=pk,
                    author_id=bench.some_user(),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    created_at=at,
                    is_accepted=accepted and position == 0,
                    accepted_at=at if accepted and position == 0 else None,
                    verified_at=at if is_verified else None,
                    review_by=today + datetime.timedelta(days=rng.randint(-60, 300)) if is_verified else None,
                )

    answer_count = bulk(Answer, answers())
    TagUsage.recount("questions", QuestionTag)  # the tags' counts on /tags/ (bulk rows send no signals)
    bench.log(f"  {len(made):,} questions, {answer_count:,} answers")

    question_ids = [pk for pk, _, _ in made]
    answer_ids = list(Answer.objects.filter(question__in=new).values_list("pk", flat=True))
    votes = set()
    for _ in range(bench.count(1_000_000)):
        user = bench.some_user() if rng.random() < 0.5 else rng.choice(bench.user_ids)
        if rng.random() < 0.35:
            votes.add((user, "q", rng.choice(question_ids)))
        else:
            votes.add((user, "a", rng.choice(answer_ids)))
    bulk(
        Vote,
        (
            Vote(
                user_id=user,
                question_id=pk if kind == "q" else None,
                answer_id=pk if kind == "a" else None,
                value=1 if rng.random() < 0.9 else -1,
            )
            for user, kind, pk in votes
        ),
        ignore_conflicts=True,
    )
    bench.log(f"  {len(votes):,} votes on questions and answers")
    analyze(Question, QuestionTag, Answer, Vote)

    # Counters and flags the site keeps on the rows, worked out once for everything made.
    new.update(
        score=Coalesce(Subquery(_vote_sum(question=OuterRef("pk"))), Value(0)),
        answer_count=Coalesce(
            Subquery(
                Answer.objects.filter(question=OuterRef("pk"), is_hidden=False)
                .order_by()
                .values("question")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            Value(0),
        ),
    )
    answer_score = Coalesce(Subquery(_vote_sum(answer=OuterRef("pk"))), Value(0))
    Answer.objects.filter(question__in=new).update(score=answer_score)
    last_answer = Answer.objects.filter(question=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    new.filter(answer_count__gt=0).update(last_activity_at=Subquery(last_answer))
    new.refresh_answer_state()
    # Some duplicates of the most asked-about questions, as the helpdesk would close them.
    canonical = question_ids[0]
    duplicates = [pk for pk in question_ids[1:] if rng.random() < 0.02]
    Question.objects.filter(pk__in=duplicates).update(status=Question.Status.DUPLICATE, duplicate_of_id=canonical)


def _vote_sum(**lookup):
    return Vote.objects.filter(**lookup).order_by().values(next(iter(lookup))).annotate(s=Sum("value")).values("s")
