from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0022_comment_html"),
    ]

    operations = [
        migrations.AddField(
            model_name="commenthtml",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
