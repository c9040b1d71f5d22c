// Start-up counted in instructions, a figure other work on a shared machine cannot move: wall-clock rounds of the
// start-up part scatter by as much as a change of a few milliseconds. valgrind's callgrind counts what the process
// executes (all threads) from exec until the handshake line arrives and until its first answer (GetProviderSchema
// over AutoMTLS; a dump taken at each), for the node launcher launched as Terraform does (and --compare
// checkouts'), beside `node -e 0` of the same node and beside `node -e "require('http2')"`: grpc-js cannot load without
// node's http2 (and with it tls and net), so that is the least any plugin serving gRPC from node executes. Needs valgrind.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type ClientCertificate, generateClientCertificate } from "../../test/support/plugin-process";
import { firstAnswer, pluginEnvironment } from "./startup";
import { median, table } from "./statistics";

export interface InstructionsOptions {
  readonly root: string;
  /** Counts per subject, interleaved. */
  readonly runs: number;
  /** Other built checkouts whose launchers are counted in the same runs. */
  readonly compare: readonly string[];
}

/** Whether valgrind (with callgrind_control) is on PATH (`apt-get install valgrind`). */
export function valgrindAvailable(): boolean {
  return ["valgrind", "callgrind_control"].every((tool) => spawnSync(tool, ["--version"], { stdio: "ignore" }).status === 0);
}

/** The total a callgrind output file reports ("totals: N" or "summary: N"). */
export function callgrindTotal(text: string): number {
  const total = /^(?:totals|summary):\s+(\d+)/m.exec(text);
  if (!total) throw new Error("no totals in the callgrind output");
  return Number(total[1]);
}

const VALGRIND = ["--tool=callgrind", "--smc-check=all-non-file"];

/** `node -e SCRIPT` under callgrind, in `env`: instructions from exec to exit. */
function countNodeFloor(scratch: string, script: string, env: NodeJS.ProcessEnv, run: number): number {
  const out = join(scratch, `floor-${run}-${Math.random().toString(36).slice(2)}.out`);
  const result = spawnSync("valgrind", [...VALGRIND, `--callgrind-out-file=${out}`, process.execPath, "-e", script], { env, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`node -e ${script} under valgrind exited ${result.status}`);
  return callgrindTotal(readFileSync(out, "utf8"));
}

export interface LaunchCount {
  readonly toHandshake: number;
  readonly toFirstAnswer: number;
}

/** A node run to its exit, counted beside the launchers. */
export interface FloorCounts {
  readonly label: string;
  readonly counts: readonly number[];
}

export interface LauncherCounts {
  readonly label: string;
  readonly counts: readonly LaunchCount[];
}

/**
 * The part's table: the floors (to exit), then each launcher to its handshake and first answer. `base` is the floor
 * the ratios and differences are taken against (`node -e 0` as the launcher runs it; the caption names it); a floor
 * other than the base shows its own ratio to it too, so a floor at or above the goal shows why the goal cannot be met.
 */
export function instructionRows(floors: readonly FloorCounts[], base: FloorCounts, launchers: readonly LauncherCounts[]): string[][] {
  const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;
  const each = (counts: readonly number[]) => `${counts.map(millions).join(", ")} (median ${millions(median(counts))})`;
  const floor = median(base.counts);
  const ratio = (counts: readonly number[]) => `${(median(counts) / floor).toFixed(2)}×`;
  const rows = [["", "to the handshake, each run", "× the base", "minus the base", "to the first answer, each run"]];
  for (const other of floors) rows.push([other.label, `${each(other.counts)} (to exit)`, other === base ? "–" : ratio(other.counts), "–", "–"]);
  for (const launcher of launchers) {
    const toHandshake = launcher.counts.map((c) => c.toHandshake);
    rows.push([launcher.label, each(toHandshake), ratio(toHandshake), millions(median(toHandshake) - floor), each(launcher.counts.map((c) => c.toFirstAnswer))]);
  }
  return rows;
}

/** A launcher under callgrind (through AGYN_NODE), counted from exec to its handshake line and to its first answer. */
function countLauncher(scratch: string, launcher: string, env: NodeJS.ProcessEnv, clientCert: ClientCertificate): Promise<LaunchCount> {
  const out = join(scratch, `launch-${Math.random().toString(36).slice(2)}`);
  const wrapper = `${out}.sh`;
  writeFileSync(wrapper, `#!/bin/sh\nexec valgrind ${VALGRIND.join(" ")} --callgrind-out-file=${out}.%p "${process.execPath}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  return new Promise((resolve, reject) => {
    // The launcher execs node (here valgrind, which runs node in its own process): the child's pid is node's.
    const child = spawn(launcher, [], { env: { ...env, AGYN_NODE: wrapper }, stdio: ["ignore", "pipe", "ignore"] });
    child.once("error", reject);
    let counted = false;
    child.once("exit", (code, signal) => {
      if (!counted) reject(new Error(`${launcher} exited (${code ?? signal}) before its first answer under valgrind`));
    });
    // Each dump holds what ran since the one before it: part 1 up to the handshake, part 2 from there to the answer.
    const dump = (part: number) => {
      const done = spawnSync("callgrind_control", ["-d", String(child.pid)], { stdio: "ignore", timeout: 60_000 });
      const file = `${out}.${child.pid}.${part}`;
      if (done.status !== 0 || !existsSync(file)) throw new Error(`callgrind_control could not dump ${launcher} (pid ${child.pid})`);
      return callgrindTotal(readFileSync(file, "utf8"));
    };
    createInterface({ input: child.stdout }).once("line", (line) => {
      const fail = (error: unknown) => {
        child.kill("SIGKILL");
        reject(error);
      };
      try {
        const toHandshake = dump(1);
        // valgrind runs the provider some fifty times slower than node alone.
        firstAnswer(line, clientCert, 120_000).then(() => {
          try {
            const count = { toHandshake, toFirstAnswer: toHandshake + dump(2) };
            counted = true;
            child.kill("SIGKILL");
            resolve(count);
          } catch (error) {
            fail(error);
          }
        }, fail);
      } catch (error) {
        fail(error);
      }
    });
  });
}

export async function instructionsBenchmark(options: InstructionsOptions): Promise<void> {
  if (!valgrindAvailable()) {
    console.log("Start-up in instructions: skipped, valgrind is not installed (apt-get install valgrind)\n");
    return;
  }
  const scratch = mkdtempSync(join(tmpdir(), "agyn-bench-instructions-"));
  try {
    const clientCert = generateClientCertificate();
    const env = pluginEnvironment(clientCert);
    const { NODE_EXTRA_CA_CERTS: extra, ...withoutExtra } = env;
    const version = `node ${process.versions.node}`;
    const floors = [{ label: `node -e 0 (${version})`, script: "0", env, counts: [] as number[] }];
    if (extra) floors.push({ label: `node -e 0 (${version}, NODE_EXTRA_CA_CERTS unset)`, script: "0", env: withoutExtra, counts: [] });
    // What the launcher runs is node without NODE_EXTRA_CA_CERTS: the floor it is compared with.
    const base = floors[floors.length - 1];
    floors.push({ label: `node -e "require('http2')" (${version}${extra ? ", NODE_EXTRA_CA_CERTS unset" : ""})`, script: "require('http2')", env: withoutExtra, counts: [] });
    const launchers = [{ label: "node launcher (bin/terraform-provider-agyn)", path: join(options.root, "bin/terraform-provider-agyn"), counts: [] as LaunchCount[] },
      ...options.compare.map((dir) => ({ label: `node launcher of ${dir}`, path: join(dir, "bin/terraform-provider-agyn"), counts: [] as LaunchCount[] }))];
    for (let run = 0; run < options.runs; run++) {
      for (const floor of floors) floor.counts.push(countNodeFloor(scratch, floor.script, floor.env, run));
      for (const launcher of launchers) launcher.counts.push(await countLauncher(scratch, launcher.path, env, clientCert));
    }
    const rows = instructionRows(floors, base, launchers);
    console.log(`Start-up in instructions (valgrind's callgrind, all threads, from exec; ${options.runs} interleaved run(s) each;`);
    console.log("launched as Terraform does: protocols 5,6 offered, AutoMTLS; the launcher sets NODE_EXTRA_CA_CERTS aside, so ours is");
    console.log(`what the launcher executes beyond ${base.label}, the base of the ratios; grpc-js needs node's http2`);
    console.log("before it can serve, so the require('http2') row is the least any node plugin serving gRPC executes)");
    console.log(table(rows));
    console.log("");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
