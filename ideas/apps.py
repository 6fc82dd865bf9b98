from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        from . import signals  # noqa: F401  (tag counts for /tags/)
