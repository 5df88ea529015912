"""The project's models, one module each, as the guide lays them out (`apps/common/models/upload.py`, ...)."""

from .sms import SMS
from .team import Role, Team, TeamMember
from .upload import Upload
from .user import User

__all__ = ["SMS", "Role", "Team", "TeamMember", "Upload", "User"]
