"""Queries run from their plan (`graphql.plans`); everything else, and any query whose
plan cannot answer, runs through graphql-core unchanged.

A plan runs level by level: the objects of a level are built at once by their
generated code (`graphql.plan_code`), and what resolvers handed back to await
(DataLoader futures, async resolvers) is awaited together before the next level, so
the loaders batch exactly as under graphql-core: one query per loader and level,
whatever the page size. Anything that goes wrong while a plan runs abandons it, and
graphql-core runs the whole operation, so the answer (errors, paths, null propagation,
masking) is graphql-core's. Queries only read, so running one a second time changes
nothing; the loaders even answer the second run from their cache.

The compiler is on unless `GATEWAY_GRAPHQL_COMPILER=off` (the context says which);
`gateway_graphql_executions_total{path}` counts which way operations ran.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import cached_property
from types import GeneratorType
from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, OperationType
from graphql.pyutils import Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from gateway.graphql.plan_types import Fallback, FieldPlan, ObjectPlan, OperationPlan, Uncompilable
from gateway.graphql.plans import plan_operation
from gateway.observability.metrics import GRAPHQL_EXECUTIONS

log = logging.getLogger("gateway.graphql.plans")

#: the info given to is_type_of: the gateway's (Strawberry's) read only the value
_NO_INFO: Any = None
#: (awaitable, return type, plan of its objects, path, container, key)
Pending = tuple[Awaitable[Any], Any, ObjectPlan | None, Path, Any, Any]


class PlannedExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, running queries from their plan when the request allows."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        plan = self._plan() if serially is None else None
        if plan is None:
            GRAPHQL_EXECUTIONS.labels("graphql-core").inc()
            return super().execute_operation(serially)
        return self._run(plan)

    def _plan(self) -> OperationPlan | None:
        middleware = self.middleware_manager
        if (self.operation.operation is not OperationType.QUERY or (middleware is not None and middleware.middlewares)
                or not getattr(self.context_value, "compiled_execution", False)):
            return None
        try:
            return plan_operation(self)
        except Uncompilable as reason:
            log.debug("graphql-core runs this operation: %s", reason)
        except Exception:  # e.g. an argument literal that does not coerce: graphql-core reports it
            log.debug("graphql-core runs this operation: no plan could be built", exc_info=True)
        return None

    async def _run(self, plan: OperationPlan) -> Any:
        run = PlanRun(self)
        try:
            data = await run.execute(plan)
        except Exception as reason:  # graphql-core answers: an error to report, or a value to check
            run.discard()
            log.debug("graphql-core runs this operation after its plan gave up: %r", reason)
            GRAPHQL_EXECUTIONS.labels("fallback").inc()
            result = super().execute_operation()
            return await result if self.is_awaitable(result) else result
        GRAPHQL_EXECUTIONS.labels("plan").inc()
        return self.finish(self.build_response(data))


#: classes whose values were found not awaitable (rows, route objects, connections): what
#: makes a value awaitable is its class, except for generators (their code's flags)
_NEVER_AWAITABLE: set[type] = set()


def _remembering(is_awaitable: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """graphql-core's awaitable check, remembered per class: its `hasattr(value, "__await__")`
    costs about 5 µs on a SQLModel row (pydantic's __getattr__ raising)."""

    def check(value: Any) -> bool:
        kind = value.__class__
        if kind in _NEVER_AWAITABLE:
            return False
        if is_awaitable(value):
            return True
        if kind is not GeneratorType and len(_NEVER_AWAITABLE) < 1024:
            _NEVER_AWAITABLE.add(kind)
        return False

    return check


class LazyInfo(Info):
    """Strawberry's Info, whose graphql-core resolve info is built on first use: most
    resolvers read only `info.context` (its loaders), and the resolve info (a 15-field
    named tuple) was a fifth of a page's plan."""

    def __init__(self, executor: PlannedExecutor, plan: FieldPlan, path: Path) -> None:  # no dataclass init
        self._executor, self._plan, self._path = executor, plan, path
        self._field = plan.definition

    @cached_property
    def _raw_info(self) -> Any:  # type: ignore[override]
        plan = self._plan
        return self._executor.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, self._path)

    @property
    def context(self) -> Any:
        return self._executor.context_value


class PlanRun:
    """One execution of a plan, and the values it still awaits (what generated code calls)."""

    def __init__(self, executor: PlannedExecutor) -> None:
        self.executor = executor
        self.is_awaitable = _remembering(executor.is_awaitable)
        self.pending: list[Pending] = []
        strawberry_schema = getattr(executor.schema, "_strawberry_schema", None)
        self.info_class = strawberry_schema.config.info_class if strawberry_schema is not None else None

    async def execute(self, plan: OperationPlan) -> dict[str, Any]:
        data = plan.root.build(self.executor.root_value, None, self)
        while self.pending:
            level, self.pending = self.pending, []
            values = await asyncio.gather(*(entry[0] for entry in level), return_exceptions=True)
            for (_, return_type, child, path, container, key), value in zip(level, values, strict=True):
                if isinstance(value, BaseException):
                    raise value
                self.complete(return_type, child, value, path, container, key)
        return data

    def discard(self) -> None:
        """Close what an abandoned run would have awaited (no 'never awaited' warnings)."""
        for entry in self.pending:
            close = getattr(entry[0], "close", None)
            if close is not None:
                close()
        self.pending = []

    def later(self, value: Awaitable[Any], plan: FieldPlan, path: Path, container: Any, key: Any) -> None:
        """Complete the field once its value is there, with the rest of its level."""
        self._await(value, plan.return_type, plan.child, path, container, key)

    def _await(self, value: Awaitable[Any], return_type: Any, child: ObjectPlan | None, path: Path,
               container: Any, key: Any) -> None:
        container[key] = None  # holds the key's place in the response order
        self.pending.append((value, return_type, child, path, container, key))

    def info(self, plan: FieldPlan, path: Path) -> Any:
        """The Strawberry Info a resolver asks for, as Strawberry's wrapper makes it, but
        building graphql-core's resolve info only if the resolver reads more than its context."""
        if self.info_class is Info:
            return LazyInfo(self.executor, plan, path)
        raw = self.executor.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, path)
        assert self.info_class is not None
        return self.info_class(_raw_info=raw, _field=plan.definition)

    def resolve(self, plan: FieldPlan, source: Any, path: Path) -> Any:
        """The field's value from graphql-core's resolve function (Strawberry's wrapper)."""
        executor = self.executor
        info = executor.build_resolve_info(plan.field_def, plan.nodes, plan.parent_type, path)
        resolve = plan.field_def.resolve
        assert resolve is not None
        return resolve(source, info, **plan.arguments(executor))

    def complete(self, return_type: Any, child: ObjectPlan | None, value: Any, path: Path,
                 container: Any, key: Any) -> None:
        """graphql-core's complete_value on success; Fallback where it would report an error."""
        if self.is_awaitable(value):
            self._await(value, return_type, child, path, container, key)
            return
        if isinstance(return_type, GraphQLNonNull):
            if value is None:
                raise Fallback
            return_type = return_type.of_type
        elif value is None:
            container[key] = None
            return
        if isinstance(return_type, GraphQLList):
            if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
                raise Fallback
            items: list[Any] = []
            container[key] = items
            item_type = return_type.of_type
            for index, item in enumerate(value):
                items.append(None)
                self.complete(item_type, child, item, Path(path, index, None), items, index)
            return
        if isinstance(return_type, GraphQLObjectType):
            assert child is not None
            is_type_of = return_type.is_type_of
            if is_type_of is not None and is_type_of(value, _NO_INFO) is not True:
                raise Fallback
            container[key] = child.build(value, path, self)
            return
        container[key] = self.leaf(return_type.serialize, value)

    def leaf(self, serialize: Callable[[Any], Any], value: Any) -> Any:
        if self.is_awaitable(value):
            raise Fallback
        serialized = serialize(value)
        if serialized is None or serialized is Undefined:
            raise Fallback
        return serialized
