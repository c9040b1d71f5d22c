// Retries inside the Gateway client (gateway/retry-interceptor.ts) against stand-in servers that fail on
// purpose: which calls are retried and on what, Retry-After, the deadline, Terraform's Stop, the keep-alive
// reset, removals that find the object gone, and creates that are never repeated blindly.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayClientOptions } from "../../gateway/client";
import type { RetryEvent } from "../../gateway/retry-interceptor";
import { gatewayFailure } from "../support/gateway-failures";
import { testGatewayClient } from "../support/gateway-client";

type Answer = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

/** A stand-in Gateway whose n-th request (1-based) is answered by `answers[n - 1]`, the last one repeating. */
async function flaky(...answers: Answer[]) {
  const arrivals: { path: string; at: number; socket: unknown }[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      arrivals.push({ path: req.url ?? "", at: Date.now(), socket: req.socket });
      const n = arrivals.length;
      answers[Math.min(n, answers.length) - 1](req, res, n);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const ok: Answer = (_req, res) => {
  res.writeHead(200, { "Content-Type": "application/proto" });
  res.end();
};
const status = (code: number, headers: Record<string, string> = {}): Answer => (_req, res) => {
  res.writeHead(code, { "Content-Type": "text/html", ...headers });
  res.end(`<html><body>${code}</body></html>`);
};
const connectError = (httpStatus: number, code: string, message: string, headers: Record<string, string> = {}): Answer => (_req, res) => {
  res.writeHead(httpStatus, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify({ code, message }));
};
/** The connection dies without an answer: to the client, a reset. */
const reset: Answer = (req) => req.socket.destroy();
const hang: Answer = () => undefined;

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

function client(options: Partial<GatewayClientOptions> & { baseUrl: string }) {
  const c = testGatewayClient({ maxRetries: 4, ...options });
  opened.push(c);
  return c;
}

describe("reads are retried on transient failures", () => {
  it.each([
    ["HTTP 503 from a load balancer", status(503)],
    ["HTTP 502", status(502)],
    ["HTTP 504", status(504)],
    ["HTTP 429", status(429)],
    ["the Gateway's unavailable", connectError(503, "unavailable", "draining")],
    ["the Gateway's resource_exhausted", connectError(429, "resource_exhausted", "slow down")],
    ["a reset connection", reset],
  ])("%s, then success", async (_name, failure) => {
    const server = await flaky(failure, failure, ok);
    try {
      await expect(client({ baseUrl: server.url }).listApiTokens()).resolves.toEqual([]);
      expect(server.arrivals).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it("every read: GetMe, ListAPITokens, GetUser, ListUsers, SearchUsers, BatchGetUsers", async () => {
    const server = await flaky((req, res, n) => (n % 2 === 1 ? status(503)(req, res, n) : ok(req, res, n)));
    try {
      const c = client({ baseUrl: server.url });
      await c.getMe();
      await c.listApiTokens();
      await c.getUser("x");
      await c.listUsers();
      await c.searchUsers("a", 5);
      await c.batchGetUsers(["x"]);
      expect(server.arrivals.map((a) => a.path.split("/").pop())).toEqual(
        ["GetMe", "GetMe", "ListAPITokens", "ListAPITokens", "GetUser", "GetUser", "ListUsers", "ListUsers", "SearchUsers", "SearchUsers",
          "BatchGetUsers", "BatchGetUsers"]);
    } finally {
      await server.close();
    }
  });

  it("a refused connection (nothing listening yet) is retried", async () => {
    const server = await flaky(ok);
    const { url } = server;
    await server.close();
    const error = await gatewayFailure(client({ baseUrl: url, maxRetries: 2 }).getMe());
    expect(error.code).toBe("unavailable");
    expect(error.facts).toMatchObject({ attempts: 3, transient: true, mayHaveApplied: false });
  });

  it("an attempt that gets no answer times out and the next one is sent", async () => {
    const server = await flaky(hang, ok);
    try {
      await client({ baseUrl: server.url, timeoutMs: 300 }).getMe();
      expect(server.arrivals).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it("a stale keep-alive connection reset by the server is absorbed", async () => {
    // The second request on a connection finds it closed by the server (as after the Gateway's idle timeout).
    const seen = new Set<unknown>();
    const server = await flaky((req, res, n) => {
      if (seen.has(req.socket)) return reset(req, res, n);
      seen.add(req.socket);
      ok(req, res, n);
    });
    try {
      const c = client({ baseUrl: server.url });
      await c.getMe();
      await c.listApiTokens();
      expect(server.arrivals.map((a) => a.path.split("/").pop())).toEqual(["GetMe", "ListAPITokens", "ListAPITokens"]);
      expect(new Set(server.arrivals.map((a) => a.socket)).size).toBe(2);
    } finally {
      await server.close();
    }
  });

  it("stops after max_retries and reports the last failure with the number of attempts", async () => {
    const server = await flaky(status(503));
    try {
      const error = await gatewayFailure(client({ baseUrl: server.url, maxRetries: 2 }).getMe());
      expect(server.arrivals).toHaveLength(3);
      expect(error).toMatchObject({ code: "unavailable", gatewayMessage: "HTTP 503" });
      expect(error.facts.attempts).toBe(3);
    } finally {
      await server.close();
    }
  });

  it("max_retries = 0 sends every call once", async () => {
    const server = await flaky(status(503));
    try {
      await gatewayFailure(client({ baseUrl: server.url, maxRetries: 0 }).getMe());
      expect(server.arrivals).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("a permanent failure is not retried: unauthenticated, not found, a web page", async () => {
    const server = await flaky(connectError(401, "unauthenticated", "invalid api token"), connectError(404, "not_found", "user not found"), status(200));
    try {
      const c = client({ baseUrl: server.url });
      expect((await gatewayFailure(c.getMe())).code).toBe("unauthenticated");
      expect((await gatewayFailure(c.getUser("x"))).code).toBe("not_found");
      const html = await gatewayFailure(c.getMe());
      expect(html.gatewayMessage).toMatch(/unsupported content type text\/html.*check the gateway URL/);
      expect(server.arrivals).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});

describe("waits", () => {
  it("honours Retry-After: the next attempt comes no sooner", async () => {
    const server = await flaky(status(429, { "Retry-After": "1" }), ok);
    try {
      await client({ baseUrl: server.url }).getMe();
      expect(server.arrivals).toHaveLength(2);
      expect(server.arrivals[1].at - server.arrivals[0].at).toBeGreaterThanOrEqual(1000);
    } finally {
      await server.close();
    }
  });

  it("gives up at once when Retry-After points past the call's deadline", async () => {
    const server = await flaky(status(503, { "Retry-After": "3600" }), ok);
    try {
      const error = await gatewayFailure(client({ baseUrl: server.url, timeoutMs: 1000, maxRetries: 4 }).getMe());
      expect(error.gatewayMessage).toBe("HTTP 503");
      expect(server.arrivals).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("tells onRetry about each wait (capped, jittered exponential backoff)", async () => {
    const events: RetryEvent[] = [];
    const server = await flaky(status(503), status(503), status(503), ok);
    try {
      await client({ baseUrl: server.url, onRetry: (e) => events.push(e) }).getMe();
      expect(events.map((e) => [e.method, e.attempt])).toEqual([["GetMe", 1], ["GetMe", 2], ["GetMe", 3]]);
      // Between half and all of 500 ms, 1 s, 2 s.
      events.forEach((e, i) => {
        expect(e.waitMs).toBeGreaterThanOrEqual(250 * 2 ** i);
        expect(e.waitMs).toBeLessThanOrEqual(500 * 2 ** i);
      });
    } finally {
      await server.close();
    }
  });

  it("Terraform's Stop ends a read while it waits between attempts", async () => {
    const server = await flaky(status(503, { "Retry-After": "30" }));
    try {
      const stop = new AbortController();
      const reading = client({ baseUrl: server.url, timeoutMs: 60_000 }).getMe({ signal: stop.signal });
      while (server.arrivals.length === 0) await new Promise((r) => setTimeout(r, 10));
      stop.abort();
      const error = await gatewayFailure(reading);
      expect(error.code).toBe("canceled");
      expect(server.arrivals).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe("writes", () => {
  it("a revoke whose first attempt was lost and whose retry finds the token gone succeeds", async () => {
    const server = await flaky(reset, connectError(404, "not_found", "token not found"));
    try {
      await expect(client({ baseUrl: server.url }).revokeApiToken("t1")).resolves.toBeUndefined();
      expect(server.arrivals).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it("a delete likewise; but not_found on the first attempt is still not_found", async () => {
    const server = await flaky(status(502), connectError(404, "not_found", "user not found"));
    try {
      await expect(client({ baseUrl: server.url }).deleteUser("u1")).resolves.toBeUndefined();
      expect((await gatewayFailure(client({ baseUrl: server.url }).deleteUser("u2"))).code).toBe("not_found");
    } finally {
      await server.close();
    }
  });

  it("Stop ends a write's waits between attempts, never the attempt in flight", async () => {
    const stop = new AbortController();
    const server = await flaky((req, res, n) => {
      if (n === 1) {
        stop.abort(); // Stop arrives while the first attempt is at the Gateway...
        setTimeout(() => status(503)(req, res, n), 100); // ...which still answers it
      } else ok(req, res, n);
    });
    try {
      const error = await gatewayFailure(client({ baseUrl: server.url }).revokeApiToken("t1", { signal: stop.signal }));
      expect(error.gatewayMessage).toBe("HTTP 503");
      expect(server.arrivals).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it.each([
    ["a reset", reset],
    ["HTTP 503", status(503)],
    ["a timeout", hang],
    ["the Gateway's unavailable", connectError(503, "unavailable", "users service unavailable")],
  ])("a create that may have happened (%s) is never repeated here", async (_name, failure) => {
    const server = await flaky(failure, ok);
    try {
      const error = await gatewayFailure(client({ baseUrl: server.url, timeoutMs: 300 }).createApiToken({ name: "ci" }));
      expect(error.facts).toMatchObject({ mayHaveApplied: true, transient: true, attempts: 1 });
      expect(server.arrivals).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("a create that certainly did nothing (rate-limited, a lost race) is repeated", async () => {
    const server = await flaky(status(429), connectError(409, "aborted", "transaction conflict"), ok);
    try {
      await client({ baseUrl: server.url }).createUser({ oidcSubject: "s" });
      expect(server.arrivals).toHaveLength(3);
    } finally {
      await server.close();
    }
  });
});
