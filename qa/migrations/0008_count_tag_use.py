"""Fill in how many questions carry each tag (community.models.TagUsage), for /tags/."""

from django.db import migrations


def count(apps, schema_editor):
    from community.models import TagUsage

    TagUsage.recount_with(
        apps.get_model("community", "TagUsage"),
        apps.get_model("taggit", "Tag"),
        "questions",
        apps.get_model("qa", "QuestionTag"),
    )


class Migration(migrations.Migration):
    dependencies = [("qa", "0007_answer_state_on_question"), ("community", "0014_tag_usage_counts")]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
