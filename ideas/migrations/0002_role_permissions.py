"""The moderators' and the digital team's powers over ideas, as permissions given to their groups.

The site used to recognise moderators and the digital team by the names of their groups; it now asks
``user.has_perm``. The groups called Moderators and Digital team when this runs are the ones that held
those powers, so they get the permissions and nobody gains or loses anything; after this, a group's
name is only a label. Superusers hold every permission, as they held every role.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Moderators": ["set_idea_status", "merge_ideas", "run_campaigns", "record_benefit"],
    "Digital team": ["run_campaigns", "record_benefit"],
}


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so groups can hold them.
    app_config = apps.get_app_config("ideas")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="ideas", codename__in=codenames))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="ideas", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0001_initial"),
        ("community", "0002_groups_and_home_page"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="campaign",
            options={
                "ordering": ["-opens_at", "-pk"],
                "permissions": [("run_campaigns", "Can start, change and close idea campaigns")],
            },
        ),
        migrations.AlterModelOptions(
            name="idea",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("set_idea_status", "Can set an idea's status with an official response"),
                    ("merge_ideas", "Can merge duplicate ideas and undo merges"),
                    ("record_benefit", "Can record the benefits of implemented ideas"),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
