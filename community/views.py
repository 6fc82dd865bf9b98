"""The core's own pages: tag pages, and the small addresses every deployment needs."""

import django_comments
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from taggit.models import Tag
from wagtail.images import get_image_model

from . import comments, uploads
from .helpers import CappedPaginator, own_content_action, refusals_explained_by, reserve_allowance
from .listening.models import ListeningPreferences
from .markdown import render_markdown
from .mentions import people_to_mention, warn_unknown_mentions
from .models import TagUsage
from .moderation import comments as comment_kind
from .tags import tag_sections

TAGS_PER_PAGE = 60


def comment_target(request, content_type_id, object_pk):
    """Where a comment's link (``/comments/cr/<content type>/<pk>/``, in follow-up emails) leads:
    the thing commented on, if this person may see it.

    Django's own ``shortcut`` view redirected to any object with an address, without asking who
    may see it, so it told anyone a hidden question's title or that a flag existed. Only things
    that take comments (``community.comments.Commentable``) and that the person may see are
    followed; everything else is the same 404, so nothing is revealed about what exists.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type is not None else None
    if model is None or not hasattr(model, "check_can_comment") or not str(object_pk).isdigit():
        raise Http404("No such page")
    manager = model._default_manager
    visible = manager.visible_to(request.user) if hasattr(manager.all(), "visible_to") else manager.none()
    target = visible.filter(pk=object_pk).first()
    if target is None:
        raise Http404("No such page")
    return redirect(target.get_absolute_url())


def tag_index(request):
    """Every tag, most used first (by questions and ideas), with a search box. The counts are kept
    on each tag's usage row, and the page is read in the order of an index (docs/scaling.md)."""
    query = " ".join(request.GET.get("q", "").split())[:100]
    usage = TagUsage.objects.select_related("tag").order_by("-total", "name", "tag_id")
    if query:
        usage = usage.filter(name__icontains=query)
    page = CappedPaginator(usage, TAGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "community/tag_index.html", {"page": page, "query": query})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    sections = []
    for section in tag_sections():
        items = list(section.items(tag, request))
        sections.append({"section": section, "items": items})
    feed_token = ListeningPreferences.for_user(request.user).feed_token
    return render(request, "community/tag_detail.html", {"tag": tag, "sections": sections, "feed_token": feed_token})


@never_cache
@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def rate_limited(request, exception):
    """django-ratelimit sends over-limit requests here."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


@login_not_required
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def _mention_rate(group, request):
    return getattr(settings, "CONFER_MENTION_LOOKUP_RATE", "300/h")


@require_GET
def mention_people(request):
    """The @-autocomplete: active colleagues whose username or name starts with ``q`` (JSON)."""
    reservation = reserve_allowance(request, "mentions.lookup", _mention_rate)
    if not reservation:
        refusal = JsonResponse({"people": [], "error": "Too many look-ups. Wait a minute."}, status=429)
        return reservation.refuse(refusal)
    return JsonResponse({"people": people_to_mention(request.GET.get("q", ""))})


@require_POST
def image_upload(request):
    """With JavaScript: store the picture in ``image`` and answer with the Markdown to insert at
    the cursor (JSON), or a 400 saying what is wrong. Without it, forms attach pictures
    themselves (``uploads.attach_uploaded_image``)."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "Choose an image to add."}, status=400)
    reservation = reserve_allowance(request, "uploads.image", uploads.upload_rate)
    if not reservation:
        return reservation.refuse(JsonResponse({"error": uploads.RATE_LIMITED}, status=429))
    try:
        image = uploads.store_image(upload, request.user)
    except ValidationError as error:
        reservation.release()
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"markdown": uploads.image_markdown(image), "url": uploads.URL_PATTERN.format(pk=image.pk)})


@require_GET
def uploaded_image(request, pk):
    """A picture a colleague added to a post, as its rendition, from Confer itself. Only pictures in
    the user uploads collection are served here; the CMS's own images are not."""
    image = get_object_or_404(get_image_model(), pk=pk, collection__name=uploads.COLLECTION_NAME)
    rendition = image.get_rendition(uploads.RENDITION)
    response = FileResponse(rendition.file.open("rb"), content_type=_content_type(rendition.file.name))
    response["Cache-Control"] = "private, max-age=86400"
    # Served as an image and nothing else, even if opened on its own.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response


CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}


def _content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


# --- owning your comment: delete it while nobody has replied, otherwise withdraw it ------------------


def _own_comment(request, pk):
    """The comment, if this person may see it (``moderation.comments.visible_to``), else a 404."""
    comment = get_object_or_404(django_comments.get_model().objects.select_related("html"), pk=pk)
    if not comment_kind.visible_to(comment, request.user):
        raise Http404("No such comment")
    return comment


def _comment_action(request, pk, refusal_of, act, template, done):
    comment = _own_comment(request, pk)
    back = f"{comment_kind.public_url(comment)}#c{comment.pk}"
    html = getattr(comment, "html", None)
    body_html = html.body_html if html is not None else render_markdown(comment.comment)
    return own_content_action(
        request, author_id=comment.user_id, refusal=refusal_of(comment, request.user),
        act=lambda user: act(comment, user), back=back,
        after=back if act is comments.withdraw_by else comment_kind.public_url(comment), template=template,
        context={"comment": comment, "body_html": body_html, "back": back}, done=done,
    )  # fmt: skip


@refusals_explained_by("forbidden.html")
def comment_delete(request, pk):
    """Delete your own comment while nobody has replied to it: a GET asks "are you sure?", the POST
    deletes. After a reply it is refused, with why, and withdrawing is offered instead."""
    return _comment_action(
        request, pk, comments.deletion_refusal, comments.delete_by, "community/comment_delete.html",
        "Your comment has been deleted.",
    )  # fmt: skip


@refusals_explained_by("forbidden.html")
def comment_withdraw(request, pk):
    """Withdraw your own comment: a GET asks "are you sure?", the POST withdraws."""
    return _comment_action(
        request, pk, comments.withdrawal_refusal, comments.withdraw_by, "community/comment_withdraw.html",
        "Your comment has been withdrawn. Others now see “Withdrawn by the author” in its place.",
    )  # fmt: skip


@refusals_explained_by("forbidden.html")
def comment_edit(request, pk):
    """Its author changes a comment's text (Markdown, rendered again); an empty or too long text is
    refused on the form, with what was typed kept."""
    comment = _own_comment(request, pk)
    back = f"{comment_kind.public_url(comment)}#c{comment.pk}"
    refusal = comments.edit_refusal(comment, request.user)
    if refusal:
        raise PermissionDenied(refusal)
    text, error, status = comment.comment, "", 200
    if request.method == "POST":
        text = request.POST.get("comment", "")
        limit = getattr(settings, "COMMENT_MAX_LENGTH", 3000)
        if not text.strip():
            error = "Enter a comment"
        elif len(text) > limit:
            error = f"Comments must be {limit:,} characters or fewer"
        else:
            if comments.edit_by(comment, request.user, text):
                messages.success(request, "Your changes have been saved.")
                warn_unknown_mentions(request, text)
            else:
                messages.info(request, "Nothing was changed.")
            return redirect(back)
        status = 400
    context = {"comment": comment, "text": text, "error": error, "back": back}
    return render(request, "community/comment_edit.html", context, status=status)
