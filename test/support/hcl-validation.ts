// Checks HCL units with the real terraform, many per process: Terraform configurations become modules of one
// root (`terraform get` + one `terraform validate -json`), CLI configurations are loaded by `terraform version`.
// When the shared run finds any problem, each configuration is validated again on its own, so every
// problem is reported against the block it comes from and one broken block cannot hide another's errors.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { CLI_CONFIG_SETTINGS, topLevelItems, type HclUnit } from "./hcl-blocks";
import { repoRoot, runTerraform, type RunResult, type TerraformBinary } from "./terraform";

export type UnitKind = "cli-config" | "complete" | "fragment";

export interface PreparedUnit extends HclUnit {
  id: string;
  kind: UnitKind;
  /** Holds an `import` block, which only a root module may have: validated as its own root. */
  rootOnly: boolean;
  /** The module's files: the block itself, plus for a fragment what the harness supplies. */
  files: Record<string, string>;
  /** Variables the module declares (its own and supplied ones); the shared root passes null for each. */
  variables: string[];
}

export interface UnitResult {
  problems: string[];
  /** How the verdict was reached: in the shared root, alone, or as a CLI configuration. */
  checkedBy: "shared root" | "alone" | "cli configuration";
}

const REQUIRED_AGYN = 'terraform {\n  required_providers {\n    agyn = { source = "agynio/agyn" }\n  }\n}\n';

/** Applies the rules (see test/acceptance/hcl-blocks.test.ts) that say how a block is checked. */
export function prepareUnit(unit: HclUnit, id: string): PreparedUnit {
  const items = topLevelItems(unit.text);
  if (items?.length && items.every((i) => CLI_CONFIG_SETTINGS.includes(i.name))) {
    return { ...unit, id, kind: "cli-config", rootOnly: false, files: { "cli.tfrc": unit.text }, variables: [] };
  }
  const declared = (items ?? []).filter((i) => i.kind === "block" && i.name === "variable").map((i) => i.labels[0]);
  const complete = (items ?? []).some((i) => i.kind === "block" && i.name === "terraform");
  const rootOnly = (items ?? []).some((i) => i.kind === "block" && i.name === "import");
  let supplied: string[] = [];
  let harness = "";
  if (!complete) {
    const used = [...new Set([...unit.text.matchAll(/\bvar\.([A-Za-z_][A-Za-z0-9_-]*)/g)].map((m) => m[1]))].sort();
    supplied = used.filter((v) => !declared.includes(v));
    harness += REQUIRED_AGYN + supplied.map((v) => `\nvariable "${v}" {}\n`).join("");
  }
  // Terraform validates a provider configuration only when something uses it: read the caller through each.
  const agynProviders = (items ?? []).filter((i) => i.kind === "block" && i.name === "provider" && i.labels[0] === "agyn");
  for (const [n, p] of agynProviders.entries()) {
    const alias = /^\s*alias\s*=\s*"([^"]+)"/m.exec(p.body)?.[1];
    harness += `\ndata "agyn_user" "check_provider_${n + 1}" {\n  provider = ${alias ? `agyn.${alias}` : "agyn"}\n}\n`;
  }
  const files: Record<string, string> = { "block.tf": unit.text, ...(harness ? { "harness.tf": harness } : {}) };
  return { ...unit, id, kind: complete ? "complete" : "fragment", rootOnly, files, variables: [...declared, ...supplied] };
}

interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  range?: { filename: string; start: { line: number } };
}

export class HclValidator {
  private readonly cliConfig: string;

  constructor(private readonly tf: TerraformBinary, private readonly dir: string) {
    const standIns = buildStandIns(join(dir, "stand-ins"));
    this.cliConfig = join(dir, "dev.tfrc");
    writeFileSync(this.cliConfig,
      `provider_installation {\n  dev_overrides {\n    "agynio/agyn" = "${join(repoRoot, "bin")}"\n` +
        `    "hashicorp/time" = "${standIns}"\n  }\n  direct {}\n}\n`);
  }

  async check(units: PreparedUnit[]): Promise<{ results: Map<string, UnitResult>; processes: number }> {
    const results = new Map<string, UnitResult>();
    let processes = 0;
    const alone = async (u: PreparedUnit) => {
      results.set(u.id, { problems: await this.validateAlone(u), checkedBy: "alone" });
      processes++;
    };
    const configs = units.filter((u) => u.kind !== "cli-config");
    const shared = configs.filter((u) => !u.rootOnly);
    let formatProblems = new Set<string>();
    await Promise.all([
      this.checkFormat(configs).then((unformatted) => {
        formatProblems = unformatted;
        processes++;
      }),
      inParallel(units.filter((u) => u.kind === "cli-config"), 2, async (u) => {
        results.set(u.id, { problems: await this.checkCliConfig(u), checkedBy: "cli configuration" });
        processes++;
      }),
      inParallel(configs.filter((u) => u.rootOnly), 2, alone),
      (async () => {
        if (!shared.length) return;
        const clean = await this.validateShared(shared);
        processes += 2;
        if (clean) for (const u of shared) results.set(u.id, { problems: [], checkedBy: "shared root" });
        else await inParallel(shared, 2, alone);
      })(),
    ]);
    for (const id of formatProblems) {
      results.get(id)?.problems.push("not in canonical format: `terraform fmt` would change it");
    }
    return { results, processes };
  }

  /** The ids of the configurations `terraform fmt` would change (all checked by one process). */
  private async checkFormat(units: PreparedUnit[]): Promise<Set<string>> {
    const dir = join(this.dir, "fmt");
    mkdirSync(dir, { recursive: true });
    for (const u of units) writeFileSync(join(dir, `${u.id}.tf`), u.text);
    const r = await this.run(dir, ["fmt", "-check", "-list=true", "-no-color", "."]);
    return new Set(r.stdout.split("\n").map((l) => l.trim().replace(/\.tf$/, "")).filter(Boolean));
  }

  /** A CLI configuration is loaded by Terraform itself; it reports problems on stderr but still exits 0. */
  private async checkCliConfig(u: PreparedUnit): Promise<string[]> {
    const path = join(this.dir, `${u.id}.tfrc`);
    writeFileSync(path, u.text);
    const r = await this.run(this.dir, ["version"], path);
    return r.code !== 0 || /problems with the CLI configuration/.test(r.stderr) ? [r.stderr.trim() || `exit ${r.code}`] : [];
  }

  /** True when the shared root validates with no problem at all. */
  private async validateShared(units: PreparedUnit[]): Promise<boolean> {
    const root = join(this.dir, "shared");
    const calls: string[] = [];
    for (const u of units) {
      writeModule(join(root, u.id), u.files);
      const args = u.variables.map((v) => `  ${v} = null\n`).join("");
      calls.push(`module "${u.id}" {\n  source = "./${u.id}"\n${args}}\n`);
    }
    writeFileSync(join(root, "main.tf"), calls.join("\n"));
    const get = await this.run(root, ["get", "-no-color"]);
    if (get.code !== 0) return false;
    return (await this.validate(root)).every((d) => d.severity === "warning" && !d.range);
  }

  private async validateAlone(u: PreparedUnit): Promise<string[]> {
    const root = join(this.dir, "alone", u.id);
    writeModule(root, u.files);
    return (await this.validate(root)).filter((d) => d.severity === "error" || d.range).map(describe);
  }

  private async validate(root: string): Promise<Diagnostic[]> {
    const r = await this.run(root, ["validate", "-json", "-no-color"]);
    try {
      return (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
    } catch {
      return [{ severity: "error", summary: `terraform validate failed (exit ${r.code})`, detail: `${r.stdout}\n${r.stderr}` }];
    }
  }

  private run(cwd: string, args: string[], cliConfig = this.cliConfig): Promise<RunResult> {
    return runTerraform(this.tf, args, cwd,
      { PATH: process.env.PATH ?? "", HOME: this.dir, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" });
  }
}

function describe(d: Diagnostic): string {
  const where = d.range ? ` (${d.range.filename.split("/").pop()}:${d.range.start.line})` : "";
  return `${d.severity}: ${d.summary}${where}${d.detail ? ` — ${d.detail}` : ""}`;
}

function writeModule(dir: string, files: Record<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

/** Bundles the stand-in providers (test/support/stand-in/) and returns the directory of their launchers. */
function buildStandIns(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, "time-provider.js");
  buildSync({
    entryPoints: [join(repoRoot, "test/support/stand-in/time-provider.ts")],
    outfile: bundle,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    logLevel: "error",
  });
  const launcher = join(dir, "terraform-provider-time");
  writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${bundle}" "$@"\n`);
  chmodSync(launcher, 0o755);
  return dir;
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
