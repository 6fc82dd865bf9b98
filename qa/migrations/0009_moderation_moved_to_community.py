"""Flags and audit entries move to the core (community.moderation), where ideas and comments share them.

Every flag and audit entry on a question or answer is copied to the core's tables, pointing at the same
post by content type; notifications already sent keep reading right under their new event types; and
whoever may hide questions and answers (``qa.moderate_posts``) may now work the shared queue
(``community.moderate_content``). Then qa's own tables go.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EVENT_TYPES = {
    "qa.post_flagged": "moderation.flagged",
    "qa.post_hidden": "moderation.hidden",
    "qa.flag_handled": "moderation.flag_handled",
}


def _content_types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    question, _ = ContentType.objects.get_or_create(app_label="qa", model="question")
    answer, _ = ContentType.objects.get_or_create(app_label="qa", model="answer")
    return question, answer


def _target(row, question, answer):
    return (question, row.question_id) if row.question_id else (answer, row.answer_id)


def forwards(apps, schema_editor):
    OldFlag = apps.get_model("qa", "Flag")
    OldEntry = apps.get_model("qa", "AuditEntry")
    Flag = apps.get_model("community", "Flag")
    AuditEntry = apps.get_model("community", "AuditEntry")
    question, answer = _content_types(apps)
    flags = []
    for row in OldFlag.objects.all().iterator():
        content_type, object_id = _target(row, question, answer)
        flags.append(Flag(user_id=row.user_id, content_type=content_type, object_id=object_id, reason=row.reason,
                          note=row.note, status=row.status, created_at=row.created_at,
                          resolved_by_id=row.resolved_by_id, resolved_at=row.resolved_at))  # fmt: skip
    Flag.objects.bulk_create(flags, batch_size=500)
    entries = []
    for row in OldEntry.objects.all().iterator():
        if row.question_id is None and row.answer_id is None:
            # The post went before this move: keep the record, pointing nowhere that exists.
            content_type, object_id = (answer if row.subject.startswith("Answer") else question), 0
        else:
            content_type, object_id = _target(row, question, answer)
        entries.append(AuditEntry(actor_id=row.actor_id, action=row.action, content_type=content_type,
                                  object_id=object_id, subject=row.subject, why=row.why, flags=row.flags,
                                  created_at=row.created_at))  # fmt: skip
    AuditEntry.objects.bulk_create(entries, batch_size=500)

    Notification = apps.get_model("community", "Notification")
    for old, new in EVENT_TYPES.items():
        Notification.objects.filter(event_type=old).update(event_type=new)

    app_config = apps.get_app_config("community")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    moderate = Permission.objects.get(content_type__app_label="community", codename="moderate_content")
    for group in Group.objects.filter(permissions__content_type__app_label="qa",
                                      permissions__codename="moderate_posts"):  # fmt: skip
        group.permissions.add(moderate)


def backwards(apps, schema_editor):
    OldFlag = apps.get_model("qa", "Flag")
    OldEntry = apps.get_model("qa", "AuditEntry")
    Flag = apps.get_model("community", "Flag")
    AuditEntry = apps.get_model("community", "AuditEntry")
    question, answer = _content_types(apps)
    for content_type, field in ((question, "question_id"), (answer, "answer_id")):
        OldFlag.objects.bulk_create(
            [
                OldFlag(
                    user_id=row.user_id,
                    reason=row.reason,
                    note=row.note,
                    status=row.status,
                    created_at=row.created_at,
                    resolved_by_id=row.resolved_by_id,
                    resolved_at=row.resolved_at,
                    **{field: row.object_id},
                )
                for row in Flag.objects.filter(content_type=content_type)
            ]  # fmt: skip
        )
        OldEntry.objects.bulk_create(
            [
                OldEntry(
                    actor_id=row.actor_id,
                    action=row.action,
                    subject=row.subject,
                    why=row.why,
                    flags=row.flags,
                    created_at=row.created_at,
                    **{field: row.object_id or None},
                )
                for row in AuditEntry.objects.filter(content_type=content_type)
            ]  # fmt: skip
        )
        Flag.objects.filter(content_type=content_type).delete()
        AuditEntry.objects.filter(content_type=content_type).delete()
    Notification = apps.get_model("community", "Notification")
    for old, new in EVENT_TYPES.items():
        Notification.objects.filter(event_type=new).update(event_type=old)


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0008_count_tag_use"),
        ("community", "0017_moderation"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="AuditEntry"),
        migrations.DeleteModel(name="Flag"),
    ]
