// The local Gateway's UsersGateway over real HTTP: binary protobuf through the provider's client,
// Connect JSON through plain fetch.
import { randomBytes, randomUUID } from "node:crypto";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { type GatewayError } from "../../../gateway/client";
import { microsFromTimestamp, systemMicros } from "../../../gateway/local/microseconds";
import { API_TOKEN_PATTERN, tokenPrefix } from "../../../gateway/token-format";
import { UsersGateway } from "../../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { ClusterRole, ListAPITokensResponseSchema } from "../../../gen/agynio/api/users/v1/users_pb";
import { gatewayFailure } from "../../support/gateway-failures";
import { type TestGateway, startTestGateway } from "../../support/local-gateway";
import { type WireGatewayClient, wireGatewayClient } from "../../support/wire-gateway-client";

const SERVICE = "agynio.api.gateway.v1.UsersGateway";

let gw: TestGateway;
const clients: WireGatewayClient[] = [];
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  gw = await startTestGateway();
  adminToken = gw.mintToken({ subject: "oidc|admin", name: "Ada Admin", admin: true });
  userToken = gw.mintToken({ subject: "oidc|user", name: "Uma User" });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await gw.close();
});

function clientFor(token: string | undefined, baseUrl = gw.url): WireGatewayClient {
  const client = wireGatewayClient({ baseUrl, token });
  clients.push(client);
  return client;
}

const failure = gatewayFailure;

async function expectFailure(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<GatewayError> {
  const error = await failure(promise);
  expect(error.code).toBe(code);
  if (typeof message === "string") expect(error.gatewayMessage).toBe(message);
  else if (message) expect(error.gatewayMessage).toMatch(message);
  return error;
}

async function postJson(path: string, body: unknown, token?: string, authorization?: string) {
  const headers: Record<string, string> = { "Content-Type": "application/json", "Connect-Protocol-Version": "1" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (authorization) headers.Authorization = authorization;
  const response = await fetch(`${gw.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON off the wire, read by assertions
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

function newUserToken(label: string, admin = false): string {
  return gw.mintToken({ subject: `oidc|${label}-${randomUUID()}`, name: label, admin });
}

describe("GetMe", () => {
  test("returns the caller and the ADMIN cluster role for admins (binary protobuf)", async () => {
    const me = await clientFor(adminToken).getMe();
    expect(me.clusterRole).toBe(ClusterRole.ADMIN);
    expect(me.user).toMatchObject({ oidcSubject: "oidc|admin", name: "Ada Admin", username: "ada-admin", email: "" });
    expect(me.user?.meta?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.user?.meta?.createdAt).toBeDefined();
  });

  test("non-admins get CLUSTER_ROLE_UNSPECIFIED, which JSON omits like every zero value", async () => {
    expect((await clientFor(userToken).getMe()).clusterRole).toBe(ClusterRole.UNSPECIFIED);
    const { status, json } = await postJson(`/${SERVICE}/GetMe`, {}, userToken);
    expect(status).toBe(200);
    expect(json).not.toHaveProperty("clusterRole");
    expect(json.user).not.toHaveProperty("email");
    expect(json.user).toMatchObject({ oidcSubject: "oidc|user", name: "Uma User", username: "uma-user" });
    expect(json.user.meta.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z$/);
  });

  test("Connect JSON works at the canonical path, under /api/ and at the documented alias", async () => {
    for (const path of [`/${SERVICE}/GetMe`, `/api/${SERVICE}/GetMe`, "/api/agynio.api.users.v1.UsersGateway/GetMe"]) {
      const { status, json } = await postJson(path, {}, adminToken);
      expect({ path, status }).toEqual({ path, status: 200 });
      expect(json.clusterRole).toBe("CLUSTER_ROLE_ADMIN");
      expect(json.user.oidcSubject).toBe("oidc|admin");
    }
  });

  test("the client works with a base URL that carries the /api prefix", async () => {
    expect((await clientFor(adminToken, `${gw.url}/api`).getMe()).user?.oidcSubject).toBe("oidc|admin");
    expect((await clientFor(adminToken, `${gw.url}/api/`).getMe()).user?.oidcSubject).toBe("oidc|admin");
  });
});

describe("authentication", () => {
  test("an unknown token is 401 invalid api token", async () => {
    const { status, json } = await postJson(`/${SERVICE}/GetMe`, {}, undefined, `Bearer ${userToken.slice(0, -2)}xx`);
    expect(status).toBe(401);
    expect(json).toEqual({ code: "unauthenticated", message: "invalid api token" });
  });

  test("no token reaches the service anonymously and is refused", async () => {
    await expectFailure(clientFor(undefined).getMe(), "unauthenticated");
    await expectFailure(clientFor(undefined).listApiTokens(), "unauthenticated");
    const { status } = await postJson(`/${SERVICE}/GetMe`, {});
    expect(status).toBe(401);
  });

  test("the scheme is case-insensitive; exactly one token is allowed", async () => {
    expect((await postJson(`/${SERVICE}/GetMe`, {}, undefined, `bearer ${userToken}`)).status).toBe(200);
    expect((await postJson(`/${SERVICE}/GetMe`, {}, undefined, `BEARER  ${userToken}`)).status).toBe(200);
    expect((await postJson(`/${SERVICE}/GetMe`, {}, undefined, `Bearer ${userToken} ${userToken}`)).status).toBe(401);
    expect((await postJson(`/${SERVICE}/GetMe`, {}, undefined, `Basic ${userToken}`)).status).toBe(401);
  });

  test("an expired token is 401 invalid api token, indistinguishable from an unknown one", async () => {
    const expired = gw.mintToken({ subject: "oidc|user", expiresAt: new Date(Date.now() - 1000) });
    const error = await expectFailure(clientFor(expired).getMe(), "unauthenticated", "invalid api token");
    expect(error.message).toBe("GetMe failed (unauthenticated): invalid api token");
    const { status, json } = await postJson(`/${SERVICE}/GetMe`, {}, expired);
    expect(status).toBe(401);
    expect(json).toEqual({ code: "unauthenticated", message: "invalid api token" });
  });

  test("a token stops working once its expires_at passes", async () => {
    const owner = clientFor(newUserToken("expiring"));
    const created = await owner.createApiToken({ name: "short-lived", expiresAt: new Date(Date.now() + 1200) });
    const shortLived = clientFor(created.plaintextToken);
    await expect(shortLived.getMe()).resolves.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1400));
    await expectFailure(shortLived.getMe(), "unauthenticated", "invalid api token");
  });
});

describe("API tokens", () => {
  test("CreateAPIToken returns the plaintext once, for the calling identity", async () => {
    const token = newUserToken("creator");
    const client = clientFor(token);
    const me = await client.getMe();
    const expiresAt = new Date(Date.now() + 3_600_000);
    const created = await client.createApiToken({ name: "ci pipeline", expiresAt });
    expect(created.plaintextToken).toMatch(API_TOKEN_PATTERN);
    expect(created.token).toMatchObject({
      identityId: me.user?.meta?.id,
      name: "ci pipeline",
      tokenPrefix: tokenPrefix(created.plaintextToken),
    });
    expect(created.token?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.token?.expiresAt?.seconds) * 1000 + created.token!.expiresAt!.nanos / 1e6).toBe(expiresAt.getTime());
    expect(created.token?.lastUsedAt).toBeUndefined();
    expect((await clientFor(created.plaintextToken).getMe()).user?.meta?.id).toBe(me.user?.meta?.id);
    const listed = await client.listApiTokens();
    expect(listed.tokens.find((t) => t.id === created.token?.id)).not.toHaveProperty("plaintextToken");
  });

  test("the name is required; expires_at must be strictly in the future", async () => {
    const client = clientFor(newUserToken("validator"));
    await expectFailure(client.createApiToken({ name: "" }), "invalid_argument", "name must be provided");
    await expectFailure(
      client.createApiToken({ name: "old", expiresAt: new Date(Date.now() - 60_000) }),
      "invalid_argument",
      "expires_at must be in the future",
    );
    // No trimming and no uniqueness.
    await client.createApiToken({ name: " " });
    await client.createApiToken({ name: " " });
    expect((await client.listApiTokens()).tokens.filter((t) => t.name === " ")).toHaveLength(2);
  });

  test("ListAPITokens lists only the caller's tokens, newest first, expired ones included", async () => {
    const subject = `oidc|lister-${randomUUID()}`;
    const token = gw.mintToken({ subject, description: "first" });
    gw.mintToken({ subject, description: "expired", expiresAt: new Date(Date.now() - 1000) });
    const client = clientFor(token);
    await client.createApiToken({ name: "third" });
    await client.createApiToken({ name: "fourth" });
    newUserToken("someone-else");
    const { tokens } = await client.listApiTokens();
    expect(tokens.map((t) => t.name)).toEqual(["fourth", "third", "expired", "first"]);
    const me = await client.getMe();
    expect(new Set(tokens.map((t) => t.identityId))).toEqual(new Set([me.user?.meta?.id]));
  });

  test("a user without tokens besides the one in use gets exactly that one; JSON omits unset timestamps", async () => {
    const token = newUserToken("single");
    const { json } = await postJson(`/${SERVICE}/ListAPITokens`, {}, token);
    expect(json.tokens).toHaveLength(1);
    expect(json.tokens[0]).not.toHaveProperty("expiresAt");
    expect(Object.keys(json.tokens[0]).sort()).toEqual(["createdAt", "id", "identityId", "lastUsedAt", "name", "tokenPrefix"]);
  });

  test("binary and JSON callers get the same token list and GetMe, also right after a revoke and a rename", async () => {
    const token = newUserToken("both-formats");
    const binary = clientFor(token);
    const created = await binary.createApiToken({ name: "Grüße 🚀" });
    await binary.createApiToken({ name: "second" });
    const jsonTokens = async () => (await postJson(`/${SERVICE}/ListAPITokens`, {}, token)).json.tokens as { id: string; name: string }[];
    const binaryTokens = async () => (await binary.listApiTokens()).tokens.map((t) => ({ id: t.id, name: t.name }));
    const both = async () => {
      const [fromBinary, fromJson] = [await binaryTokens(), (await jsonTokens()).map((t) => ({ id: t.id, name: t.name }))];
      expect(fromBinary).toEqual(fromJson);
      return fromBinary.map((t) => t.name);
    };
    const listed = await both();
    expect(listed.slice(0, 2)).toEqual(["second", "Grüße 🚀"]);
    expect(listed).toHaveLength(3);
    await binary.revokeApiToken(created.token!.id);
    expect(await both()).toEqual([listed[0], listed[2]]);
    expect((await binary.getMe()).user?.name).toBe("both-formats");
    await binary.updateMe({ name: "Renamed" });
    expect((await binary.getMe()).user?.name).toBe("Renamed");
    expect((await postJson(`/${SERVICE}/GetMe`, {}, token)).json.user.name).toBe("Renamed");
  });

  test("a binary token list is the bytes toBinary writes for it, the caller's own fresh stamp included", async () => {
    const token = newUserToken("bytes");
    const binary = clientFor(token);
    const used = await binary.createApiToken({ name: "used once" });
    await binary.createApiToken({ name: "never used", expiresAt: new Date("2100-01-01T00:00:00Z") });
    await clientFor(used.plaintextToken).getMe();
    const listBytes = async () => {
      const response = await fetch(`${gw.url}/${SERVICE}/ListAPITokens`, {
        method: "POST",
        headers: { "Content-Type": "application/proto", "Connect-Protocol-Version": "1", Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return new Uint8Array(await response.arrayBuffer());
    };
    for (let call = 0; call < 3; call++) {
      const before = systemMicros();
      const bytes = await listBytes();
      const answer = fromBinary(ListAPITokensResponseSchema, bytes);
      expect(answer.$unknown).toBeUndefined();
      expect(Buffer.from(toBinary(ListAPITokensResponseSchema, answer))).toEqual(Buffer.from(bytes));
      expect(answer.tokens.map((t) => [t.name, t.lastUsedAt !== undefined, t.expiresAt !== undefined])).toEqual([
        ["never used", false, true],
        ["used once", true, false],
        ["minted by agyn-local-gateway", true, false],
      ]);
      // The caller's own token carries the stamp of this very call.
      expect(microsFromTimestamp(answer.tokens[2].lastUsedAt!)).toBeGreaterThanOrEqual(before);
    }
  });

  test("each authenticated request sets last_used_at", async () => {
    const owner = clientFor(newUserToken("stamper"));
    const created = await owner.createApiToken({ name: "to be used" });
    const listedBefore = await owner.listApiTokens();
    expect(listedBefore.tokens.find((t) => t.id === created.token?.id)?.lastUsedAt).toBeUndefined();
    // The Gateway's own clock (monotonic, anchored to the wall clock), which may trail Date.now() by a few ms.
    const before = systemMicros();
    await clientFor(created.plaintextToken).getMe();
    const first = (await owner.listApiTokens()).tokens.find((t) => t.id === created.token?.id)?.lastUsedAt;
    expect(first).toBeDefined();
    expect(microsFromTimestamp(first!)).toBeGreaterThanOrEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await clientFor(created.plaintextToken).getMe();
    const second = (await owner.listApiTokens()).tokens.find((t) => t.id === created.token?.id)?.lastUsedAt;
    expect(second!.seconds * 1_000_000_000n + BigInt(second!.nanos)).toBeGreaterThan(first!.seconds * 1_000_000_000n + BigInt(first!.nanos));
  });

  test("RevokeAPIToken deletes the token; it is rejected on the very next request", async () => {
    const owner = clientFor(newUserToken("revoker"));
    const created = await owner.createApiToken({ name: "doomed" });
    const doomed = clientFor(created.plaintextToken);
    await doomed.getMe();
    await owner.revokeApiToken(created.token!.id);
    await expectFailure(doomed.getMe(), "unauthenticated", "invalid api token");
    expect((await owner.listApiTokens()).tokens.map((t) => t.id)).not.toContain(created.token!.id);
    await expectFailure(owner.revokeApiToken(created.token!.id), "not_found", "api token not found");
  });

  test("a token can revoke itself", async () => {
    const self = clientFor(newUserToken("self-revoker"));
    const { tokens } = await self.listApiTokens();
    await self.revokeApiToken(tokens[0].id);
    await expectFailure(self.getMe(), "unauthenticated", "invalid api token");
  });

  test("someone else's token is not_found and keeps working; a malformed id is invalid_argument", async () => {
    const victimToken = newUserToken("victim");
    const victimId = (await clientFor(victimToken).listApiTokens()).tokens[0].id;
    const admin = clientFor(adminToken);
    await expectFailure(admin.revokeApiToken(victimId), "not_found", "api token not found");
    await expect(clientFor(victimToken).getMe()).resolves.toBeDefined();
    await expectFailure(admin.revokeApiToken(randomUUID()), "not_found", "api token not found");
    await expectFailure(admin.revokeApiToken("not-a-uuid"), "invalid_argument");
    await expectFailure(admin.revokeApiToken(""), "invalid_argument");
  });

  test("timestamps keep microseconds: 9 fractional digits in are truncated to 6", async () => {
    const token = newUserToken("precise");
    const { status, json } = await postJson(
      `/${SERVICE}/CreateAPIToken`,
      { name: "precise", expires_at: "2999-01-02T03:04:05.123456789Z" },
      token,
    );
    expect(status).toBe(200);
    expect(json.token.expiresAt).toBe("2999-01-02T03:04:05.123456Z");
    expect(json.token.createdAt).toMatch(/^[^.]+(\.\d{3}|\.\d{6})?Z$/);
    expect(json.plaintextToken).toMatch(API_TOKEN_PATTERN);
  });

  test("a far-future expiry (year 9999) is accepted", async () => {
    const client = clientFor(newUserToken("forever"));
    const created = await client.createApiToken({ name: "forever", expiresAt: new Date("9999-12-31T23:59:59.999Z") });
    expect(created.token?.expiresAt?.seconds).toBe(253_402_300_799n);
    await expect(clientFor(created.plaintextToken).getMe()).resolves.toBeDefined();
  });
});

describe("self-service methods", () => {
  const rawClient = (token: string) =>
    createClient(
      UsersGateway,
      createConnectTransport({
        baseUrl: gw.url,
        httpVersion: "1.1",
        interceptors: [(next) => (req) => (req.header.set("Authorization", `Bearer ${token}`), next(req))],
      }),
    );

  test("UpdateMe, SearchUsers and BatchGetUsers need only a user", async () => {
    const token = newUserToken("self");
    const raw = rawClient(token);
    await expect(raw.updateMe({})).rejects.toMatchObject({ rawMessage: "at least one field must be provided" });
    const updated = await raw.updateMe({ name: "Selma Self", username: `selma-${randomBytes(3).toString("hex")}` });
    expect(updated.user?.name).toBe("Selma Self");
    const found = await raw.searchUsers({ prefix: "SELMA" });
    expect(found.users.map((u) => u.identityId)).toContain(updated.user?.meta?.id);
    const batch = await raw.batchGetUsers({ identityIds: [updated.user!.meta!.id, randomUUID()] });
    expect(batch.users).toHaveLength(1);
    expect(batch.users[0].oidcSubject).toBe("");
    expect(batch.users[0].name).toBe("Selma Self");
  });

  test("UpdateMe reads the platform's field numbers: name = 1, username = 2 (hand-encoded, as a real client sends it)", async () => {
    const token = newUserToken("wire");
    const username = `wire-${randomBytes(3).toString("hex")}`;
    // Field 1 (tag 0x0a) and field 2 (tag 0x12), length-delimited strings, encoded without our generated code.
    const field = (tag: number, text: string) => [tag, Buffer.byteLength(text), ...Buffer.from(text, "utf8")];
    const body = Uint8Array.from([...field(0x0a, "Wire Name"), ...field(0x12, username)]);
    const response = await fetch(`${gw.url}/${SERVICE}/UpdateMe`, {
      method: "POST",
      headers: { "Content-Type": "application/proto", "Connect-Protocol-Version": "1", Authorization: `Bearer ${token}` },
      body,
    });
    expect(response.status).toBe(200);
    const me = await clientFor(token).getMe();
    expect(me.user).toMatchObject({ name: "Wire Name", username, photoUrl: "" });
  });

  test("UpdateMe answers with the caller's cluster role, like GetMe", async () => {
    const admin = newUserToken("wire-admin", true);
    expect((await clientFor(admin).updateMe({ name: "Still Admin" })).clusterRole).toBe(ClusterRole.ADMIN);
    expect((await clientFor(newUserToken("wire-user")).updateMe({ name: "Plain" })).clusterRole).toBe(ClusterRole.UNSPECIFIED);
  });
});
