// The local Gateway under closed-loop load: C clients, each with its own keep-alive connection, each sending
// the next request as soon as the last answer arrived (Connect unary, binary), for a fixed time after a
// warm-up. The load generator shares the machine with the Gateway, as a CI job's Terraform would: h2load (C) when
// it is installed, else a node:http client in this process; the table says which, and how much CPU each side used.
import * as http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { cpuTicks, stealShare } from "./cpu-steal";
import { h2loadAvailable, h2loadRun } from "./h2load";
import { type GatewayProcess, startGatewayProcess } from "./local-gateway-process";
import { PACE_WINDOW_MS, slowestWindowShare } from "./pace";
import { processTreeCpuMs } from "./process-usage";
import { median, ms, quantile, table } from "./statistics";

export interface ThroughputOptions {
  readonly root: string;
  readonly clients: readonly number[];
  readonly seconds: number;
  /** Tokens the caller owns, so ListAPITokens has something to list. */
  readonly tokens: number;
  /** Who sends the load: h2load (default when installed) or a node:http client in the benchmark's process. */
  readonly generator?: LoadGenerator;
  /** `serve --workers` values to measure side by side (default 1 alone). */
  readonly workers?: readonly number[];
  /** Interleaved rounds per configuration (default 1); the table shows medians and ranges. */
  readonly rounds?: number;
}

export const LOAD_GENERATORS = ["h2load", "node"] as const;
export type LoadGenerator = (typeof LOAD_GENERATORS)[number];

interface Cell {
  readonly completed: number;
  readonly failed: number;
  readonly latenciesMs: number[];
  /** When each completed request started, ms. */
  readonly startsMs: number[];
  readonly elapsedMs: number;
  /** CPU time the generator used, warm-up included, ms. */
  readonly generatorCpuMs: number;
}

function post(agent: http.Agent, url: URL, path: string, token: string, body: Buffer, contentType: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: "POST",
        path,
        headers: {
          "content-type": contentType,
          "connect-protocol-version": "1",
          authorization: `Bearer ${token}`,
          "content-length": body.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function load(url: URL, method: string, token: string, clients: number, durationMs: number, warmupMs: number): Promise<Cell> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const path = `/${UsersGateway.typeName}/${method}`;
  const empty = Buffer.alloc(0);
  const latenciesMs: number[] = [];
  const startsMs: number[] = [];
  let completed = 0;
  let failed = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const client = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      const answer = await post(agent, url, path, token, empty, "application/proto").catch(() => ({ status: 0, body: empty }));
      const done = performance.now();
      if (sent < measureFrom || done > end) continue;
      if (answer.status === 200) {
        completed++;
        latenciesMs.push(done - sent);
        startsMs.push(sent);
      } else {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  return { completed, failed, latenciesMs, startsMs, elapsedMs: durationMs, generatorCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** One row's figures: one method at one client count against one Gateway configuration, in one round. */
interface RowSample {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The slowest 100 ms window's requests as a share of the median window's (pace.ts). */
  readonly slowestWindowShare?: number;
  readonly failed: number;
  /** Share of one core, % (all the Gateway's processes together); undefined off Linux. */
  readonly gatewayCpuShare?: number;
  readonly gatewayCpuPerRequestUs?: number;
  readonly generatorCpuShare: number;
  /** The machine's CPU steal over the row, % (cpu-steal.ts); undefined off Linux. */
  readonly stealShare?: number;
}

const METHODS = ["GetMe", "ListAPITokens"] as const;

/** A fresh `serve --workers N` on a fresh database, loaded row by row (each method at each client count). */
async function measureConfiguration(options: ThroughputOptions, generator: LoadGenerator, workers: number,
  record: (method: string, clients: number, sample: RowSample) => void): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "agyn-bench-gateway-"));
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await startGatewayProcess(options.root, scratch, { countRequests: false, workers });
    const url = new URL(gateway.url);
    const token = gateway.mintToken("bench-load");
    const agent = new http.Agent({ keepAlive: true });
    for (let i = 0; i < options.tokens; i++) {
      const created = await post(agent, url, `/${UsersGateway.typeName}/CreateAPIToken`, token,
        Buffer.from(JSON.stringify({ name: `bench ${i}` })), "application/json");
      if (created.status !== 200) throw new Error(`CreateAPIToken answered HTTP ${created.status}`);
    }
    agent.destroy();
    const durationMs = options.seconds * 1000;
    const warmupMs = 1000;
    for (const method of METHODS) {
      for (const clients of options.clients) {
        // All the Gateway's processes: with --workers the primary's children serve.
        const gatewayCpuMs = () => processTreeCpuMs(gateway?.pid);
        // The Gateway's CPU time is read when the warm-up ends (by the clock; the generator's phases are close
        // enough) and after the row, for its CPU per measured request.
        let measuredFrom: number | undefined;
        const rowStarted = cpuTicks();
        const warmedUp = setTimeout(() => (measuredFrom = gatewayCpuMs()), warmupMs);
        const cell = generator === "h2load"
          ? { ...(await h2loadRun(`${gateway.url}/${UsersGateway.typeName}/${method}`, token, clients, durationMs, warmupMs)), elapsedMs: durationMs }
          : await load(url, method, token, clients, durationMs, warmupMs);
        clearTimeout(warmedUp);
        const measuredTo = gatewayCpuMs();
        const rowSteal = stealShare(rowStarted, cpuTicks());
        const gatewayMs = measuredFrom === undefined || measuredTo === undefined ? undefined : measuredTo - measuredFrom;
        record(method, clients, {
          requestsPerSecond: cell.completed / (cell.elapsedMs / 1000),
          p50Ms: quantile(cell.latenciesMs, 0.5),
          p99Ms: quantile(cell.latenciesMs, 0.99),
          slowestWindowShare: slowestWindowShare(cell.startsMs),
          failed: cell.failed,
          // Share of one core, so 100% is a core kept busy throughout.
          gatewayCpuShare: gatewayMs === undefined ? undefined : (100 * gatewayMs) / durationMs,
          gatewayCpuPerRequestUs: gatewayMs === undefined || cell.completed === 0 ? undefined : (1000 * gatewayMs) / cell.completed,
          generatorCpuShare: (100 * cell.generatorCpuMs) / (durationMs + warmupMs),
          stealShare: rowSteal,
        });
      }
    }
  } finally {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function throughputBenchmark(options: ThroughputOptions): Promise<void> {
  const generator = options.generator ?? (h2loadAvailable() ? "h2load" : "node");
  const workerCounts = options.workers ?? [1];
  const rounds = options.rounds ?? 1;
  const samples = new Map<string, RowSample[]>();
  const key = (method: string, clients: number, workers: number) => `${method} ${clients} ${workers}`;
  for (let round = 1; round <= rounds; round++) {
    // Interleaved, the order turned every round, so neither configuration always meets the machine first.
    const order = round % 2 === 1 ? workerCounts : [...workerCounts].reverse();
    for (const workers of order) {
      console.log(`round ${round}/${rounds}, --workers ${workers}: ${loadAverage()}`);
      await measureConfiguration(options, generator, workers, (method, clients, sample) => {
        const k = key(method, clients, workers);
        samples.set(k, [...(samples.get(k) ?? []), sample]);
      });
    }
  }
  const several = rounds > 1;
  // Medians over the rounds, with the range where there are several.
  const figure = (values: readonly (number | undefined)[], format: (value: number) => string, withRange = several) => {
    const known = values.filter((value): value is number => value !== undefined);
    if (known.length === 0) return "–";
    const middle = format(median(known));
    return withRange && known.length > 1 ? `${middle} (${format(Math.min(...known))}–${format(Math.max(...known))})` : middle;
  };
  const rows = [["method", "clients", "workers", "requests/s", "p50", "p99", `slowest ${PACE_WINDOW_MS} ms`, "failed", "Gateway CPU", "Gateway CPU/request", "generator CPU", "CPU steal"]];
  for (const method of METHODS) {
    for (const clients of options.clients) {
      for (const workers of workerCounts) {
        const row = samples.get(key(method, clients, workers)) ?? [];
        rows.push([method, String(clients), String(workers),
          figure(row.map((r) => r.requestsPerSecond), (v) => v.toFixed(0)),
          figure(row.map((r) => r.p50Ms), (v) => ms(v, 1), false),
          figure(row.map((r) => r.p99Ms), (v) => ms(v, 1)),
          figure(row.map((r) => r.slowestWindowShare), (v) => `${(100 * v).toFixed(0)}%`),
          String(row.reduce((sum, r) => sum + r.failed, 0)),
          figure(row.map((r) => r.gatewayCpuShare), (v) => `${v.toFixed(0)}%`, false),
          figure(row.map((r) => r.gatewayCpuPerRequestUs), (v) => `${v.toFixed(0)} µs`),
          figure(row.map((r) => r.generatorCpuShare), (v) => `${v.toFixed(0)}%`, false),
          figure(row.map((r) => r.stealShare), (v) => `${v.toFixed(0)}%`)]);
      }
    }
  }
  console.log(`Local Gateway (agyn-local-gateway serve --workers N, its own processes), closed loop, ${options.seconds} s per row after 1 s of warm-up,`);
  console.log(generator === "h2load"
    ? "load from h2load (nghttp2-client, C, one thread), HTTP/1.1 keep-alive, binary Connect;"
    : "load from a node:http client in the benchmark's own process (h2load not installed, or --generator node), HTTP/1.1 keep-alive, binary Connect;");
  console.log(`ListAPITokens lists the caller's ${options.tokens + 1} tokens; every call authenticates its bearer token;`);
  console.log("CPU is each side's share of one core (the Gateway's, all its processes, over the measured seconds; the generator's with its warm-up);");
  console.log("CPU steal is the machine's CPU time its hypervisor gave to other guests during the row (warm-up included): where it is high, so are the latencies;");
  console.log(`slowest ${PACE_WINDOW_MS} ms: the requests started in the row's slowest ${PACE_WINDOW_MS} ms window, as a share of its median window's; a Gateway`);
  console.log("pause (a GC) costs a window a few tens of percent, a stretch at half the pace or less with the same Gateway is the machine, and it sets the p99 (pace.ts)");
  if (several) console.log(`medians of ${rounds} interleaved rounds (a fresh Gateway per round and configuration), with their range`);
  console.log(table(rows));
  console.log("");
}

function loadAverage(): string {
  const [one, five] = loadavg();
  return `load average ${one.toFixed(1)} (1 min) / ${five.toFixed(1)} (5 min)`;
}
