"""Helpers for tests that prove a page costs the same at any size.

``many_questions`` makes rows in bulk (no search index, no notifications: only what lists read);
``assert_served_by_indexes`` reads the database's own query plan for each SELECT a page ran.
"""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from qa.models import Answer, Question, QuestionTag


def many_questions(author, answerer, count, tag_names=("vpn", "excel", "expenses")):
    """``count`` questions in every state lists filter on: a third unanswered, some with an accepted
    answer, some verified (one past its review date), a few hidden and a few duplicates."""
    now = timezone.now()
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in tag_names]
    questions = Question.objects.bulk_create(
        Question(
            author=author,
            title=f"Question {i}",
            slug=f"question-{i}",
            body="Body",
            body_html="<p>Body</p>",
            created_at=now - datetime.timedelta(minutes=i),
            last_activity_at=now - datetime.timedelta(minutes=i % 97),
            score=i % 7,
            is_hidden=i % 41 == 5,
        )
        for i in range(count)
    )
    canonical = questions[0]
    for i, question in enumerate(questions):
        if i % 37 == 3 and question.pk != canonical.pk:
            question.status, question.duplicate_of = Question.Status.DUPLICATE, canonical
    Question.objects.bulk_update(questions, ["status", "duplicate_of"])
    QuestionTag.objects.bulk_create(
        QuestionTag(content_object=question, tag=tags[i % len(tags)]) for i, question in enumerate(questions)
    )
    today = timezone.localdate()
    answers = []
    for i, question in enumerate(questions):
        if i % 3 == 0:
            continue
        verified = i % 5 == 1
        answers.append(
            Answer(
                question=question,
                author=answerer,
                body="Answer",
                body_html="<p>Answer</p>",
                is_accepted=i % 3 == 1,
                verified_by=answerer if verified else None,
                verified_at=now if verified else None,
                review_by=today + datetime.timedelta(days=-1 if i % 10 == 1 else 30) if verified else None,
            )
        )
    Answer.objects.bulk_create(answers)
    Question.objects.filter(answers__isnull=False).update(answer_count=1)
    Question.objects.all().refresh_answer_state()
    return questions


def selects_on(queries, table):
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]


def query_plan(sql) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(row[-1] for row in cursor.fetchall())
        # PostgreSQL picks a sequential scan on a small table whatever indexes exist; forbid it and
        # explicit sorts, and see whether it still finds a plan without them.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
        return plan


def plan_problems(sql, table, allow_sort=False) -> list[str]:
    """What in this SELECT's plan grows with the table: a scan of it not in an index's order, or a
    sort (``allow_sort``: a sort of rows found through an index, such as one tag's questions)."""
    plan = query_plan(sql)
    problems = []
    if connection.vendor == "sqlite":
        for line in plan.splitlines():
            if re.search(rf"\bSCAN {table}\b", line) and "INDEX" not in line:
                problems.append(line)
            if "TEMP B-TREE" in line and not allow_sort:
                problems.append(line)
    else:
        for line in plan.splitlines():
            # disable_cost (1e10) in a cost means the planner had to use what it was told not to.
            if re.search(rf"Seq Scan on {table}\b", line):
                problems.append(line.strip())
            if re.search(r"^\s*(->\s*)?(Incremental )?Sort\b", line) and not allow_sort:
                problems.append(line.strip())
    return problems


def page_queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return captured.captured_queries


def assert_served_by_indexes(client, url, table, allow_sort=False, **params):
    """Every SELECT ``url`` runs on ``table`` that reads a page (ORDER BY … LIMIT) walks an index in
    the page's order; every count of it is capped (LIMIT inside the COUNT)."""
    checked = 0
    for sql in selects_on(page_queries(client, url, **params), table):
        if sql.startswith("SELECT COUNT(*)"):
            assert "LIMIT" in sql, f"an uncapped count on {url}: {sql}"
            continue
        if "ORDER BY" not in sql or "LIMIT" not in sql:
            continue
        checked += 1
        problems = plan_problems(sql, table, allow_sort)
        assert not problems, f"{url} {params}: {problems}\n{sql}\n{query_plan(sql)}"
    assert checked, f"no page of {table} read on {url}"


def many_ideas(author, voters, count):
    """``count`` ideas in bulk, some merged, with votes from ``voters`` spread over a month."""
    from ideas.models import Idea, IdeaTag
    from ideas.models import Vote as IdeaVote

    now = timezone.now()
    tag = Tag.objects.get_or_create(name="vpn", defaults={"slug": "vpn"})[0]
    ideas = Idea.objects.bulk_create(
        Idea(
            author=author,
            title=f"Idea {i}",
            slug=f"idea-{i}",
            description="Description",
            description_html="<p>Description</p>",
            created_at=now - datetime.timedelta(hours=i),
        )
        for i in range(count)
    )
    IdeaTag.objects.bulk_create(IdeaTag(content_object=idea, tag=tag) for idea in ideas[::2])
    IdeaVote.objects.bulk_create(
        IdeaVote(idea=idea, user=voter, created_at=now - datetime.timedelta(days=(i * 7 + n) % 30))
        for i, idea in enumerate(ideas)
        for n, voter in enumerate(voters[: i % len(voters)])
    )
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas[1::5]]).update(status=Idea.Status.PLANNED)
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas[2::7]]).update(status=Idea.Status.IMPLEMENTED)
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas[3::11]]).update(
        merged_into=ideas[0], status=Idea.Status.DUPLICATE
    )
    Idea.objects.all().refresh_trending()
    return ideas


def many_helpers(count, tag_name="excel"):
    """``count`` colleagues in bulk, each declaring a level in ``tag_name`` (a third can help with
    it), with their profiles; the topic's kept scores are worked out on the next read."""
    from django.contrib.auth import get_user_model

    from community.models import Profile
    from skills.models import Level, Skill

    User = get_user_model()
    tag = Tag.objects.get_or_create(name=tag_name, defaults={"slug": tag_name})[0]
    users = User.objects.bulk_create(User(username=f"helper{i}", email=f"helper{i}@example.org") for i in range(count))
    Profile.objects.bulk_create(Profile(user=user, display_name=f"Helper {i}") for i, user in enumerate(users))
    levels = [Level.EXPERT, Level.PRACTISING, Level.LEARNING]
    Skill.objects.bulk_create(
        Skill(user=user, tag=tag, level=levels[i % 3], can_help=i % 3 == 0) for i, user in enumerate(users)
    )
    return tag
