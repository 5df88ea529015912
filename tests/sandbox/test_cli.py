"""`python -m sdk_sandbox serve`: prints URLs and keys, starts fast, stops on Ctrl-C, refuses bad hosts and ports."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx

COMMAND = [sys.executable, "-m", "sdk_sandbox", "serve"]


def test_serve_prints_url_and_key_serves_and_stops_on_ctrl_c() -> None:
    started = time.monotonic()
    process = subprocess.Popen([*COMMAND, "--api", "vault"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        dashboard = process.stdout.readline().split()
        assert process.stdout.readline().startswith("serving")
        startup = time.monotonic() - started
        name, url, _, _, key = line.split()
        assert (name, url.startswith("http://127.0.0.1:"), key.startswith("vault_m2m_")) == ("vault", True, True)
        response = httpx.get(f"{url}/api/v1/users", headers={"Authorization": f"Bearer {key}"})
        assert response.json()["data"]["total"] == 0
        assert dashboard[0] == "dashboard" and dashboard[1].startswith("http://127.0.0.1:")
        state = httpx.get(f"{dashboard[1]}api/state").json()
        assert [(p["sandbox"], p["baseUrl"]) for p in state["panels"]] == [("vault", url)]
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err
    # The issue asks for a start in under 2 s; asserting a time would make the suite flaky, so it is reported.
    print(f"sandbox CLI ready after {startup:.2f}s")


def test_serve_runs_every_api_side_by_side() -> None:
    process = subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = []  # one line per API (every API the CLI knows), then "serving"
        while not (line := process.stdout.readline()).startswith("serving"):
            assert line, "the CLI ended before serving"
            lines.append(line.split())
        by_name = {line[0]: (line[1], line[4]) for line in lines}
        dashboard_url, _ = by_name.pop("dashboard")  # printed after the APIs
        assert "Sandbox dashboard" in httpx.get(dashboard_url).text
        vault_url, _ = by_name["vault"]
        vortex_url, vortex_key = by_name["vortex"]
        loops_url, loops_key = by_name["loops"]
        assert vortex_url.endswith("/api/v1") and vortex_key.startswith("VRTX.")
        assert httpx.get(f"{vault_url}/health").json() == {"status": "ok"}
        found = httpx.get(f"{vortex_url}/invitations/by-group/team/t1", headers={"x-api-key": vortex_key})
        assert found.json() == {"invitations": []}
        team = httpx.get(f"{loops_url}/api-key", headers={"Authorization": f"Bearer {loops_key}"})
        assert team.json() == {"success": True, "teamName": "Sandbox Team"}
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0


def test_no_dashboard_serves_only_the_apis() -> None:
    process = subprocess.Popen(
        [*COMMAND, "--api", "loops", "--no-dashboard"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        name, url, _, _, key = process.stdout.readline().split()
        assert name == "loops"
        assert process.stdout.readline().startswith("serving")
        team = httpx.get(f"{url}/api-key", headers={"Authorization": f"Bearer {key}"})  # serving, so Ctrl-C is handled
        assert team.status_code == 200
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0


def test_a_busy_port_gives_a_clear_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([*COMMAND, "--port", str(port)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_non_loopback_host_is_refused_without_allow_remote() -> None:
    every_interface = "0.0.0.0"  # noqa: S104  (the point of the test)
    result = subprocess.run([*COMMAND, "--host", every_interface], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "--allow-remote" in result.stderr


def test_an_unknown_api_is_refused() -> None:
    result = subprocess.run([*COMMAND, "--api", "nope"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "unknown API nope" in result.stderr
