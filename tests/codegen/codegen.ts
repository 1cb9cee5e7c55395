// GraphQL Code Generator's client preset over the gateway's exported SDL and the README's
// example operations. tests/test_codegen.py runs it with CODEGEN_SCHEMA / CODEGEN_DOCUMENTS /
// CODEGEN_OUT pointing into a temporary folder; run by hand from tests/codegen
// (`npx graphql-codegen`) it reads ../../schema.graphql and writes generated/ (graphql.ts,
// gql.ts, fragment-masking.ts, index.ts and persisted-documents.json), which usage.ts imports.
import type { CodegenConfig } from "@graphql-codegen/cli";

const schema = process.env.CODEGEN_SCHEMA ?? "../../schema.graphql";
const examples = process.env.CODEGEN_DOCUMENTS ?? "../../examples/graphql/*.graphql";
// usage.ts holds inline graphql(`...`) calls: the preset types them only if it reads the file.
const usage = process.env.CODEGEN_USAGE ?? "usage.ts";
// The preset writes a folder, and insists on the trailing slash.
const out = (process.env.CODEGEN_OUT ?? "generated").replace(/\/*$/, "/");

const config: CodegenConfig = {
  overwrite: true,
  schema,
  documents: [examples, usage],
  // Fail, rather than generate nothing, when the globs match no operation.
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: "client",
      config: {
        // DateTime is an RFC 3339 string on the wire (SPEC §5); without this it would be
        // `unknown` and `new Date(number.dateCreated)` would not type-check.
        scalars: { DateTime: "string" },
        // Enums as unions of string literals (what `enumsAsTypes` did before the preset's
        // v6, which replaced that option with `enumType`): nothing emitted at run time.
        enumType: "string-literal",
        // tsconfig.json has verbatimModuleSyntax: type-only imports must say `import type`.
        useTypeImports: true,
      },
      presetConfig: {
        // persisted-documents.json: { sha256 of the document text: document text }, the
        // gateway's trusted-documents manifest (sha256, the hash Apollo's APQ uses too);
        // each typed document carries its hash in `__meta__.hash`.
        persistedDocuments: { hashAlgorithm: "sha256" },
      },
    },
  },
};

export default config;
