"""Settings of the project template: the base, then `database.py` and `third_party.py` as the guide splits them.

Every value comes from the environment (`.env.example` lists them; `.env.test` is the guide's test set).
"""

from .base import *  # noqa: F403
from .database import *  # noqa: F403
from .third_party import *  # noqa: F403
