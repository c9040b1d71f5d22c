// Whole Terraform commands against the local Gateway: apply, a no-change plan and destroy of N agyn_api_token,
// beside the same commands over N terraform_data (built into Terraform: no plugin process, no I/O — Terraform's
// own floor) in the same run, with wall time and the Gateway calls each command made, by method.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findTerraform } from "../../test/support/terraform";
import { describeRequests, type GatewayProcess, startGatewayProcess } from "./local-gateway-process";
import { cpuTicks, stealShare } from "./cpu-steal";
import { median, ratio, seconds, table } from "./statistics";

export interface CommandsOptions {
  readonly root: string;
  readonly sizes: readonly number[];
  readonly rounds: number;
}

type Command = "apply" | "plan" | "destroy";
const COMMANDS: readonly Command[] = ["apply", "plan", "destroy"];

const ARGS: Record<Command, string[]> = {
  apply: ["apply", "-auto-approve", "-input=false", "-no-color"],
  // -detailed-exitcode: 0 means "no changes", which is what this row must measure.
  plan: ["plan", "-input=false", "-no-color", "-detailed-exitcode"],
  destroy: ["destroy", "-auto-approve", "-input=false", "-no-color"],
};

interface Workdir {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
}

function tokensConfiguration(gatewayUrl: string): string {
  return `terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}
variable "agyn_api_token" {
  type      = string
  sensitive = true
}
variable "n" { type = number }
provider "agyn" {
  gateway = "${gatewayUrl}"
  token   = var.agyn_api_token
}
resource "agyn_api_token" "bench" {
  count       = var.n
  description = "bench \${count.index}"
}
`;
}

const TERRAFORM_DATA_CONFIGURATION = `variable "n" { type = number }
resource "terraform_data" "bench" {
  count = var.n
  input = "bench \${count.index}"
}
`;

function workdir(parent: string, name: string, configuration: string, env: NodeJS.ProcessEnv): Workdir {
  const dir = join(parent, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "main.tf"), configuration);
  return { dir, env: { ...env, HOME: dir } };
}

interface Outcome {
  readonly ms: number;
  readonly problem?: string;
}

function runTerraform(terraform: string, args: string[], where: Workdir): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(terraform, args, { cwd: where.dir, env: where.env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      const ms = performance.now() - started;
      resolve(code === 0 ? { ms } : { ms, problem: `exit ${code}: ${stderr.trim().split("\n").slice(-3).join(" ")}` });
    });
  });
}

/** Lets the Gateway's last log lines of a command reach us before the tally is read. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 200));
}

export async function commandsBenchmark(options: CommandsOptions): Promise<void> {
  const tf = findTerraform();
  if (!tf) {
    console.log("Whole commands: skipped, no terraform found (set TERRAFORM or put terraform on PATH)\n");
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), "agyn-bench-commands-"));
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await startGatewayProcess(options.root, scratch, { countRequests: true });
    const cliConfig = join(scratch, "dev.tfrc");
    writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n    "agynio/agyn" = "${join(options.root, "bin")}"\n  }\n  direct {}\n}\n`);
    const baseEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      ...(process.env.AGYN_NODE ? { AGYN_NODE: process.env.AGYN_NODE } : {}),
    };
    const token = gateway.mintToken("bench");
    const rows = [["N", "command", "agyn_api_token", "terraform_data", "ratio", "CPU steal", "Gateway calls (agyn_api_token, last round)"]];
    for (const n of options.sizes) {
      const size = ["-var", `n=${n}`];
      const tokens = workdir(scratch, `tokens-${n}`, tokensConfiguration(gateway.url), { ...baseEnv, TF_VAR_agyn_api_token: token });
      const data = workdir(scratch, `data-${n}`, TERRAFORM_DATA_CONFIGURATION, baseEnv);
      const times = new Map<string, number[]>();
      const problems = new Map<string, string>();
      const calls = new Map<Command, string>();
      const steals = new Map<Command, number[]>();
      const record = (key: string, outcome: Outcome) => {
        times.set(key, [...(times.get(key) ?? []), outcome.ms]);
        if (outcome.problem) problems.set(key, outcome.problem);
      };
      for (let round = 0; round < options.rounds; round++) {
        // apply, no-change plan, destroy; each command over tokens, then over terraform_data right after it.
        for (const command of COMMANDS) {
          const before = gateway.requestCounts();
          const ticksBefore = cpuTicks();
          record(`tokens ${command}`, await runTerraform(tf.path, [...ARGS[command], ...size], tokens));
          const steal = stealShare(ticksBefore, cpuTicks());
          if (steal !== undefined) steals.set(command, [...(steals.get(command) ?? []), steal]);
          await settle();
          calls.set(command, describeRequests(before, gateway.requestCounts()));
          record(`data ${command}`, await runTerraform(tf.path, [...ARGS[command], ...size], data));
        }
      }
      for (const command of COMMANDS) {
        const ours = median(times.get(`tokens ${command}`) ?? []);
        const floor = median(times.get(`data ${command}`) ?? []);
        const failed = problems.get(`tokens ${command}`) ?? problems.get(`data ${command}`);
        const steal = steals.get(command);
        rows.push([String(n), command === "plan" ? "plan (no change)" : command, seconds(ours), seconds(floor),
          ratio(ours, floor) + roundRatios(times.get(`tokens ${command}`) ?? [], times.get(`data ${command}`) ?? []),
          steal ? `${median(steal).toFixed(0)}%` : "–", failed ? `FAILED (${failed})` : calls.get(command) ?? ""]);
      }
      rmSync(tokens.dir, { recursive: true, force: true });
      rmSync(data.dir, { recursive: true, force: true });
    }
    console.log(`Whole commands, terraform ${tf.version} (parallelism 10) against the local Gateway, medians of ${options.rounds} interleaved round(s);`);
    console.log("ratio: of the medians, with the range of each round's own ratio where there are several rounds;");
    console.log("CPU steal: the machine's CPU time its hypervisor gave to other guests during the agyn_api_token command (cpu-steal.ts)");
    console.log(table(rows));
    console.log("");
  } finally {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * " (a–b×)": the lowest and highest ratio of one round's command to the terraform_data command right after it. Each
 * pair ran back to back, so this range shows how much the machine moved a single comparison; empty for one round.
 */
function roundRatios(ours: readonly number[], floors: readonly number[]): string {
  const ratios = ours.map((ms, round) => ms / floors[round]).filter((r) => Number.isFinite(r) && r > 0);
  if (ratios.length < 2) return "";
  return ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×)`;
}
