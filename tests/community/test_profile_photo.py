"""A profile photo: uploaded, replaced and removed by its owner on the profile edit page; checked,
re-encoded without metadata and cropped square; shown on the profile page and beside the person's
name (initials in a circle without one); bad files refused with the old photo kept; gone when the
person is erased; carried by the content export."""

import io
import os
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.images.models import Rendition

from community import uploads
from community.profiles.leaving import erase
from community.profiles.models import Profile
from qa.models import Question

pytestmark = pytest.mark.django_db

EDIT = {"display_name": "Alice Archer", "job_title": "Auditor", "team": "", "bio": ""}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo(name="me.jpg", size=(600, 300), fmt="JPEG", exif=False, colour=(200, 30, 30)) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = PillowImage.new("RGB", size, colour)
    options = {}
    if exif:
        data = PillowImage.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
        options["exif"] = data
    image.save(out, format=fmt, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def animated_gif(frames=1000) -> SimpleUploadedFile:
    out = io.BytesIO()
    first, *rest = [PillowImage.new("RGB", (8, 8), (n % 256, n * 7 % 256, 0)) for n in range(frames)]
    first.save(out, format="GIF", save_all=True, append_images=rest, duration=10)
    return SimpleUploadedFile("party.gif", out.getvalue(), content_type="image/gif")


def bomb() -> SimpleUploadedFile:
    """A PNG whose header declares 100,000 × 100,000 pixels (decoding it would take gigabytes)."""
    out = io.BytesIO()
    PillowImage.new("1", (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = (100_000).to_bytes(4, "big") * 2  # the IHDR width and height
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # and its checksum, so it reads as valid
    return SimpleUploadedFile("bomb.png", bytes(data), content_type="image/png")


def served(client, url) -> PillowImage.Image:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/jpeg"
    return PillowImage.open(io.BytesIO(b"".join(response.streaming_content)))


def upload(client, file, **extra):
    return client.post("/profile/edit/", {**EDIT, "photo_file": file, **extra})


def test_a_person_adds_a_photo_and_colleagues_see_it_square_and_without_metadata(alice_client, alice, client_for, bob):
    response = upload(alice_client, photo(exif=True))

    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    image = profile.photo
    assert image.collection.name == "Profile photos"
    assert image.uploaded_by_user == alice
    stored = PillowImage.open(image.file.path)
    assert stored.size == (480, 480)
    assert not stored.getexif()  # camera and location gone
    page = client_for(bob).get("/people/alice/").content.decode()
    assert f'src="/uploads/photos/{image.pk}/large/" alt="Photo of Alice Archer"' in page
    large = served(client_for(bob), f"/uploads/photos/{image.pk}/large/")
    small = served(client_for(bob), f"/uploads/photos/{image.pk}/small/")
    assert large.size == (240, 240) and small.size == (64, 64)
    assert not large.getexif()
    assert client_for(bob).get(f"/uploads/photos/{image.pk}/huge/").status_code == 404


def test_a_png_with_transparency_becomes_a_square_jpeg_on_white(alice_client, alice):
    out = io.BytesIO()
    PillowImage.new("RGBA", (100, 200), (0, 0, 0, 0)).save(out, format="PNG")
    response = upload(alice_client, SimpleUploadedFile("me.png", out.getvalue()))

    assert response.status_code == 302
    stored = PillowImage.open(Profile.objects.get(user=alice).photo.file.path)
    assert (stored.format, stored.size) == ("JPEG", (480, 480))
    assert stored.getpixel((240, 240)) == (255, 255, 255)


def test_replacing_the_photo_deletes_the_old_one_and_its_renditions(alice_client, alice, client_for, bob):
    upload(alice_client, photo(colour=(200, 0, 0)))
    old = Profile.objects.get(user=alice).photo
    served(client_for(bob), f"/uploads/photos/{old.pk}/small/")

    response = upload(alice_client, photo(colour=(0, 0, 200)))

    assert response.status_code == 302
    new = Profile.objects.get(user=alice).photo
    assert new.pk != old.pk
    assert not get_image_model().objects.filter(pk=old.pk).exists()
    assert not Rendition.objects.filter(image_id=old.pk).exists()
    assert client_for(bob).get(f"/uploads/photos/{old.pk}/small/").status_code == 404
    assert served(client_for(bob), f"/uploads/photos/{new.pk}/small/").getpixel((32, 32))[2] > 150


def test_removing_the_photo_brings_back_the_initials(alice_client, alice, client_for, bob):
    upload(alice_client, photo())
    image = Profile.objects.get(user=alice).photo
    edit_page = alice_client.get("/profile/edit/").content.decode()
    assert "Remove my photo" in edit_page and "Replace your photo" in edit_page

    response = alice_client.post("/profile/edit/", {**EDIT, "remove_photo": "on"})

    assert response.status_code == 302
    assert Profile.objects.get(user=alice).photo is None
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    page = client_for(bob).get("/people/alice/").content.decode()
    assert (
        '<span class="confer-avatar confer-avatar--large confer-avatar--initials" aria-hidden="true">AA</span>' in page
    )
    assert "/uploads/photos/" not in page


def test_choosing_a_new_photo_and_removing_at_once_is_refused_and_nothing_changes(alice_client, alice):
    upload(alice_client, photo())
    image = Profile.objects.get(user=alice).photo

    response = alice_client.post("/profile/edit/", {**EDIT, "photo_file": photo(), "remove_photo": "on"})

    assert response.status_code == 400
    assert "Either choose a new photo or remove your photo, not both." in response.content.decode()
    assert Profile.objects.get(user=alice).photo == image
    assert get_image_model().objects.count() == 1


@pytest.mark.parametrize(
    ("make_file", "message"),
    [
        (lambda: SimpleUploadedFile("me.jpg", b"not a picture at all"), uploads.NOT_AN_IMAGE),
        (lambda: SimpleUploadedFile("me.exe", b"MZ\x90\x00" * 100, content_type="application/x-msdownload"),
         uploads.NOT_AN_IMAGE),
        (lambda: SimpleUploadedFile("me.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
         uploads.SVG_REFUSED),
        (bomb, uploads.TOO_MANY_PIXELS),
        (animated_gif, uploads.PHOTO_ANIMATED),
        (lambda: SimpleUploadedFile("me.jpg", b"\xff\xd8" + b"0" * (uploads.MAX_UPLOAD_BYTES + 1)), uploads.TOO_BIG),
    ],
    ids=["not-an-image", "wrong-extension", "svg", "decompression-bomb", "animated-gif-1000-frames", "too-big"],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_message_and_the_old_photo_and_text_kept(alice_client, alice, make_file, message):
    upload(alice_client, photo())
    profile = Profile.objects.get(user=alice)

    response = alice_client.post("/profile/edit/", {**EDIT, "job_title": "Chief auditor", "photo_file": make_file()})

    html = response.content.decode()
    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in html
    assert 'value="Chief auditor"' in html  # what was typed is still in the form
    kept = Profile.objects.get(user=alice)
    assert kept.photo_id == profile.photo_id and kept.job_title == "Auditor"
    assert get_image_model().objects.count() == 1


def test_a_png_named_jpg_is_judged_by_its_content_and_accepted(alice_client, alice):
    response = upload(alice_client, photo(name="me.jpg", fmt="PNG"))

    assert response.status_code == 302
    assert PillowImage.open(Profile.objects.get(user=alice).photo.file.path).format == "JPEG"


def test_only_the_owner_changes_their_photo(alice_client, alice, client, bob):
    """The edit page only ever edits the signed-in person's own profile: there is no address that
    names someone else's, and signed-out people are sent to sign in."""
    upload(alice_client, photo())
    image = Profile.objects.get(user=alice).photo
    client.logout()

    response = client.post("/profile/edit/", {**EDIT, "remove_photo": "on"})

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert Profile.objects.get(user=alice).photo == image
    client.force_login(bob)
    client.post("/profile/edit/", {**EDIT, "display_name": "Bob Baker", "remove_photo": "on"})
    assert Profile.objects.get(user=alice).photo == image


DIRECTORY_QUERIES = 12  # as tests/skills/test_listing_cost.py: photos add none


def with_photo(user):
    profile = Profile.for_user(user)
    profile.photo = uploads.store_photo(uploads.clean_photo(photo()), user)
    profile.save()
    return profile


def test_photos_show_small_beside_names_on_the_people_finder_and_question_bylines(client_for, alice, bob):
    image = with_photo(alice).photo
    Profile.for_user(bob)
    question = Question.ask(alice, "Where is the VPN guide?", "I cannot find it.", [])

    people = client_for(bob).get("/people/").content.decode()
    page = client_for(bob).get(question.get_absolute_url()).content.decode()

    small = f'<img class="confer-avatar confer-avatar--small" src="/uploads/photos/{image.pk}/small/" alt=""'
    assert small in people and small in page
    initials = '<span class="confer-avatar confer-avatar--small confer-avatar--initials" aria-hidden="true">BB</span>'
    assert initials in people


@pytest.mark.parametrize("count", [2, 30])
def test_the_people_finder_with_photos_runs_the_same_queries_at_any_size(
    client_for, bob, django_user_model, count, django_assert_max_num_queries
):
    for n in range(count):
        with_photo(django_user_model.objects.create_user(f"person{n}"))
    viewer = client_for(bob)
    viewer.get("/people/")

    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        html = viewer.get("/people/").content.decode()

    assert html.count("/small/") == min(23, count)  # bob (no photo) is on the first page too


def test_initials_come_from_the_first_and_last_names():
    assert Profile(display_name="Tom van der Berg").initials == "TB"
    assert Profile(display_name="aisha").initials == "A"
    assert Profile(display_name="Jean-Luc Picard").initials == "JP"


def test_erasing_a_person_deletes_their_photo_and_its_files(
    alice_client, alice, client_for, bob, django_capture_on_commit_callbacks, media
):
    upload(alice_client, photo())
    image = Profile.objects.get(user=alice).photo
    served(client_for(bob), f"/uploads/photos/{image.pk}/small/")
    files = [image.file.path, *(rendition.file.path for rendition in image.renditions.all())]
    assert len(files) == 3

    with django_capture_on_commit_callbacks(execute=True):
        removed = erase(alice)

    assert ("profile photo", 1) in [(holding.label, holding.count) for holding in removed]
    assert Profile.objects.get(user=alice).photo is None
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    assert not Rendition.objects.filter(image_id=image.pk).exists()
    assert not any(os.path.exists(path) for path in files)
    assert client_for(bob).get(f"/uploads/photos/{image.pk}/small/").status_code == 404


def test_the_content_export_carries_the_photo_and_loads_images_before_profiles(alice_client, alice, tmp_path):
    from community.management.content import plan

    upload(alice_client, photo())
    image = Profile.objects.get(user=alice).photo
    order = [model._meta.label for model, _export in plan()]
    assert order.index("wagtailimages.Image") < order.index("community.Profile")

    path = tmp_path / "export.jsonl"
    call_command("export_content", str(path))

    lines = path.read_text().splitlines()
    profile_line = next(line for line in lines if '"model": "community.profile"' in line)
    image_line = next(line for line in lines if '"model": "wagtailimages.image"' in line)
    assert f'"photo": {image.pk}' in profile_line
    assert lines.index(image_line) < lines.index(profile_line)


def test_an_administrator_removes_a_photo_by_deleting_it_in_the_wagtail_admin(alice_client, alice, admin_client):
    upload(alice_client, photo())
    image = Profile.objects.get(user=alice).photo
    assert image.title in admin_client.get("/admin/images/").content.decode()

    response = admin_client.post(f"/admin/images/{image.pk}/delete/")

    assert response.status_code == 302
    assert Profile.objects.get(user=alice).photo is None
    assert not get_image_model().objects.filter(pk=image.pk).exists()


def test_deleting_an_account_that_never_wrote_anything_deletes_its_photo(client_for, charlie):
    upload(client_for(charlie), photo())
    image = Profile.objects.get(user=charlie).photo

    charlie.delete()

    assert not get_image_model().objects.filter(pk=image.pk).exists()
