"""Compiled regular expressions kept from one run of the command line to the next.

Python compiles a regular expression in three steps: it parses the pattern and generates the
matcher's code, both in pure Python (`re._parser`, `re._compiler`), then hands the code to the
C engine (`_sre.compile`).  A start-up of `frontlines extract` compiles some 400 of them (the
rules' and the dates' patterns, the trigger lexicon, spaCy's tokenizer, the libraries'), and
the two Python steps cost about 0.2 s of it.  This cache keeps, for each pattern and flags, what
those two steps produced, in one file of the cache folder whose name says the exact Python
build; a later process hands it straight to the C engine.  The pattern object is the one a
fresh compile makes (the same code, flags and groups: `Pattern.__eq__` compares them, and the
tests check it), so nothing that matches changes.

Only the command line installs it (`install`, from `frontlines.cli.main`): importing frontlines
as a library leaves `re` alone.  A pattern the parser warns about ("possible nested set") is
never kept, so its warning is not lost, nor one with unusual flags (re.DEBUG, re.LOCALE);
a pattern is kept only when the kept arguments give the very pattern `re` gave.
$FRONTLINES_REGEX_CACHE=0 turns the cache off.
"""

from __future__ import annotations

import _sre
import array
import atexit
import functools
import marshal
import os
import re
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

ENV = "FRONTLINES_REGEX_CACHE"
MAX_ENTRIES = 1000  # past this, a save keeps only what the saving process used (extract: ~350)
FORMAT = 2
# the array type of the engine's code words
_CODE_TYPE = next((t for t in "IL" if array.array(t).itemsize == _sre.CODESIZE), "")
_PLAIN_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.UNICODE | re.ASCII

_original: Any = None  # re._compiler.compile, while the cache is installed
_path: Path | None = None
_entries: dict[tuple[str | bytes, int], tuple] = {}  # (pattern, flags) -> _sre.compile's other arguments, packed
_used: set[tuple[str | bytes, int]] = set()
_added = 0


def install(path: Path | None = None) -> bool:
    """Route this process's regular expression compiles through the cache file at `path`
    (default: `regex-<python build>.marshal` in the cache folder); False when it cannot be
    used here (turned off, or a Python whose compiler works otherwise)."""
    global _original, _path, _entries
    if _original is not None:
        return True
    if os.environ.get(ENV, "1") == "0" or not _supported():
        return False
    if path is None:
        from .home import cache_dir

        path = cache_dir() / f"regex-{_build_tag()}.marshal"
    _path, _entries = path, _read(path)
    _original = _compiler().compile
    _compiler().compile = _compile
    atexit.register(save)
    return True


def uninstall() -> None:
    """Compile the ordinary way again (the entries already read are forgotten)."""
    global _original, _path, _added
    if _original is not None:
        _compiler().compile = _original
        _original, _path, _added = None, None, 0
        _entries.clear()
        _used.clear()


def save() -> None:
    """Write what this process compiled that the file lacks, merged with the file as it is now
    (another process may have saved since): atomically, and never raising."""
    global _added
    if _path is None or not _added:
        return
    try:
        merged = {**_read(_path), **_entries}
        if len(merged) > MAX_ENTRIES:
            kept = _entries.copy()  # copies in one step: another thread may be compiling
            merged = {key: kept[key] for key in list(_used) if key in kept}
        _path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _path.with_name(f"{_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(marshal.dumps((FORMAT, _build_tag(), merged)))
        os.replace(tmp, _path)
        _added = 0
    except (OSError, ValueError, RuntimeError):
        pass


def _compile(p: Any, flags: int = 0) -> re.Pattern:
    """`re._compiler.compile`, the parse and the code generation read from the cache when
    the pattern is there.  A pattern that is not is compiled the ordinary way (with any
    warning of the parser's), then kept unless its parse warns (the warning would be lost
    from the next run on) or the kept arguments would not give the very same pattern."""
    global _added
    if type(p) not in (str, bytes) or flags & ~_PLAIN_FLAGS:
        return _original(p, flags)
    key = (p, int(flags))
    kept = _entries.get(key)
    if kept is not None:
        try:
            pattern = _sre.compile(p, *_unpacked(kept))
        except Exception:  # a damaged file (the engine checks the code): compiled anew
            del _entries[key]
        else:
            _used.add(key)
            return pattern
    pattern = _original(p, flags)
    if len(_entries) < MAX_ENTRIES:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            args = _compiled_args(p, flags)
        if not caught and _sre.compile(p, *args) == pattern:
            _entries[key] = _packed(args)
            _used.add(key)
            _added += 1
    return pattern


def _compiled_args(pattern: str | bytes, flags: int) -> tuple:
    """What `re._compiler.compile` hands `_sre.compile` after the pattern itself."""
    from re import _parser

    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler()._code(parsed, flags)]  # opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _packed(args: tuple) -> tuple:
    """`_compiled_args` as kept in the file: the code as machine words (marshal reads a
    string of bytes many times faster than a list of ints)."""
    flags, code, groups, groupindex, indexgroup = args
    return flags, array.array(_CODE_TYPE, code).tobytes(), groups, groupindex, indexgroup


def _unpacked(kept: tuple) -> tuple:
    flags, code, groups, groupindex, indexgroup = kept
    return flags, array.array(_CODE_TYPE, code).tolist(), groups, groupindex, indexgroup


def _read(path: Path) -> dict[tuple[str | bytes, int], tuple]:
    try:
        form, tag, entries = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return entries if form == FORMAT and tag == _build_tag() and isinstance(entries, dict) else {}


def _compiler() -> Any:
    from re import _compiler

    return _compiler


@functools.cache
def _build_tag() -> str:
    """The exact build of this interpreter and of its regular expression engine."""
    import hashlib

    build = f"{sys.implementation.cache_tag}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}"
    return f"{sys.implementation.cache_tag}-{hashlib.sha1(build.encode()).hexdigest()[:12]}"


def _supported() -> bool:
    """Whether this interpreter compiles as `_compiled_args` expects: a few patterns through
    it give the very patterns `re` gives."""
    if not _CODE_TYPE:
        return False
    try:
        probes = (r"(?P<day>\d{1,2})\s+(?:of\s+)?(\w+)", r"(?i)\bcaptur(?:ed|e)\b", r"[^\W\d_]+(?=-)")
        return all(_sre.compile(p, *_unpacked(_packed(_compiled_args(p, 0)))) == _compiler().compile(p, 0)
                   for p in probes)
    except Exception:  # another interpreter's internals: the ordinary way
        return False
