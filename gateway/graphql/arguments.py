"""Arguments several fields share, each declared once with its description: the filters
of a numbers list (the root `incomingPhoneNumbers` and `Account.incomingPhoneNumbers`)
and relay's paging arguments of every connection.

Optional ones default to UNSET at the field (so the SDL shows no `= null`); resolvers
read them through `selection.unset_to_none`.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.domain.numbers import NumberType
from gateway.graphql import descriptions as text

_FILTERS, _PAGE = text.LIST_FILTERS, text.PAGE_ARGUMENTS

NumberTypeFilter = Annotated[NumberType | None, strawberry.argument(name="type", description=_FILTERS["type"])]
PhoneNumberFilter = Annotated[str | None, strawberry.argument(description=_FILTERS["phone_number"])]
FriendlyNameFilter = Annotated[str | None, strawberry.argument(description=_FILTERS["friendly_name"])]
BetaFilter = Annotated[bool | None, strawberry.argument(description=_FILTERS["beta"])]

First = Annotated[int | None, strawberry.argument(description=_PAGE["first"])]
After = Annotated[str | None, strawberry.argument(description=_PAGE["after"])]
Last = Annotated[int | None, strawberry.argument(description=_PAGE["last"])]
Before = Annotated[str | None, strawberry.argument(description=_PAGE["before"])]
