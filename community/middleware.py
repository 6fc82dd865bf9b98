"""Refusing input Confer cannot read faithfully, before any view sees it."""

from urllib.parse import unquote_to_bytes

from django.shortcuts import render

UNDECODABLE = (
    "Part of what was sent is not valid UTF-8 text (perhaps pasted from an old document), so it "
    "cannot be saved as you typed it."
)


def _undecodable(encoded: bytes) -> bool:
    """Does this form-encoded data hold any value or name that is not valid UTF-8?"""
    for pair in encoded.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return True
    return False


class RefuseUndecodableInputMiddleware:
    """A 400 that says why for form data or a query string that is not valid UTF-8.

    Django decodes such bytes with ``errors="replace"``, so they used to be saved as U+FFFD
    replacement characters: the person's text silently changed. Only form-encoded bodies are
    read here (multipart uploads stream to the views that take files).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        undecodable = _undecodable(request.META.get("QUERY_STRING", "").encode("latin-1", "replace"))
        if not undecodable and content_type == "application/x-www-form-urlencoded" and request.method != "GET":
            undecodable = _undecodable(request.body)
        if undecodable:
            return render(request, "400.html", {"reason": UNDECODABLE}, status=400)
        return self.get_response(request)
