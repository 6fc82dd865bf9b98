"""Posting a comment (or a reply) on anything, through django-comments-xtd, with Confer's rules.

The views of each part check who may comment on what and the posting allowance first, then hand
over here; django-comments-xtd's own signals still run, so each part's receivers (visibility,
threads, notifications, follow-up emails) apply however a comment arrives.
"""

import django_comments
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django_comments.signals import comment_was_posted, comment_will_be_posted


def post_comment(request, target, replyable: list):
    """Save the comment in ``request.POST`` on ``target`` and redirect back to it.

    ``replyable`` is the list of the target's comments as shown, each with ``reply_form`` set
    where a reply is allowed: a reply to anything else is refused. Errors come back as messages
    on the target's page; nothing is saved.
    """
    back = f"{target.get_absolute_url()}#comments"
    user = request.user
    data = request.POST.copy()
    data["name"] = (getattr(getattr(user, "profile", None), "display_name", "") or user.get_username())[:50]
    data["email"] = user.email or f"{user.get_username()}@localhost"
    data["url"] = ""
    if not user.email:
        data.pop("followup", None)  # nowhere to send follow-ups
    form = django_comments.get_form()(target, data=data)
    if form.security_errors():
        return HttpResponseBadRequest("The comment form has expired. Go back, reload the page and try again.")
    if form.errors:
        text = data.get("comment", "")
        error = "Enter a comment" if not text.strip() else "Comments must be 3,000 characters or fewer"
        messages.error(request, error if "comment" in form.errors else "Your comment was not saved. Try again.")
        return redirect(back)
    parent_pk = form.cleaned_data["reply_to"]
    if parent_pk:
        parent = next((comment for comment in replyable if comment.pk == parent_pk), None)
        if parent is None or parent.reply_form is None:
            messages.error(request, "You cannot reply to that comment. Add a new comment instead.")
            return redirect(back)
    comment = form.get_comment_object(site_id=get_current_site(request).id)
    comment.ip_address = request.META.get("REMOTE_ADDR") or None
    comment.user = user
    # Each part's receivers check visibility, the thread and the posting limit here.
    responses = comment_will_be_posted.send(sender=comment.__class__, comment=comment, request=request)
    if any(response is False for _, response in responses):
        messages.error(request, "Your comment was not saved")
        return redirect(back)
    comment.save()
    comment_was_posted.send(sender=comment.__class__, comment=comment, request=request)
    messages.success(request, "Your comment has been added.")
    saved = getattr(comment, "xtd_comment", None)
    return redirect(f"{target.get_absolute_url()}#c{saved.pk}" if saved else back)
