// The local Gateway under hostile input: bodies over the request limit and requests with bad credentials are
// answered before their body is sent, malformed bodies are invalid_argument (never a 500), text fields and
// search prefixes have limits, and the call log names the code each answer actually carried.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import * as net from "node:net";
import Database from "better-sqlite3";
import { REQUEST_MAX_BYTES, TEXT_LIMITS } from "../../../gateway/local/limits";
import { expectGatewayFailure } from "../../support/gateway-failures";
import { type TestGateway, startTestGateway } from "../../support/local-gateway";
import { type WireGatewayClient, wireGatewayClient } from "../../support/wire-gateway-client";

const SERVICE = "agynio.api.gateway.v1.UsersGateway";

let gw: TestGateway;
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  gw = await startTestGateway();
  adminToken = gw.mintToken({ subject: "oidc|bad-input-admin", name: "Bad Input Admin", admin: true });
  userToken = gw.mintToken({ subject: "oidc|bad-input-user", name: "Bad Input User" });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await gw.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends only the request head (announcing `contentLength` body bytes that never come) and waits for the answer.
 * A server that reads the body first never answers; the test then fails with a clear message.
 */
function headOnly(method: string, contentLength: number, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(`${gw.url}/${SERVICE}/${method}`);
    const req = http.request(url, {
      method: "POST",
      headers: { "Content-Type": "application/proto", "Connect-Protocol-Version": "1", "Content-Length": String(contentLength), ...headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to a request whose ${contentLength}-byte body was never sent: the server waits for the body`));
    }, 15_000);
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.flushHeaders();
  });
}

/** Streams a chunked body of `total` bytes (no Content-Length), stopping early once the server has answered. */
function chunkedUpload(method: string, total: number, token: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(`${gw.url}/${SERVICE}/${method}`), {
      method: "POST",
      headers: { "Content-Type": "application/proto", "Connect-Protocol-Version": "1", Authorization: `Bearer ${token}` },
    });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(16 * 1024, 0x0a);
    let sent = 0;
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

async function post(method: string, body: Uint8Array | string, contentType: string, token?: string) {
  const headers: Record<string, string> = { "Content-Type": contentType, "Connect-Protocol-Version": "1" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${gw.url}/${SERVICE}/${method}`, { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, json: (text === "" ? {} : JSON.parse(text)) as { code?: string; message?: string } };
}

const clients: WireGatewayClient[] = [];
/** Any Connect client's view (generated messages, every field as sent); failures are GatewayErrors. */
function rawClient(token: string): WireGatewayClient {
  const client = wireGatewayClient({ baseUrl: gw.url, token });
  clients.push(client);
  return client;
}

/** The Gateway's log lines for what `work` sent (once the line matching `pattern` is there). */
async function loggedDuring(work: () => Promise<unknown>, pattern: RegExp): Promise<string[]> {
  const before = gw.requestLog().length;
  await work();
  return gw.logFrom(before, pattern);
}

describe("request size", () => {
  test("a body over the limit is refused with resource_exhausted before any of it is sent", async () => {
    const answer = await headOnly("CreateAPIToken", 50_000_000, { Authorization: `Bearer ${userToken}` });
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "resource_exhausted" });
    expect(JSON.parse(answer.body).message).toContain(String(REQUEST_MAX_BYTES));
  });

  test("a chunked body (no Content-Length) is cut off at the limit", async () => {
    const answer = await chunkedUpload("CreateAPIToken", 8 * 1024 * 1024, userToken);
    expect(answer.status).toBe(429);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "resource_exhausted" });
  });

  test("a body just under the limit is read (and judged on its content)", async () => {
    // A string field of (limit - 4) bytes: tag, 3-byte length, then the text; far over the name limit.
    const text = "x".repeat(REQUEST_MAX_BYTES - 4);
    const length = text.length;
    const body = Buffer.concat([Buffer.from([0x0a, (length & 0x7f) | 0x80, ((length >> 7) & 0x7f) | 0x80, length >> 14]), Buffer.from(text)]);
    expect(body.length).toBe(REQUEST_MAX_BYTES);
    const { status, json } = await post("CreateAPIToken", body, "application/proto", userToken);
    expect(status).toBe(400);
    expect(json).toMatchObject({ code: "invalid_argument", message: `name must be at most ${TEXT_LIMITS.name} characters (got ${length})` });
  });
});

describe("authentication comes before the body", () => {
  test.each([
    ["an unknown token", { Authorization: "Bearer agyn_unknown" }, "invalid api token"],
    ["a malformed Authorization header", { Authorization: "Basic dXNlcjpwYXNz" }, "invalid authorization header"],
    ["no token at all", {}, "authentication required"],
  ])("%s is unauthenticated at once, whatever body is announced", async (_what, headers: Record<string, string>, message) => {
    const answer = await headOnly("CreateAPIToken", 50_000_000, headers);
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ code: "unauthenticated", message });
  });

  test("a refused caller with a small body gets the same answer", async () => {
    const { status, json } = await post("GetMe", "{}", "application/json", "not-a-token");
    expect(status).toBe(401);
    expect(json).toEqual({ code: "unauthenticated", message: "invalid api token" });
  });
});

/** Writes `head` (a request without a body) on a raw connection and returns the answer's status line. */
function rawRequest(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(gw.url);
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(head));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      answer += chunk;
      if (answer.includes("\r\n")) {
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf("\r\n")));
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(answer));
  });
}

describe("the Host header is not needed", () => {
  // The router needs only the path; the Gateway used to throw out of its request listener here (a crash).
  test.each([
    ["an HTTP/1.0 request without Host", "HTTP/1.0", ""],
    ["a malformed Host", "HTTP/1.1", "Host: not a host\r\n"],
  ])("%s is answered, and the Gateway keeps serving", async (_what, version, host) => {
    const status = await rawRequest(
      `POST /${SERVICE}/GetMe ${version}\r\n${host}Content-Type: application/proto\r\nConnect-Protocol-Version: 1\r\n` +
        `Authorization: Bearer ${userToken}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect(status).toMatch(/^HTTP\/1\.1 200 /);
    const me = await fetch(`${gw.url}/${SERVICE}/GetMe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${userToken}` },
      body: "{}",
    });
    expect(me.status).toBe(200);
  });
});

describe("malformed bodies are invalid_argument", () => {
  test.each([
    ["a truncated length-delimited field", [0x0a, 0x7f, 0x41]],
    ["a bad wire type", [0x0f]],
    ["a varint that never ends", [0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
    ["invalid UTF-8 in a string", [0x0a, 0x02, 0xc3, 0x28]],
  ])("binary protobuf: %s", async (_what, bytes) => {
    const { status, json } = await post("CreateAPIToken", Uint8Array.from(bytes), "application/proto", userToken);
    expect(status).toBe(400);
    expect(json.code).toBe("invalid_argument");
  });

  test("malformed JSON", async () => {
    const { status, json } = await post("CreateAPIToken", "{\"name\":", "application/json", userToken);
    expect(status).toBe(400);
    expect(json.code).toBe("invalid_argument");
  });
});

describe("text limits", () => {
  const over = (field: keyof typeof TEXT_LIMITS) => "a".repeat(TEXT_LIMITS[field] + 1);
  const tooLong = (field: keyof typeof TEXT_LIMITS, got = TEXT_LIMITS[field] + 1) =>
    `${field} must be at most ${TEXT_LIMITS[field]} characters (got ${got})`;

  test("SearchUsers with a 50,000-character prefix is invalid_argument, not a 500", async () => {
    const prefix = "p".repeat(50_000);
    const { status, json } = await post("SearchUsers", JSON.stringify({ prefix }), "application/json", userToken);
    expect(status).toBe(400);
    expect(json).toEqual({ code: "invalid_argument", message: tooLong("prefix", 50_000) });
  });

  test("a prefix at the limit is searched", async () => {
    await expect(rawClient(userToken).searchUsers("p".repeat(TEXT_LIMITS.prefix), 0)).resolves.toEqual([]);
  });

  test("characters are counted, not UTF-16 units or bytes", async () => {
    // 1024 astral characters are 2048 UTF-16 units and 4096 UTF-8 bytes; still within the name limit.
    const name = "𝔞".repeat(TEXT_LIMITS.name);
    const created = await rawClient(userToken).createApiToken({ name });
    expect(created.token?.name).toBe(name);
    await rawClient(userToken).revokeApiToken(created.token!.id);
  });

  test.each([
    ["CreateAPIToken name", "name", (c: WireGatewayClient) => c.createApiToken({ name: over("name") })],
    ["UpdateMe name", "name", (c: WireGatewayClient) => c.updateMe({ name: over("name") })],
  ] as const)("%s", async (_what, field, call) => {
    await expectGatewayFailure(call(rawClient(userToken)), "invalid_argument", tooLong(field));
  });

  const someone = () => `oidc|limits-${randomUUID()}`;
  test.each([
    ["CreateUser oidc_subject", "oidc_subject", (c: WireGatewayClient) => c.createUser({ oidcSubject: over("oidc_subject") })],
    ["CreateUser name", "name", (c: WireGatewayClient) => c.createUser({ oidcSubject: someone(), name: over("name") })],
    ["CreateUser nickname", "nickname", (c: WireGatewayClient) => c.createUser({ oidcSubject: someone(), nickname: over("nickname") })],
    ["CreateUser photo_url", "photo_url", (c: WireGatewayClient) => c.createUser({ oidcSubject: someone(), photoUrl: over("photo_url") })],
    ["UpdateUser name", "name", (c: WireGatewayClient) => c.updateUser({ identityId: randomUUID(), name: over("name") })],
    ["UpdateUser email", "email", (c: WireGatewayClient) => c.updateUser({ identityId: randomUUID(), email: over("email") })],
    ["UpdateUser photo_url", "photo_url", (c: WireGatewayClient) => c.updateUser({ identityId: randomUUID(), photoUrl: over("photo_url") })],
    ["UpdateUser nickname", "nickname", (c: WireGatewayClient) => c.updateUser({ identityId: randomUUID(), nickname: over("nickname") })],
  ] as const)("%s", async (_what, field, call) => {
    await expectGatewayFailure(call(rawClient(adminToken)), "invalid_argument", tooLong(field));
  });

  test("every field at its limit is accepted", async () => {
    const at = (field: keyof typeof TEXT_LIMITS) => "a".repeat(TEXT_LIMITS[field]);
    const admin = rawClient(adminToken);
    const { user } = await admin.createUser({ oidcSubject: at("oidc_subject"), name: at("name"), nickname: at("nickname"), photoUrl: at("photo_url") });
    const updated = await admin.updateUser({ identityId: user!.meta!.id, email: at("email") });
    expect(updated.user).toMatchObject({ oidcSubject: at("oidc_subject"), name: at("name"), email: at("email") });
    await admin.deleteUser(user!.meta!.id);
  });
});

describe("the call log names the code each answer carried", () => {
  test.each([
    ["malformed JSON", () => post("CreateAPIToken", "{", "application/json", userToken), /^CreateAPIToken invalid_argument \d+ms/],
    ["a malformed binary body", () => post("CreateAPIToken", Uint8Array.from([0x0f]), "application/proto", userToken), /^CreateAPIToken invalid_argument \d+ms/],
    ["a refused token", () => post("ListAPITokens", "{}", "application/json", "not-a-token"), /^ListAPITokens unauthenticated \d+ms/],
    ["a body over the limit", () => headOnly("ListAPITokens", REQUEST_MAX_BYTES + 1, { Authorization: `Bearer ${userToken}` }), /^ListAPITokens resource_exhausted \d+ms/],
    ["an unknown method", () => post("StealTokens", "{}", "application/json", userToken), /^POST "\/agynio.api.gateway.v1.UsersGateway\/StealTokens" HTTP 404 \d+ms/],
  ])("%s", async (_what, call, line) => {
    const lines = await loggedDuring(call, line);
    expect(lines).toEqual([expect.stringMatching(line)]);
  });

  test("a failure inside the Gateway is logged as the internal error it was answered with", async () => {
    const broken = await startTestGateway();
    try {
      const token = broken.mintToken({ subject: "oidc|broken" });
      // Take the token table away under the running Gateway: authentication itself now fails.
      const db = new Database(broken.dbPath);
      db.pragma("foreign_keys = OFF");
      db.exec("DROP TABLE api_tokens");
      db.close();
      const response = await fetch(`${broken.url}/${SERVICE}/GetMe`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: "{}",
      });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ code: "internal", message: "internal error" });
      // The operator sees why; the caller only that it was not their fault.
      const line = /^GetMe internal \d+ms user-agent=.* cause="no such table: api_tokens"$/;
      expect(await broken.logFrom(0, line)).toEqual([expect.stringMatching(line)]);
    } finally {
      await broken.close();
    }
  });
});
