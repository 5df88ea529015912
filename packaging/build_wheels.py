"""Build every published distribution's wheel into one folder and check it with twine.

    python packaging/build_wheels.py --out dist

Each distribution has its own small pyproject.toml in packaging/<name>/ that force-includes its import package
from src/ (and, for an SDK, its generated client from generated/), so one source tree yields several wheels.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Build order: the runtime first, since the SDK wheels depend on it.
DISTRIBUTIONS = ("sdk-runtime", "sdk-sandbox", "vault-auth", "vortex-python-sdk", "app-integrations")


def clean_caches() -> None:
    """Remove __pycache__ folders from the trees wheels force-include, so no bytecode ships."""
    for tree in (ROOT / "src", ROOT / "generated"):
        for cache in tree.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


def build(out: Path, names: tuple[str, ...] = DISTRIBUTIONS) -> list[Path]:
    """Build the wheels of `names` into `out` (emptied first) and return their paths."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    clean_caches()
    for name in names:
        command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
        subprocess.run([*command, str(ROOT / "packaging" / name)], check=True, capture_output=True)
    wheels = sorted(out.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels)], check=True)
    return wheels


def main() -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    for wheel in build(args.out.resolve()):
        print(f"built {wheel.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
