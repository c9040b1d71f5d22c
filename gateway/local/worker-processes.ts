// `agyn-local-gateway serve --workers N`: N processes serve one port (node:cluster; the primary accepts each
// connection and hands it to the workers in turn, so a keep-alive client stays with one worker). One node thread
// is the Gateway's limit under many clients; a second process uses a second core.
//
// The primary serves nothing itself. It announces the URL only when every worker accepts requests, stops them all
// on SIGTERM or SIGINT, and goes down when any one of them exits on its own: a Gateway with a worker gone would
// refuse (or hang) some of its connections and answer others, which is harder to notice than a Gateway that stopped.
//
// Workers share no memory, only the database file. What each keeps in memory is made safe there: the read caches
// are emptied by any other connection's commit (read-cache.ts, PRAGMA data_version), so revocations and deletions
// hold at once in every worker; last_used_at stamps are another worker's to write (last-use-stamps.ts says how
// late); writes wait for each other (busy timeout, database.ts); log writes stay whole lines (batched-lines.ts).
import cluster, { type Worker } from "node:cluster";

/** What a worker tells the primary once, after trying to start. */
type WorkerReport = { readonly kind: "listening"; readonly url: string } | { readonly kind: "failed"; readonly message: string };

export interface GatewayWorkers {
  /** The base URL every worker serves. */
  readonly url: string;
  readonly pids: readonly number[];
  /** Resolves, with a sentence saying which worker and how, when a worker exits without being asked to. */
  readonly lost: Promise<string>;
  /**
   * Asks every worker still running to stop (SIGTERM: each finishes like a single `serve`), resolves when all have
   * exited; rejects, naming them, when any of those did not exit cleanly.
   */
  stop(): Promise<void>;
}

export const WORKERS_MAX = 64;

/** True in a process the primary started: it serves, reports through reportListening/reportFailure, and exits when told. */
export function isGatewayWorker(): boolean {
  return cluster.isWorker;
}

export function reportListening(url: string): void {
  report({ kind: "listening", url });
}

export function reportFailure(message: string): void {
  report({ kind: "failed", message });
}

function report(message: WorkerReport): void {
  process.send?.(message);
}

/**
 * Once the worker has closed its Gateway: leaves the primary's channel (which otherwise keeps the process alive),
 * so the process exits with the code it set. Leaving this way tells the primary that the worker meant to go.
 */
export function leavePrimary(): void {
  cluster.worker?.disconnect();
}

/**
 * Starts `count` workers, each running this program's own command line (the same `serve` arguments), and resolves
 * once every one of them accepts requests. When one fails to start, the others are stopped and the first failure is
 * thrown, once, with the worker's own message (a port in use, an unreadable file).
 */
export async function startGatewayWorkers(count: number): Promise<GatewayWorkers> {
  const workers = Array.from({ length: count }, () => cluster.fork());
  let stopping = false;
  const exited = workers.map(
    (worker) => new Promise<WorkerExit>((resolve) => {
      worker.once("exit", (code, signal) => resolve({ worker, code, signal }));
    }),
  );
  const stop = async () => {
    stopping = true;
    const asked = workers.filter((worker) => worker.process.exitCode === null && worker.process.signalCode === null);
    for (const worker of asked) worker.process.kill("SIGTERM");
    // A worker that could not finish (its stamps not written, say) has said why on stderr; the Gateway's exit says so too.
    const unclean = (await Promise.all(exited)).filter(({ worker, code, signal }) => asked.includes(worker) && (code !== 0 || signal));
    if (unclean.length > 0) {
      throw new Error(unclean.map((exit) => `${describeExit(exit)} while stopping`).join("; "));
    }
  };
  const lost = Promise.race(exited).then(
    (exit) => `${describeExit(exit)}; stopping the Gateway: it serves with all its workers or not at all`,
  );
  const listening = workers.map((worker) => new Promise<string>((resolve, reject) => {
    worker.on("message", (message: WorkerReport) => {
      if (message.kind === "listening") resolve(message.url);
      if (message.kind === "failed") reject(new Error(message.message));
    });
    void exited[workers.indexOf(worker)].then((exit) => reject(new Error(`${describeExit(exit)} before it served`)));
  }));
  let urls: string[];
  try {
    urls = await Promise.all(listening);
  } catch (error) {
    // The first failure is the one to report; the others' stops are part of it.
    await stop().catch(() => {});
    throw error;
  }
  // Every worker listened on the primary's one socket; they all name it alike.
  return {
    url: urls[0],
    pids: workers.map((worker) => worker.process.pid ?? 0),
    // Only an exit nobody asked for: after stop() the race settles too, but nobody awaits it then.
    lost: lost.then((reason) => (stopping ? new Promise<string>(() => {}) : reason)),
    stop,
  };
}

interface WorkerExit {
  readonly worker: Worker;
  readonly code: number | null;
  readonly signal: string | null;
}

/** "worker 2 (pid 1234) exited with code 1", or "… was killed by SIGKILL". */
function describeExit({ worker, code, signal }: WorkerExit): string {
  return `worker ${worker.id} (pid ${worker.process.pid}) ${signal ? `was killed by ${signal}` : `exited with code ${code}`}`;
}

/** This worker's number (1, 2, …) in a process the primary started, else undefined. */
export function workerNumber(): number | undefined {
  return cluster.worker?.id;
}
