"""A registry of things each part of Confer adds from its AppConfig.ready.

Tag-page sections, home panels, search types, followables, feed sources and notification event
types all work the same way: a frozen dataclass with a ``key`` and an ``order``, registered once,
listed in order. Registering the same key again replaces the entry (tests and reloads do that).
"""


class Registry:
    def __init__(self, what: str):
        self.what = what
        self._entries: dict = {}

    def register(self, entry) -> None:
        self._entries[entry.key] = entry

    def get(self, key: str):
        return self._entries.get(key)

    def all(self) -> list:
        return sorted(self._entries.values(), key=lambda entry: entry.order)

    def __repr__(self):
        return f"<Registry of {self.what}: {', '.join(self._entries)}>"
