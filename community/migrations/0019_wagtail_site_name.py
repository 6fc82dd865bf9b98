"""Name the Wagtail site after the organisation (WAGTAIL_SITE_NAME), so the admin stops calling
itself "localhost" (it shows a site's name, or else its hostname)."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(site_name="").update(site_name=settings.WAGTAIL_SITE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0018_audit_helpdesk_actions"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
