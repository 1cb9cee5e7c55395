"""What a resolver reads of the query itself: absent arguments, selected fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from gateway.graphql.context import Info


def unset_to_none(value: Any) -> Any:
    """Optional arguments default to UNSET (so the SDL shows no `= null`); absent is null."""
    return None if value is strawberry.UNSET else value


def selects(info: Info, name: str) -> bool:
    """Whether the query selects `name` directly under this field (through fragments too)."""

    def walk(selections: Iterable[Selection]) -> bool:
        for selection in selections:
            if isinstance(selection, SelectedField):
                if selection.name == name:
                    return True
            elif walk(selection.selections):
                return True
        return False

    return any(walk(field.selections) for field in info.selected_fields)
