"""Live panels on the home page: each part of Confer registers what it shows there.

Like the tag page's sections (community.tags), this keeps the home page free of a hand-picked
list of models: a part adds a panel from its AppConfig.ready.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .registry import Registry


@dataclass(frozen=True)
class HomePanel:
    """One panel: a heading, the items for the signed-in person, and the template that lists them."""

    key: str
    title: str
    items: Callable  # (request) -> iterable
    template: str
    link: str = ""  # URL name of the full list, if any
    link_text: str = ""
    order: int = 100


_panels = Registry("home page panels")
register_home_panel = _panels.register
home_panels = _panels.all
