"""`make sandbox`: the Vault, Vortex and Loops sandboxes, their dashboard and the FastAPI example, until Ctrl-C."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from stack import start_stack


def main() -> int:
    """Start everything, print where it listens, wait for Ctrl-C (or SIGTERM), stop."""
    database = Path(sys.argv[1] if len(sys.argv) > 1 else "examples-sandbox.db").resolve()
    stack = start_stack(database)
    print(stack.describe())
    print(f"example database: {database}\nrunning; press Ctrl-C to stop", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    stack.stop()
    print("stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
