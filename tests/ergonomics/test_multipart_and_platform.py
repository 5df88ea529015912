"""Multipart uploads end to end, and the platform in the User-Agent, against a real HTTP server on loopback.

The multipart operation comes from a fixture spec (tests/generator/fixtures/overrides.yaml) generated with our
templates, whose multipart body sets no boundary of its own; `Call.from_kwargs` encodes the generated `files` once,
with a random boundary, and the runtime sends it. The server parses what arrived with the standard library's MIME
parser, and fails the first attempt so the retry's body can be compared with the first.
"""

from __future__ import annotations

import importlib.util
import io
import json
import platform
import sys
import threading
from collections.abc import Iterator
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from sdk_runtime import Call, ClientConfig, SyncAPIClient

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "generator" / "fixtures"


def _load(name: str, path: Path, package: Path | None = None) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, path, submodule_search_locations=[str(package)] if package else None
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def overrides_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The fixture spec's client, generated with our templates into a temporary folder."""
    generate = _load("generator_for_multipart_tests", ROOT / "generator" / "generate.py")
    target = tmp_path_factory.mktemp("multipart") / "overrides_api"
    generate.generate_spec(FIXTURES / "overrides.yaml", FIXTURES / "overrides_api.yaml", target, "# fixture\n")
    for name in [m for m in sys.modules if m.startswith("overrides_api")]:
        del sys.modules[name]
    package = _load("overrides_api", target / "__init__.py", target)
    yield package
    for name in [m for m in sys.modules if m.startswith("overrides_api")]:
        del sys.modules[name]


class Recorded:
    """What the server received, request by request, and how many first requests it fails with 503."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = 0


@pytest.fixture
def server() -> Iterator[tuple[str, Recorded]]:
    """An HTTP server on 127.0.0.1 (a free port) answering `{"priority": 1}`; stopped after the test."""
    recorded = Recorded()

    class Handler(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            recorded.requests.append(({k: v for k, v in self.headers.items()}, body))
            failing = len(recorded.requests) <= recorded.fail_first
            payload = json.dumps({"error": "busy"} if failing else {"priority": 1}).encode()
            self.send_response(503 if failing else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_PUT

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", recorded
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def client_for(url: str) -> SyncAPIClient:
    config = ClientConfig.create(api_key="secret-key-123", api_key_env="UNUSED", base_url=url, sdk_name="tests",
                                 sdk_version="0", retry_delay=0.01)  # fmt: skip
    return SyncAPIClient(config)


def parts_of(headers: dict[str, str], body: bytes) -> list[Message]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {headers['Content-Type']}\r\n\r\n".encode() + body)
    assert message.is_multipart()
    return list(message.iter_parts())  # type: ignore[attr-defined]


def upload_call(overrides_api: ModuleType, data: bytes) -> Call:
    from overrides_api.api.default import upload_file  # type: ignore[import-not-found]
    from overrides_api.models import Upload  # type: ignore[import-not-found]
    from overrides_api.types import File  # type: ignore[import-not-found]

    body = Upload(purpose="avatar", file=File(payload=io.BytesIO(data), file_name="me.png", mime_type="image/png"))
    return Call.from_kwargs(upload_file._get_kwargs(file_id="f1", body=body))


def test_a_multipart_upload_arrives_whole_and_a_retry_sends_the_same_bytes(
    overrides_api: ModuleType, server: tuple[str, Recorded]
) -> None:
    url, recorded = server
    recorded.fail_first = 1
    data = b"\x89PNG\r\n" + bytes(range(256)) * 4
    with client_for(url) as client:
        response = client.request(upload_call(overrides_api, data))
    assert response.data == {"priority": 1} and response.attempts == 2
    (first_headers, first_body), (second_headers, second_body) = recorded.requests
    assert first_body == second_body and first_headers["Content-Type"] == second_headers["Content-Type"]
    purpose, upload = parts_of(second_headers, second_body)
    assert (purpose.get_param("name", header="content-disposition"), purpose.get_content()) == ("purpose", "avatar")
    assert upload.get_filename() == "me.png" and upload.get_content_type() == "image/png"
    assert upload.get_payload(decode=True) == data


def test_uploaded_bytes_cannot_forge_a_part(overrides_api: ModuleType, server: tuple[str, Recorded]) -> None:
    url, recorded = server
    forged = b'--+++\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nadmin\r\n--+++--\r\n'
    with client_for(url) as client:
        client.request(upload_call(overrides_api, forged))
        client.request(upload_call(overrides_api, forged))
    (headers, body), (other_headers, _) = recorded.requests
    assert headers["Content-Type"] != other_headers["Content-Type"]  # a boundary minted per call
    purpose, upload = parts_of(headers, body)
    assert purpose.get_content() == "avatar" and upload.get_payload(decode=True) == forged


def test_the_user_agent_names_the_platform_and_nothing_private(server: tuple[str, Recorded]) -> None:
    url, recorded = server
    with client_for(url) as client:
        client.request(Call("GET", "/"))
    ((headers, _),) = recorded.requests
    agent = headers["User-Agent"]
    system, machine = platform.system().lower(), platform.machine().lower()
    assert agent.startswith("tests/0 sdk-runtime/") and f"python/{platform.python_version()}" in agent
    assert agent.endswith(f"({system}; {machine.replace('amd64', 'x86_64').replace('aarch64', 'arm64')})")
    for private in (platform.node(), platform.release(), platform.version()):
        assert not private or private not in agent
    sent = {name.lower() for name in headers}
    assert sent <= {"host", "accept", "accept-encoding", "connection", "user-agent", "authorization", "x-request-id",
                    "x-retry-count", "content-length"}, sent  # fmt: skip  # nothing else new on the wire
