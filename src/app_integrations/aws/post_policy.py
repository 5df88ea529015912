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

# Fields boto3 signs and conditions itself; a condition of ours for them would be a duplicate.
_SIGNED_BY_BOTO3 = frozenset(
    {"bucket", "key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature",
     "x-amz-security-token", "file"}
)  # fmt: skip
LENGTH_RANGE = "content-length-range"


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
