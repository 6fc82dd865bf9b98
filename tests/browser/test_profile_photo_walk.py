"""Tom adds a photo of himself on his profile edit page and sees it on his profile, over his recent
activity; a colleague sees it too, small, in the people finder. No serious accessibility
violations on the way."""

import io

import pytest
from PIL import Image

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def photo_jpeg(tmp_path):
    """A photo-like JPEG, wider than tall (it is cropped square from the middle)."""
    image = Image.new("RGB", (900, 600), (40, 90, 160))
    image.paste((230, 200, 170), (300, 100, 600, 500))  # a face-coloured block in the middle
    path = tmp_path / "tom.jpg"
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_tom_adds_a_photo_and_sees_it_on_his_profile(as_user, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    tom = as_user("tom")
    tom.goto("/profile/edit/")
    tom.get_by_role("heading", name="Edit your profile", level=1).wait_for()
    assert_accessible(tom, "the profile edit page")

    tom.get_by_label("Photo").set_input_files(str(photo_jpeg(tmp_path)))
    tom.get_by_role("button", name="Save profile").click()

    tom.get_by_text("Your profile has been updated.").wait_for()
    photo = tom.locator("img.confer-avatar--large")
    photo.wait_for()
    assert photo.get_attribute("alt").startswith("Photo of ")
    assert tom.evaluate("img => img.complete && img.naturalWidth", photo.element_handle()) == 240
    tom.get_by_role("heading", name="Recent activity").wait_for()
    assert_accessible(tom, "Tom's profile with his photo")
    save_screenshot(tom, "profile-photo-tom")

    colleague = as_user("aisha")
    colleague.goto("/people/?q=Okafor")
    small = colleague.locator(
        f'img.confer-avatar--small[src="{photo.get_attribute("src").replace("large", "small")}"]'
    )
    small.first.wait_for()
    assert colleague.evaluate("img => img.complete && img.naturalWidth", small.first.element_handle()) == 64
    save_screenshot(colleague, "profile-photo-people-finder")
