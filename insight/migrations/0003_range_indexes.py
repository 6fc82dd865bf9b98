"""Indexes for the dashboard's date ranges.

The search records get one covering index. The other parts' tables get indexes on when things
happened (with who did them, so "how many different people" is read from the index alone), and the
unanswered queue gets one that serves its three conditions and its oldest-first order. These are made
here with SQL, not in those models' Meta, because only insight reads by these columns; they are
documented in docs/insight.md. ``IF NOT EXISTS`` / ``IF EXISTS`` work on SQLite and PostgreSQL alike.
"""

from django.conf import settings
from django.db import migrations, models

OTHER_INDEXES = [
    ("insight_qa_question_by_time", "qa_question", "created_at, author_id"),
    ("insight_qa_answer_by_time", "qa_answer", "created_at, author_id"),
    ("insight_qa_feedback_by_time", "qa_solvedfeedback", "created_at, user_id"),
    ("insight_qa_vote_by_time", "qa_vote", "created_at, user_id"),
    ("insight_ideas_vote_by_time", "ideas_vote", "created_at, user_id"),
    ("insight_qa_unanswered", "qa_question", "answer_count, status, is_hidden, created_at"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0002_view_insight_permission"),
        ("qa", "0003_role_permissions"),
        ("ideas", "0002_role_permissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchevent",
            name="insight_search_by_time",
        ),
        migrations.RemoveIndex(
            model_name="searchevent",
            name="insight_search_empty_by_time",
        ),
        migrations.AddIndex(
            model_name="searchevent",
            index=models.Index(fields=["created_at", "user", "results", "query"], name="insight_search_covering"),
        ),
        *[
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                f"DROP INDEX IF EXISTS {name}",
            )
            for name, table, columns in OTHER_INDEXES
        ],
    ]
