// The Gateway client's wire behaviour (headers, paths, keep-alive, TLS trust) against small stand-in
// servers, and its error mapping against the local Gateway and failing transports.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GatewayClientOptions, GatewayError } from "../../gateway/client";
import { generateApiToken } from "../../gateway/token-format";
import { mintLocalToken } from "../../gateway/local/mint-token";
import { startLocalGateway } from "../../gateway/local/server";
import { GatewayStore } from "../../gateway/local/store";
import { registerSecretValue } from "../../provider/logging/secret-redaction";
import { createPrivateCa } from "../support/certificates";
import { testGatewayClient } from "../support/gateway-client";
import { type TestGateway, startTestGateway } from "../support/local-gateway";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const USER_AGENT = "terraform-provider-agyn/0.0.0-test (+https://example.com) Terraform/1.9.0";

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  socket: unknown;
}

/** A stand-in Gateway that records requests and answers each with `respond`. */
async function standIn(
  respond: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  tls?: { key: string; cert: string },
) {
  const seen: SeenRequest[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    req.resume();
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, socket: req.socket });
      respond(req, res);
    });
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An empty, successful Connect unary response in binary protobuf (every field at its zero value). */
function emptyProtoResponse(_req: http.IncomingMessage, res: http.ServerResponse) {
  res.writeHead(200, { "Content-Type": "application/proto" });
  res.end();
}

function connectError(status: number, code: string, message: string) {
  return (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ code, message }));
  };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error("expected the call to fail");
}

function client(options: Partial<GatewayClientOptions> & { baseUrl: string }) {
  const c = testGatewayClient({ userAgent: USER_AGENT, ...options });
  opened.push(c);
  return c;
}
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

describe("requests", () => {
  test("carry the User-Agent and the bearer token, as binary Connect POSTs to the service path", async () => {
    const server = await standIn(emptyProtoResponse);
    const token = generateApiToken();
    try {
      await client({ baseUrl: server.url, token }).getMe();
      expect(server.seen).toHaveLength(1);
      const [req] = server.seen;
      expect(req.method).toBe("POST");
      expect(req.url).toBe("/agynio.api.gateway.v1.UsersGateway/GetMe");
      expect(req.headers["user-agent"]).toBe(USER_AGENT);
      expect(req.headers.authorization).toBe(`Bearer ${token}`);
      expect(req.headers["content-type"]).toBe("application/proto");
      expect(req.headers["connect-protocol-version"]).toBe("1");
    } finally {
      await server.close();
    }
  });

  test("without a token there is no Authorization header", async () => {
    const server = await standIn(emptyProtoResponse);
    try {
      await client({ baseUrl: server.url }).getMe();
      expect(server.seen[0].headers.authorization).toBeUndefined();
      expect(server.seen[0].headers["user-agent"]).toBe(USER_AGENT);
    } finally {
      await server.close();
    }
  });

  test("a path prefix in the base URL is kept, with or without a trailing slash", async () => {
    const server = await standIn(emptyProtoResponse);
    try {
      await client({ baseUrl: `${server.url}/api` }).listApiTokens();
      await client({ baseUrl: `${server.url}/api/` }).revokeApiToken("x");
      await client({ baseUrl: `${server.url}/` }).getUser("x");
      expect(server.seen.map((r) => r.url)).toEqual([
        "/api/agynio.api.gateway.v1.UsersGateway/ListAPITokens",
        "/api/agynio.api.gateway.v1.UsersGateway/RevokeAPIToken",
        "/agynio.api.gateway.v1.UsersGateway/GetUser",
      ]);
    } finally {
      await server.close();
    }
  });

  test("connections are kept alive between calls", async () => {
    const server = await standIn(emptyProtoResponse);
    try {
      const c = client({ baseUrl: server.url });
      await c.getMe();
      await c.listApiTokens();
      await c.getMe();
      expect(new Set(server.seen.map((r) => r.socket)).size).toBe(1);
    } finally {
      await server.close();
    }
  });

  test("the User-Agent reaches the local Gateway too (as its call log shows)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agyn-ua-test-"));
    const log: string[] = [];
    const gateway = await startLocalGateway({ dbPath: join(dir, "gateway.db"), log: (line) => log.push(line) });
    try {
      const store = GatewayStore.open(join(dir, "gateway.db"));
      const token = mintLocalToken(store, { subject: "ua" }).plaintext;
      store.close();
      await client({ baseUrl: gateway.url, token }).getMe();
      await failure(client({ baseUrl: gateway.url }).getMe());
      expect(log).toEqual([
        expect.stringMatching(new RegExp(`^GetMe ok \\d+ms user-agent=${escapeRegExp(JSON.stringify(USER_AGENT))}$`)),
        expect.stringMatching(/^GetMe unauthenticated \d+ms user-agent=/),
      ]);
      expect(log.join("\n")).not.toContain(token);
    } finally {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an invalid base URL is refused up front", () => {
    expect(() => testGatewayClient({ baseUrl: "gateway.example.com" })).toThrow(/has no scheme/);
    expect(() => testGatewayClient({ baseUrl: "not a url" })).toThrow(/is not a URL/);
    expect(() => testGatewayClient({ baseUrl: "ftp://gateway.example.com" })).toThrow(/http/);
  });
});

describe("errors", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  test("a wrong token is unauthenticated, and the message never contains the token", async () => {
    const wrong = generateApiToken();
    const error = await failure(client({ baseUrl: gateway.url, token: wrong }).createApiToken({ name: "x" }));
    expect(error).toMatchObject({ operation: "CreateAPIToken", code: "unauthenticated", gatewayMessage: "invalid api token" });
    expect(error.message).toBe("CreateAPIToken failed (unauthenticated): invalid api token");
    expect(error.name).toBe("GatewayError");
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect(String(error.stack)).not.toContain(wrong);
  });

  test("findApiToken lists the caller's tokens once and picks the one with the id, or none", async () => {
    const c = client({ baseUrl: gateway.url, token: gateway.mintToken({ subject: `finder-${Math.random()}` }) });
    const created = await c.createApiToken({ name: "to find" });
    const listedFor = async (find: () => Promise<unknown>) => {
      const from = gateway.requestLog().length;
      const found = await find();
      const lines = await gateway.logFrom(from, /^ListAPITokens /);
      expect(lines.map((l) => l.split(" ")[0])).toEqual(["ListAPITokens"]);
      return found;
    };
    expect(await listedFor(() => c.findApiToken(created.token!.id))).toEqual(created.token);
    expect(await listedFor(() => c.findApiToken("00000000-0000-4000-8000-000000000000"))).toBeUndefined();
  });

  test("a token echoed back by the server is redacted", async () => {
    const token = generateApiToken();
    const server = await standIn((req, res) =>
      connectError(401, "unauthenticated", `token ${String(req.headers.authorization).slice(7)} is not valid`)(req, res),
    );
    try {
      const error = await failure(client({ baseUrl: server.url, token }).getMe());
      expect(error.code).toBe("unauthenticated");
      expect(error.gatewayMessage).toBe("token agyn_…[redacted] is not valid");
      expect(error.message).not.toContain(token.slice(5, 20));
      // A configured token that is not agyn-shaped is a secret all the same (the provider registers it at Configure).
      const odd = randomBytes(16).toString("hex");
      registerSecretValue(odd);
      const oddError = await failure(client({ baseUrl: server.url, token: odd }).getMe());
      expect(oddError.message).not.toContain(odd);
    } finally {
      await server.close();
    }
  });

  test("server codes map to snake_case names, with the server's message", async () => {
    const cases: [number, string, string][] = [
      [404, "not_found", "user not found"],
      [403, "permission_denied", "cluster admin required"],
      [400, "invalid_argument", "name must be provided"],
      [409, "already_exists", "user exists"],
      [503, "unavailable", "try later"],
      [504, "deadline_exceeded", "upstream deadline"],
    ];
    for (const [status, code, message] of cases) {
      const server = await standIn(connectError(status, code, message));
      try {
        // Without retries: this is about the mapping (retries of 503 and 504 are tested in retry-interceptor.test.ts).
        const error = await failure(client({ baseUrl: server.url, maxRetries: 0 }).getUser("x"));
        expect({ code: error.code, gatewayMessage: error.gatewayMessage, operation: error.operation }).toEqual({
          code,
          gatewayMessage: message,
          operation: "GetUser",
        });
      } finally {
        await server.close();
      }
    }
  });

  test("user writes are retried on aborted (a lost race) but a duplicate fails at once", async () => {
    let answered = 0;
    const flaky = await standIn((req, res) => {
      answered++;
      if (answered < 3) connectError(409, "aborted", "transaction conflict")(req, res);
      else emptyProtoResponse(req, res);
    });
    const duplicate = await standIn(connectError(409, "already_exists", "user with this oidc_subject already exists"));
    try {
      await client({ baseUrl: flaky.url }).createUser({ oidcSubject: "s" });
      expect(flaky.seen).toHaveLength(3);
      const error = await failure(client({ baseUrl: duplicate.url }).createUser({ oidcSubject: "s" }));
      expect(error.code).toBe("already_exists");
      expect(duplicate.seen).toHaveLength(1);
      // Reads are never retried, whatever the code.
      answered = 0;
      await failure(client({ baseUrl: flaky.url }).getUser("x"));
      expect(flaky.seen).toHaveLength(4);
      // UpdateUser is a user write too (repeating the same patch is harmless).
      answered = 0;
      await client({ baseUrl: flaky.url }).updateUser("x", { name: "n" });
      expect(flaky.seen).toHaveLength(7);
    } finally {
      await flaky.close();
      await duplicate.close();
    }
  });

  test("an unreachable port is unavailable with a clear message", async () => {
    const server = await standIn(emptyProtoResponse);
    const { url, port } = server;
    await server.close();
    // One retry: a refused connection is retried, and the message stays the same.
    const error = await failure(client({ baseUrl: url, maxRetries: 1 }).getMe());
    expect(error.code).toBe("unavailable");
    expect(error.gatewayMessage).toBe(`connection refused to 127.0.0.1:${port}`);
    expect(error.message).toBe(`GetMe failed (unavailable): connection refused to 127.0.0.1:${port}`);
  });

  test("an unresolvable host is unavailable", async () => {
    const error = await failure(client({ baseUrl: "http://gateway.invalid" }).getMe());
    expect(error.code).toBe("unavailable");
    expect(error.gatewayMessage).toBe("cannot resolve host gateway.invalid");
  });

  test("no answer within the timeout is deadline_exceeded", async () => {
    const server = await standIn(() => undefined);
    try {
      const error = await failure(client({ baseUrl: server.url, timeoutMs: 200 }).getMe());
      expect(error.code).toBe("deadline_exceeded");
      expect(error.gatewayMessage).toBe(`no response from 127.0.0.1:${server.port} within 200 ms`);
    } finally {
      await server.close();
    }
  });

  test("a URL that is not a Gateway says so", async () => {
    const server = await standIn((_req, res) => {
      res.writeHead(404, { "Content-Type": "text/html" });
      res.end("<h1>Not Found</h1>");
    });
    try {
      const error = await failure(client({ baseUrl: `${server.url}/wrong` }).getMe());
      expect(error.code).toBe("unimplemented");
      expect(error.gatewayMessage).toBe(`HTTP 404 (no agyn Gateway API at ${server.url}/wrong; check the gateway URL)`);
    } finally {
      await server.close();
    }
  });

  test("https against a plain-HTTP port is a TLS handshake failure", async () => {
    const server = await standIn(emptyProtoResponse);
    try {
      const error = await failure(client({ baseUrl: `https://127.0.0.1:${server.port}` }).getMe());
      expect(error.code).toBe("unavailable");
      expect(error.gatewayMessage).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed/);
    } finally {
      await server.close();
    }
  });
});

describe("TLS trust", () => {
  const ca = createPrivateCa();

  test("a private CA is trusted only when given as caPem", async () => {
    const server = await standIn(emptyProtoResponse, ca.issueServerCertificate());
    try {
      const untrusted = await failure(client({ baseUrl: server.url }).getMe());
      expect(untrusted.code).toBe("unavailable");
      expect(untrusted.tlsRefusal).toBe("unknown_authority");
      // Nothing was sent: not retried, and a create refused so needs no check for a token it may have made.
      expect(untrusted.facts).toMatchObject({ mayHaveApplied: false, transient: false, attempts: 1 });
      expect(untrusted.gatewayMessage).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ is signed by an unknown authority$/);
      // Refused before the request was written: the stand-in saw nothing.
      expect(server.seen).toHaveLength(0);
      await expect(client({ baseUrl: server.url, caPem: ca.certPem }).getMe()).resolves.toBeDefined();
      expect(server.seen).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  const now = Date.now();
  test.each([
    ["another host name", { dnsNames: ["gateway.example.test"], ipAddresses: [] }, "host_mismatch", /is not valid for 127\.0\.0\.1 \(it names DNS:gateway\.example\.test\)$/],
    ["an expired certificate", { notBefore: new Date(now - 3 * 86_400_000), notAfter: new Date(now - 86_400_000) }, "expired", /has expired$/],
    ["a certificate not valid yet", { notBefore: new Date(now + 86_400_000), notAfter: new Date(now + 3 * 86_400_000) }, "not_yet_valid", /is not valid yet$/],
  ])("%s is refused in plain words even with the CA, before any request", async (_what, options, kind, message) => {
    const server = await standIn(emptyProtoResponse, ca.issueServerCertificate(options));
    try {
      const refused = await failure(client({ baseUrl: server.url, caPem: ca.certPem }).getMe());
      expect(refused).toMatchObject({ code: "unavailable", tlsRefusal: kind, facts: { mayHaveApplied: false, transient: false } });
      expect(refused.gatewayMessage).toMatch(/^the TLS certificate of 127\.0\.0\.1:\d+ /);
      expect(refused.gatewayMessage).toMatch(message);
      expect(server.seen).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
