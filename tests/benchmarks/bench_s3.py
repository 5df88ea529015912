"""S3Client against the same raw boto3 calls: presigning (POST form, GET URL), a 1 MiB upload, and the cold start.

Presigning is CPU only, so it is CPU time per call, the best of interleaved rounds. The upload goes to moto's
server on loopback (in this process, Werkzeug's log off); it is wall time per upload, the best of interleaved
rounds, so the server's share is the same on both sides. Both sides share one boto3 client and send the same
policy conditions, so the figures show what S3Client adds: settings, argument checks, policy conditions, the
result dict. The cold start runs in this interpreter's environment, where `app_integrations` and boto3 are
installed (app-integrations has no wheel of its own yet).
"""

from __future__ import annotations

import io
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from harness import Row

ROUNDS = 25
FIELDS = {"Content-Type": "image/png", "success_action_status": "201", "x-amz-meta-owner": "7"}
PAYLOAD = b"\x5a" * (1024 * 1024)
OURS_COLD = (
    "import app_integrations.aws\n"
    "app_integrations.aws.S3Client('AKIDEXAMPLE', 'secret', 'media', 'us-east-1')"
)  # fmt: skip
RAW_COLD = (
    "import boto3\n"
    "boto3.client('s3', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='secret', region_name='us-east-1')"
)


def best(
    clock: Callable[[], float], calls: int, ours: Callable[[], Any], raw: Callable[[], Any]
) -> tuple[float, float]:
    """The least-disturbed round of each, per call, rounds alternating after a warm-up (timeit's practice)."""
    ours()
    raw()
    ours_times, raw_times = [], []
    pairs = [(ours, ours_times), (raw, raw_times)]
    for index in range(ROUNDS):
        for fn, times in pairs if index % 2 else pairs[::-1]:  # who goes first alternates too
            start = clock()
            for _ in range(calls):
                fn()
            times.append((clock() - start) / calls)
    return min(ours_times), min(raw_times)


def cold_pair(python: str, ours: str, raw: str, runs: int = 15) -> tuple[float, float]:
    """Median CPU seconds of `python -c` for each statement, runs alternating (the shared box's load drifts)."""
    samples: dict[str, list[float]] = {ours: [], raw: []}
    for index in range(runs + 1):
        for statement in (ours, raw):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([python, "-c", statement], check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if index:  # the first pair warms the disk cache
                samples[statement].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(samples[ours]), statistics.median(samples[raw])


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Four rows: presigned POST, presigned GET, 1 MiB upload_fileobj, cold import + client."""
    from app_integrations.aws import S3Client
    from app_integrations.aws.local_server import start_moto
    from app_integrations.aws.post_policy import policy_conditions

    rows: list[Row] = []
    offline = S3Client("AKIDEXAMPLE", "secret", "media", "us-east-1")
    raw_client = offline.client
    conditions = policy_conditions(FIELDS, None, 10 * 1024 * 1024)
    ours, raw = best(
        time.process_time,
        300,
        lambda: offline.generate_presigned_post("uploads/a.png", 3600, fields=FIELDS, max_size=10 * 1024 * 1024),
        lambda: raw_client.generate_presigned_post(
            Bucket="media", Key="uploads/a.png", Fields=dict(FIELDS), Conditions=conditions, ExpiresIn=3600
        ),
    )
    rows.append(Row("generate_presigned_post", ours * 1e6, raw * 1e6, "raw boto3", "us CPU", 1.1))
    ours, raw = best(
        time.process_time,
        300,
        lambda: offline.generate_presigned_url("uploads/a.png", 3600),
        lambda: raw_client.generate_presigned_url(
            ClientMethod="get_object", Params={"Bucket": "media", "Key": "uploads/a.png"}, ExpiresIn=3600,
            HttpMethod="GET",
        ),
    )  # fmt: skip
    rows.append(Row("generate_presigned_url (GET)", ours * 1e6, raw * 1e6, "raw boto3", "us CPU", 1.1))

    server = start_moto("bench")
    try:
        client = server.client()
        boto = client.client
        extra = {"ContentType": "application/octet-stream"}
        ours, raw = best(
            time.perf_counter,
            5,
            lambda: client.upload_fileobj(io.BytesIO(PAYLOAD), "ours.bin"),
            lambda: boto.upload_fileobj(Fileobj=io.BytesIO(PAYLOAD), Bucket="bench", Key="raw.bin", ExtraArgs=extra),
        )
    finally:
        server.stop()
    rows.append(Row("upload_fileobj 1 MiB (moto, loopback)", ours * 1e3, raw * 1e3, "raw boto3", "ms", 1.1))

    ours_cold, raw_cold = cold_pair(sys.executable, OURS_COLD, RAW_COLD)
    rows.append(Row("cold import aws + S3Client", ours_cold, raw_cold, "import boto3; boto3.client", "s CPU", 1.05))
    return rows
