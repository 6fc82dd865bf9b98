from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self):
        # Signal receivers: new accounts join Staff with a profile; publishing a workshop announces it.
        from .moderation import comments as moderation_comments
        from .profiles import signals  # noqa: F401
        from .sitesearch import signals as _sitesearch_signals  # noqa: F401
        from .workshops import announcements  # noqa: F401

        moderation_comments.connect_signals()
