"""The template's models, one module each, as seed 002 lays them out (`apps/common/models/upload.py`, ...)."""

from .team import Role, Team, TeamMember
from .upload import Upload
from .user import User

__all__ = ["Role", "Team", "TeamMember", "Upload", "User"]
