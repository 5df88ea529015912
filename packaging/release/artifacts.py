"""`make artifacts`: a reproducible sdist and wheel per distribution, checked by twine, with a CycloneDX SBOM each.

    python -m release.artifacts [--out dist/release] [--only vault-auth ...]

Each distribution is staged as a standalone project (its packaging/<name>/ files plus the sources its
pyproject.toml takes from src/, generated/ and openapi/), so the sdist holds everything and the wheel is built
from that sdist, as pip would. SOURCE_DATE_EPOCH is the commit's timestamp: two builds of one commit are
byte-identical. Each `<name>-<version>.cdx.json` SBOM lists the distribution and the requirements its wheel
declares (a reproducible CycloneDX 1.6 document). The project URLs and README links come from the project's public
home, `packaging/home.toml` (none while it names none; see `release.home`).
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

from .distributions import DISTRIBUTIONS, ROOT, Distribution, by_name
from .home import HOME_FILE, HomeError, ProjectHome, load_home, urls_table
from .source_tree import commit_timestamp

_OUTSIDE = re.compile(r'"\.\./\.\./([^"]+)"')
_STAGED = "sources"


def stage(distribution: Distribution, into: Path, home: ProjectHome | None = None) -> Path:
    """Lay out `distribution` as a standalone project under `into` and return its folder, with the project URLs and
    README links of `home` (default: `packaging/home.toml`'s)."""
    home = load_home() if home is None else home
    project = into / distribution.name
    project.mkdir(parents=True)
    text = (distribution.folder / "pyproject.toml").read_text()
    if "urls" in tomllib.loads(text).get("project", {}):
        raise ValueError(
            f"packaging/{distribution.name}/pyproject.toml has its own [project.urls]; "
            f"the project's URLs come from {HOME_FILE.name} only"
        )
    for relative in _OUTSIDE.findall(text):
        source, target = ROOT / relative, project / _STAGED / relative
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"), dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    urls = urls_table(home.project_urls(distribution.name))
    (project / "pyproject.toml").write_text(_OUTSIDE.sub(rf'"{_STAGED}/\1"', text) + urls)
    readme = (distribution.folder / "README.md").read_text(encoding="utf-8")
    (project / "README.md").write_text(readme + home.readme_links(distribution.name), encoding="utf-8")
    shutil.copy2(distribution.folder / "CHANGELOG.md", project / "CHANGELOG.md")
    return project


def _build_environment(epoch: int) -> dict[str, str]:
    environment = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), PYTHONHASHSEED="0")
    environment.pop("PYTHONPATH", None)
    return environment


def _wheel_requirements(wheel: Path) -> tuple[str, str, list[str]]:
    with zipfile.ZipFile(wheel) as archive:
        metadata_name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
    return metadata["Name"], metadata["Version"], metadata.get_all("Requires-Dist") or []


def write_sbom(wheel: Path, out: Path, epoch: int) -> Path:
    """Write the CycloneDX SBOM of `wheel` beside it and return its path."""
    name, version, requirements = _wheel_requirements(wheel)
    sbom = out / f"{name}-{version}.cdx.json"
    with tempfile.TemporaryDirectory() as scratch:
        requirements_file = Path(scratch) / "requirements.txt"
        requirements_file.write_text("".join(f"{requirement}\n" for requirement in requirements))
        pyproject = Path(scratch) / "pyproject.toml"
        pyproject.write_text(f'[project]\nname = "{name}"\nversion = "{version}"\nlicense = "MIT"\n')
        command = [sys.executable, "-m", "cyclonedx_py", "requirements", "--pyproject", str(pyproject)]
        command += ["--mc-type", "library", "--output-reproducible", "--of", "JSON", "-o", str(sbom)]
        subprocess.run(
            [*command, str(requirements_file)], check=True, capture_output=True, env=_build_environment(epoch)
        )
    return sbom


def _build_staged(
    out: Path, distributions: tuple[Distribution, ...], epoch: int, home: ProjectHome | None, *, wheel_only: bool
) -> list[Path]:
    """Stage each distribution (with `home`'s URLs, by default `packaging/home.toml`'s) and build it into `out`
    (emptied first); return the packages, checked by twine."""
    home = load_home() if home is None else home
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        for distribution in distributions:
            project = stage(distribution, Path(scratch), home)
            command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(project)]
            if wheel_only:
                command.insert(3, "--wheel")
            result = subprocess.run(command, capture_output=True, text=True, env=_build_environment(epoch))
            if result.returncode != 0:
                raise RuntimeError(
                    f"building {distribution.name} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
                )
    packages = sorted(out.glob("*.whl")) + sorted(out.glob("*.tar.gz"))
    subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, packages)], check=True, capture_output=True
    )
    return packages


def build(
    out: Path,
    distributions: tuple[Distribution, ...] = DISTRIBUTIONS,
    epoch: int | None = None,
    home: ProjectHome | None = None,
) -> list[Path]:
    """Build, check and describe every distribution into `out` (emptied first); return the files written."""
    epoch = commit_timestamp() if epoch is None else epoch
    packages = _build_staged(out, distributions, epoch, home, wheel_only=False)
    sboms = [write_sbom(wheel, out, epoch) for wheel in sorted(out.glob("*.whl"))]
    return sorted(packages + sboms)


def build_wheels(
    out: Path, distributions: tuple[Distribution, ...] = DISTRIBUTIONS, home: ProjectHome | None = None
) -> list[Path]:
    """Only the wheels, built straight from each staged project (`make wheels`, `make bench`, the wheel tests).

    The same staging as a release, without the sdist step or the SBOMs; the timestamp is the commit's when there
    is one (a copy of the sources outside git gets a fixed one).
    """
    try:
        epoch = commit_timestamp()
    except (subprocess.CalledProcessError, OSError):  # not a git clone: a fixed timestamp will do
        epoch = 315532800  # 1980-01-01, the earliest time a zip file can hold
    return _build_staged(out, distributions, epoch, home, wheel_only=True)


def sha256(path: Path) -> str:
    """The sha256 of a file, as `make artifacts` prints it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "release")
    parser.add_argument("--only", action="append", metavar="NAME", help="build only this distribution (repeatable)")
    parser.add_argument("--wheels", action="store_true", help="only the wheels (no sdist, no SBOM): `make wheels`")
    args = parser.parse_args(argv)
    chosen = tuple(by_name(name) for name in args.only) if args.only else DISTRIBUTIONS
    try:
        home = load_home()
    except HomeError as exc:
        print(f"artifacts refused: {exc}", file=sys.stderr)
        return 1
    print(
        f"project URLs from {HOME_FILE.name}: source {home.source}, documentation {home.documentation}"
        if home.is_set
        else f"project URLs: none ({HOME_FILE.name} names no public home yet)"
    )
    out = args.out.resolve()
    made = build_wheels(out, chosen, home) if args.wheels else build(out, chosen, home=home)
    for path in made:
        print(f"{sha256(path)}  {path.name}")
    print(f"twine check --strict: passed; artifacts in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
