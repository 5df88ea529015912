"""Layers of `app_integrations`: what needs Django lives under `app_integrations.django`; the service packages
import without Django; and no module imports, however indirectly, one that imports it back.

The import graph is read from the source (every `import`, at module level or inside a function), so a lazy
import that closes a cycle is caught too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "app_integrations"
# Seed 002's import paths of the Django shortcuts (`app_integrations.loops.shortcuts`, ...): re-exports, kept so
# code written from the seed runs unchanged; the shortcuts themselves live in `app_integrations.django.shortcuts`.
SEED_ALIASES = {f"app_integrations.{service}.shortcuts" for service in ("loops", "stripe", "twilio", "aws")}
SERVICE_PACKAGES = ("loops", "stripe", "twilio", "aws")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names), wherever the import statement is."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # `from . import config` imports the submodule, not the package again
                submodule = f"{module}.{alias.name}"
                found.add(submodule if _is_module(submodule) else module)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_service_packages_never_import_django_or_the_django_part() -> None:
    offenders = []
    for service in SERVICE_PACKAGES:
        for path in (PACKAGE / service).rglob("*.py"):
            name = _module_name(path)
            if name in SEED_ALIASES:
                continue
            for imported in _imports(path):
                if imported.split(".")[0] in ("django", "django_redis") or imported.startswith(
                    "app_integrations.django"
                ):
                    offenders.append(f"{name} imports {imported}")
    assert offenders == []


def test_the_django_part_is_never_imported_by_the_core() -> None:
    core = [p for p in PACKAGE.glob("*.py")]
    offenders = [
        f"{_module_name(p)} imports {m}" for p in core for m in _imports(p) if m.startswith("app_integrations.django")
    ]
    assert offenders == []


def test_each_service_package_imports_and_works_without_django() -> None:
    script = """
import sys
sys.modules["django"] = None  # as if Django were not installed
import app_integrations, app_integrations.settings, app_integrations.results, app_integrations.service
import app_integrations.webhooks, app_integrations.standard_webhooks, app_integrations.shared_clients
from app_integrations.loops import LoopsClient
from app_integrations.stripe import StripeClient
from app_integrations.stripe.webhooks import verify_request
from app_integrations.twilio import TwilioClient
from app_integrations.twilio.signatures import validate_signature
from app_integrations.aws import S3Client
result = LoopsClient(debug_mode=True).event("ada@example.com", "signed_up")
assert result["success"] and result["simulated"], result
refused = StripeClient(debug_mode=False).create_customer("ada@example.com")
assert refused["code"] == "not_configured", refused
assert "django" not in {name.split(".")[0] for name, module in sys.modules.items() if module is not None}
"""
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin"})  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]


def test_the_seed_import_paths_only_re_export_the_django_shortcuts() -> None:
    for alias in sorted(SEED_ALIASES):
        path = PACKAGE / alias.split(".")[1] / "shortcuts.py"
        body = ast.parse(path.read_text()).body
        kinds = {type(node).__name__ for node in body[1:]}
        assert kinds <= {"ImportFrom", "Assign"}, f"{alias} defines {kinds}: its code belongs under django/"
        sources = {node.module for node in body if isinstance(node, ast.ImportFrom)}
        assert all(source and source.startswith("django.shortcuts.") for source in sources), sources
