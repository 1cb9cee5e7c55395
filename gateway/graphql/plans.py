"""Execution plans of validated queries: what graphql-core works out for every field of
every item of a page, worked out once per document.

A plan is the operation's selection sets after fragments, `@skip`/`@include` and
aliases (graphql-core's own `collect_fields`, so the grouping and merging are its
rules), one `ObjectPlan` per selection set of an object type, each with a generated
function (`graphql.plan_code`) that builds the response mapping of one object straight
from it: a column is one attribute read, a resolver that needs nothing else is called
with the object alone, and the rest goes through the run (`graphql.executor.PlanRun`).
graphql-jit is the model.

A plan is built only for what it can answer exactly as graphql-core would on success
(`Uncompilable` otherwise, and graphql-core runs the operation): no abstract types
(`node(id:)` returns an interface), no introspection, no fragment variables, no
middleware. Anything that goes wrong while a plan runs (an error, a null where the
schema says non-null, a value a scalar refuses) abandons the plan and graphql-core runs
the operation from the start, so errors, their paths and null propagation are always
graphql-core's.

Plans are cached per operation (the parser cache hands back the same document for the
same text) and the values of the variables its directives read.
"""

from __future__ import annotations

import keyword
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLString,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList, collect_fields, collect_subfields
from graphql.execution.values import get_argument_values
from graphql.language import DirectiveNode, OperationDefinitionNode, VariableNode, Visitor, visit

from gateway.graphql.plan_code import generate
from gateway.graphql.plan_types import FieldPlan, Mode, ObjectPlan, OperationPlan, Uncompilable

if TYPE_CHECKING:
    from graphql.execution import Executor

CACHE_SIZE = 256


# -- building ----------------------------------------------------------------------


def plan_operation(executor: Executor) -> OperationPlan:
    """The plan of the executor's operation (from the cache when it was built before)."""
    # The parser cache hands back the same document, so the same operation node, for
    # the same text: the node identifies the document and the operation in it.
    operation = executor.operation
    names = _directive_variables(executor)
    coerced = executor.variable_values.coerced
    key = (id(executor.schema), id(operation), tuple(_hashable(coerced.get(name)) for name in names))
    cached = _CACHE.get(key)
    if cached is not None and cached.operation is operation and cached.schema is executor.schema:
        _CACHE.move_to_end(key)
        return cached
    plan = OperationPlan(executor.schema, operation, _root_plan(executor, operation))
    _CACHE[key] = plan
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return plan


_CACHE: OrderedDict[tuple[Any, ...], OperationPlan] = OrderedDict()
#: per operation: the variables the @skip/@include of it and its fragments read
_DIRECTIVE_VARIABLES: OrderedDict[int, tuple[OperationDefinitionNode, tuple[str, ...]]] = OrderedDict()


def _directive_variables(executor: Executor) -> tuple[str, ...]:
    operation = executor.operation
    known = _DIRECTIVE_VARIABLES.get(id(operation))
    if known is not None and known[0] is operation:
        return known[1]
    names: set[str] = set()

    class Directives(Visitor):
        def enter_directive(self, node: DirectiveNode, *_: Any) -> None:
            for argument in node.arguments or ():
                if isinstance(argument.value, VariableNode):
                    names.add(argument.value.name.value)

    visit(operation, Directives())
    for fragment in executor.fragment_definitions.values():
        visit(fragment, Directives())
    found = tuple(sorted(names))
    _DIRECTIVE_VARIABLES[id(operation)] = (operation, found)
    if len(_DIRECTIVE_VARIABLES) > CACHE_SIZE:
        _DIRECTIVE_VARIABLES.popitem(last=False)
    return found


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _root_plan(executor: Executor, operation: OperationDefinitionNode) -> ObjectPlan:
    root_type = executor.schema.get_root_type(operation.operation)
    if root_type is None:
        raise Uncompilable("no root type")
    collected = collect_fields(executor.schema, executor.fragments, executor.variable_values, root_type, operation,
                               executor.hide_suggestions)
    return _object_plan(executor, root_type, collected.grouped_field_set, depth=0)


def _object_plan(executor: Executor, object_type: GraphQLObjectType, grouped: dict[str, FieldDetailsList],
                 depth: int) -> ObjectPlan:
    if depth > 64:
        raise Uncompilable("nested too deeply")
    plan = ObjectPlan(object_type)
    for key, details in grouped.items():
        plan.fields.append(_field_plan(executor, object_type, key, details, depth))
    plan.build = generate(plan)
    return plan


def _field_plan(executor: Executor, parent: GraphQLObjectType, key: str, details: FieldDetailsList,
                depth: int) -> FieldPlan:
    node = details[0].node
    name = node.name.value
    if any(d.fragment_variable_values is not None or d.defer_usage is not None for d in details):
        raise Uncompilable("fragment variables or @defer")
    nodes = [d.node for d in details]
    if name == "__typename":
        return FieldPlan(key, parent, GraphQLField(GraphQLNonNull(GraphQLString)), nodes, details, Mode.TYPENAME)
    if name.startswith("__"):
        raise Uncompilable("introspection")
    field_def = executor.schema.get_field(parent, name)
    if field_def is None:
        raise Uncompilable(f"no field {name}")
    plan = FieldPlan(key, parent, field_def, nodes, details, *_resolution(executor, field_def))
    if plan.mode is Mode.RESOLVE and not any(_names_variable(argument.value) for argument in node.arguments or ()):
        plan.static_arguments = get_argument_values(field_def, node, None, None, executor.hide_suggestions)
    named = _named_type(field_def.type)
    if is_object_type(named):
        collected = collect_subfields(executor.schema, executor.fragments, executor.variable_values,
                                      executor.operation, named, details, executor.hide_suggestions)
        plan.child = _object_plan(executor, named, collected.grouped_field_set, depth + 1)
    elif not is_leaf_type(named):
        raise Uncompilable(f"{name} returns an abstract type")
    return plan


def _resolution(executor: Executor, field_def: GraphQLField) -> tuple[Mode, str, Callable[..., Any] | None, Any]:
    """How a field is resolved: as Strawberry would, without what this field does not need."""
    definition = (field_def.extensions or {}).get("strawberry-definition")
    if definition is None or field_def.resolve is None:
        raise Uncompilable("not a Strawberry field")
    if definition.is_basic_field:  # Strawberry's own shortcut: getattr(source, python_name)
        attribute = definition.python_name
        if not attribute.isidentifier() or keyword.iskeyword(attribute):
            raise Uncompilable(f"attribute {attribute!r}")
        return Mode.ATTRIBUTE, attribute, None, None
    resolver = definition.base_resolver
    # Strawberry's wrapper converts arguments, runs field extensions and exception
    # handlers, then calls the function with the object as self and info if it asks:
    # without arguments, extensions and handlers, that call is all that is left.
    plain = (resolver is not None and not definition.extensions and not resolver.is_async
             and not definition.arguments and resolver.self_parameter is not None
             and resolver.root_parameter is None and resolver.parent_parameter is None
             and not _exception_handlers(executor))
    if plain and len(resolver.signature.parameters) == 1:
        return Mode.DIRECT, "", resolver.wrapped_func, None
    if plain and resolver.info_parameter is not None and len(resolver.signature.parameters) == 2:
        return Mode.INFO, resolver.info_parameter.name, resolver.wrapped_func, definition
    return Mode.RESOLVE, "", None, None


def _exception_handlers(executor: Executor) -> bool:
    """Whether the Strawberry schema may turn exceptions into results (then only its
    wrapper resolves fields). Unknown counts as yes."""
    strawberry_schema = getattr(executor.schema, "_strawberry_schema", None)
    converter = getattr(strawberry_schema, "schema_converter", None)
    return bool(getattr(converter, "_exception_handler_specs", True))


def _names_variable(value: Any) -> bool:
    if isinstance(value, VariableNode):
        return True
    values = getattr(value, "values", None) or [f.value for f in getattr(value, "fields", None) or ()]
    return any(_names_variable(v) for v in values)


def _named_type(type_: Any) -> Any:
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_
