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


# --- the database busy with a long writer ---------------------------------------------------------

BUSY_RETRY_AFTER = 5  # seconds, in the Retry-After header of the 503
# Form fields never shown back on the busy page.
SECRET_FIELDS = ("csrfmiddlewaretoken", "password", "token", "secret")


def is_database_busy(exc: BaseException) -> bool:
    """Did a write give up waiting for another writer's lock?

    SQLite says "database is locked" once its busy timeout (``timeout``, 20 s) has passed;
    PostgreSQL raises ``LockNotAvailable`` (SQLSTATE 55P03) once ``lock_timeout`` has.
    """
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    if getattr(cause, "sqlstate", None) == "55P03":
        return True
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message


class DatabaseBusyMiddleware:
    """A plain "busy, try again" page (503 with ``Retry-After``) when a write waited too long for
    another writer, instead of a server error. The request's transaction was rolled back, so
    nothing of it was saved; what the person typed is shown back in a form that sends it again
    (tests/faults/test_database_locked.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        fields = []
        if request.method == "POST":
            for name, values in request.POST.lists():
                if any(secret in name.lower() for secret in SECRET_FIELDS):
                    continue
                fields.extend({"name": name, "value": value, "id": f"busy-{len(fields)}"} for value in values)
        response = render(request, "503.html", {"fields": fields, "action": request.get_full_path()}, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response
