// `agyn-local-gateway serve` as a user runs it (its own process, a fresh database), with its request log —
// one line per call on stderr — tallied by method, so a benchmark can say which calls a command made.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface GatewayProcess {
  readonly url: string;
  /** The Gateway's own process (the launcher execs node); with --workers, the primary, whose children serve. */
  readonly pid: number | undefined;
  /** Calls served so far, by method (only when started with countRequests). */
  requestCounts(): ReadonlyMap<string, number>;
  /** A new API token for the user with this OIDC subject (created when missing), from `mint-token`. */
  mintToken(subject: string, admin?: boolean): string;
  stop(): Promise<void>;
}

// "agyn-local-gateway: GetMe ok 3ms user-agent=…" (cmd/agyn-local-gateway.ts, gateway/local/server.ts).
const CALL_LINE = /^agyn-local-gateway: ([A-Z]\w+) ([a-z_]+) \d+ms\b/;

export async function startGatewayProcess(
  root: string,
  dir: string,
  options: { countRequests: boolean; workers?: number },
): Promise<GatewayProcess> {
  const cli = join(root, "bin/agyn-local-gateway");
  const dbPath = join(dir, "gateway.db");
  const workers = options.workers === undefined ? [] : ["--workers", String(options.workers)];
  const child = spawn(cli, ["serve", "--db", dbPath, ...workers], {
    stdio: ["ignore", "pipe", options.countRequests ? "pipe" : "ignore"],
  });
  const counts = new Map<string, number>();
  if (child.stderr) {
    createInterface({ input: child.stderr }).on("line", (line) => {
      const call = CALL_LINE.exec(line);
      if (call) counts.set(call[1], (counts.get(call[1]) ?? 0) + 1);
    });
  }
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`agyn-local-gateway exited (${code}) before printing its URL`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  return {
    url,
    pid: child.pid,
    requestCounts: () => new Map(counts),
    mintToken(subject, admin = false) {
      return execFileSync(cli, ["mint-token", "--db", dbPath, "--subject", subject, ...(admin ? ["--admin"] : [])], { encoding: "utf8" }).trim();
    },
    stop: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The difference between two tallies, as "Method n, Method n" (most frequent first). */
export function describeRequests(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string {
  const delta = [...after].map(([method, n]) => [method, n - (before.get(method) ?? 0)] as const).filter(([, n]) => n > 0);
  delta.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return delta.length ? delta.map(([method, n]) => `${method} ${n}`).join(", ") : "none";
}
