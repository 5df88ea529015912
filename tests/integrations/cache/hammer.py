"""N forked processes x T threads call one check on one key, released together: how many calls were allowed?

Shared by the concurrency tests and the cache benchmark. `make_check` runs in each child after the fork (so every
process builds its own client, as separate app servers would) and returns the `key -> bool` callable to hammer.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from typing import Any

Check = Callable[[], bool]


def _child(make_check: Callable[[], Check], threads: int, calls: int, barrier: Any, results: Any) -> None:
    check = make_check()
    allowed = [0] * threads
    start = threading.Barrier(threads, action=barrier.wait)  # all threads of all processes ready: go

    def work(index: int) -> None:
        start.wait()
        for _ in range(calls):
            if check():
                allowed[index] += 1

    workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put(sum(allowed))


def hammer(make_check: Callable[[], Check], processes: int = 8, threads: int = 4, calls: int = 12) -> int:
    """Total allowed calls out of `processes * threads * calls`."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(processes), context.Queue()
    children = [context.Process(target=_child, args=(make_check, threads, calls, barrier, results))
                for _ in range(processes)]  # fmt: skip
    for child in children:
        child.start()
    total = sum(results.get(timeout=60) for _ in children)
    for child in children:
        child.join(timeout=30)
        if child.exitcode != 0:
            raise RuntimeError(f"hammer child exited with {child.exitcode}")
    return total
