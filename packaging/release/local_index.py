"""A local package index: pypiserver on a free loopback port, serving a folder, stopped when done."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


class IndexStartError(RuntimeError):
    """pypiserver did not start (its own output says why)."""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(folder: Path, passwords: Path | None = None, timeout: float = 30.0) -> Iterator[str]:
    """Serve `folder` with pypiserver and yield its root URL (`<url>simple/` is the simple index).

    Without `passwords` (an htpasswd file) anyone on loopback may upload; with it, uploads need a listed user.
    It never falls back to PyPI: what it does not hold, it does not have.
    """
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port), "--disable-fallback"]
    command += ["-a", "update", "-P", str(passwords)] if passwords else ["-a", ".", "-P", "."]
    process = subprocess.Popen([*command, str(folder)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise IndexStartError(f"pypiserver exited with {process.returncode}:\n{output[-2000:]}")
            try:
                if httpx.get(f"{url}simple/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise IndexStartError(f"pypiserver did not answer on {url} within {timeout:.0f} s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
