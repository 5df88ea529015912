"""The conditions of a presigned-POST policy: one behind every form field sent, plus a size range.

S3 refuses a POST form with a field that no policy condition covers, and accepts anything a condition leaves
open. boto3's `generate_presigned_post` adds conditions only for the bucket, the key and its own `x-amz-*`
signing fields; the original integration sent `acl`, `Content-Type`, `success_action_*` and `x-amz-meta-*` with
no condition, so real S3 refused every browser upload. `policy_conditions` closes that gap: each field gets an
exact-match condition unless the caller already wrote one for it, and `content-length-range` is always present.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..results import InvalidArgument

# Fields boto3 signs and conditions itself; a condition of ours for them would be a duplicate.
_SIGNED_BY_BOTO3 = frozenset(
    {"bucket", "key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature",
     "x-amz-security-token", "file"}
)  # fmt: skip
LENGTH_RANGE = "content-length-range"


_OPERATORS = ("eq", "starts-with")


def form_fields(fields: object) -> dict[str, str]:
    """`fields` checked: None, or a dict of non-empty string names to string (or integer) values."""
    if fields is None:
        return {}
    if not isinstance(fields, Mapping):
        raise InvalidArgument("fields must be a dict of form field names to values")
    form: dict[str, str] = {}
    for name, value in fields.items():
        if not isinstance(name, str) or not name.strip() or any(ord(ch) < 32 for ch in name):
            raise InvalidArgument("fields must have non-empty string names")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidArgument(f"fields[{name!r}] must be a string")
        form[name] = str(value)
    return form


def check_conditions(conditions: object) -> list[Any]:
    """`conditions` checked against the three shapes S3's POST policy has, or `InvalidArgument` naming the bad one.

    `{"field": "value"}` (one exact match), `["eq" | "starts-with", "$field", "value"]`, and
    `["content-length-range", min, max]` with whole numbers 0 <= min <= max.
    """
    if conditions is None:
        return []
    if isinstance(conditions, str | bytes) or not isinstance(conditions, Sequence):
        raise InvalidArgument("conditions must be a list of POST policy conditions")
    for index, condition in enumerate(conditions):
        where = f"conditions[{index}]"
        if isinstance(condition, Mapping):
            if len(condition) != 1:
                raise InvalidArgument(f"{where} must be a dict of exactly one field and its value")
            ((name, value),) = condition.items()
            if not isinstance(name, str) or not name or not isinstance(value, str):
                raise InvalidArgument(f"{where} must map a field name to a string value")
            continue
        if isinstance(condition, str | bytes) or not isinstance(condition, Sequence) or len(condition) != 3:
            raise InvalidArgument(f"{where} must be a dict or a list of three items")
        operator, first, second = condition
        if isinstance(operator, str) and operator.lower() == LENGTH_RANGE:
            if not all(isinstance(n, int) and not isinstance(n, bool) for n in (first, second)) or not (
                0 <= first <= second
            ):
                raise InvalidArgument(f"{where}: content-length-range needs whole numbers 0 <= min <= max")
            continue
        if not isinstance(operator, str) or operator.lower() not in _OPERATORS:
            raise InvalidArgument(f"{where}: the operator must be eq, starts-with or content-length-range")
        if not isinstance(first, str) or not first.startswith("$") or len(first) < 2 or not isinstance(second, str):
            raise InvalidArgument(f"{where} must be [operator, '$field', 'value'] with strings")
    return list(conditions)


def covered_fields(conditions: Sequence[Any]) -> set[str]:
    """Lower-cased names of the form fields `conditions` already constrain (`{"acl": ...}`, `["eq", "$acl", ...]`)."""
    names: set[str] = set()
    for condition in conditions:
        if isinstance(condition, Mapping):
            names.update(str(name).lower() for name in condition)
        elif isinstance(condition, Sequence) and len(condition) == 3 and str(condition[0]).lower() != LENGTH_RANGE:
            names.add(str(condition[1]).lstrip("$").lower())
    return names


def has_length_range(conditions: Sequence[Any]) -> bool:
    """Whether a `content-length-range` condition is among `conditions`."""
    return any(
        isinstance(condition, Sequence)
        and not isinstance(condition, str)
        and condition
        and str(condition[0]).lower() == LENGTH_RANGE
        for condition in conditions
    )


def policy_conditions(
    fields: Mapping[str, str], conditions: Sequence[Any] | None, max_size: int, min_size: int = 1
) -> list[Any]:
    """`conditions`, plus an exact match for every field they leave open and `[content-length-range, min, max]`."""
    result = list(conditions or [])
    covered = covered_fields(result)
    for name, value in fields.items():
        if name.lower() not in covered and name.lower() not in _SIGNED_BY_BOTO3:
            result.append({name: value})
    if not has_length_range(result):
        result.append([LENGTH_RANGE, min_size, max_size])
    return result


def decode_policy(form_fields: Mapping[str, str]) -> dict[str, Any]:
    """The policy document a presigned POST's `policy` field carries (base64 JSON), for inspection and tests."""
    document: dict[str, Any] = json.loads(base64.b64decode(form_fields["policy"]))
    return document
