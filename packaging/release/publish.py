"""`make publish`: upload the release artifacts with twine, all or nothing.

    python -m release.publish [--dist dist/release]

The index is `TWINE_REPOSITORY_URL` (its simple index `RELEASE_INDEX_URL`, else derived from it), with
`TWINE_USERNAME` / `TWINE_PASSWORD` from the environment; they are handed to twine through the environment, never
on a command line, and never printed. With no `TWINE_REPOSITORY_URL`, a local pypiserver is started on a free
loopback port serving `.index/packages/` (ignored by git), the artifacts are uploaded there, and it is stopped.

Before uploading anything it asks the index which files it already holds: if any is there, nothing is uploaded
(an index never takes the same version twice, and a half-published release is worse than none).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from . import local_index
from .distributions import ROOT
from .source_tree import DirtyTreeError, require_clean

LOCAL_INDEX = ROOT / ".index" / "packages"


class PublishError(RuntimeError):
    """A refusal or failure of `make publish`, in words a maintainer can act on (no secret in it)."""


def _redact(text: str) -> str:
    secret = os.environ.get("TWINE_PASSWORD")
    if secret:
        text = text.replace(secret, "****")
    return re.sub(r"//[^/@\s]+@", "//****@", text)


def _display(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))


def simple_index_for(repository_url: str) -> str:
    """The simple index beside an upload URL: PyPI's `upload.pypi.org/legacy/` -> `pypi.org/simple/`."""
    explicit = os.environ.get("RELEASE_INDEX_URL")
    if explicit:
        return explicit.rstrip("/") + "/"
    parts = urlsplit(repository_url)
    netloc = parts.netloc.replace("upload.pypi.org", "pypi.org")
    path = re.sub(r"legacy/?$", "", parts.path).rstrip("/") + "/simple/"
    return urlunsplit(parts._replace(netloc=netloc, path=path))


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _project_of(filename: str) -> str:
    return _normalized(filename.split("-")[0])


def already_there(files: list[Path], simple_url: str) -> list[str]:
    """The artifact file names the index already lists (an unreachable index raises `PublishError`)."""
    present = []
    with httpx.Client(timeout=15, follow_redirects=True) as client:
        for project in sorted({_project_of(path.name) for path in files}):
            url = f"{simple_url}{project}/"
            try:
                response = client.get(url)
            except httpx.TransportError as exc:
                raise PublishError(f"cannot reach the index at {_display(simple_url)}: {type(exc).__name__}") from None
            if response.status_code == 404:
                continue
            if response.status_code in (401, 403):
                raise PublishError(
                    f"the index at {_display(simple_url)} refused to list {project} (HTTP {response.status_code})"
                )
            if response.status_code != 200:
                raise PublishError(
                    f"the index at {_display(simple_url)} answered HTTP {response.status_code} for {project}"
                )
            present += [path.name for path in files if _project_of(path.name) == project and path.name in response.text]
    return sorted(present)


def _twine_failure(output: str, url: str) -> str:
    if re.search(r"\b(401|403)\b", output):
        return f"the index at {_display(url)} did not accept the credentials (TWINE_USERNAME / TWINE_PASSWORD)"
    if re.search(r"\b(409)\b|already exists|File already exists", output):
        return f"the index at {_display(url)} already holds one of these files; a version is published only once"
    if "ConnectionError" in output or "Connection refused" in output or "Max retries" in output:
        return f"cannot reach the index at {_display(url)}"
    last = [line for line in output.strip().splitlines() if line.strip()][-3:]
    return f"twine could not upload to {_display(url)}: " + " / ".join(last)


def upload(files: list[Path], repository_url: str, simple_url: str) -> None:
    """Upload `files` to `repository_url` with twine once the index confirmed it holds none of them."""
    present = already_there(files, simple_url)
    if present:
        raise PublishError(
            f"the index at {_display(simple_url)} already holds {', '.join(present)}; nothing was uploaded "
            "(bump the version with `make release` to publish again)"
        )
    environment = dict(os.environ, TWINE_REPOSITORY_URL=repository_url, TWINE_NON_INTERACTIVE="1")
    environment.setdefault("TWINE_USERNAME", "__token__" if "pypi.org" in repository_url else "release")
    environment.setdefault("TWINE_PASSWORD", "")
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True, env=environment)
    if result.returncode != 0:
        raise PublishError(_twine_failure(_redact(result.stdout + result.stderr), repository_url))


def artifacts_in(dist: Path) -> list[Path]:
    """The sdists and wheels `make artifacts` wrote into `dist` (SBOMs stay beside them)."""
    files = sorted(dist.glob("*.whl")) + sorted(dist.glob("*.tar.gz"))
    if not files:
        raise PublishError(f"no sdist or wheel in {dist}; run `make artifacts` first")
    return files


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "release")
    args = parser.parse_args(argv)
    try:
        require_clean("make publish")  # what goes up must be a commit anyone can check out and rebuild
        files = artifacts_in(args.dist)
        repository_url = os.environ.get("TWINE_REPOSITORY_URL")
        if repository_url:
            upload(files, repository_url, simple_index_for(repository_url))
            where = _display(repository_url)
            sbom_note = f"SBOMs (an index does not take them; attach them to the release): {args.dist}/*.cdx.json"
        else:
            with local_index.serve(LOCAL_INDEX) as url:
                upload(files, url, f"{url}simple/")
            sboms = LOCAL_INDEX.parent / "sbom"
            sboms.mkdir(exist_ok=True)
            for sbom in args.dist.glob("*.cdx.json"):
                shutil.copy2(sbom, sboms / sbom.name)
            where = f"the local index in {LOCAL_INDEX.relative_to(ROOT)} (serve it: pypi-server run {LOCAL_INDEX})"
            sbom_note = f"SBOMs: {sboms.relative_to(ROOT)}/"
    except (PublishError, DirtyTreeError, local_index.IndexStartError) as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return 1
    for path in files:
        print(f"uploaded {path.name}")
    print(f"published {len(files)} files to {where}")
    print(sbom_note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
