"""What an operation may cost, checked before it runs (validation rules).

A carrier search is the expensive field: each `availablePhoneNumbers` (and
`availableCountries`) asks the carrier, and aliases or fragments can repeat it. An
operation may start at most `MAX_CARRIER_SEARCHES`; one that would start more is
refused with an error naming the limit, before any of them runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    ValidationRule,
)

#: root fields that call the carrier
CARRIER_FIELDS = frozenset({"availablePhoneNumbers", "availableCountries"})
MAX_CARRIER_SEARCHES = 5


class CarrierSearchLimit(ValidationRule):
    def leave_document(self, node: Any, *_args: Any) -> None:
        fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
        for operation in node.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            searches = _count_root_fields(operation.selection_set.selections, fragments, CARRIER_FIELDS, set())
            if searches > MAX_CARRIER_SEARCHES:
                name = f"operation {operation.name.value!r}" if operation.name else "the operation"
                self.report_error(GraphQLError(
                    f"{name} would start {searches} carrier searches (availablePhoneNumbers, availableCountries,"
                    f" aliases included); at most {MAX_CARRIER_SEARCHES} are allowed per request",
                    operation,
                    extensions={"code": "CARRIER_SEARCH_LIMIT", "limit": MAX_CARRIER_SEARCHES},
                ))


def _count_root_fields(
    selections: Iterable[SelectionNode], fragments: dict[str, FragmentDefinitionNode], names: frozenset[str],
    visiting: set[str],
) -> int:
    count = 0
    for selection in selections:
        if isinstance(selection, FieldNode):
            count += selection.name.value in names
        elif isinstance(selection, InlineFragmentNode):
            count += _count_root_fields(selection.selection_set.selections, fragments, names, visiting)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is not None and fragment.name.value not in visiting:  # cycles are another rule's error
                count += _count_root_fields(
                    fragment.selection_set.selections, fragments, names, visiting | {fragment.name.value}
                )
    return count
