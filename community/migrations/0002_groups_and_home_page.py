"""Confer's four groups with the Wagtail permissions each needs, and the home page as site root."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Staff", "Helpdesk", "Moderators", "Digital team"]

# Helpdesk and moderators use admin views (question and flag queues) that later parts add;
# the digital team runs the CMS: pages, images, documents and the directorate list.
ADMIN_ACCESS = ["Helpdesk", "Moderators", "Digital team"]
DIGITAL_TEAM_MODEL_PERMISSIONS = [
    ("community", "add_directorate"),
    ("community", "change_directorate"),
    ("community", "delete_directorate"),
]
DIGITAL_TEAM_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
DIGITAL_TEAM_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_home_page(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("community", "HomePage")

    if HomePage.objects.exists():
        return None
    # Replace the placeholder "Welcome to Wagtail" page that wagtailcore creates.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    root = Page.objects.get(depth=1)
    content_type, _ = ContentType.objects.get_or_create(app_label="community", model="homepage")
    home = HomePage.objects.create(
        title="Welcome to Confer",
        draft_title="Welcome to Confer",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page_id": home.pk}
    )
    return home


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    HomePage = apps.get_model("community", "HomePage")

    # Wagtail's own starter groups do not fit Confer's roles: "Moderators" here answer ideas and
    # flags and do not publish pages, and "Editors" is the digital team's job.
    Group.objects.filter(name="Editors", user__isnull=True).delete()
    wagtail_moderators = Group.objects.filter(name="Moderators").first()
    if wagtail_moderators is not None:
        wagtail_moderators.permissions.clear()
        GroupPagePermission.objects.filter(group=wagtail_moderators).delete()
        GroupCollectionPermission.objects.filter(group=wagtail_moderators).delete()

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in GROUPS}
    access_admin = _permission(apps, "wagtailadmin", "access_admin")
    for name in ADMIN_ACCESS:
        groups[name].permissions.add(access_admin)

    digital = groups["Digital team"]
    digital.permissions.add(*(_permission(apps, app, code) for app, code in DIGITAL_TEAM_MODEL_PERMISSIONS))

    home = create_home_page(apps) or HomePage.objects.first()
    for codename in DIGITAL_TEAM_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=digital, page_id=home.pk, permission=_permission(apps, "wagtailcore", codename)
        )
    root_collection = Collection.objects.get(depth=1)
    for app_label, codename in DIGITAL_TEAM_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=digital, collection=root_collection, permission=_permission(apps, app_label, codename)
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
