"""Error hierarchy and exit codes.

Library code raises :class:`SvcError` subclasses carrying a message and, where there is
one, a hint on how to fix the problem. The CLI turns each into a one-line ``Error: …`` on
stderr and the exit code of its class; no user error ever shows a traceback. A message
or hint that is an ``i18n.Message`` is shown in the command's ``--lang``.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

from svc_cli.i18n import Message, Verbatim


class ExitCode(IntEnum):
    """Documented process exit codes."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    BUSY = 75  # another svc holds the database (EX_TEMPFAIL: try again later)
    INTERRUPTED = 130


class SvcError(Exception):
    """Base class of every error svc reports to a user."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(SvcError):
    """A command-line value that cannot be used (unknown shop, service, indicator …)."""

    exit_code = ExitCode.USAGE


class ConfigError(SvcError):
    """A model config file that is missing, malformed or inconsistent."""

    exit_code = ExitCode.USAGE


class InputError(SvcError):
    """An input file that cannot be read or does not match the expected format."""

    exit_code = ExitCode.USAGE


class Interrupted(SvcError):
    """The user interrupted a command (Ctrl-C, SIGTERM)."""

    exit_code = ExitCode.INTERRUPTED


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is a user interrupt, as Python or as DuckDB reports it."""
    if isinstance(exc, KeyboardInterrupt):
        return True
    name = type(exc).__name__
    return name == "InterruptException" or (
        isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()
    )


class DataError(SvcError):
    """The database holds nothing to compute on, or is not an svc database."""

    exit_code = ExitCode.FAILURE


def shown_value(value: str | None) -> str:
    """A cell's value as a problem shows it: quoted, or "empty" (in the user's language)."""
    return Message("value.empty") if value is None else Verbatim(repr(value))


class RowProblem(NamedTuple):
    """One invalid value in an input file (line numbers count the header as line 1);
    ``reason`` is a ``Message`` when the catalog has it (``--lang zh``)."""

    file: str
    line: int
    column: str
    value: str | None
    reason: str
    value_in_reason: bool = False  # the reason shows the value itself: not again after it

    def message(self) -> Message:
        """The problem as a message: English text, translated by ``i18n.translate``."""
        return Message(
            "row_problem_in_reason" if self.value_in_reason else "row_problem",
            file=self.file,
            line=str(self.line),
            column=Verbatim(repr(self.column)),
            reason=self.reason if isinstance(self.reason, Message) else Verbatim(self.reason),
            value=shown_value(self.value),
        )

    def __str__(self) -> str:
        return str(self.message())


class ValidationError(InputError):
    """Rows of input files failed validation. ``head`` says what that stopped: a load
    (nothing was loaded, the default) or a computation on files; the message adds the
    first problem (the command line lists them all under ``head`` instead)."""

    def __init__(
        self,
        problems: list[RowProblem],
        total: int,
        hint: str | None = None,
        head: str | None = None,
    ) -> None:
        self.problems = problems
        self.total = total
        self.head = head or Message("invalid_rows.load", total=str(total))
        message = (
            Message("invalid_rows.first", head=self.head, problem=problems[0].message())
            if problems
            else self.head
        )
        super().__init__(message, hint)
