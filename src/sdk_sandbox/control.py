"""Control endpoints every sandbox has (faults, clock, reset), and the merging of control documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .faults import Fault
from .server import Context, Reply
from .spec import SpecIndex
from .validation import Rejection, ValidRequest

COMMON_SPEC = Path(__file__).with_name("control.yaml")


def control_index(api_control_spec: Path) -> SpecIndex:
    """One API's control document: its own paths plus the common ones."""
    common = yaml.safe_load(COMMON_SPEC.read_text(encoding="utf-8"))
    own = yaml.safe_load(api_control_spec.read_text(encoding="utf-8"))
    own["paths"] = {**own.get("paths", {}), **common["paths"]}
    return SpecIndex(own)


def inject_faults(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/faults."""
    body = req.body
    if body["kind"] == "status" and "status" not in body:
        raise Rejection(400, "VALIDATION_ERROR", "Validation failed", {"status": ["is required for kind status"]})
    ctx.app.faults.add(
        Fault(
            kind=body["kind"],
            remaining=body.get("count", 1),
            status=body.get("status"),
            retry_after=body.get("retry_after"),
            delay=float(body.get("delay", 0.0)),
        )
    )
    return Reply(201, {"pending": ctx.app.faults.pending()})


def clear_faults(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /sandbox/faults."""
    ctx.app.faults.clear()
    return Reply(204)


def set_clock(ctx: Context, req: ValidRequest) -> Reply:
    """PUT /sandbox/clock."""
    ctx.app.clock_offset = float(req.body["offset_seconds"])
    ctx.app.clock_moved()
    return Reply(200, {"offset_seconds": ctx.app.clock_offset, "now": int(ctx.app.now())})


def reset_sandbox(ctx: Context, req: ValidRequest) -> Reply:
    """POST /sandbox/reset."""
    ctx.app.reset()
    return Reply(204)


COMMON_HANDLERS: dict[str, Any] = {
    "injectFaults": inject_faults,
    "clearFaults": clear_faults,
    "setClock": set_clock,
    "resetSandbox": reset_sandbox,
}
