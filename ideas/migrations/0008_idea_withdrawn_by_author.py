from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0007_hidden_ideas"),
    ]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
