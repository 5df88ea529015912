"""What the seed's three example apps share: settings, callers from Vault tokens, request checks, error answers,
and (for the FastAPI and Flask apps) the SQLAlchemy `GroupMembership` model with its Alembic migration.

Each framework's app only wires these to its routing, so the rules are written and tested once.
"""
