"""Each template override in generator/templates does what it is for; each test fails with the stock template.

The committed clients (`generated/vault_api`, `generated/vortex_api`) are exercised directly. The multipart
boundary and the integer enum are reached through a small fixture spec generated into a temporary folder, both
with our templates and with the stock ones, so the test shows the stock behaviour it guards against.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import generate  # generator/generate.py: on the path by pytest's `pythonpath`
import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def generated_package(tmp: Path, templates: Path | None) -> ModuleType:
    target = generate.generate_spec(
        FIXTURES / "overrides.yaml", FIXTURES / "overrides_api.yaml", tmp / "overrides_api", "# fixture\n", templates
    )
    sys.path.insert(0, str(target.parent))
    try:
        for name in [m for m in sys.modules if m.startswith("overrides_api")]:
            del sys.modules[name]
        return importlib.import_module("overrides_api")
    finally:
        sys.path.remove(str(target.parent))


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("ours")
    generated_package(tmp, generate.TEMPLATES)
    yield tmp / "overrides_api"


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("stock")
    generated_package(tmp, None)
    yield tmp / "overrides_api"


def load(package_dir: Path, module: str) -> ModuleType:
    """Import `module` of the fixture package generated into `package_dir`, fresh."""
    for name in [m for m in sys.modules if m.startswith("overrides_api")]:
        del sys.modules[name]
    sys.path.insert(0, str(package_dir.parent))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(package_dir.parent))


def run_python(code: str) -> str:
    """Run `code` in a fresh interpreter (for import-cost facts) and return its output."""
    env_path = f"{ROOT / 'generated'}"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": env_path}
    )
    return result.stdout.strip()


# Lazy models/__init__ -------------------------------------------------------------------------------------------


def test_importing_an_endpoint_loads_only_its_own_models() -> None:
    loaded = run_python(
        "import sys; import vault_api.api.users.get_user\n"
        "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('vault_api.models.')))"
    )
    assert "organization_page" not in loaded
    assert "session_list_envelope" not in loaded
    assert "user_envelope" in loaded


def test_models_package_still_exposes_every_model_on_demand() -> None:
    out = run_python(
        "import sys, vault_api.models as m\n"
        "before = len([k for k in sys.modules if k.startswith('vault_api.models.')])\n"
        "print(before, m.User.__name__, m.SessionEnvelope.__name__, len(dir(m)) == len(m.__all__))"
    )
    assert out == "0 User SessionEnvelope True"


def test_unknown_model_name_is_an_attribute_error() -> None:
    import vault_api.models as models

    with pytest.raises(AttributeError, match="NoSuchModel"):
        _ = models.NoSuchModel


# Open enums ------------------------------------------------------------------------------------------------------


def test_an_unknown_enum_value_parses_and_round_trips() -> None:
    from vault_api.models import User, UserStatus

    body = {
        "id": "user_1",
        "email": "a@example.com",
        "email_verified": True,
        "status": "locked_by_admin",
        "metadata": {},
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    user = User.from_dict(body)
    assert user.status == "locked_by_admin"
    assert user.status.name == "UNKNOWN"
    assert user.to_dict()["status"] == "locked_by_admin"
    assert UserStatus("active") is UserStatus.ACTIVE
    assert "locked_by_admin" not in [m.value for m in UserStatus]


def test_an_unknown_int_enum_value_parses(ours: Path, stock: Path) -> None:
    assert load(ours, "overrides_api.models").Stored.from_dict({"priority": 7}).priority == 7
    with pytest.raises(ValueError, match="7 is not a valid Priority"):
        load(stock, "overrides_api.models").Stored.from_dict({"priority": 7})


# Path parameters ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["..", ".", ""])
def test_dot_segments_are_refused_before_sending(value: str) -> None:
    from vault_api.api.users import get_user

    sent: list[httpx.Request] = []
    client = _client(lambda request: sent.append(request) or httpx.Response(200))
    with pytest.raises(ValueError, match="user_id"):
        get_user.sync_detailed(value, client=client)
    assert sent == []


def test_stock_template_lets_dot_segments_escape(stock: Path) -> None:
    module = load(stock, "overrides_api.api.default.upload_file")
    request = httpx.Client(base_url="https://api.test").build_request(**module._get_kwargs("..", body=_upload()))
    assert request.url.path == "/"  # httpx normalised "/files/.." away: the request reached another endpoint


def test_our_template_refuses_dot_segments_in_the_fixture_too(ours: Path) -> None:
    module = load(ours, "overrides_api.api.default.upload_file")
    with pytest.raises(ValueError, match="file_id"):
        module._get_kwargs("..", body=_upload())


@pytest.mark.parametrize(
    ("value", "path"),
    [("a/b", "/api/v1/users/a%2Fb"), ("%2e%2e", "/api/v1/users/%252e%252e"), ("user_1", "/api/v1/users/user_1")],
)
def test_other_values_stay_inside_one_segment(value: str, path: str) -> None:
    from vault_api.api.users import get_user

    assert get_user._get_kwargs(value)["url"] == path


# Non-IANA status codes ---------------------------------------------------------------------------------------------


def test_an_unregistered_status_code_does_not_crash_parsing() -> None:
    from vault_api.api.users import get_user

    client = _client(lambda request: httpx.Response(520, json={"message": "origin error"}))
    response = get_user.sync_detailed("user_1", client=client)
    assert response.status_code == 520
    assert response.parsed is not None


# Multipart boundary --------------------------------------------------------------------------------------------


def test_multipart_boundary_is_random_per_request(ours: Path, stock: Path) -> None:
    ours_module = load(ours, "overrides_api.api.default.upload_file")
    boundaries = {_boundary_of(ours_module) for _ in range(2)}
    assert len(boundaries) == 2
    assert "+++" not in boundaries
    assert _boundary_of(load(stock, "overrides_api.api.default.upload_file")) == "+++"


def _upload() -> object:
    """An `Upload` body of the fixture package imported last."""
    models = sys.modules["overrides_api.models"]
    types = sys.modules["overrides_api.types"]
    return models.Upload(purpose="avatar", file=types.File(payload=io.BytesIO(b"x"), file_name="a"))


def _boundary_of(module: ModuleType) -> str:
    request = httpx.Client(base_url="https://api.test").build_request(**module._get_kwargs("f1", body=_upload()))
    return request.headers["content-type"].split("boundary=", 1)[1]


# Deprecations ----------------------------------------------------------------------------------------------------


@pytest.fixture
def widget_server() -> Iterator[str]:
    """A real loopback HTTP server answering every widget request with a `Stored` body."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps({"priority": 1}).encode()
            self.send_response(200 if self.command == "GET" else 201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _deprecations(caught: list[warnings.WarningMessage]) -> list[tuple[str, str, int]]:
    return [
        (str(w.message), Path(w.filename).name, w.lineno) for w in caught if issubclass(w.category, DeprecationWarning)
    ]


def test_a_deprecated_operation_warns_at_the_callers_line_once_per_call_site(
    ours: Path, stock: Path, widget_server: str
) -> None:
    module = load(ours, "overrides_api.api.default.get_widget")
    client = sys.modules["overrides_api"].Client(base_url=widget_server)
    here = Path(__file__).name
    message = "GET /widgets/{widget_id} is deprecated by the API"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for _ in range(3):
            first = module.sync_detailed("w1", client=client).status_code  # one warning for this line
        parsed = module.sync("w1", client=client)  # through sync_detailed: still this line

        async def user_code() -> None:
            await module.asyncio("w1", client=client)  # the line an async caller hears it at

        asyncio.run(user_code())
    assert first == 200 and parsed is not None and parsed.priority == 1
    lines = [line for _, _, line in _deprecations(caught)]
    assert _deprecations(caught) == [
        (message, here, lines[0]),
        (message, here, lines[0] + 1),
        (message, here, lines[0] + 4),
    ]
    stock_module = load(stock, "overrides_api.api.default.get_widget")
    stock_client = sys.modules["overrides_api"].Client(base_url=widget_server)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        stock_module.sync_detailed("w1", client=stock_client)
    assert _deprecations(caught) == []  # the stock generator drops `deprecated: true`


def test_a_deprecated_parameter_or_field_warns_only_when_used(ours: Path, widget_server: str) -> None:
    module = load(ours, "overrides_api.api.default.create_widget")
    package = sys.modules["overrides_api"]
    client = package.Client(base_url=widget_server)
    WidgetCreate = sys.modules["overrides_api.models"].WidgetCreate
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        module.sync_detailed(client=client, body=WidgetCreate(name="plain"))
        assert _deprecations(caught) == []
        module.sync_detailed(client=client, body=WidgetCreate(name="red"), color="red")
        module.sync_detailed(client=client, body=WidgetCreate(name="old", legacy_code="x1"))
    assert [message for message, _, _ in _deprecations(caught)] == [
        "parameter `color` of POST /widgets is deprecated by the API",
        "field `legacy_code` of POST /widgets is deprecated by the API",
    ]
    assert {name for _, name, _ in _deprecations(caught)} == {Path(__file__).name}


def test_the_runtime_warns_for_a_deprecated_operation_a_facade_builds(ours: Path) -> None:
    from sdk_runtime import Call

    module = load(ours, "overrides_api.api.default.get_widget")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        call = Call.from_kwargs(module._get_kwargs("w1"))
    assert call.path == "/widgets/w1"
    assert _deprecations(caught) == [
        ("GET /widgets/{widget_id} is deprecated by the API", Path(__file__).name, caught[0].lineno)
    ]


# Provenance ------------------------------------------------------------------------------------------------------


def test_every_generated_file_says_it_is_generated_and_from_what() -> None:
    for api in ("vault", "vortex"):
        files = sorted((ROOT / "generated" / f"{api}_api").rglob("*.py"))
        assert files
        for path in files:
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# Generated by openapi-python-client"), path
            assert f"from openapi/{api}.yaml" in first, path


def _client(handler: object) -> object:
    from vault_api import AuthenticatedClient

    client = AuthenticatedClient(base_url="https://api.test", token="t")
    client.set_httpx_client(httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(handler)))  # type: ignore[arg-type]
    return client
