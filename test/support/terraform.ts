// Drives the real terraform (or tofu) binary against this repository's provider through a dev_overrides
// CLI configuration, as a user would. Secrets reach Terraform only through TF_VAR_* environment variables.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";

export const repoRoot = resolve(__dirname, "../..");

export interface TerraformBinary {
  path: string;
  version: string;
}

/** TF_ACC_TERRAFORM_PATH, then TERRAFORM, then terraform or tofu on PATH. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformBinary | undefined {
  const candidates = [env.TF_ACC_TERRAFORM_PATH, env.TERRAFORM, ...onPath("terraform"), ...onPath("tofu")].filter(
    (p): p is string => Boolean(p),
  );
  for (const path of candidates) {
    const r = spawnSync(path, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
    if (r.status === 0) {
      try {
        return { path, version: (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version };
      } catch {
        /* not a terraform we understand; try the next */
      }
    }
  }
  return undefined;
}

function onPath(name: string): string[] {
  return (process.env.PATH ?? "").split(delimiter).map((d) => join(d, name)).filter((p) => existsSync(p));
}

/**
 * `describe` for acceptance tests: runs them when Terraform exists, otherwise says so loudly — and fails
 * when AGYN_REQUIRE_TERRAFORM=1 (set by .ci/run), so CI can never pass by skipping them.
 */
export function describeWithTerraform(name: string, fn: (tf: TerraformBinary) => void): void {
  const tf = findTerraform();
  if (tf) {
    describe(`${name} (terraform ${tf.version})`, () => fn(tf));
    return;
  }
  const message = "ACCEPTANCE TESTS NOT RUN: no terraform found (set TF_ACC_TERRAFORM_PATH or TERRAFORM, or put terraform/tofu on PATH)";
  if (process.env.AGYN_REQUIRE_TERRAFORM === "1") {
    describe(name, () => it("needs terraform", () => { throw new Error(message); }));
  } else {
    console.warn(`\n*** ${message} ***\n`);
    describe.skip(name, () => it("needs terraform", () => undefined));
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WorkdirOptions {
  /**
   * How Terraform finds this provider: `dev_overrides` (the default; no `terraform init`) or a filesystem mirror
   * in the work directory holding a launcher of this checkout's provider, for configurations that must be
   * initialized (a backend, a pinned version), as a user installs a release. Other providers are never installed.
   */
  readonly providerInstallation?: "dev_overrides" | "filesystem_mirror";
}

/** <dir>/registry.terraform.io/agynio/agyn/<version>/<os>_<arch>/terraform-provider-agyn_v<version>, unpacked. */
function writeFilesystemMirror(dir: string): void {
  const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  const goArch = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[arch()] ?? arch();
  const packageDir = join(dir, "registry.terraform.io/agynio/agyn", version, `${platform()}_${goArch}`);
  mkdirSync(packageDir, { recursive: true });
  // exec: Terraform kills only the process it started.
  writeFileSync(join(packageDir, `terraform-provider-agyn_v${version}`),
    `#!/bin/sh\nexec "${join(repoRoot, "bin/terraform-provider-agyn")}" "$@"\n`, { mode: 0o755 });
}

function cliConfiguration(installation: WorkdirOptions["providerInstallation"], workDir: string): string {
  if (installation === "filesystem_mirror") {
    const mirror = join(workDir, ".provider-mirror");
    writeFilesystemMirror(mirror);
    return `provider_installation {
  filesystem_mirror {
    path    = "${mirror}"
    include = ["registry.terraform.io/agynio/agyn"]
  }
}
`;
  }
  return `provider_installation {\n  dev_overrides {\n    "agynio/agyn" = "${join(repoRoot, "bin")}"\n  }\n  direct {}\n}\n`;
}

export class TerraformWorkdir {
  readonly dir: string;
  private readonly cliConfig: string;

  constructor(
    private readonly tf: TerraformBinary,
    private readonly baseEnv: Record<string, string> = {},
    options: WorkdirOptions = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), "agyn-acc-"));
    this.cliConfig = join(this.dir, "dev.tfrc");
    writeFileSync(this.cliConfig, cliConfiguration(options.providerInstallation, this.dir));
  }

  write(files: Record<string, string>): this {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, name), text);
    return this;
  }

  /** Runs terraform in the work directory; never throws on a non-zero exit. */
  run(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    return runTerraform(this.tf, args, this.dir, {
      PATH: process.env.PATH ?? "",
      HOME: this.dir, // no stray ~/.agyn profile or ~/.terraformrc from the machine
      TF_CLI_CONFIG_FILE: this.cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      ...this.baseEnv,
      ...env,
    });
  }

  async init(env: Record<string, string> = {}): Promise<RunResult> {
    return this.run(["init", "-input=false", "-no-color"], env);
  }

  async apply(env: Record<string, string> = {}, extra: string[] = []): Promise<RunResult> {
    return this.run(["apply", "-auto-approve", "-input=false", "-no-color", ...extra], env);
  }

  async plan(env: Record<string, string> = {}, extra: string[] = []): Promise<RunResult> {
    return this.run(["plan", "-input=false", "-no-color", "-detailed-exitcode", ...extra], env);
  }

  async destroy(env: Record<string, string> = {}): Promise<RunResult> {
    return this.run(["destroy", "-auto-approve", "-input=false", "-no-color"], env);
  }

  async outputs(env: Record<string, string> = {}): Promise<Record<string, { value: unknown; sensitive: boolean }>> {
    const r = await this.run(["output", "-json"], env);
    if (r.code !== 0) throw new Error(`terraform output failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, { value: unknown; sensitive: boolean }>;
  }

  async state(env: Record<string, string> = {}): Promise<{ values?: { root_module?: { resources?: StateResource[] } } }> {
    const r = await this.run(["show", "-json"], env);
    if (r.code !== 0) throw new Error(`terraform show failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs terraform with exactly this environment; never throws on a non-zero exit. */
export function runTerraform(tf: TerraformBinary, args: string[], cwd: string, env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tf.path, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

export interface StateResource {
  address: string;
  mode: string;
  type: string;
  name: string;
  values: Record<string, unknown>;
}

/** Fails with the full output when terraform did not succeed, so a red test says why. */
export function expectSuccess(r: RunResult, what: string): void {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
}

export const protocols = [6, 5] as const;

/**
 * Provider block, the sensitive token variable, plus whatever the test adds (resources, outputs, imports).
 * `settings` adds provider arguments (e.g. `{ ca_file: "/path/ca.pem" }`), each a string.
 */
export function providerConfiguration(gatewayUrl: string, body: string, settings: Record<string, string> = {}): string {
  return `
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}
variable "agyn_api_token" {
  type      = string
  sensitive = true
}
provider "agyn" {
  gateway = "${gatewayUrl}"
  token   = var.agyn_api_token${Object.entries(settings).map(([name, value]) => `\n  ${name} = ${JSON.stringify(value)}`).join("")}
}
${body}
`;
}

