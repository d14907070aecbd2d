"""A test hook that makes timing-dependent tests deterministic (no sleeps).

With ``SVC_TEST_PAUSE_AT=POINT:MARKER`` in the environment, a run that reaches the named
``POINT`` creates the file ``MARKER`` and blocks until a test deletes it (or signals the
process). Points: ``load-started`` (a load holds the database, before reading files),
``in-transaction`` (rows staged inside the load transaction, before COMMIT),
``committed`` (just after COMMIT), ``before-publish`` (a first load's new database is
complete, before it is linked into place). Without the variable ``pause`` costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import time

ENV = "SVC_TEST_PAUSE_AT"


def pause(point: str) -> None:
    """Block at ``point`` while the marker file of ``SVC_TEST_PAUSE_AT`` exists."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, marker = spec.partition(":")
    if name != point or not marker:
        return
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write(str(os.getpid()))
    while os.path.exists(marker):
        time.sleep(0.01)
