// GraphQL Code Generator over the gateway's exported SDL and the README's example
// operations. tests/test_codegen.py runs it with CODEGEN_SCHEMA / CODEGEN_OUT pointing
// into a temporary folder; run by hand from tests/codegen (`npx graphql-codegen`) it reads
// ../../schema.graphql and writes generated/schema.ts and generated/operations.ts.
import type { CodegenConfig } from "@graphql-codegen/cli";

const schema = process.env.CODEGEN_SCHEMA ?? "../../schema.graphql";
const documents = process.env.CODEGEN_DOCUMENTS ?? "../../examples/graphql/*.graphql";
const out = process.env.CODEGEN_OUT ?? "generated";

const shared = {
  // DateTime is an ISO 8601 string on the wire (SPEC §5).
  scalars: { DateTime: "string" },
  enumsAsTypes: true,
  useTypeImports: true,
};

const config: CodegenConfig = {
  overwrite: true,
  schema,
  documents,
  // Fail, rather than generate nothing, when the glob matches no operation.
  ignoreNoDocuments: false,
  generates: {
    // Schema types (typescript), then the operations' types (typescript-operations), which
    // since v6 emit the enums and inputs they use unless told to import them: two files,
    // so nothing is declared twice.
    [`${out}/schema.ts`]: {
      plugins: ["typescript"],
      config: { ...shared },
    },
    [`${out}/operations.ts`]: {
      plugins: ["typescript-operations"],
      config: { ...shared, importSchemaTypesFrom: `${out}/schema.ts` },
    },
  },
};

export default config;
