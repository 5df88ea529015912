"""`to_dict()` and `to_json()` for the facades' models, with the keys the API itself uses.

A model class inherits `Serialisable`; its attrs fields become keys (a field's `metadata={"alias": "camelCase"}`
names its key on the wire; `request_id` and fields with `metadata={"serialise": False}` are left out), datetimes
become ISO 8601 text in UTC with a `Z`, nested models, lists and mappings are converted all the way down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

# Bookkeeping of ours, not part of what the API sent.
LEFT_OUT = frozenset({"request_id"})


class Serialisable:
    """`to_dict()` / `to_json()` for an attrs model (see the module's docstring)."""

    def to_dict(self) -> dict[str, Any]:
        """The model as a JSON-ready dict, keyed as the API names the fields."""
        out: dict[str, Any] = {}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]  # subclasses are attrs classes
            if field.name in LEFT_OUT or not field.metadata.get("serialise", True):
                continue
            out[field.metadata.get("alias", field.name)] = to_jsonable(getattr(self, field.name))
        return out

    def to_json(self, *, indent: int | None = None) -> str:
        """The model as JSON text (`to_dict()` encoded), with `indent` spaces per level when given."""
        import json  # when first asked for, not with every SDK import

        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def to_jsonable(value: Any) -> Any:
    """`value` with models turned into dicts and datetimes into ISO 8601 text, ready for `json.dumps`."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, type):
        return to_dict()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return value


__all__ = ["Serialisable", "to_jsonable"]
