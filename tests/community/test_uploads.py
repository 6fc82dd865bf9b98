"""Pictures in posts: stored as Wagtail images in the user uploads collection, re-encoded without
metadata, served by Confer; non-images, SVG, huge files and huge images refused with a message
and nothing typed lost; with and without JavaScript; rate-limited."""

import io

import django_comments
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from community import uploads
from qa.models import Question
from tests.contracts.kinds import comment_data

pytestmark = pytest.mark.django_db

ASK = {"title": "Printer shows error 50", "body": "It says this:", "tags": ""}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture(name="screenshot.png", size=(40, 30), fmt="PNG", exif=False) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = PillowImage.new("RGB", size, (200, 30, 30))
    options = {}
    if exif:
        data = PillowImage.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
        options["exif"] = data
    image.save(out, format=fmt, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


SVG = SimpleUploadedFile(
    "logo.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    content_type="image/svg+xml",
)  # fmt: skip


def test_it_adds_a_picture_to_a_question_without_javascript(alice_client, alice, client_for, bob):
    response = alice_client.post("/qa/ask/", {**ASK, "image": picture("vpn-error_809.png")})

    assert response.status_code == 302
    question = Question.objects.get()
    image = get_image_model().objects.get()
    assert image.collection.name == "User uploads"
    assert image.uploaded_by_user == alice
    assert question.body == f"It says this:\n\n![vpn error 809](/uploads/images/{image.pk}/)"
    assert f'<img src="/uploads/images/{image.pk}/" alt="vpn error 809" loading="lazy">' in question.body_html
    served = client_for(bob).get(f"/uploads/images/{image.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert PillowImage.open(io.BytesIO(b"".join(served.streaming_content))).size == (40, 30)


def test_it_shows_the_picture_in_the_preview_and_keeps_it_in_the_text(alice_client):
    response = alice_client.post("/qa/ask/", {**ASK, "preview": "1", "image": picture()})

    html = response.content.decode()
    image = get_image_model().objects.get()
    assert response.status_code == 200
    assert f"![screenshot](/uploads/images/{image.pk}/)</textarea>" in html
    assert f'<img src="/uploads/images/{image.pk}/"' in html
    assert not Question.objects.exists()


def test_it_strips_camera_and_location_metadata_and_shrinks_huge_pictures(alice_client):
    response = alice_client.post(
        "/uploads/images/", {"image": picture("photo.jpg", size=(3000, 1500), fmt="JPEG", exif=True)}
    )

    assert response.status_code == 200
    image = get_image_model().objects.get()
    with image.file.open("rb") as stored:
        data = stored.read()
    assert b"SecretCam" not in data
    stored_image = PillowImage.open(io.BytesIO(data))
    assert not stored_image.getexif()
    assert stored_image.size == (2400, 1200)
    rendition = image.get_rendition(uploads.RENDITION)
    assert (rendition.width, rendition.height) == (1200, 600)


def test_it_answers_javascript_with_the_markdown_to_insert(alice_client):
    response = alice_client.post("/uploads/images/", {"image": picture("error.png")})

    image = get_image_model().objects.get()
    assert response.json() == {
        "markdown": f"![error](/uploads/images/{image.pk}/)",
        "url": f"/uploads/images/{image.pk}/",
    }


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"just some text, not a picture"), uploads.NOT_AN_IMAGE),
        (SVG, uploads.SVG_REFUSED),
        (SimpleUploadedFile("sneaky.png", b"\n  <svg onload=alert(1)>"), uploads.SVG_REFUSED),
        (SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n%..."), uploads.NOT_AN_IMAGE),
    ],
)
def test_it_refuses_what_is_not_a_picture_keeping_the_text(alice_client, upload, message):
    upload.seek(0)
    response = alice_client.post("/qa/ask/", {**ASK, "image": upload})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert message in html
    assert "Printer shows error 50" in html and "It says this:</textarea>" in html
    assert not Question.objects.exists()
    assert not get_image_model().objects.exists()


def test_it_refuses_a_file_that_is_too_big(alice_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1000)

    response = alice_client.post("/uploads/images/", {"image": picture(size=(400, 400))})

    assert response.status_code == 400
    assert response.json()["error"] == uploads.TOO_BIG
    assert not get_image_model().objects.exists()


def test_it_refuses_a_picture_with_too_many_pixels_before_decoding_it(alice_client, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 1000)

    response = alice_client.post("/uploads/images/", {"image": picture(size=(100, 100))})

    assert response.status_code == 400
    assert response.json()["error"] == uploads.TOO_MANY_PIXELS


def test_it_refuses_an_upload_with_no_file(alice_client):
    response = alice_client.post("/uploads/images/", {})

    assert response.status_code == 400
    assert response.json()["error"] == "Choose an image to add."


def test_it_limits_how_many_pictures_one_person_adds(alice_client, settings):
    settings.CONFER_UPLOAD_RATE = "2/h"

    statuses = [alice_client.post("/uploads/images/", {"image": picture()}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert get_image_model().objects.count() == 2
    refused = alice_client.post("/qa/ask/", {**ASK, "image": picture()})
    assert refused.status_code == 400
    assert uploads.RATE_LIMITED in refused.content.decode()
    assert not Question.objects.exists()


def test_it_serves_only_pictures_uploaded_by_colleagues(alice_client):
    cms_image = get_image_model().objects.create(title="CMS", file=picture())

    assert alice_client.get(f"/uploads/images/{cms_image.pk}/").status_code == 404
    assert alice_client.get("/uploads/images/999/").status_code == 404
    alice_client.post("/uploads/images/", {"image": picture()})
    uploaded = get_image_model().objects.get(collection__name="User uploads")
    assert Client().get(f"/uploads/images/{uploaded.pk}/").status_code == 302  # signed out: sign in first


def test_an_answer_takes_a_picture_without_javascript(alice_client, bob):
    question = Question.ask(bob, "Printer jam", "Which tray?", [])

    response = alice_client.post(f"/qa/questions/{question.pk}/answer/", {"body": "Tray 2:", "image": picture()})

    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert question.answers.get().body == f"Tray 2:\n\n![screenshot](/uploads/images/{image.pk}/)"


def test_an_answer_refuses_an_svg_keeping_the_text(alice_client, bob):
    question = Question.ask(bob, "Printer jam", "Which tray?", [])
    SVG.seek(0)

    response = alice_client.post(f"/qa/questions/{question.pk}/answer/", {"body": "Tray 2 always", "image": SVG})

    assert response.status_code == 400
    assert uploads.SVG_REFUSED in response.content.decode()
    assert "Tray 2 always</textarea>" in response.content.decode()
    assert not question.answers.exists()


def test_a_comment_takes_a_picture_without_javascript_and_refuses_an_svg(alice_client, bob):
    question = Question.ask(bob, "Printer jam", "Which tray?", [])
    url = f"/qa/questions/{question.pk}/comment/"

    SVG.seek(0)
    refused = alice_client.post(url, {**comment_data(question, "Same here"), "image": SVG})
    assert refused.status_code == 400
    assert uploads.SVG_REFUSED in refused.content.decode()
    assert "Same here</textarea>" in refused.content.decode()
    assert not django_comments.get_model().objects.exists()

    alice_client.post(url, {**comment_data(question, "Same here"), "image": picture()})
    image = get_image_model().objects.get()
    comment = django_comments.get_model().objects.get()
    assert comment.comment == f"Same here\n\n![screenshot](/uploads/images/{image.pk}/)"
    assert f'<img src="/uploads/images/{image.pk}/"' in comment.html.body_html


def test_serving_a_picture_costs_a_few_queries(alice_client, django_assert_max_num_queries):
    alice_client.post("/uploads/images/", {"image": picture()})
    image = get_image_model().objects.get()

    with django_assert_max_num_queries(5):
        response = alice_client.get(f"/uploads/images/{image.pk}/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
