"""The as-of instant and the window W = (as_of - days, as_of] (spec §2, §9)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from svc_cli.errors import DataError, UsageError
from svc_cli.i18n import Message, Verbatim

if TYPE_CHECKING:
    from svc_cli.engines import Engine

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: The as-of times svc computes for (the windows, horizons and projections around them
#: stay within what a date can hold), and the longest window (ten years).
AS_OF_YEARS = (1900, 9000)  # inclusive
MAX_WINDOW_DAYS = 3_660
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Window:
    as_of: datetime  # inclusive end
    days: int

    @property
    def start(self) -> datetime:
        """Exclusive start."""
        return self.as_of - timedelta(days=self.days)

    @property
    def last_day(self) -> date:
        """The calendar day of the last instant before as_of."""
        return (self.as_of - timedelta(microseconds=1)).date()

    def params(self) -> dict[str, object]:
        return {"as_of": self.as_of, "start": self.start}


def parse_as_of(text: str, timezone: str = "Asia/Shanghai") -> datetime:
    """A date D means the end of D (D+1 00:00:00); a timestamp is taken as is.

    A timestamp with an offset is converted to shop time.
    """
    value = text.strip()
    if _DATE_ONLY.match(value):
        try:
            day = datetime.fromisoformat(value)
        except ValueError as exc:
            raise UsageError(
                Message("error.as_of_not_a_date", value=Verbatim(repr(value)))
            ) from exc
        _check_range(day, value)
        return day + timedelta(days=1)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(
            Message("error.as_of_unreadable", value=Verbatim(repr(value))), Message("hint.as_of")
        ) from exc
    _check_range(parsed, value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    return parsed


def _check_range(as_of: datetime, value: str) -> None:
    """Refuse (a usage error) an as-of whose year is outside ``AS_OF_YEARS``."""
    first, last = AS_OF_YEARS
    if not first <= as_of.year <= last:
        raise UsageError(
            Message(
                "error.as_of_range",
                value=Verbatim(repr(value)),
                first=Verbatim(str(first)),
                last=Verbatim(str(last)),
            )
        )


def resolve_window(con: Engine, as_of: str | datetime | None, days: int, timezone: str) -> Window:
    """The window for a computation; the default as-of is the latest timestamp loaded."""
    if days < 1:
        raise UsageError(Message("error.window_days", days=Verbatim(str(days))))
    if days > MAX_WINDOW_DAYS:
        raise UsageError(
            Message("error.window_days_max", days=Verbatim(str(days)), most=f"{MAX_WINDOW_DAYS:,}")
        )
    if isinstance(as_of, str):
        as_of = parse_as_of(as_of, timezone)
    if as_of is None:
        from svc_cli.store import latest_timestamp

        as_of = latest_timestamp(con)
        if as_of is None:
            raise DataError(Message("error.no_data"), Message("hint.no_data"))
    return Window(as_of=as_of, days=days)
