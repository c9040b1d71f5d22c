// A load generator written in C (h2load, from Debian's nghttp2-client) for the local Gateway benchmark, so the
// figures describe the server rather than a node client sharing its 2 cores: C closed-loop HTTP/1.1 keep-alive
// clients (one request in flight each), per-request latencies from its log file, its own CPU time from the
// shell's `times`.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface GeneratedLoad {
  readonly completed: number;
  readonly failed: number;
  readonly latenciesMs: number[];
  /** When each completed request started, ms (any origin): the row's pace (pace.ts). */
  readonly startsMs: number[];
  /** CPU time the generator itself used (warm-up included), ms. */
  readonly generatorCpuMs: number;
}

/** Whether h2load is on PATH (`apt-get install nghttp2-client`). */
export function h2loadAvailable(): boolean {
  return spawnSync("h2load", ["--version"], { stdio: "ignore" }).status === 0;
}

/** POSTs an empty Connect unary request (binary) to `url` from `clients` connections for warm-up + `durationMs`. */
export async function h2loadRun(url: string, token: string, clients: number, durationMs: number, warmupMs: number): Promise<GeneratedLoad> {
  const scratch = mkdtempSync(join(tmpdir(), "agyn-bench-h2load-"));
  const logFile = join(scratch, "requests.log");
  try {
    const args = [
      "--h1", "-c", String(clients), "-m", "1", "-t", "1",
      "-D", String(durationMs / 1000), "--warm-up-time", String(warmupMs / 1000),
      "-H", ":method: POST", "-H", "content-type: application/proto", "-H", "connect-protocol-version: 1",
      "-H", `authorization: Bearer ${token}`, `--log-file=${logFile}`, url,
    ];
    // `times` prints the shell's, then its children's, user and system time: the second line is h2load's.
    const script = 'h2load "$@" >/dev/null; status=$?; times >&2; exit $status';
    const child = spawn("bash", ["-c", script, "h2load", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (status !== 0) throw new Error(`h2load exited with ${status}: ${stderr.trim()}`);
    const children = stderr.trim().split("\n").at(-1) ?? "";
    const generatorCpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + (Number(m[1]) * 60 + Number(m[2])) * 1000, 0);
    // One line per request of the measured phase: start (µs since the epoch), HTTP status, latency (µs).
    const latenciesMs: number[] = [];
    const startsMs: number[] = [];
    let failed = 0;
    for (const line of readFileSync(logFile, "utf8").split("\n")) {
      const [start, statusText, latency] = line.split("\t");
      if (latency === undefined) continue;
      if (statusText === "200") {
        latenciesMs.push(Number(latency) / 1000);
        startsMs.push(Number(start) / 1000);
      } else {
        failed++;
      }
    }
    return { completed: latenciesMs.length, failed, latenciesMs, startsMs, generatorCpuMs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
