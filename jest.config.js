// Unit and protocol tests run from TypeScript sources through ts-jest (type-checking is `npm run typecheck`);
// acceptance tests drive the built bin/terraform-provider-agyn with the real terraform binary.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  testTimeout: 120000,
};
