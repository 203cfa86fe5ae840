// Typed operations from the API's SDL: the SDL is the contract between the Python API and
// this app. A field the UI uses that the schema no longer has fails codegen; a changed type
// fails `tsc`. Both run in `npm run build` and in CI.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../graphql/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*", "!src/**/*.test.{ts,tsx}"],
  ignoreNoDocuments: false,
  errorsOnly: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Operations travel as strings: the app ships no GraphQL parser or printer.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          Date: "string",
          DateTime: "string",
          Decimal: "string",
          JSON: "unknown",
        },
      },
    },
  },
};

export default config;
