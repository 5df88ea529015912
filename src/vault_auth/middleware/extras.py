"""Which `pip install vault-auth[...]` a framework integration needs, said when its framework is missing."""

from __future__ import annotations

EXTRAS = {"django": "Django (with asgiref)", "flask": "Flask", "fastapi": "FastAPI (with Starlette)"}


class MissingExtraError(ModuleNotFoundError):
    """A framework integration was imported without its framework: the message names the extra to install."""


def missing_extra(extra: str, cause: ImportError) -> MissingExtraError:
    """The error for `vault_auth.middleware.<extra>` imported while `cause.name` is not installed."""
    error = MissingExtraError(
        f"vault_auth.middleware.{extra} needs {EXTRAS[extra]}, and {cause.name or 'a package it uses'} is not "
        f"installed: run `pip install 'vault-auth[{extra}]'`",
        name=cause.name,
    )
    return error
