"""Temporary copies of buyer data that no crash can leave behind.

A converted copy of an export (re-encoded, decompressed, normalised by a preset) holds
real customer ids. On Linux it is an *anonymous* file: created with ``O_TMPFILE`` (or
unlinked right after creation), so it has no name in any folder and the kernel frees it
when the process ends, however it ends (SIGKILL included). It is read and written through
``/proc/self/fd/N``. Elsewhere it is a named temporary file, deleted by ``discard``.
A rejects CSV is written the same way beside its final name and only named (``publish``)
once the load commits.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

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


def open_new(path: Path) -> BinaryIO:
    """A file from ``create``, opened to be written. Not truncated: a truncated ext4 file
    is written out to disk when closed (its ``auto_da_alloc``; ~0.25 s a GB), which a
    temporary file never needs."""
    return open(path, "r+b")


def create_beside(target: Path) -> Path:
    """An anonymous file in ``target``'s folder that ``publish`` later names ``target``
    (a named ``.TARGET.PID.tmp`` where the system has no ``O_TMPFILE``)."""
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(target.parent, os.O_TMPFILE | os.O_RDWR, 0o666)
        except OSError:  # a missing folder, or a file system without O_TMPFILE
            pass
        else:
            return Path(f"/proc/self/fd/{fd}")
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def publish(path: Path, target: Path) -> None:
    """Give a file from ``create_beside`` its name, replacing ``target`` atomically."""
    match = _FD_PATH.match(str(path))
    if not match:
        os.replace(path, target)
        return
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    # linkat(fd of /proc/self/fd, "N", …, AT_SYMLINK_FOLLOW) names the anonymous file (with
    # no dir fd, os.link would call link(2), which does not follow the /proc link)
    proc_fd = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(match.group(1), tmp, src_dir_fd=proc_fd, follow_symlinks=True)
    finally:
        os.close(proc_fd)
    os.close(int(match.group(1)))
    os.replace(tmp, target)


def fd_of(path: Path) -> int | None:
    """The descriptor an anonymous file is read through (to pass to a child process)."""
    match = _FD_PATH.match(str(path))
    return int(match.group(1)) if match else None


def discard(path: Path) -> None:
    """Free a file made by ``create`` (closing an anonymous one frees its space)."""
    match = _FD_PATH.match(str(path))
    if match:
        with contextlib.suppress(OSError):
            os.close(int(match.group(1)))
        return
    path.unlink(missing_ok=True)
