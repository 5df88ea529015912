"""Small immutable values built without a class library: equality, hash, repr and copies from declared fields.

Every client builds its configuration when it is constructed, so the classes on that path are plain ones. Each
declares its fields as annotations (their order is the order of `repr`, equality and hash), lists the same names in
`__slots__`, and stores them in `__init__` with `fill`; `@frozen_value` adds the rest. Importing this module loads
nothing beyond `typing`, where attrs and dataclasses load `inspect` and compile code for every class: a cost a CLI or
a serverless function pays on each start.

    @frozen_value
    class Point:
        __slots__ = ("x", "y")
        x: int
        y: int

        def __init__(self, x: int, y: int = 0) -> None:
            fill(self, x=x, y=y)
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

C = TypeVar("C", bound=type)
V = TypeVar("V")


def fill(value: object, **fields: Any) -> None:
    """Store `fields` on a new `value` (its class refuses assignment once `__init__` is done)."""
    for name, field in fields.items():
        object.__setattr__(value, name, field)


def field_names(cls: type) -> tuple[str, ...]:
    """The fields of a `@frozen_value` class, in the order declared."""
    names: tuple[str, ...] = cls.__dict__["__value_fields__"]
    return names


def evolved(value: V, **changes: Any) -> V:
    """A copy of `value` with some fields changed; `TypeError` for a name that is not a field."""
    current = {name: getattr(value, name) for name in field_names(type(value))}
    return type(value)(**(current | changes))


@dataclass_transform(eq_default=True, frozen_default=True)
def frozen_value(cls: C) -> C:
    """Give `cls` equality and hash by value, a repr naming the fields, and immutability.

    Type checkers see it as they see a frozen dataclass (assigning a field is an error), with `cls`'s own `__init__`.
    """
    names = tuple(cls.__dict__.get("__annotations__", {}))  # noqa: RUF063  (inspect is what this avoids loading)
    if set(names) != set(cls.__dict__.get("__slots__", ())):
        raise TypeError(f"{cls.__name__}: __slots__ must name exactly the annotated fields {names}")
    type.__setattr__(cls, "__value_fields__", names)

    def __setattr__(self: object, name: str, value: object) -> None:
        raise AttributeError(f"{cls.__name__} is immutable: {name!r} cannot be set (make a changed copy instead)")

    def __delattr__(self: object, name: str) -> None:
        raise AttributeError(f"{cls.__name__} is immutable: {name!r} cannot be deleted")

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in names)

    def __ne__(self: object, other: object) -> bool:
        result = __eq__(self, other)
        return result if result is NotImplemented else not result

    def __hash__(self: object) -> int:
        return hash((cls.__qualname__, *(getattr(self, name) for name in names)))

    def __repr__(self: object) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{cls.__qualname__}({fields})"

    def __reduce__(self: object) -> tuple[Any, ...]:
        return (_rebuild, (cls, {name: getattr(self, name) for name in names}))

    for method in (__setattr__, __delattr__, __eq__, __ne__, __hash__, __repr__, __reduce__):
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)
    return cls


def _rebuild(cls: type[V], fields: dict[str, Any]) -> V:
    return cls(**fields)


__all__ = ["evolved", "field_names", "fill", "frozen_value"]
