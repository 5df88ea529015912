"""Settings of the project: the base, then `database.py` and `third_party.py` as the guide splits them.

Every value comes from the environment (`.env.example` lists them; `.env.test` is the integrations guide's test
set: everything simulates).
"""

from .base import *  # noqa: F403
from .database import *  # noqa: F403
from .third_party import *  # noqa: F403
