"""Temporary copies of buyer data that no crash can leave behind.

A converted copy of an export (re-encoded, decompressed, normalised by a preset) holds
real customer ids. On Linux it is an *anonymous* file: created with ``O_TMPFILE`` (or
unlinked right after creation), so it has no name in any folder and the kernel frees it
when the process ends, however it ends (SIGKILL included). It is read and written through
``/proc/self/fd/N``. Elsewhere it is a named temporary file, deleted by ``discard``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_FD_PATH = re.compile(r"^/proc/self/fd/(\d+)$")


def create(prefix: str = "svc-", suffix: str = "") -> Path:
    """A new empty temporary file; give it back with ``discard``."""
    directory = tempfile.gettempdir()
    if os.path.isdir("/proc/self/fd"):
        fd = None
        if hasattr(os, "O_TMPFILE"):
            try:
                fd = os.open(directory, os.O_TMPFILE | os.O_RDWR, 0o600)
            except OSError:  # a file system without O_TMPFILE
                fd = None
        if fd is None:
            fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)
            os.unlink(name)
        return Path(f"/proc/self/fd/{fd}")
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=directory)
    os.close(fd)
    return Path(name)


def discard(path: Path) -> None:
    """Free a file made by ``create`` (closing an anonymous one frees its space)."""
    match = _FD_PATH.match(str(path))
    if match:
        with contextlib.suppress(OSError):
            os.close(int(match.group(1)))
        return
    path.unlink(missing_ok=True)
