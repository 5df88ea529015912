"""Object keys and display names for direct uploads: the client's file name never becomes a path.

A key is `<prefix>/<uuid4><ext>`: the prefix is the server's (checked segment by segment), the random part is
ours, and only a short alphanumeric extension is taken from the client's name (else one derived from the content
type). `../`, NUL bytes, absurd lengths and non-ASCII names therefore reach the key as nothing worse than a missing
extension; the display name keeps the client's name, stripped of directories and control characters and cut to
255 characters, for the database only.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
import uuid

from ..results import InvalidArgument

_EXTENSION = re.compile(r"\.[a-z0-9]{1,10}")
_PREFIX_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_CONTENT_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
MAX_NAME_LENGTH = 255


def display_name(original_filename: str) -> str:
    """The client's file name without directories, control characters or surrounding blanks, at most 255 chars."""
    base = re.split(r"[/\\]", str(original_filename))[-1]
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if len(cleaned) > MAX_NAME_LENGTH:  # cut the stem, keep a short extension
        dot = cleaned.rfind(".")
        suffix = cleaned[dot:] if dot > 0 and len(cleaned) - dot <= 16 else ""
        cleaned = cleaned[: MAX_NAME_LENGTH - len(suffix)] + suffix
    return cleaned or "upload"


def extension(original_filename: str, content_type: str) -> str:
    """A safe lower-case extension (`.jpg`) from the name, else from the content type, else empty."""
    name = display_name(original_filename).lower()
    dot = name.rfind(".")
    if dot > 0:
        candidate = name[dot:]
        if _EXTENSION.fullmatch(candidate):
            return candidate
    guessed = mimetypes.guess_extension(content_type) or ""
    return guessed if _EXTENSION.fullmatch(guessed) else ""


def normalize_prefix(prefix: str) -> str:
    """`prefix` without surrounding slashes; InvalidArgument unless every segment is a plain name (no `..`)."""
    segments = str(prefix).strip("/").split("/")
    if not segments or not all(_PREFIX_SEGMENT.fullmatch(segment) for segment in segments):
        raise InvalidArgument("prefix must be slash-separated names of letters, digits, '.', '_' and '-'")
    if any(set(segment) == {"."} for segment in segments):
        raise InvalidArgument("prefix must not contain '.' or '..' segments")
    return "/".join(segments)


def normalize_content_type(content_type: str) -> str:
    """`content_type` lower-cased without parameters; InvalidArgument if it is not a plain `type/subtype`."""
    value = str(content_type).split(";")[0].strip().lower()
    if not _CONTENT_TYPE.fullmatch(value):
        raise InvalidArgument("content_type must be a MIME type such as image/png")
    return value


def guess_content_type(original_filename: str) -> str:
    """The content type the file name suggests, else `application/octet-stream`."""
    return mimetypes.guess_type(display_name(original_filename))[0] or "application/octet-stream"


def upload_key(prefix: str, original_filename: str, content_type: str) -> str:
    """A fresh key `<prefix>/<uuid4><ext>` for one upload."""
    return f"{normalize_prefix(prefix)}/{uuid.uuid4()}{extension(original_filename, content_type)}"
