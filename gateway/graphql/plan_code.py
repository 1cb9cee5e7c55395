"""The code of an ObjectPlan: one generated function per selection set, building the
response mapping of one object, `build(source, path, run)`.

Each field is written out for its shape, doing on success exactly what graphql-core's
execute_field and complete_value do:

- the value: an attribute read (`source.phone_number`), a call of the resolver's own
  function with the object (and the Info, when it asks for one), or graphql-core's
  resolve function for everything else (`run.resolve`);
- then, for a leaf, the value itself when it already is what the scalar serializes it
  to (a `str` for String and ID, a `bool` for Boolean, an `int` in range for Int) and
  the scalar's `serialize` otherwise (remembered per value for enums); for an object,
  the `is_type_of` check and the child's build; anything else (lists) through
  `run.complete`. An awaitable value is handed to `run.later` and completed after the
  level's awaitables (`graphql.executor`).

Where graphql-core would report an error (a null in a non-null position, a value the
scalar refuses, an exception in a resolver), the code raises or lets the exception
through, and the executor runs the operation through graphql-core instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLNonNull, GraphQLString, is_enum_type, is_leaf_type
from graphql.pyutils import Path, Undefined

from gateway.graphql.plan_types import Fallback, FieldPlan, Mode, ObjectPlan

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
#: scalars whose serialize returns values of these classes unchanged
_PASS_THROUGH = {GraphQLString.name: "str", GraphQLID.name: "str", GraphQLBoolean.name: "bool"}


def generate(plan: ObjectPlan) -> Callable[[Any, Any, Any], dict[str, Any]]:
    """The function building `plan`'s response mapping of one object."""
    namespace: dict[str, Any] = {"Fallback": Fallback, "Path": Path, "INT_MIN": _INT_MIN, "INT_MAX": _INT_MAX,
                                 "TYPE": plan.type.name}
    lines = ["def build(source, path, run):", "    d = {}"]
    for index, field_plan in enumerate(plan.fields):
        lines += _field_code(field_plan, index, namespace)
    lines.append("    return d")
    exec(compile("\n".join(lines), f"<plan {plan.type.name}>", "exec"), namespace)  # noqa: S102
    build: Callable[[Any, Any, Any], dict[str, Any]] = namespace["build"]
    return build


def _field_code(plan: FieldPlan, index: int, namespace: dict[str, Any]) -> list[str]:
    key, name = repr(plan.key), f"F{index}"
    namespace[name] = plan
    if plan.mode is Mode.TYPENAME:
        return [f"    d[{key}] = TYPE"]
    return_type: Any = plan.return_type
    non_null = isinstance(return_type, GraphQLNonNull)
    inner = return_type.of_type if non_null else return_type
    # The field's path, for the Info of resolvers below and for awaitables (not for columns).
    lines = [f"    p = Path(path, {key}, TYPE)"] if plan.mode is not Mode.ATTRIBUTE or not is_leaf_type(inner) else []
    lines.append(f"    v = {_value(plan, name)}")
    if plan.mode is not Mode.ATTRIBUTE:  # an attribute is a stored value; a resolver may hand back an awaitable
        lines += ["    if run.is_awaitable(v):", f"        run.later(v, {name}, p, d, {key})"]
        lines.append("    elif v is None:")
    else:
        lines.append("    if v is None:")
    lines.append("        raise Fallback" if non_null else f"        d[{key}] = None")
    if is_leaf_type(inner):
        namespace[f"S{index}"] = _memoized(inner.serialize) if is_enum_type(inner) else inner.serialize
        lines += ["    else:", f"        d[{key}] = {_serialized(inner, index)}"]
    elif plan.child is not None and inner is plan.child.type:
        namespace[f"C{index}"] = plan.child.build
        namespace[f"T{index}"] = inner.is_type_of
        if inner.is_type_of is not None:  # the gateway's (Strawberry's) read only the value, not the info
            lines += [f"    elif T{index}(v, None) is not True:", "        raise Fallback"]
        lines += ["    else:", f"        d[{key}] = C{index}(v, p, run)"]
    else:  # lists
        lines += ["    else:", f"        run.complete({name}.return_type, {name}.child, v, p, d, {key})"]
    return lines


def _value(plan: FieldPlan, name: str) -> str:
    if plan.mode is Mode.ATTRIBUTE:
        return f"source.{plan.attribute}"
    if plan.mode is Mode.DIRECT:
        return f"{name}.direct(source)"
    if plan.mode is Mode.INFO:
        return f"{name}.direct(source, {plan.attribute}=run.info({name}, p))"
    return f"run.resolve({name}, source, p)"


def _serialized(leaf: Any, index: int) -> str:
    """The expression serializing `v` as graphql-core's complete_leaf_value would, on success."""
    python = _PASS_THROUGH.get(leaf.name)
    if python is not None:
        return f"v if v.__class__ is {python} else run.leaf(S{index}, v)"
    if leaf.name == GraphQLInt.name:
        return f"v if v.__class__ is int and INT_MIN <= v <= INT_MAX else run.leaf(S{index}, v)"
    return f"run.leaf(S{index}, v)"


def _memoized(serialize: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An enum's serialize, remembered per value (Strawberry's walks the enum's values on
    every call). Keyed by the value's class too, so a str never stands for a member."""
    known: dict[tuple[type, Any], Any] = {}

    def serialize_once(value: Any) -> Any:
        key = (value.__class__, value)
        found = known.get(key, Undefined)
        if found is Undefined:
            found = serialize(value)
            if len(known) < 1024:
                known[key] = found
        return found

    return serialize_once
