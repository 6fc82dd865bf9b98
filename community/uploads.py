"""Pictures colleagues add to questions, answers, ideas and comments.

A picture is checked, re-encoded and stored as a Wagtail image in the "User uploads" collection;
posts show it through Markdown, ``![alt](/uploads/images/<n>/)``, the one image address
community/markdown.py lets through. Re-encoding with Pillow keeps only the pixels: camera and
location metadata (EXIF, XMP, text chunks) and anything hidden after the image data are dropped,
and a photo taken sideways is turned upright first. SVG is refused (it can carry scripts), and so is
anything Pillow cannot read as PNG, JPEG, GIF or WebP, files over ``MAX_UPLOAD_BYTES`` and images
over ``MAX_PIXELS`` (checked from the header, before the pixels are decoded). Readers are sent a
rendition no wider or taller than 1200 pixels, served by Confer itself (``community.views``).
"""

import io
import re
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageOps, UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.models import Collection

from .helpers import reserve_allowance

COLLECTION_NAME = "User uploads"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 8,000 × 5,000 photo; a "decompression bomb" declares far more
MAX_STORED_SIDE = 2400  # the stored original is no larger than this on its longest side
RENDITION = "max-1200x1200"
ACCEPTED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
ACCEPT = "image/png,image/jpeg,image/gif,image/webp"
URL_PATTERN = "/uploads/images/{pk}/"

NOT_AN_IMAGE = "The file must be a picture: a PNG, JPEG, GIF or WebP image, such as a screenshot."
SVG_REFUSED = "SVG images cannot be added: they can carry scripts. Add a PNG or JPEG screenshot instead."
TOO_BIG = f"The image must be {MAX_UPLOAD_BYTES // (1024 * 1024)} MB or smaller."
TOO_MANY_PIXELS = "The image is too large: it must be under 40 million pixels (for example 8,000 × 5,000)."
RATE_LIMITED = "You have added a lot of images in a short time. Wait a while and try again. Your text was kept."


def image_field(label: str = "Add an image") -> forms.FileField:
    """The file field that adds a picture without JavaScript: its Markdown goes at the end of the text."""
    return forms.FileField(
        label=label,
        required=False,
        help_text="A PNG, JPEG, GIF or WebP image up to 10 MB, such as a screenshot. "
        "It is added to the end of your text when you post or preview.",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


def upload_rate(group, request):
    return getattr(settings, "CONFER_UPLOAD_RATE", "30/h")


def uploads_collection() -> Collection:
    """The collection user uploads go into (made by migration; made here if someone deleted it)."""
    collection = Collection.objects.filter(name=COLLECTION_NAME, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=COLLECTION_NAME)
    return collection


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text


def _alt_from(name: str) -> str:
    """Alt text to start from: the file's name in words ("vpn-error_809.png" → "vpn error 809")."""
    words = re.sub(r"[^\w]+|_", " ", PurePath(name or "").stem).strip()
    return words[:100] or "Image"


def _decoded(upload):
    """The picture in ``upload``, checked and turned upright, as (Pillow image, format, keeps_alpha,
    animated); or a ValidationError saying what is wrong."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    upload.seek(0)
    head = upload.read(1024)
    if _looks_like_svg(head):
        raise ValidationError(SVG_REFUSED, code="svg")
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_BIG, code="too_big")
    try:
        with PillowImage.open(io.BytesIO(data)) as opened:
            if opened.format not in ACCEPTED_FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
            # Whether a second frame exists (Pillow reads no further than that).
            animated = bool(getattr(opened, "is_animated", False))
            opened.seek(0)  # an animated GIF or WebP keeps its first frame
            picture = ImageOps.exif_transpose(opened)
            picture.load()
            keeps_alpha = opened.format in {"PNG", "GIF", "WEBP"} and (
                picture.mode in {"RGBA", "LA", "PA"} or (picture.mode == "P" and "transparency" in picture.info)
            )
            return picture, opened.format, keeps_alpha, animated
    except ValidationError:
        raise
    except PillowImage.DecompressionBombError:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None


def clean_image(upload) -> tuple[bytes, str]:
    """The picture in ``upload`` re-encoded without metadata, as (bytes, extension); or a
    ValidationError saying what is wrong."""
    picture, source_format, keeps_alpha, _animated = _decoded(upload)
    picture = picture.convert("RGBA" if keeps_alpha else "RGB")
    picture.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
    out = io.BytesIO()
    # A screenshot (PNG, GIF) stays lossless; a photo is a JPEG. Pillow writes no metadata unless
    # asked (no exif=, icc_profile= or pnginfo= here).
    if keeps_alpha or source_format in {"PNG", "GIF"}:
        picture.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue(), "jpg"


def store_image(upload, user):
    """Check, clean and store ``upload`` for ``user``; returns the Wagtail image, its rendition made."""
    content, extension = clean_image(upload)
    alt = _alt_from(getattr(upload, "name", ""))
    image = get_image_model()(
        title=alt,
        file=ImageFile(io.BytesIO(content), name=f"upload.{extension}"),
        collection=uploads_collection(),
        uploaded_by_user=user,
    )
    image.save()
    image.get_rendition(RENDITION)
    return image


def image_markdown(image) -> str:
    alt = re.sub(r"[\[\]\\]", "", image.title) or "Image"
    return f"![{alt}]({URL_PATTERN.format(pk=image.pk)})"


def attach_uploaded_image(request, field: str, file_field: str = "image"):
    """For a form posted with a picture in ``file_field`` (the no-JavaScript way to add one): store
    it and add its Markdown to the end of the text in ``field``.

    Returns ``(data, error)``: the form data to bind (the POST, with the picture's Markdown added
    when it was stored) and a message for ``file_field`` when the picture was refused (the text is
    kept either way). ``data`` is None for a GET, like ``helpers.posted``.
    """
    if request.method != "POST":
        return None, ""
    upload = request.FILES.get(file_field)
    if upload is None:
        return request.POST, ""
    reservation = reserve_allowance(request, "uploads.image", upload_rate)
    if not reservation:
        return request.POST, RATE_LIMITED
    try:
        image = store_image(upload, request.user)
    except ValidationError as error:
        reservation.release()
        return request.POST, " ".join(error.messages)
    data = request.POST.copy()
    text = data.get(field, "").rstrip()
    data[field] = f"{text}\n\n{image_markdown(image)}" if text else image_markdown(image)
    return data, ""


# --- profile photos ---------------------------------------------------------------------------------

PHOTO_COLLECTION_NAME = "Profile photos"
PHOTO_SIDE = 480  # stored square, this many pixels a side
# What the profile page and the small avatars beside names are sent (made when the photo is stored).
PHOTO_RENDITIONS = {"large": "fill-240x240", "small": "fill-64x64"}
PHOTO_URL_PATTERN = "/uploads/photos/{pk}/{size}/"
PHOTO_ANIMATED = "Your photo must be a still picture: this one is animated. Choose a PNG or JPEG photo."


def photos_collection() -> Collection:
    """The collection profile photos go into (made on first need). Photos are served only from it."""
    collection = Collection.objects.filter(name=PHOTO_COLLECTION_NAME, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PHOTO_COLLECTION_NAME)
    return collection


def clean_photo(upload) -> bytes:
    """A profile photo from ``upload``: checked as any picture is (``clean_image``), refused if it is
    animated, re-encoded without metadata as a JPEG cropped square from its centre and
    ``PHOTO_SIDE`` pixels a side; or a ValidationError saying what is wrong."""
    picture, _format, keeps_alpha, animated = _decoded(upload)
    if animated:
        raise ValidationError(PHOTO_ANIMATED, code="animated")
    if keeps_alpha:  # a transparent background becomes white, not black
        background = PillowImage.new("RGB", picture.size, "white")
        background.paste(picture.convert("RGBA"), mask=picture.convert("RGBA").getchannel("A"))
        picture = background
    picture = ImageOps.fit(picture.convert("RGB"), (PHOTO_SIDE, PHOTO_SIDE), method=PillowImage.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def store_photo(content: bytes, user):
    """Store a photo cleaned by ``clean_photo`` as a Wagtail image of ``user``, its renditions made."""
    image = get_image_model()(
        title=f"Profile photo of user {user.pk}",
        file=ImageFile(io.BytesIO(content), name="photo.jpg"),
        collection=photos_collection(),
        uploaded_by_user=user,
    )
    image.save()
    image.get_renditions(*PHOTO_RENDITIONS.values())
    return image


def delete_photo(image) -> None:
    """Delete a profile photo with its renditions (Wagtail removes their files once committed)."""
    if image is not None:
        image.delete()  # its renditions go with it (CASCADE), and Wagtail's signals delete the files
