"""Name the Django site after SITE_URL, so links in emails (comment follow-ups) point at Confer."""

from urllib.parse import urlparse

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlparse(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": "Confer"})


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_groups_and_home_page"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
