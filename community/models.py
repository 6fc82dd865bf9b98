"""The community app's models.

Each lives with the part of Confer it belongs to (profiles, listening, workshops, the core pages)
and is imported here, so Django finds them all under the one app label "community": moving code
into sub-packages changed no table, migration or content type (docs/architecture.md says why).
"""

from .listening.models import *  # noqa: F403
from .pages import *  # noqa: F403
from .profiles.models import *  # noqa: F403
from .sitesearch.models import *  # noqa: F403
from .workshops.models import *  # noqa: F403
