"""The Wagtail collection that pictures added to questions, answers, ideas and comments go into
(community/uploads.py), so they stay apart from the CMS's own images in the admin."""

from django.db import migrations

NAME = "User uploads"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's materialised-path digits, 4 a level


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
        if not number:
            return digits.rjust(4, "0")


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None or Collection.objects.filter(depth=2, name=NAME).exists():
        return
    # Historical models have no treebeard methods: place the child after the root's last one.
    last = Collection.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    number = int(last.path[-4:], 36) + 1 if last else 1
    Collection.objects.create(name=NAME, depth=2, path=root.path + _base36(number), numchild=0)
    Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)


def backwards(apps, schema_editor):
    """Left in place: it may hold pictures that posts show."""


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0020_notification_for_you"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
