"""Restcomm's date format: RFC 2822 in UTC, day not zero-padded, English names."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=4096)  # a page shows 100 dates, many alike: the rows of one bulk load, re-read pages
def rfc2822(moment: datetime) -> str:
    """`Mon, 4 Nov 2013 12:14:11 +0000` (stored times are naive UTC)."""
    return (
        f"{_DAYS[moment.weekday()]}, {moment.day} {_MONTHS[moment.month - 1]} {moment.year} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} +0000"
    )
