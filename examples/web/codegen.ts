// Types and documents for src/ from the gateway's exported SDL (../../schema.graphql),
// with graphql-codegen's client preset. Every operation is in src/operations.graphql;
// codegen validates them against the schema and writes, into src/gql/:
//   graphql.ts                 the operations' types and their documents (SignInDocument, ...)
//                              as typed strings, each carrying its sha256 in __meta__.hash
//   gql.ts, index.ts           the preset's graphql() lookup, unused here: src/ imports the
//                              documents from graphql.ts, so their text is bundled once
//   persisted-documents.json   the trusted-documents manifest (hash -> document) that the
//                              gateway loads from GATEWAY_GRAPHQL_DOCUMENTS
// CODEGEN_SCHEMA points at another SDL file (e.g. one exported from a gateway checkout
// that is newer than the committed schema.graphql).
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  overwrite: true,
  schema: process.env.CODEGEN_SCHEMA ?? "../../schema.graphql",
  documents: "src/operations.graphql",
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: {
        // The gateway names trusted documents by their sha256 (GraphQL over HTTP's
        // documentId); sha1, the preset's default, would not match.
        persistedDocuments: { hashAlgorithm: "sha256" },
        // Components read the fields they asked for directly: no useFragment() unmasking.
        fragmentMasking: false,
      },
      config: {
        // Documents as strings: fetch() sends them as they are, no graphql runtime in the bundle.
        documentMode: "string",
        // DateTime is an ISO 8601 string on the wire.
        scalars: { DateTime: "string" },
        enumType: "string-literal",
        useTypeImports: true,
      },
    },
  },
};

export default config;
