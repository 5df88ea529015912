"""What a sandbox shows on the dashboard: a `Panel` of `Section` tables, plain data a sandbox builds from its store.

A sandbox plugs in through two optional fields of its `ApiDefinition`:

- `dashboard(app) -> Panel`: called on every refresh of the page, reads `app.store` (and `app.state`) in-process;
- `actions[name](app, args) -> JSON`: what a `Button` in one of its cells runs (`POST /api/actions/<api>/<name>`
  with the button's `args` as the JSON body); raise `ActionError` to tell the user why it cannot be done.

Cells are JSON scalars (`str`, `int`, `float`, `bool`, `None`) or a `Button`; `compact()` and `moment()` turn
structured values and sandbox-clock seconds into readable text. The page escapes every cell it shows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from .server import SandboxApp


class ActionError(Exception):
    """An action that cannot be carried out (unknown id, no webhook endpoint, ...); its message is shown."""


@attrs.frozen
class Button:
    """A cell that runs the panel's action `action` with `args` (JSON) when clicked."""

    label: str
    action: str
    args: Mapping[str, Any] = attrs.field(factory=dict)

    def to_json(self) -> dict[str, Any]:
        """`{"button": {"label", "action", "args"}}`, the cell as `/api/state` sends it."""
        return {"button": {"label": self.label, "action": self.action, "args": dict(self.args)}}


Cell = str | int | float | bool | None | Button


@attrs.frozen
class Section:
    """One table of a panel: a title, column headings and rows (one cell per column), `empty` shown for no rows,
    and an optional `note` shown under the title (where webhooks go, ...)."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    empty: str = "Nothing yet."
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """`{"title", "columns", "rows", "empty", "note"}` with every cell as JSON."""
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [[cell.to_json() if isinstance(cell, Button) else cell for cell in row] for row in self.rows],
            "empty": self.empty,
            "note": self.note,
        }


@attrs.frozen
class Panel:
    """What one sandbox shows: a title and its sections, in order."""

    title: str
    sections: Sequence[Section]

    def to_json(self) -> dict[str, Any]:
        """`{"title", "sections": [...]}`."""
        return {"title": self.title, "sections": [section.to_json() for section in self.sections]}


PanelBuilder = Callable[["SandboxApp"], Panel]
Action = Callable[["SandboxApp", Mapping[str, Any]], Any]

ROW_LIMIT = 200
"""The most rows a built-in panel shows per section (the newest)."""


def compact(value: Any) -> str | None:
    """Structured data (dicts, lists) as one line of JSON; None stays None, strings stay as they are."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, separators=(", ", ": "), sort_keys=True, default=str)


def moment(seconds: float | None) -> str | None:
    """Seconds since the epoch (the sandbox clock) as `YYYY-MM-DD HH:MM:SS` UTC."""
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
