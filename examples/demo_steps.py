"""How the demos walk: each step printed with what it produced, and a stop with a message when one goes wrong.

Shared by `make demo` (`demo.py`) and the Django project's walk (`template_demo.py`).
"""

from __future__ import annotations

from typing import Any


class DemoFailed(Exception):
    """A step did not do what it should."""


def step(title: str, result: Any = None) -> None:
    """Print one step of the walk and what it produced."""
    print(f"-> {title}")
    if result is not None:
        print(f"   {result}")


def expect(condition: bool, what: str) -> None:
    """Stop the demo with a message when a step's result is wrong."""
    if not condition:
        raise DemoFailed(what)
