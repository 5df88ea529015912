"""Seed 002 through the project template, against the embedded stand-ins (the second half of `make demo`).

Starts the Loops sandbox, a local S3 server (moto) and Redis (`REDIS_URL`, else a private `redis-server` when the
binary exists, else the in-memory cache, said so), points the template's settings at them, and walks: a Loops
login-link e-mail in the outbox and the link signing in once, a direct upload completed, a rate limit answering
429, and `integrations_check`. Prints each step; exits 0 when every step did what it should.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class DemoFailed(Exception):
    """A step did not do what it should."""


def step(title: str, result: Any = None) -> None:
    """Print one step and what it produced."""
    print(f"-> {title}")
    if result is not None:
        print(f"   {result}")


def expect(condition: bool, what: str) -> None:
    """Stop the demo when a step's result is wrong."""
    if not condition:
        raise DemoFailed(what)


@contextlib.contextmanager
def redis_url() -> Iterator[str | None]:
    """`REDIS_URL`, else a private redis-server on a free loopback port, else None (the in-memory cache)."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603  (our binary)
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
                break
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def stand_ins(scratch: Path) -> Iterator[dict[str, Any]]:
    """Every stand-in running, and the environment that points the template at them."""
    from app_integrations.aws.local_server import start_local_s3
    from sdk_sandbox.loops import build_loops_app
    from sdk_sandbox.runner import BackgroundServer, bind, url_of

    loops = build_loops_app()
    sock = bind()
    server = BackgroundServer([(loops, sock)])
    server.start()
    try:
        with start_local_s3("moto", bucket="template-uploads") as s3, redis_url() as redis:
            env = {
                "DJANGO_SETTINGS_MODULE": "settings",
                "SQLITE_PATH": str(scratch / "template.sqlite3"),
                "DATABASE_URL": "",
                "SITE_URL": "http://testserver",
                "LOOPS_API_KEY": next(iter(loops.api_keys)),
                "LOOPS_BASE_URL": url_of(sock, loops.api.spec.base_path),
                **s3.settings(),
            }
            if redis:
                env["REDIS_URL"] = redis
            yield {"env": env, "loops_root": url_of(sock), "s3": s3, "redis": redis}
    finally:
        server.stop()


def loops_flow(root: str) -> None:
    """A user asks for a login link; the e-mail is in the Loops outbox; the link signs in once."""
    import httpx
    from apps.common.models import User
    from apps.integration.loops.shortcuts import send_login_code_email
    from django.test import Client

    httpx.post(f"{root}/sandbox/transactional", json={"id": "__loops_login_code_id__", "name": "Login",
                                                      "dataVariables": ["login_url"]}).raise_for_status()  # fmt: skip
    user = User.objects.create(username="ada", email="ada@example.com", first_name="Ada")
    result = send_login_code_email(user, next_url="/upload/")
    step("send_login_code_email(user, next_url='/upload/')", result)
    expect(result["success"] and not result.get("simulated"), "the login e-mail should be sent to the sandbox")
    [email] = httpx.get(f"{root}/sandbox/outbox").json()["emails"]
    step("the Loops sandbox outbox", f"{email['transactionalId']} to {email['email']}")
    path = email["dataVariables"]["login_url"].removeprefix("http://testserver")
    browser = Client()
    signed_in = browser.post(path)
    step("POST the e-mailed login link", f"{signed_in.status_code} -> {signed_in.get('Location')}")
    expect(signed_in.status_code == 302 and browser.session.get("_auth_user_id") == str(user.pk), "should sign in")
    again = Client().post(path)
    step("the same link again", f"{again.status_code} (used once)")
    expect(again.status_code == 400, "a login link must work once")


def upload_flow(s3: Any) -> None:
    """Seed 002's direct upload: credentials, the browser's POST straight to S3, confirmation."""
    import httpx
    from apps.common.models.upload import Upload
    from apps.integration.aws.shortcuts import complete_upload, get_direct_upload_form_data

    granted = get_direct_upload_form_data("holiday photo.png", content_type="image/png", max_file_size=1024 * 1024)
    step("get_direct_upload_form_data('holiday photo.png')", f"key {granted['form_fields']['key']}")
    expect(granted["success"], "credentials should be granted")
    posted = httpx.post(granted["form_url"], data=granted["form_fields"],
                        files={"file": ("holiday photo.png", b"\x89PNG demo bytes", "image/png")})  # fmt: skip
    step("POST the form straight to S3 (as the browser does)", posted.status_code)
    done = complete_upload(granted["upload_id"], status=Upload.STATUS_COMPLETE)
    step("complete_upload(upload_id)", done.get("upload") or done)
    expect(done["success"] and done["upload"]["status"] == "complete", "the upload should be complete")


def rate_limit_flow(redis: str | None) -> None:
    """`@rate_limited` on a view: the fourth request in the window is answered 429 with Retry-After."""
    from django.http import JsonResponse
    from django.test import RequestFactory

    from app_integrations.cache import rate_limit, rate_limited

    step("cache backend", "Redis at " + redis if redis else "in-memory (no REDIS_URL and no redis-server binary)")

    @rate_limited(key="ip", rate="3/m")
    def api_view(request: Any) -> JsonResponse:
        return JsonResponse({"data": "success"})

    statuses = [api_view(RequestFactory().get("/api", REMOTE_ADDR="203.0.113.9")) for _ in range(4)]
    step("4 requests to a @rate_limited(rate='3/m') view", [s.status_code for s in statuses])
    expect([s.status_code for s in statuses] == [200, 200, 200, 429], "the fourth request should be refused")
    step("its 429 headers", {k: statuses[-1][k] for k in ("Retry-After", "RateLimit-Limit") if k in statuses[-1]})
    allowed = [rate_limit("demo-key", max_requests=2, window=60) for _ in range(3)]
    step("rate_limit('demo-key', max_requests=2) three times", allowed)
    expect(allowed == [True, True, False], "rate_limit should allow exactly two")


def check_flow() -> None:
    """`python manage.py integrations_check`."""
    from django.core.management import call_command

    out = StringIO()
    call_command("integrations_check", stdout=out)
    step("manage.py integrations_check", out.getvalue().strip().replace("\n", "\n   "))


def main() -> int:
    """Run the walk; exit status 0 when every step did what it should."""
    with tempfile.TemporaryDirectory() as scratch, stand_ins(Path(scratch)) as running:
        os.environ.update(running["env"])
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        step("seed 002's template migrated", f"Loops sandbox {running['env']['LOOPS_BASE_URL']} | "
                                             f"S3 {running['env']['AWS_S3_ENDPOINT_URL']}")  # fmt: skip
        try:
            loops_flow(running["loops_root"])
            upload_flow(running["s3"])
            rate_limit_flow(running["redis"])
            check_flow()
        except DemoFailed as exc:
            print(f"seed 002 demo failed: {exc}", file=sys.stderr)
            return 1
    step("seed 002's stand-ins stopped; the seed 002 demo passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
