"""The helpdesk's and the moderators' powers on the site, as permissions given to their groups.

The site used to recognise the helpdesk and the moderators by the names of their groups; it now asks
``user.has_perm``. The groups called Helpdesk and Moderators when this runs are the ones that held
those powers, so they get the permissions and nobody gains or loses anything; after this, a group's
name is only a label. Superusers hold every permission, as they held every role.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Helpdesk": ["verify_answer", "close_question", "edit_any_post", "work_helpdesk_queue"],
    "Moderators": ["close_question", "moderate_posts"],
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
        ("qa", "0002_group_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="answer",
            options={
                "ordering": ["created_at", "pk"],
                "permissions": [
                    ("verify_answer", "Can verify answers with a review-by date and remove verifications")
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="question",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("close_question", "Can close and reopen questions"),
                    ("edit_any_post", "Can edit anyone's questions and answers"),
                    ("work_helpdesk_queue", "Can work the helpdesk queue and retag its questions in bulk"),
                    ("moderate_posts", "Can hide and show questions and answers, see hidden ones and decide flags"),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
