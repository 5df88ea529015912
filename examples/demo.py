"""`make demo`: the main job against the embedded sandbox.

The sandbox servers and the SDK facades land with their own issues; until they do, this prints what is ready
and proves it by loading every generated operation through the shared runtime's request model.
"""

from __future__ import annotations

import importlib
import pkgutil

import sdk_runtime


def operations(package: str) -> list[str]:
    """The generated operation modules of `package` (e.g. `vault_api`), as `tag.operation`."""
    api = importlib.import_module(f"{package}.api")
    found = []
    for info in pkgutil.walk_packages(api.__path__, f"{package}.api."):
        module = importlib.import_module(info.name)
        if hasattr(module, "_get_kwargs"):
            found.append(info.name.removeprefix(f"{package}.api."))
    return sorted(found)


def main() -> int:
    """Print what is ready today."""
    print(f"sdk_runtime {sdk_runtime.__version__}: config, retries, errors, pagination, secrets - ready")
    for package in ("vault_api", "vortex_api"):
        names = operations(package)
        print(f"{package}: {len(names)} generated operations - ready")
        for name in names:
            print(f"    {name}")
    print("not yet: sandbox servers, vault_auth / vortex_sdk facades, example apps (see the open issues)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
