from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files once `collectstatic` has run; plain URLs before that.

    A first checkout (or `runserver` before `collectstatic`) has no manifest yet; rather than fail
    every page with "Missing staticfiles manifest entry", link the files as they are and let
    WhiteNoise serve them from the finders.
    """

    def url(self, name, force=False):
        try:
            return super().url(name, force)
        except ValueError:
            return FileSystemStorage.url(self, name)
