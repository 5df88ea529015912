"""README.md's sample output of `python -m sdk_sandbox serve` is what the command prints: each line the sample
shows (ports and keys aside, which differ on each run; "..." stands for lines left out) appears, in order."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
# A bound on the wait for a sandbox that prints nothing, so a broken CLI fails the test instead of hanging it.
STARTUP_BOUND_SECONDS = 120


def sample_lines() -> list[str]:
    """The lines of README's ```text block that follows `python -m sdk_sandbox serve`."""
    match = re.search(r"python -m sdk_sandbox serve\n```.*?```text\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match, "README lost its sample output of `python -m sdk_sandbox serve`"
    return [line for line in match.group(1).splitlines() if line.strip() != "..."]


def pattern_of(line: str) -> re.Pattern[str]:
    """A line of the sample as a pattern: a shortened key ("abc...") stands for any key, a port for any port."""
    parts: list[str] = []
    for token in re.split(r"(\s+)", line):
        if token.isspace():
            parts.append(r"\s+")
        elif "..." in token:
            name, equals, _ = token.partition("=")
            parts.append(re.escape(name + equals) + r"\S+" if equals else r"\S+")
        else:
            parts.append(re.sub(r"127\\\.0\\\.0\\\.1:\d+", r"127\\.0\\.0\\.1:\\d+", re.escape(token)))
    return re.compile("".join(parts))


def printed_by_serve(last_line_prefix: str) -> list[str]:
    """What `python -m sdk_sandbox serve` prints up to the line starting with `last_line_prefix`; then stop it."""
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "sdk_sandbox", "serve"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    lines: list[str] = []
    seen_last = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith(last_line_prefix):
                seen_last.set()
        seen_last.set()  # the output ended

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        seen_last.wait(timeout=STARTUP_BOUND_SECONDS)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=30)
    return list(lines)


def test_the_readme_sample_is_what_serve_prints() -> None:
    sample = sample_lines()
    assert len(sample) >= 8, sample
    printed = printed_by_serve(sample[-1].split("=", 1)[0])
    position = 0
    for line in sample:
        pattern = pattern_of(line)
        while position < len(printed) and not pattern.fullmatch(printed[position]):
            position += 1
        assert position < len(printed), f"README shows {line!r}, which serve does not print:\n" + "\n".join(printed)
        position += 1
