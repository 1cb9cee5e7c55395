"""TypeScript clients can be generated from the schema and the README's example operations.

GraphQL Code Generator's client preset (pinned in tests/codegen/package.json, configured in
tests/codegen/codegen.ts) runs over `schema.graphql` (the SDL exported at the repository
root; exported afresh into a temporary folder when the file is absent),
`examples/graphql/*.graphql` and tests/codegen/usage.ts (whose inline `graphql(...)` calls are
documents too). Codegen validates every operation against the schema, so an example that
drifts from the schema fails here. It writes typed documents (graphql.ts), the `graphql()`
function (gql.ts) and, with persisted documents on, persisted-documents.json: the sha256 of
each document's text -> that text, the manifest a gateway that runs only trusted documents
reads. The output is type-checked by `tsc --strict --noEmit` with usage.ts, whose
`@ts-expect-error` lines are wrong usages that must be rejected (so the types are not `any`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, build_schema, parse, validate

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

ROOT = Path(__file__).resolve().parent.parent
CODEGEN = ROOT / "tests" / "codegen"
EXAMPLES = ROOT / "examples" / "graphql"

#: what the preset writes into its output folder
GENERATED_FILES = ["graphql.ts", "gql.ts", "fragment-masking.ts", "index.ts", "persisted-documents.json"]
#: the operations of usage.ts (its fragment travels inside the operation's document)
USAGE_OPERATIONS = {"CodegenViewer"}
#: client-preset 6 writes sha256 document ids the GraphQL-over-HTTP way: "sha256:<hex>"
HASH = re.compile(r"sha256:([0-9a-f]{64})")


def run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, check=False, cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def require_npm() -> None:
    if shutil.which("npm") is None or shutil.which("npx") is None:
        pytest.fail(
            "npm/npx not found: install Node.js 20+ with npm (e.g. apt-get install -y nodejs npm), "
            "then run scripts/install-node-assets --with-codegen",
            pytrace=False,
        )


def schema_file(tmp_path: Path) -> Path:
    """The repository's exported SDL; when it is not there yet, export it now."""
    committed = ROOT / "schema.graphql"
    if committed.is_file():
        return committed
    exported = tmp_path / "schema.graphql"
    export = [sys.executable, "-m", "gateway.cli", "export-schema", "--output", str(exported)]
    done = run(export, cwd=ROOT, timeout=120)
    if done.returncode != 0 or not exported.is_file():
        pytest.fail(
            "schema.graphql is missing at the repository root and `gateway export-schema --output FILE` "
            f"could not produce it (exit {done.returncode}):\n{done.stdout}{done.stderr}",
            pytrace=False,
        )
    return exported


def operation_names(source: str) -> set[str]:
    return {
        definition.name.value
        for definition in parse(source).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }


def test_client_preset_types_and_persists_the_example_operations(tmp_path: Path) -> None:
    require_npm()
    installed = run([str(ROOT / "scripts/install-node-assets"), "--with-codegen"], cwd=ROOT)
    assert installed.returncode == 0, (
        f"scripts/install-node-assets --with-codegen failed:\n{installed.stdout}{installed.stderr}"
    )
    examples = sorted(EXAMPLES.glob("*.graphql"))
    assert {p.name for p in examples} >= {
        "list_numbers.graphql",
        "purchase_number.graphql",
        "update_number.graphql",
        "release_number.graphql",
    }
    example_operations: set[str] = set()
    for example in examples:
        example_operations |= operation_names(example.read_text())
    assert example_operations >= {"ListNumbers", "PurchaseNumber", "UpdateNumber", "ReleaseNumber"}

    # The temporary folder is laid out like tests/codegen, so usage.ts's "./generated" imports
    # resolve in both, and node_modules is linked so the generated imports
    # (@graphql-typed-document-node/core, graphql) resolve as they would in a project.
    schema = schema_file(tmp_path)
    out = tmp_path / "generated"
    generated = run(
        ["npx", "--no", "--", "graphql-codegen", "--config", "codegen.ts"],
        cwd=CODEGEN,
        env={
            "CODEGEN_SCHEMA": str(schema),
            "CODEGEN_DOCUMENTS": str(EXAMPLES / "*.graphql"),
            "CODEGEN_USAGE": str(CODEGEN / "usage.ts"),
            "CODEGEN_OUT": str(out),
            "NO_COLOR": "1",
            "CI": "1",  # plain output, no interactive renderer
        },
    )
    assert generated.returncode == 0, f"graphql-codegen failed:\n{generated.stdout}\n{generated.stderr}"
    missing = [name for name in GENERATED_FILES if not (out / name).is_file()]
    assert not missing, f"the client preset did not write {missing} (wrote {sorted(p.name for p in out.iterdir())})"

    # persisted-documents.json: every key is the sha256 of exactly the string it maps to.
    manifest = json.loads((out / "persisted-documents.json").read_text())
    assert isinstance(manifest, dict) and manifest, f"persisted-documents.json is empty or not an object: {manifest!r}"
    sdl = build_schema(schema.read_text())
    persisted_operations: dict[str, str] = {}
    for key, document in manifest.items():
        assert isinstance(document, str), f"{key} maps to {document!r}, not a document"
        match = HASH.fullmatch(key)
        assert match, f"{key!r} is not a sha256 document id (sha256:<64 hex>)"
        assert match.group(1) == hashlib.sha256(document.encode()).hexdigest(), (
            f"{key} is not the sha256 of the document it maps to:\n{document}"
        )
        # What the gateway would run for this hash must be valid against its schema.
        errors = validate(sdl, parse(document))
        assert not errors, f"the persisted document {key} does not validate: {errors}"
        for name in operation_names(document):
            assert name not in persisted_operations, f"{name} is persisted twice"
            persisted_operations[name] = key
    assert set(persisted_operations) == example_operations | USAGE_OPERATIONS
    assert "fragment AccountSummary on Account" in manifest[persisted_operations["CodegenViewer"]], (
        "the operation's persisted document must carry the fragment it spreads"
    )

    # Each typed document carries its hash, so a client can send the hash alone.
    typed = (out / "graphql.ts").read_text()
    for name, key in persisted_operations.items():
        assert f"export const {name}Document = " in typed, f"{name}Document is missing from graphql.ts"
        assert f'"__meta__":{{"hash":"{key}"}}' in typed, f"{name}Document does not carry its hash {key}"
        for suffix in ("Query", "Mutation"):
            if f"{name}{suffix}Variables" in typed:
                assert f"export type {name}{suffix} =" in typed
                break
        else:
            pytest.fail(f"graphql.ts has no result/variables types for {name}")

    shutil.copy(CODEGEN / "usage.ts", tmp_path / "usage.ts")
    (tmp_path / "node_modules").symlink_to(CODEGEN / "node_modules", target_is_directory=True)
    (tmp_path / "tsconfig.json").write_text(
        json.dumps({"extends": str(CODEGEN / "tsconfig.json"), "include": ["usage.ts", "generated/**/*.ts"]}, indent=2)
    )
    checked = run(
        ["npx", "--no", "--", "tsc", "--strict", "--noEmit", "--listFiles", "-p", str(tmp_path / "tsconfig.json")],
        cwd=CODEGEN,
    )
    assert checked.returncode == 0, f"tsc rejected the generated types:\n{checked.stdout}\n{checked.stderr}"
    # A tsconfig that matched nothing would pass too: make sure both halves were checked.
    listed = {Path(line).resolve() for line in checked.stdout.splitlines() if line.strip()}
    for needed in (tmp_path / "usage.ts", out / "graphql.ts", out / "gql.ts"):
        assert needed.resolve() in listed, f"tsc did not check {needed}:\n{checked.stdout}"
