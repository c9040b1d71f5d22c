// The bootstrap admin token: like the real platform's bootstrap identity it may manage users, but it has
// no user record, so the methods about "me" and my tokens refuse it with permission_denied and say why.
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startLocalGateway } from "../../../gateway/local/server";
import { UsersGateway } from "../../../gen/agynio/api/gateway/v1/users_gateway_pb";
import { ClusterRole } from "../../../gen/agynio/api/users/v1/users_pb";
import { expectGatewayFailure } from "../../support/gateway-failures";
import { newBootstrapToken, useTestGateway } from "../../support/local-gateway";
import { type WireGatewayClient, wireGatewayClient } from "../../support/wire-gateway-client";

const bootstrapToken = newBootstrapToken();
const gw = useTestGateway({ bootstrapToken });
const clients: WireGatewayClient[] = [];

afterAll(() => {
  for (const client of clients) client.close();
});

function clientFor(token: string): WireGatewayClient {
  const client = wireGatewayClient({ baseUrl: gw.url, token });
  clients.push(client);
  return client;
}

/** The generated client, for UpdateMe (the provider's client has no use for it). */
function rawClient(token: string) {
  return createClient(
    UsersGateway,
    createConnectTransport({
      baseUrl: gw.url,
      httpVersion: "1.1",
      interceptors: [(next) => (req) => (req.header.set("Authorization", `Bearer ${token}`), next(req))],
    }),
  );
}

test("may call every user-admin method and the user lookups", async () => {
  const platform = clientFor(bootstrapToken);
  const created = await platform.createUser({ oidcSubject: `oidc|first-admin-${randomUUID()}`, name: "First Admin", clusterRole: ClusterRole.ADMIN });
  const id = created.user!.meta!.id;
  expect((await platform.getUser(id)).clusterRole).toBe(ClusterRole.ADMIN);
  expect((await platform.listUsers()).users.map((u) => u.meta!.id)).toContain(id);
  expect((await platform.updateUser({ identityId: id, name: "Renamed Admin" })).user?.name).toBe("Renamed Admin");
  expect((await platform.searchUsers("renamed", 0)).map((u) => u.identityId)).toEqual([id]);
  expect((await platform.batchGetUsers([id])).map((u) => u.meta!.id)).toEqual([id]);
  await platform.deleteUser(id);
  await expectGatewayFailure(platform.getUser(id), "not_found", "user not found");
});

test("a user it creates as admin can take over with a token of their own", async () => {
  const subject = `oidc|successor-${randomUUID()}`;
  await clientFor(bootstrapToken).createUser({ oidcSubject: subject, clusterRole: ClusterRole.ADMIN });
  const successor = clientFor(gw.mintToken({ subject }));
  expect((await successor.getMe()).clusterRole).toBe(ClusterRole.ADMIN);
  await expect(successor.listUsers()).resolves.toBeDefined();
});

describe("it has no user record", () => {
  const raw = () => rawClient(bootstrapToken);
  test.each([
    ["GetMe", () => raw().getMe({})],
    ["UpdateMe", () => raw().updateMe({ name: "Platform" })],
    ["CreateAPIToken", () => raw().createAPIToken({ name: "platform token" })],
    ["ListAPITokens", () => raw().listAPITokens({})],
    ["RevokeAPIToken", () => raw().revokeAPIToken({ tokenId: randomUUID() })],
  ])("%s is permission_denied, naming the bootstrap admin token and what to use instead", async (method, call) => {
    const error = await call().then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.PermissionDenied);
    expect(error?.rawMessage).toBe(
      `the bootstrap admin token has no user record; ${method} needs a user's API token (agyn-local-gateway mint-token makes one)`,
    );
  });

  test("the provider's client reports it with the code and never echoes the token", async () => {
    const error = await expectGatewayFailure(clientFor(bootstrapToken).getMe(), "permission_denied", /bootstrap admin token has no user record/);
    expect(error.message).not.toContain(bootstrapToken);
  });
});

test("only the whole token is accepted: a prefix or an extension is just an invalid token", async () => {
  await expectGatewayFailure(clientFor(bootstrapToken.slice(0, -1)).listUsers(), "unauthenticated", "invalid api token");
  await expectGatewayFailure(clientFor(`${bootstrapToken}0`).listUsers(), "unauthenticated", "invalid api token");
});

test("the request log never contains it", async () => {
  await clientFor(bootstrapToken).listUsers();
  expect(gw.requestLog().join("\n")).toMatch(/ListUsers ok/);
  expect(gw.requestLog().join("\n")).not.toContain(bootstrapToken);
});

test("startLocalGateway itself refuses a weak bootstrap token, without quoting it, before opening the database", async () => {
  const dir = mkdtempSync(join(tmpdir(), "agyn-bootstrap-test-"));
  try {
    const dbPath = join(dir, "gateway.db");
    const short = randomBytes(4).toString("hex");
    await expect(startLocalGateway({ dbPath, bootstrapToken: short })).rejects.toThrow(
      "the bootstrap admin token must be at least 16 characters",
    );
    const agynLike = `agyn_${randomBytes(16).toString("hex")}`;
    const refusal = await startLocalGateway({ dbPath, bootstrapToken: agynLike }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(/must not start with agyn_/);
    expect(refusal).not.toContain(agynLike);
    expect(existsSync(dbPath)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
