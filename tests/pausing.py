"""Run ``svc`` in a subprocess that stops at a named point (``svc_cli.testhook``).

Tests wait for the pause marker, an observable fact, instead of sleeping: they pass the
same way on an idle workstation and on a loaded 2-core CI machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SVC = [sys.executable, "-m", "svc_cli"]


def start_paused(
    args: list[Any], point: str, folder: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], Path]:
    """Start ``svc ARGS`` and return once it is blocked at ``point`` (delete the returned
    marker to let it go on)."""
    marker = folder / f"paused-at-{point}"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [*SVC, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {}), "SVC_TEST_PAUSE_AT": f"{point}:{marker}"},
    )
    deadline = time.monotonic() + 300
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"svc ended before {point} ({proc.returncode}): {out}{err}")
        assert time.monotonic() < deadline, f"svc never reached {point}"
        time.sleep(0.01)
    return proc, marker
