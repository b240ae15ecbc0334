"""Time: stored in UTC (naive datetimes in the database), shown in local time.

The clock is the one true edge the tests replace: services read the time from the
``Clock`` they are given, never from ``datetime.now`` directly."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"


def system_utc() -> datetime:
    """This PC's clock, naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Clock:
    """The system clock — on a site with several desks, set right by the database server's.

    ``offset`` is shared by every system clock of the process: :func:`reception.store.startup` sets it
    to the server's clock minus this PC's when the desk works on a PostgreSQL server, so that the
    desks agree on the time records are stamped with and on the day serial numbers count."""

    tz: ZoneInfo = ZoneInfo(DEFAULT_TZ)
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        """Current time, naive UTC (the form stored in the database)."""
        return system_utc() + Clock.offset

    def local_now(self) -> datetime:
        return to_local(self.now(), self.tz)

    def today(self) -> date:
        return self.local_now().date()


@dataclass
class FixedClock(Clock):
    """A clock that only moves when told to (tests, benchmarks, demo data)."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 26, 1, 0, 0))

    def now(self) -> datetime:
        return self.current

    def advance(self, **kwargs: float) -> None:
        self.current = self.current + timedelta(**kwargs)

    def set(self, value: datetime) -> None:
        self.current = value


def to_local(utc_naive: datetime, tz: ZoneInfo | None = None) -> datetime:
    """Naive UTC → naive local time."""
    zone = tz or ZoneInfo(DEFAULT_TZ)
    return utc_naive.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def to_utc(local_naive: datetime, tz: ZoneInfo | None = None) -> datetime:
    """Naive local time → naive UTC."""
    zone = tz or ZoneInfo(DEFAULT_TZ)
    return local_naive.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def local_day_bounds(day: date, tz: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    """The UTC interval [start, end) of a local calendar day."""
    start = datetime(day.year, day.month, day.day)
    return to_utc(start, tz), to_utc(start + timedelta(days=1), tz)


def format_local(utc_naive: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Local time by a ``strftime`` pattern of ASCII only: Chinese in the pattern fails on Windows
    under a non-Chinese legacy code page (Python 3.11) — use :func:`format_local_day_time`."""
    if utc_naive is None:
        return ""
    return to_local(utc_naive).strftime(fmt)


def format_local_day_time(utc_naive: datetime | None) -> str:
    """``11月26日 09:00`` (the Chinese put in by an f-string, never through strftime)."""
    if utc_naive is None:
        return ""
    local = to_local(utc_naive)
    return f"{local.month:02d}月{local.day:02d}日 {local:%H:%M}"
