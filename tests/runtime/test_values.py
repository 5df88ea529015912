"""`@frozen_value` classes behave as the attrs frozen classes they replaced: by value, immutable, copyable."""

from __future__ import annotations

import copy
import pickle

import pytest

from sdk_runtime import AuthScheme, ClientConfig, ErrorBody, RetryPolicy
from sdk_runtime.config import Timeout
from sdk_runtime.values import evolved, field_names, fill, frozen_value


def test_equal_fields_make_equal_values_with_equal_hashes() -> None:
    assert RetryPolicy(max_retries=3) == RetryPolicy(3)
    assert hash(RetryPolicy(max_retries=3)) == hash(RetryPolicy(3))
    assert RetryPolicy(max_retries=3) != RetryPolicy(max_retries=4)
    assert AuthScheme() != Timeout(1, 1, 1, 1)
    assert len({AuthScheme(), AuthScheme("Authorization", "Bearer"), AuthScheme(prefix=None)}) == 2


def test_the_repr_names_the_fields_in_declared_order() -> None:
    assert repr(Timeout(connect=1.0, read=2.0, write=3.0, pool=4.0)) == (
        "Timeout(connect=1.0, read=2.0, write=3.0, pool=4.0)"
    )
    assert repr(ErrorBody(code="NOT_FOUND")) == "ErrorBody(message=None, code='NOT_FOUND', details={})"


def test_fields_cannot_be_set_or_deleted() -> None:
    policy = RetryPolicy()
    with pytest.raises(AttributeError, match="immutable"):
        policy.max_retries = 5  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del policy.jitter
    with pytest.raises(AttributeError):
        policy.new_field = 1  # type: ignore[attr-defined]
    assert policy.max_retries == 2


def test_evolved_copies_with_changes_and_refuses_unknown_fields() -> None:
    policy = RetryPolicy(max_retries=1, should_retry_header="stripe-should-retry")
    changed = evolved(policy, max_retries=4)
    assert changed == RetryPolicy(max_retries=4, should_retry_header="stripe-should-retry")
    assert policy.max_retries == 1
    with pytest.raises(TypeError):
        evolved(policy, no_such_field=1)


def test_values_survive_pickle_and_copy() -> None:
    config = ClientConfig.create(api_key="k_123", api_key_env="NONE", base_url="https://api.example.com",
                                 sdk_name="x", sdk_version="1")  # fmt: skip
    assert pickle.loads(pickle.dumps(config.retry)) == config.retry  # noqa: S301  (our own bytes)
    assert copy.deepcopy(config.timeout) == config.timeout
    assert copy.copy(config.auth) == config.auth


def test_a_default_mapping_is_fresh_for_each_value() -> None:
    first, second = ErrorBody(), ErrorBody()
    first.details["x"] = 1
    assert second.details == {}


def test_slots_must_name_exactly_the_annotated_fields() -> None:
    with pytest.raises(TypeError, match="annotated fields"):

        @frozen_value
        class Broken:
            __slots__ = ("a",)
            a: int
            b: int

            def __init__(self, a: int, b: int) -> None:
                fill(self, a=a, b=b)

    assert field_names(Timeout) == ("connect", "read", "write", "pool")
