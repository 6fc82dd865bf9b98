"""The insight dashboard is for the digital team, the helpdesk and moderators: the permission to see
it goes to the groups of those names as they are when this runs; after that a group's name is only a
label (docs/architecture.md, "Who may do what")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Digital team", "Helpdesk", "Moderators"]


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; make this one now so groups can hold it.
    app_config = apps.get_app_config("insight")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="insight", codename="view_insight")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="insight", codename="view_insight").first()
    if permission is not None:
        for group in Group.objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0001_search_events"),
        ("community", "0002_groups_and_home_page"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
