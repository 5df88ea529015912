"""Redis key names that work on a Redis Cluster: every key of one subject shares a hash tag, hence one slot.

A Lua script may only touch keys of one slot on a cluster, so the keys a script uses together carry the same
`{...}` tag. A subject that is short and plain goes in as written (readable in `redis-cli`); anything else (braces,
spaces, control characters, long strings) is replaced by its SHA-256, so no caller-supplied text can break
the tag or make two subjects collide.
"""

from __future__ import annotations

import functools
import hashlib
import re

_PLAIN = re.compile(r"[A-Za-z0-9_.:@+\-/=]{1,100}")


@functools.lru_cache(maxsize=4096)  # the same subjects (clients, users) come back request after request
def tagged_key(namespace: str, subject: str, *parts: str | int) -> str:
    """`namespace:{subject}:part:...`, with `subject` as the hash tag (hashed unless plain)."""
    tag = subject if _PLAIN.fullmatch(subject) else "#" + hashlib.sha256(subject.encode()).hexdigest()
    return ":".join([namespace, "{" + tag + "}", *(str(part) for part in parts)])
