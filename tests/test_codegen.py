"""TypeScript clients can be generated from the schema and the README's example operations.

GraphQL Code Generator (typescript + typescript-operations, pinned in
tests/codegen/package.json) runs over `schema.graphql` (the SDL exported at the repository
root; exported afresh into a temporary folder when the file is absent) and
`examples/graphql/*.graphql`. Codegen validates every operation against the schema, so an
example that drifts from the schema fails here. The output is then type-checked by
`tsc --noEmit` together with a small program that uses the generated types, including
deliberately wrong assignments that must be rejected (so the types are not `any`).
Two generated files: `schema.ts` (typescript) and `operations.ts` (typescript-operations,
importing the schema's enums and inputs; v6 of that plugin would otherwise re-declare them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a system test: `-m 'not slow'` skips it locally

ROOT = Path(__file__).resolve().parent.parent
CODEGEN = ROOT / "tests" / "codegen"
EXAMPLES = ROOT / "examples" / "graphql"

OPERATION_TYPES = [
    "ListNumbersQuery",
    "ListNumbersQueryVariables",
    "PurchaseNumberMutation",
    "PurchaseNumberMutationVariables",
    "UpdateNumberMutation",
    "UpdateNumberMutationVariables",
    "ReleaseNumberMutation",
    "ReleaseNumberMutationVariables",
]
SCHEMA_TYPES = ["Query", "Mutation", "IncomingPhoneNumber", "PurchaseNumberInput", "UserError", "PhoneNumberType"]

USAGE = """\
import type {
  ListNumbersQuery,
  ListNumbersQueryVariables,
  PurchaseNumberMutation,
  PurchaseNumberMutationVariables,
  ReleaseNumberMutation,
  ReleaseNumberMutationVariables,
  UpdateNumberMutation,
  UpdateNumberMutationVariables,
} from "./operations";
import type { PhoneNumberType, PurchaseNumberInput } from "./schema";

const local: PhoneNumberType = "LOCAL";
export const input: PurchaseNumberInput = { phoneNumber: "+15105550100", voice: { url: "https://example.com/voice" } };

export const page: ListNumbersQueryVariables = { first: 10, type: local, phoneNumber: "510" };

export const purchase: PurchaseNumberMutationVariables = {
  phoneNumber: "+15105550100",
  voiceUrl: "https://example.com/voice",
};

const sid = "PN0123456789abcdef0123456789abcdef";
export const update: UpdateNumberMutationVariables = { sid, friendlyName: "Support" };
export const release: ReleaseNumberMutationVariables = { sid };

export function sids(result: ListNumbersQuery): string[] {
  return result.incomingPhoneNumbers.edges.map((edge) => edge.node.sid);
}

export function nextCursor(result: ListNumbersQuery): string | null | undefined {
  const info = result.incomingPhoneNumbers.pageInfo;
  return info.hasNextPage ? info.endCursor : undefined;
}

export function total(result: ListNumbersQuery): number {
  return result.incomingPhoneNumbers.totalCount;
}

export function purchased(result: PurchaseNumberMutation): string {
  const payload = result.purchaseNumber;
  if (payload.userErrors.length > 0) {
    const first = payload.userErrors[0];
    const where: string = (first.field ?? []).join(".");
    const code: number | null | undefined = first.restcommCode;
    throw new Error(`${where}: ${first.message} (${first.code}, ${code})`);
  }
  return payload.incomingPhoneNumber?.phoneNumber ?? "";
}

export function released(result: ReleaseNumberMutation): string | null | undefined {
  return result.releaseNumber.releasedSid;
}

export function renamed(result: UpdateNumberMutation): string | undefined {
  return result.updateNumber.incomingPhoneNumber?.friendlyName;
}

// The generated types are real types, not `any`: these must be rejected.
// @ts-expect-error first is an Int
export const wrongPage: ListNumbersQueryVariables = { first: "ten" };
// @ts-expect-error phoneNumber is required
export const noNumber: PurchaseNumberMutationVariables = { voiceUrl: "https://example.com/voice" };
"""


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
            "npm/npx not found: install Node.js 18+ with npm (e.g. apt-get install -y nodejs npm)", pytrace=False
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


def test_codegen_types_from_the_example_operations_type_check(tmp_path: Path) -> None:
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

    out = tmp_path / "out"
    generated = run(
        ["npx", "--no", "--", "graphql-codegen", "--config", "codegen.ts"],
        cwd=CODEGEN,
        env={
            "CODEGEN_SCHEMA": str(schema_file(tmp_path)),
            "CODEGEN_DOCUMENTS": str(EXAMPLES / "*.graphql"),
            "CODEGEN_OUT": str(out),
            "NO_COLOR": "1",
            "CI": "1",  # plain output, no interactive renderer
        },
    )
    assert generated.returncode == 0, f"graphql-codegen failed:\n{generated.stdout}\n{generated.stderr}"
    for file, names in (("operations.ts", OPERATION_TYPES), ("schema.ts", SCHEMA_TYPES)):
        source = (out / file).read_text()
        for name in names:
            assert f"export type {name} =" in source, f"{name} is missing from the generated {file}"

    (out / "usage.ts").write_text(USAGE)
    (out / "tsconfig.json").write_text(
        json.dumps({"extends": str(CODEGEN / "tsconfig.json"), "include": ["*.ts"]}, indent=2)
    )
    checked = run(["npx", "--no", "--", "tsc", "--noEmit", "-p", str(out / "tsconfig.json")], cwd=CODEGEN)
    assert checked.returncode == 0, f"tsc rejected the generated types:\n{checked.stdout}\n{checked.stderr}"
