"""`make sandbox`: every sandbox, their dashboard, a local S3 server (moto), the FastAPI example and the Django
project template (`template_stack.py`: pointed at the sandboxes, S3 and Redis), until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import contextlib
import signal
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

from stack import start_stack
from template_stack import DEFAULT_PORT, run_template

# Live state of `make sandbox` goes under one folder that git ignores, never into the working directory.
STATE_DIR = Path(__file__).resolve().parent.parent / ".sandbox-state"


def arguments() -> argparse.Namespace:
    """The FastAPI example's database and the template's port."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", nargs="?", default=str(STATE_DIR / "example.db"),
                        help="the FastAPI example's SQLite (default: .sandbox-state/example.db)")  # fmt: skip
    parser.add_argument("--template-port", type=int, default=DEFAULT_PORT,
                        help=f"the template's port when free (default {DEFAULT_PORT}; 0: any free port)")  # fmt: skip
    return parser.parse_args()


@contextlib.contextmanager
def stop_signals() -> Iterator[Callable[[], None]]:
    """Catch SIGINT and SIGTERM from here on (one arriving during start-up is kept); yields `wait()`, which blocks
    until one has arrived.

    The OS may hand a process signal to any thread, and then a main thread blocked in `Event.wait()` never wakes to
    run the Python handler; the C-level handler writes the signal number to the wakeup socket in whichever thread it
    runs, so reading that socket always wakes.
    """
    wanted = {int(signal.SIGINT), int(signal.SIGTERM)}
    reader, writer = socket.socketpair()
    writer.setblocking(False)
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in wanted}
    old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)

    def wait() -> None:
        while not wanted & set(reader.recv(64)):
            pass

    try:
        yield wait
    finally:
        signal.set_wakeup_fd(old_fd)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        reader.close()
        writer.close()


def main() -> int:
    """Start everything, print where it listens, wait for Ctrl-C (or SIGTERM), stop."""
    args = arguments()
    database = Path(args.database).resolve()
    database.parent.mkdir(parents=True, exist_ok=True)
    from app_integrations.aws.local_server import start_local_s3

    with stop_signals() as wait_for_stop, contextlib.ExitStack() as running:
        stack = start_stack(database)
        running.callback(stack.stop)
        s3 = running.enter_context(start_local_s3("moto", bucket="uploads"))
        template = running.enter_context(run_template(stack, s3, args.template_port))
        print(stack.describe())
        print(f"local S3 (moto)   {s3.endpoint_url}    " + " ".join(f"{k}={v}" for k, v in s3.settings().items()))
        print(template.describe())
        print(f"example database: {database}\nrunning; press Ctrl-C to stop", flush=True)
        wait_for_stop()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
