from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills and matching"

    def ready(self):
        from . import signals  # noqa: F401  (the "who can help" scores kept up to date)
