"""Give the Helpdesk and Moderators groups the model permissions their Wagtail admin views need.

Helpdesk finds and edits questions and answers; moderators work the flag queue (and may look up the
posts flagged). Neither may add or delete posts in the admin: posts are written on the site.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Helpdesk": ["view_question", "change_question", "view_answer", "change_answer"],
    "Moderators": ["view_flag", "change_flag", "view_question", "view_answer"],
}


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so groups can hold them.
    app_config = apps.get_app_config("qa")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="qa", codename__in=codenames))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*Permission.objects.filter(content_type__app_label="qa", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0001_initial"),
        ("community", "0002_groups_and_home_page"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
