"""Where the upstream OpenAPI documents are: shipped inside the sandbox wheel, or the repository's openapi/."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "specs"
_REPOSITORY = Path(__file__).resolve().parents[2] / "openapi"


def spec_path(api: str) -> Path:
    """The YAML document of `api` (`vault`, `vortex`, `loops`, `stripe` or `twilio`)."""
    for folder in (_PACKAGED, _REPOSITORY):
        candidate = folder / f"{api}.yaml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no OpenAPI document for {api!r} in {_PACKAGED} or {_REPOSITORY}")
