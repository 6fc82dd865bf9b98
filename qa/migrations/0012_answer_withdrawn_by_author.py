from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0011_home_answers_to_your_questions_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
