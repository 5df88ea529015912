"""`make sandbox`: every sandbox, their dashboard, a local S3 server (moto) and the FastAPI example, until Ctrl-C."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from stack import start_stack


def main() -> int:
    """Start everything, print where it listens, wait for Ctrl-C (or SIGTERM), stop."""
    database = Path(sys.argv[1] if len(sys.argv) > 1 else "examples-sandbox.db").resolve()
    from app_integrations.aws.local_server import start_local_s3

    stack = start_stack(database)
    with start_local_s3("moto", bucket="uploads") as s3:
        print(stack.describe())
        print(f"local S3 (moto)   {s3.endpoint_url}    " + " ".join(f"{k}={v}" for k, v in s3.settings().items()))
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
