"""A comment's Markdown, rendered once when it is saved (django-comments keeps only the text)."""

from django.db import models


class CommentHtml(models.Model):
    """The sanitised HTML of one comment (community.markdown), made by ``comments.post_comment``.
    Lists read it with ``select_related("html")``; a comment saved before comments took Markdown
    has none and is shown as plain text."""

    comment = models.OneToOneField(
        "django_comments_xtd.XtdComment", on_delete=models.CASCADE, primary_key=True, related_name="html"
    )
    body_html = models.TextField()
    # Set when the comment's author withdrew it after someone had replied (``comments.withdraw_by``):
    # others see "Withdrawn by the author" in its place, the replies stay.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "rendered comment"

    def __str__(self):
        return f"HTML of comment {self.comment_id}"
