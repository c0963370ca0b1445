"""Bytes to text: size limits, binary detection and encoding detection, with clear errors."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    """The size limit for one document, overridable with FRONTLINES_MAX_BYTES."""
    value = os.environ.get("FRONTLINES_MAX_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """Read a file's bytes, turning every OS-level problem into an InputError naming it."""
    path = Path(path)
    limit = max_bytes() if limit is None else limit
    name = str(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise InputError("is a directory, not a file", name)
        special = _special_kind(status.st_mode)
        if special:  # reading a FIFO or a device may never end: refused before reading
            raise InputError(f"{special}, not a regular file: refused unread", name)
        size = status.st_size
        if size > limit:
            raise InputError(f"too large ({_size(size)}; the limit is {_size(limit)})", name)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("no such file", name) from None
    except PermissionError:
        raise InputError("permission denied", name) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", name) from None
    if len(data) > limit:
        raise InputError(f"too large (over {_size(limit)})", name)
    return data


def _special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is (reading a FIFO or a device may never end)."""
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device"
    if not stat.S_ISREG(mode):
        return "is a special file"
    return None


def _size(count: int) -> str:
    """A byte count for a message, in the binary megabytes of the limit (50 MB = 50 * 2**20)."""
    return f"{count / 2**20:.1f} MB" if count >= 2**17 else f"{count} bytes"


def decode(data: bytes, name: str | None = None) -> str:
    """Decode document bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, else detected.

    Binary data (NUL bytes in a text without a UTF-16 BOM, or no plausible encoding) and
    empty documents raise InputError.  Line endings are normalised to "\n".
    """
    if not data.strip():
        raise InputError("empty file", name)
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("undecodable UTF-16 text", name) from None
    else:
        if b"\x00" in data:  # anywhere: a text followed by a binary blob is not a document
            raise InputError("binary data, not a text document", name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes  # only for a text that is not UTF-8

            best = from_bytes(data).best()
            if best is None or best.encoding is None:
                raise InputError("undecodable: not UTF-8 and no other text encoding fits", name) from None
            text = str(best)
    if _looks_binary(text):
        raise InputError("binary data, not a text document", name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty file (only whitespace)", name)
    return text


def _looks_binary(text: str) -> bool:
    """Control characters other than whitespace in more than 1% of a sample (the start and
    the end of the text): not prose."""
    sample = text if len(text) <= 40000 else text[:20000] + text[-20000:]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return controls > max(2, len(sample) // 100)
