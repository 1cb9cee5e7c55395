"""A keyset window of a list, cut from the rows read for it.

Every list reads one row more than the page asks for: whether that row came back says
whether more rows lie beyond the page, with no COUNT. The same cut serves one list (the
root `incomingPhoneNumbers`) and many parents' lists read at once (nested connections).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from gateway.domain.paging import Page

T = TypeVar("T")


@dataclass(frozen=True)
class Window(Generic[T]):
    items: list[T]
    #: every row of the list (all pages); -1 when it was not asked for
    total: int
    has_before: bool
    has_after: bool


def cut(rows: list[T], page: Page[Any], total: int = -1) -> Window[T]:
    """The window of `rows`, read in list order with `page.limit + 1` as their limit."""
    more = len(rows) > page.limit
    if page.from_end:
        # Read from the end: the extra row is the first one.
        return Window(rows[1:] if more else rows, total, more, page.before is not None)
    return Window(rows[:page.limit], total, page.after is not None, more)
