// The generation of bindings/ (scripts/cdk-bindings/generate.mjs), driven by the schema alone: a type the provider
// adds (such as the ephemeral agyn_api_token) gets its class with no list to update by hand. That the committed
// bindings are what the generator makes (deterministically) from the current schema is `npm run generate:check`.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { repoRoot } from "../support/terraform";
import { packageVersion, run } from "./cdk-support";

interface ProviderSchemaJson {
  provider_schemas: Record<string, Record<string, Record<string, unknown>>>;
}

const ADDRESS = "registry.terraform.io/agynio/agyn";

function providerSchema(): ProviderSchemaJson {
  return JSON.parse(run(join(repoRoot, "bin/terraform-provider-agyn"), ["schema"], { cwd: repoRoot })) as ProviderSchemaJson;
}

/** Runs the generator on a schema; returns every generated file's text by path. */
function generate(scratch: string, name: string, schema: ProviderSchemaJson): Map<string, string> {
  const schemaFile = join(scratch, `${name}.schema.json`);
  writeFileSync(schemaFile, JSON.stringify(schema));
  const out = join(scratch, name);
  run(process.execPath, [join(repoRoot, "scripts/cdk-bindings/generate.mjs"), "--schema", schemaFile, "--out", out], { cwd: repoRoot });
  return readTree(out);
}

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const p = join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return files;
}

describe("cdktf/cdktn bindings generation", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "agyn-bindings-"));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("has one namespace per type of the current schema, each pinning the provider to this package's version", () => {
    const agyn = providerSchema().provider_schemas[ADDRESS];
    const kebab = (type: string) => type.replace(/_/g, "-");
    const types = (key: string) => Object.keys(agyn[key] ?? {});
    const expected = (fw: string) =>
      [
        "provider",
        ...types("resource_schemas").map((t) => kebab(t.replace(/^agyn_/, ""))),
        ...types("data_source_schemas").map((t) => `data-${kebab(t)}`),
        // cdktf 0.21 has no ephemeral resources.
        ...(fw === "cdktn" ? types("ephemeral_resource_schemas").map((t) => `ephemeral-${kebab(t)}`) : []),
      ].sort();
    const files = readTree(join(repoRoot, "bindings"));
    for (const fw of ["cdktf", "cdktn"]) {
      const namespaces = [...files.keys()]
        .map((path) => path.split("/"))
        .filter((parts) => parts.length === 3 && parts[0] === fw && parts[2] === "index.ts")
        .map((parts) => parts[1]);
      expect(namespaces.sort()).toEqual(expected(fw));
      for (const ns of namespaces) expect(files.get(`${fw}/${ns}/index.ts`)).toContain(`providerVersion: '${packageVersion}'`);
    }
  });

  it("turns every type of the schema into a namespace: a new resource in both, an ephemeral resource in cdktn", () => {
    const schema = providerSchema();
    const agyn = schema.provider_schemas[ADDRESS];
    const block = {
      attributes: {
        description: { type: "string", description_kind: "plain", required: true },
        token: { type: "string", description_kind: "plain", computed: true, sensitive: true },
      },
      description_kind: "plain",
    };
    agyn.resource_schemas = { ...agyn.resource_schemas, agyn_widget: { version: 0, block } };
    agyn.ephemeral_resource_schemas = { agyn_api_token: { version: 0, block } };
    const files = generate(scratch, "extended", schema);

    for (const fw of ["cdktf", "cdktn"]) {
      expect(files.get(`${fw}/index.ts`)).toMatch(/^export \* as widget from '\.\/widget(\/index)?';$/m);
      expect(files.get(`${fw}/widget/index.ts`)).toContain(`export class Widget extends ${fw}.TerraformResource`);
    }
    expect(files.get("cdktn/index.ts")).toMatch(
      /^export \* as ephemeralAgynApiToken from '\.\/ephemeral-agyn-api-token(\/index)?';$/m,
    );
    expect(files.get("cdktn/ephemeral-agyn-api-token/index.ts")).toContain(
      "export class EphemeralAgynApiToken extends cdktn.TerraformEphemeralResource",
    );
    // cdktf 0.21 has no ephemeral resources: nothing is generated for them.
    expect([...files.keys()].filter((p) => p.startsWith("cdktf/") && p.includes("ephemeral"))).toEqual([]);
  });
});
