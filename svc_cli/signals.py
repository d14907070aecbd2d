"""Interrupts (Ctrl-C, SIGTERM) that cannot undo what is already committed.

Until a load commits, an interrupt rolls it back (``KeyboardInterrupt``). From the
moment COMMIT is issued, ``handler`` only records the signal: the committed load is
then reported as done (with its summary), and ``late_signal`` tells the CLI one came.
"""

from __future__ import annotations

import signal

_state = {"committing": False}
_late: list[int] = []


def handler(signum: int, _frame: object) -> None:
    """SIGINT/SIGTERM: interrupt, unless a commit is under way or done."""
    if _state["committing"]:
        _late.append(signum)
        return
    raise KeyboardInterrupt


def committing() -> None:
    """From now on, interrupts no longer stop this process (called before COMMIT)."""
    _state["committing"] = True


def done_committing() -> None:
    """A failed commit: interrupts stop the process again."""
    _state["committing"] = False


def late_signal() -> str | None:
    """The name of an interrupt received after a commit began, if any."""
    return signal.Signals(_late[0]).name if _late else None
