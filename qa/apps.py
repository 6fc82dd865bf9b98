from django.apps import AppConfig


class QaConfig(AppConfig):
    name = "qa"
    verbose_name = "Questions and answers"

    def ready(self):
        from . import signals  # noqa: F401  (answer counts that stay right however an answer goes)
