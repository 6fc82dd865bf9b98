"""The digital team adds the listening post's sources and runs listening exercises; they may let
other colleagues add sources too (the permission given to a person, /listening/sources/)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DIGITAL_TEAM = "Digital team"
CODENAMES = ["manage_listening_sources", "run_listening_exercises"]


def _permissions(apps):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    app_config = apps.get_app_config("community")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="community", codename__in=CODENAMES)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=DIGITAL_TEAM)
    group.permissions.add(*_permissions(apps))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=DIGITAL_TEAM).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="community", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0026_listening_post"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
