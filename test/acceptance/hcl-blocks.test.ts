// Every piece of HCL a user may copy passes the real `terraform validate`:
//   • every ```hcl, ```terraform and ```tf block in README.md and docs/**/*.md, and
//   • every .tf file in the Registry's examples layout (examples/provider, resources, data-sources,
//     ephemeral-resources). The runnable stacks elsewhere in examples/ are applied by examples.test.ts.
//
// How a block is checked follows from what it is:
//   • A CLI configuration — every top-level item is a CLI setting (provider_installation, credentials, …) —
//     is loaded by `terraform version` as TF_CLI_CONFIG_FILE and must draw no "problems with the CLI
//     configuration".
//   • A complete configuration — it has a `terraform {}` block — is validated exactly as written, so it
//     must declare every variable it uses.
//   • Anything else is a fragment (a resource, a data source, a provider block…). The check supplies what a
//     fragment leaves to its surroundings and nothing more: `agyn = { source = "agynio/agyn" }` in
//     required_providers, and a `variable` for each `var.x` it uses without declaring. Everything else it
//     refers to must be in the block itself.
//   • Terraform validates a provider configuration only when something uses it, so every `provider "agyn"`
//     block (aliased or not) gets a `data "agyn_user"` read through it.
//   • Providers come from dev_overrides: agyn from bin/, and a schema-only stand-in for hashicorp/time
//     (test/support/stand-in/), since CI has no registry access. Other providers cannot be installed.
//   • Warnings that point into a block fail it like errors, and so does a format `terraform fmt` would change.
// Identical blocks (an example file and the docs page that shows it) are checked once. The blocks share one
// root module (one `terraform get` and one `terraform validate`); a block with an `import {}` block, which
// only a root module may hold, is validated as its own root. If the shared run finds anything, every block
// is validated alone so each failure is reported against its own block.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectHclUnits, type HclUnit } from "../support/hcl-blocks";
import { HclValidator, prepareUnit, type PreparedUnit, type UnitResult } from "../support/hcl-validation";
import { describeWithTerraform, repoRoot } from "../support/terraform";

const prepare = (units: HclUnit[], prefix: string) =>
  units.map((u, i) => prepareUnit(u, `${prefix}${String(i + 1).padStart(2, "0")}`));

describeWithTerraform("HCL in README.md, docs/ and examples/", (tf) => {
  const units = prepare(collectHclUnits(repoRoot), "b");
  let dir: string;
  let results: Map<string, UnitResult>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "agyn-hcl-"));
    const started = Date.now();
    const run = await new HclValidator(tf, dir).check(units);
    results = run.results;
    const shared = [...results.values()].filter((r) => r.checkedBy === "shared root").length;
    console.log(`checked ${units.length} HCL blocks (${shared} in the shared root) with ${run.processes} terraform runs in ${Date.now() - started} ms`);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the blocks of the README, of every docs page and of every Registry example", () => {
    const sources = units.flatMap((u) => u.sources.map((s) => s.replace(/:\d+$/, "")));
    for (const file of ["README.md", "docs/index.md", "docs/resources/api_token.md", "docs/resources/user.md",
      "docs/data-sources/user.md", "docs/data-sources/api_tokens.md", "examples/provider/provider.tf",
      "examples/resources/agyn_api_token/resource.tf", "examples/resources/agyn_api_token/import-by-string-id.tf"]) {
      expect(sources).toContain(file);
    }
    expect(units.some((u) => u.kind === "cli-config")).toBe(true);
  });

  it.each(units.map((u): [string, PreparedUnit] => [u.sources.join(", "), u]))("%s", (_where, unit) => {
    expect(results.get(unit.id)).toMatchObject({ problems: [] });
  });
});

describeWithTerraform("the HCL check itself", (tf) => {
  const probe = (text: string) => ({ sources: ["probe"], text });
  // Two checks: blocks that pass (they share one root, as the README's and docs' blocks do) and blocks that
  // fail (then each is validated alone), so both ways of reaching a verdict are exercised.
  const passing = {
    fragmentWithUndeclaredVariable: probe('provider "agyn" {\n  token = var.agyn_api_token\n}\n\ndata "agyn_user" "me" {}\n'),
    aliasedProvider: probe('provider "agyn" {\n  alias = "service"\n  token = var.service_token\n}\n'),
    timeRotatingPattern: probe(
      'resource "time_rotating" "r" {\n  rotation_days = 30\n}\n\nresource "agyn_api_token" "t" {\n  description = "t"\n\n  lifecycle {\n    replace_triggered_by = [time_rotating.r]\n  }\n}\n'),
    unformatted: probe('data "agyn_user" "ada" {\n    username="ada"\n}\n'),
    importBlock: probe('import {\n  to = agyn_api_token.ci\n  id = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"\n}\n'),
    cliConfig: probe('provider_installation {\n  dev_overrides {\n    "agynio/agyn" = "/somewhere/bin"\n  }\n  direct {}\n}\n'),
  };
  const failing = {
    completeWithUndeclaredVariable: probe(
      'terraform {\n  required_providers {\n    agyn = { source = "agynio/agyn" }\n  }\n}\n\nprovider "agyn" {\n  token = var.agyn_api_token\n}\n\ndata "agyn_user" "me" {}\n'),
    fragmentWithUnknownArgument: probe('resource "agyn_api_token" "ci" {\n  description = "ci"\n  expires_after = "1h"\n}\n'),
    fragmentWithInvalidValue: probe('resource "agyn_user" "u" {\n  oidc_subject = "svc:x"\n  cluster_role = "owner"\n}\n'),
    providerOnlyMisspelled: probe('provider "agyn" {\n  gateway = "https://gateway.agyn.example.com"\n  tokn    = "x"\n}\n'),
    timeRotatingMisspelled: probe('resource "time_rotating" "r" {\n  rotation_day = 30\n}\n'),
    cliConfigMisspelled: probe('provider_installation {\n  dev_overides {\n    "agynio/agyn" = "/somewhere/bin"\n  }\n}\n'),
  };
  type Probe = keyof typeof passing | keyof typeof failing;
  const passingUnits = prepare(Object.values(passing), "p");
  const failingUnits = prepare(Object.values(failing), "f");
  const unitOf = (name: Probe) =>
    name in passing ? passingUnits[Object.keys(passing).indexOf(name)] : failingUnits[Object.keys(failing).indexOf(name)];
  const result = (name: Probe) => results.get(unitOf(name).id)!;
  let dir: string;
  const results = new Map<string, UnitResult>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "agyn-hcl-probe-"));
    const checks = await Promise.all([
      new HclValidator(tf, join(dir, "passing")).check(passingUnits),
      new HclValidator(tf, join(dir, "failing")).check(failingUnits),
    ]);
    for (const c of checks) for (const [id, r] of c.results) results.set(id, r);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("validates a complete configuration as written: an undeclared variable fails it", () => {
    expect(result("completeWithUndeclaredVariable").problems.join("\n")).toMatch(/undeclared input variable/);
  });

  it("supplies a fragment's required_providers entry and undeclared variables, nothing else", () => {
    expect(result("fragmentWithUndeclaredVariable")).toEqual({ problems: [], checkedBy: "shared root" });
    expect(result("fragmentWithUnknownArgument").problems.join("\n")).toMatch(/Unsupported argument.*expires_after/s);
  });

  it("makes Terraform validate a provider block that nothing in the block uses, aliased or not", () => {
    expect(result("providerOnlyMisspelled").problems.join("\n")).toMatch(/Unsupported argument.*tokn/s);
    expect(result("aliasedProvider").problems).toEqual([]);
  });

  it("reports the provider's own validation, and each problem against its own block", () => {
    const problems = result("fragmentWithInvalidValue").problems.join("\n");
    expect(problems).toMatch(/cluster_role must be "admin" or "none"/);
    expect(result("fragmentWithUnknownArgument").problems.join("\n")).not.toMatch(/cluster_role/);
    expect(result("fragmentWithInvalidValue").checkedBy).toBe("alone");
  });

  it("checks time_rotating against the hashicorp/time stand-in's schema", () => {
    expect(result("timeRotatingPattern").problems).toEqual([]);
    expect(result("timeRotatingMisspelled").problems.join("\n")).toMatch(/Unsupported argument.*rotation_day/s);
  });

  it("requires the canonical format of terraform fmt", () => {
    expect(result("unformatted").problems).toEqual(["not in canonical format: `terraform fmt` would change it"]);
    expect(result("fragmentWithUndeclaredVariable").problems).toEqual([]);
  });

  it("validates an import block in a root module of its own", () => {
    expect(unitOf("importBlock").rootOnly).toBe(true);
    expect(result("importBlock")).toEqual({ problems: [], checkedBy: "alone" });
  });

  it("loads a CLI configuration with terraform and fails one terraform complains about", () => {
    expect(result("cliConfig")).toEqual({ problems: [], checkedBy: "cli configuration" });
    expect(result("cliConfigMisspelled").problems.join("\n")).toMatch(/Unknown provider installation method "dev_overides"/);
  });
});
