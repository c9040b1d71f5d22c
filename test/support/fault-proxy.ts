// A fault-injecting HTTP proxy in front of a Gateway, for tests that prove the provider converges through
// what real networks and load balancers do: latency, 503 from a load balancer, 429 with Retry-After, a reset
// connection, a request that hangs, and a request the Gateway carries out whose answer is then lost
// ("act-then-drop"). Faults come from a seeded random plan (replayable) or a script per RPC.
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Random, seededRandom } from "./seeded-random";

export const FAULTS = ["latency", "unavailable", "rate-limited", "reset", "hang", "act-then-drop"] as const;
export type Fault = (typeof FAULTS)[number];
export type Outcome = Fault | "pass";

export interface FaultPlan {
  /** Probability of each fault for a request (the rest pass); at most one fault per request. */
  readonly rates: Partial<Record<Fault, number>>;
  /** Only requests to these RPCs (e.g. "CreateAPIToken") get faults; all by default. */
  readonly methods?: readonly string[];
  readonly latencyMs?: number;
  /** The Retry-After of a 429. */
  readonly retryAfterSeconds?: number;
  readonly seed?: number;
}

export interface FaultStats {
  readonly requests: number;
  readonly outcomes: Record<Outcome, number>;
  /** RPC → outcome → count. */
  readonly byMethod: Record<string, Partial<Record<Outcome, number>>>;
}

export class FaultProxy {
  private server!: http.Server;
  private plan: FaultPlan = { rates: {} };
  private random: Random = seededRandom(1);
  private readonly scripts = new Map<string, Outcome[]>();
  private readonly sockets = new Set<Socket>();
  private readonly outcomes = Object.fromEntries([...FAULTS, "pass"].map((o) => [o, 0])) as Record<Outcome, number>;
  private readonly byMethod: Record<string, Partial<Record<Outcome, number>>> = {};
  private requests = 0;
  url = "";

  private constructor(private readonly target: string) {}

  static async start(target: string, plan?: FaultPlan): Promise<FaultProxy> {
    const proxy = new FaultProxy(target);
    if (plan) proxy.setPlan(plan);
    proxy.server = http.createServer((req, res) => proxy.handle(req, res));
    proxy.server.on("connection", (socket) => {
      proxy.sockets.add(socket);
      socket.on("close", () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** Replaces the random plan (and its seed); scripts stay. */
  setPlan(plan: FaultPlan): void {
    this.plan = plan;
    this.random = seededRandom(plan.seed ?? 1);
  }

  /** The next requests to `method` get these outcomes, in order, before the plan applies again. */
  script(method: string, ...outcomes: Outcome[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...outcomes]);
  }

  stats(): FaultStats {
    return { requests: this.requests, outcomes: { ...this.outcomes }, byMethod: JSON.parse(JSON.stringify(this.byMethod)) };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private choose(method: string): Outcome {
    const scripted = this.scripts.get(method);
    if (scripted && scripted.length > 0) return scripted.shift()!;
    if (this.plan.methods && !this.plan.methods.includes(method)) return "pass";
    let roll = this.random.next();
    for (const fault of FAULTS) {
      const rate = this.plan.rates[fault] ?? 0;
      if (roll < rate) return fault;
      roll -= rate;
    }
    return "pass";
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const method = (req.url ?? "").split("/").pop() ?? "";
      const outcome = this.choose(method);
      this.requests++;
      this.outcomes[outcome]++;
      const counts = (this.byMethod[method] ??= {});
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      const body = Buffer.concat(chunks);
      switch (outcome) {
        case "pass":
          return this.forward(req, body, res, "answer");
        case "latency":
          setTimeout(() => this.forward(req, body, res, "answer"), this.plan.latencyMs ?? 200);
          return;
        case "unavailable":
          res.writeHead(503, { "Content-Type": "text/plain" });
          res.end("upstream connect error or disconnect/reset before headers");
          return;
        case "rate-limited":
          res.writeHead(429, { "Content-Type": "text/plain", "Retry-After": String(this.plan.retryAfterSeconds ?? 1) });
          res.end("too many requests");
          return;
        case "reset":
          req.socket.destroy();
          return;
        case "hang":
          // Never answered: the client's timeout ends it (close() ends it too).
          return;
        case "act-then-drop":
          return this.forward(req, body, res, "drop");
      }
    });
  }

  /** Sends the request to the Gateway; then answers with its response, or drops the connection instead. */
  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, then: "answer" | "drop"): void {
    const upstream = http.request(`${this.target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(this.target).host } }, (up) => {
      const parts: Buffer[] = [];
      up.on("data", (c: Buffer) => parts.push(c));
      up.on("end", () => {
        if (then === "drop") {
          req.socket.destroy();
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(Buffer.concat(parts));
      });
    });
    upstream.on("error", () => req.socket.destroy());
    upstream.end(body);
  }
}
