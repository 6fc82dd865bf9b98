"""The digital team sees every workshop's attendees and records attendance.

Page rights (add, edit, publish under the home page) already come from 0002 and cover the workshop,
workshop index and buddy-network pages too, since Wagtail grants them per subtree, not per type;
Staff hold none, so they cannot edit any page.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DIGITAL_TEAM = "Digital team"
CODENAME = "manage_workshops"


def _permission(apps):
    # Permissions are normally made after all migrations; make them now so the group can hold this one.
    app_config = apps.get_app_config("community")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label="community", codename=CODENAME)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=DIGITAL_TEAM)
    group.permissions.add(_permission(apps))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=DIGITAL_TEAM).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="community", codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_workshops"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
