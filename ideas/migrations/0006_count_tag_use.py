"""Fill in how many ideas carry each tag (community.models.TagUsage), for /tags/."""

from django.db import migrations


def count(apps, schema_editor):
    from community.models import TagUsage

    TagUsage.recount_with(
        apps.get_model("community", "TagUsage"),
        apps.get_model("taggit", "Tag"),
        "ideas",
        apps.get_model("ideas", "IdeaTag"),
    )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0005_ideas_by_status_and_discussed_indexes"), ("community", "0014_tag_usage_counts")]

    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
