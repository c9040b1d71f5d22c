// ESLint: the import direction between layers (the map is the README's architecture section), plus the
// TypeScript checks that catch real mistakes. Generated code is not linted.
import boundaries from "eslint-plugin-boundaries";
import tseslint from "typescript-eslint";

/** The layers, bottom up. An element may import only what its rule below allows. */
const elements = [
  { type: "generated", pattern: "gen/**" },
  { type: "schema", pattern: "schema/**" },
  { type: "plugin-framework", pattern: "provider/**" },
  { type: "local-gateway", pattern: "gateway/local/**" },
  { type: "gateway-client", pattern: "gateway/**" },
  { type: "agyn-provider", pattern: "resources/**" },
  { type: "distribution", pattern: "release/**" },
  { type: "entry-point", pattern: "cmd/**" },
];

export default tseslint.config(
  {
    ignores: [
      "gen/**", "dist/**", "node_modules/**", "coverage/**", "bindings/**",
      // cdktf/cdktn output: the compiled example, synth output, local `cdktf get` output, test scratch.
      "examples/cdktf/.build/**", "examples/cdktf/generated/**", "cdktf.out/**", ".tmp/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { boundaries },
    settings: {
      "boundaries/elements": elements.map((e) => ({ ...e, mode: "full" })),
      "boundaries/include": ["gen/**", "schema/**", "provider/**", "gateway/**", "resources/**", "release/**", "cmd/**"],
      "import/resolver": { node: { extensions: [".ts", ".js"] } },
    },
    rules: {
      "boundaries/element-types": ["error", {
        default: "disallow",
        message: "${file.type} must not import ${dependency.type}: see the layering in the README's architecture section",
        rules: [
          // The framework knows Terraform and nothing of agyn; schema/ is its bottom.
          { from: "schema", allow: ["schema"] },
          { from: "plugin-framework", allow: ["schema", "plugin-framework", "generated"] },
          // The Gateway client speaks for the Gateway and knows nothing of Terraform.
          { from: "gateway-client", allow: ["gateway-client", "generated"] },
          { from: "local-gateway", allow: ["local-gateway", "gateway-client", "generated"] },
          // The agyn provider stands on the framework and the Gateway client, never on generated messages.
          { from: "agyn-provider", allow: ["agyn-provider", "schema", "plugin-framework", "gateway-client"] },
          // Distribution (file names, archives, `install`) needs only the provider's identity.
          { from: "distribution", allow: ["distribution", "agyn-provider"] },
          // Entry points assemble the layers.
          { from: "entry-point", allow: ["schema", "plugin-framework", "gateway-client", "local-gateway", "agyn-provider", "distribution"] },
        ],
      }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Tests and scripts may reach every layer; they still get the TypeScript checks.
    files: ["test/**/*.ts", "scripts/**/*.ts"],
    rules: { "boundaries/element-types": "off", "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // CommonJS build scripts (shared by the ESM build and the TypeScript tests) load node's modules with require().
    files: ["scripts/**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
