"""Cold-process CPU time of importing the runtime and the generated clients, against `import stripe`."""

from __future__ import annotations

from harness import Row, cold_cpu_seconds

OURS = (
    "import sdk_runtime, vault_api, vortex_api\n"
    "from vault_api.api.users import get_user, list_users\n"
    "from vortex_api.api.invitations import get_invitation"
)


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """One row: our imports vs `import stripe`, both in the bench env (our wheels installed, as a user has them)."""
    ours = cold_cpu_seconds(baseline_python, OURS)
    stripe = cold_cpu_seconds(baseline_python, "import stripe")
    return [Row("cold import: runtime + generated clients", ours, stripe, "import stripe", "s CPU", 1.0)]
