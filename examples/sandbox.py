"""`make sandbox`: every sandbox, their dashboard, a local S3 server (moto), the FastAPI example and seed 002's
Django project template (`template_stack.py`: pointed at the sandboxes, S3 and Redis), until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from pathlib import Path

from stack import start_stack
from template_stack import DEFAULT_PORT, run_template


def arguments() -> argparse.Namespace:
    """The FastAPI example's database and the template's port."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", nargs="?", default="examples-sandbox.db", help="the FastAPI example's SQLite")
    parser.add_argument("--template-port", type=int, default=DEFAULT_PORT,
                        help=f"the template's port when free (default {DEFAULT_PORT}; 0: any free port)")  # fmt: skip
    return parser.parse_args()


def main() -> int:
    """Start everything, print where it listens, wait for Ctrl-C (or SIGTERM), stop."""
    args = arguments()
    database = Path(args.database).resolve()
    from app_integrations.aws.local_server import start_local_s3

    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    with contextlib.ExitStack() as running:
        stack = start_stack(database)
        running.callback(stack.stop)
        s3 = running.enter_context(start_local_s3("moto", bucket="uploads"))
        template = running.enter_context(run_template(stack, s3, args.template_port))
        print(stack.describe())
        print(f"local S3 (moto)   {s3.endpoint_url}    " + " ".join(f"{k}={v}" for k, v in s3.settings().items()))
        print(template.describe())
        print(f"example database: {database}\nrunning; press Ctrl-C to stop", flush=True)
        stopped.wait()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
