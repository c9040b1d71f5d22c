// The local Gateway under closed-loop load: C clients, each with its own keep-alive connection, each sending
// the next request as soon as the last answer arrived (Connect unary, binary), for a fixed time after a
// warm-up. The load generator shares the machine with the Gateway, as a CI job's Terraform would.
import * as http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsersGateway } from "../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { type GatewayProcess, startGatewayProcess } from "./local-gateway-process";
import { ms, quantile, table } from "./statistics";

export interface ThroughputOptions {
  readonly root: string;
  readonly clients: readonly number[];
  readonly seconds: number;
  /** Tokens the caller owns, so ListAPITokens has something to list. */
  readonly tokens: number;
}

interface Cell {
  readonly completed: number;
  readonly failed: number;
  readonly latenciesMs: number[];
  readonly elapsedMs: number;
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
  let completed = 0;
  let failed = 0;
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
      } else {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  return { completed, failed, latenciesMs, elapsedMs: durationMs };
}

export async function throughputBenchmark(options: ThroughputOptions): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "agyn-bench-gateway-"));
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await startGatewayProcess(options.root, scratch, { countRequests: false });
    const url = new URL(gateway.url);
    const token = gateway.mintToken("bench-load");
    const agent = new http.Agent({ keepAlive: true });
    for (let i = 0; i < options.tokens; i++) {
      const created = await post(agent, url, `/${UsersGateway.typeName}/CreateAPIToken`, token,
        Buffer.from(JSON.stringify({ name: `bench ${i}` })), "application/json");
      if (created.status !== 200) throw new Error(`CreateAPIToken answered HTTP ${created.status}`);
    }
    agent.destroy();
    const rows = [["method", "clients", "requests/s", "p50", "p99", "failed"]];
    for (const method of ["GetMe", "ListAPITokens"]) {
      for (const clients of options.clients) {
        const cell = await load(url, method, token, clients, options.seconds * 1000, 1000);
        rows.push([method, String(clients), (cell.completed / (cell.elapsedMs / 1000)).toFixed(0),
          ms(quantile(cell.latenciesMs, 0.5), 1), ms(quantile(cell.latenciesMs, 0.99), 1), String(cell.failed)]);
      }
    }
    console.log(`Local Gateway (agyn-local-gateway serve, its own process), closed loop, ${options.seconds} s per row after 1 s of warm-up;`);
    console.log(`ListAPITokens lists the caller's ${options.tokens + 1} tokens; every call authenticates its bearer token`);
    console.log(table(rows));
    console.log("");
  } finally {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
