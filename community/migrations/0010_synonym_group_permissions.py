"""The helpdesk and moderators curate synonym groups in the Wagtail admin (docs/search.md)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Helpdesk", "Moderators"]
CODENAMES = ["view_synonymgroup", "add_synonymgroup", "change_synonymgroup", "delete_synonymgroup"]


def _permissions(apps):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    app_config = apps.get_app_config("community")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="community", codename__in=CODENAMES)


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="community", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0009_synonym_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
