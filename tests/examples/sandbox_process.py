"""`make sandbox` (examples/sandbox.py) as a subprocess for tests: started on free ports, its printed URLs and keys
parsed, its children listed, stopped with SIGTERM (bounded waits throughout)."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

SANDBOX = Path(__file__).resolve().parents[2] / "examples" / "sandbox.py"
READY = "running; press Ctrl-C to stop"


class SandboxProcess:
    """examples/sandbox.py running, the template on a free port; `lines` are what it printed before READY."""

    def __init__(self, tmp_path: Path, timeout: float = 60.0) -> None:
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # so it starts its private redis-server
        self.stderr_path = tmp_path / "sandbox.stderr"
        with self.stderr_path.open("w") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(SANDBOX), str(tmp_path / "example.db"), "--template-port", "0"],
                stdout=subprocess.PIPE, stderr=stderr, text=True, env=env,
            )  # fmt: skip
        self._out: queue.Queue[str] = queue.Queue()
        self._pumping = threading.Thread(target=self._pump, daemon=True)
        self._pumping.start()
        self.lines = self._read_until(READY, timeout)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._out.put(line.rstrip("\n"))

    def _read_until(self, last: str, timeout: float) -> list[str]:
        lines: list[str] = []
        deadline = time.monotonic() + timeout
        while not lines or lines[-1] != last:
            try:
                lines.append(self._out.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                self.stop()
                raise AssertionError(f"sandbox.py did not print {last!r}: {lines}, {self.stderr()}") from None
        return lines

    def stderr(self) -> str:
        """What the process wrote to stderr so far."""
        return self.stderr_path.read_text()

    def line(self, prefix: str) -> str:
        """The printed line starting with `prefix` (leading blanks ignored)."""
        return next(line for line in self.lines if line.lstrip().startswith(prefix))

    def url(self, prefix: str) -> str:
        """The first URL on the line starting with `prefix`, without a trailing slash."""
        return next(word for word in self.line(prefix).split() if word.startswith("http://")).rstrip("/")

    def root(self, prefix: str) -> str:
        """The origin of the URL on that line (a sandbox's control endpoints live there)."""
        parts = urlsplit(self.url(prefix))
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def keys(self) -> dict[str, str]:
        """Every KEY=value it printed."""
        words = (word.split("=", 1) for line in self.lines for word in line.split() if "=" in word)
        return {key: value for key, value in words if key.isupper()}

    @property
    def template_database(self) -> Path:
        """The template's scratch SQLite."""
        return Path(self.line("template database").split()[-1])

    def children(self) -> list[int]:
        """The PIDs of the process's children (Linux /proc)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            with contextlib.suppress(FileNotFoundError):  # a thread that ended meanwhile
                found.extend(int(pid) for pid in (task / "children").read_text().split())
        return found

    def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM, then its exit status (killed, and the test failed, when it does not exit in time)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            raise AssertionError(f"sandbox.py did not stop on SIGTERM: {self.stderr()}") from None
        finally:
            self._pumping.join(timeout=10)  # it ends at the pipe's end of file
            assert self.process.stdout is not None
            self.process.stdout.close()
