// ephemeral "agyn_api_token" against a fake Gateway: the managed token's rules (the same code), the default
// lifetime, what Close revokes with, and every way a Close can end.
import { GatewayError } from "../../../gateway/gateway-error";
import type { GatewayClient } from "../../../gateway/client";
import type { Instant } from "../../../gateway/instant";
import { GatewayClock } from "../../../gateway/gateway-clock";
import type { ApiTokenRecord, MintedApiToken } from "../../../gateway/records";
import { generateApiToken } from "../../../gateway/token-format";
import { silentLogger } from "../../../provider/logging/logger";
import { apiTokenResource } from "../../../resources/api-token/api-token-resource";
import { apiTokenSchema } from "../../../resources/api-token/api-token-schema";
import { AgynSession } from "../../../resources/configuration/session";
import { ephemeralApiToken } from "../../../resources/ephemeral-api-token/ephemeral-api-token";
import { ephemeralApiTokenSchema, type EphemeralApiTokenValues } from "../../../resources/ephemeral-api-token/ephemeral-api-token-schema";
import { decodeRunTokenHandle, encodeRunTokenHandle } from "../../../resources/ephemeral-api-token/run-token-handle";
import type { OperationContext } from "../../../provider/definition";
import { unconfiguredContext } from "../../support/operation-context";

const TOKEN_ID = "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f";
const LOST_ID = "0b9e8d7c-6f5a-4b3c-9d2e-1f0a9b8c7d6e";
const config = (values: Partial<EphemeralApiTokenValues>): EphemeralApiTokenValues => ({
  description: "run", expires_in: null, expires_at: null, token: null, id: null, token_prefix: null, identity_id: null, created_at: null, ...values,
});

/**
 * A Gateway that mints one token, and records who revoked what. With `loseFirstAnswer`, the first create
 * makes a token (listed from then on) whose answer is lost; with `listFails`, listing tokens fails.
 */
function fakeGateway(options: {
  revoke?: (id: string, as: string) => Promise<void>;
  minted?: Partial<MintedApiToken>;
  loseFirstAnswer?: boolean;
  listFails?: boolean;
} = {}) {
  const secret = generateApiToken();
  const calls: string[] = [];
  const created: { expiresAt?: Instant } = {};
  const listed: ApiTokenRecord[] = [];
  const now = () => ({ seconds: BigInt(Math.floor(Date.now() / 1000)), nanos: 0 });
  const client = (as: string): Partial<GatewayClient> => ({
    retry: { requestTimeoutMs: 1000, maxRetries: 1 },
    clock: new GatewayClock(),
    async createApiToken({ name, expiresAt }) {
      calls.push(`create ${name} as ${as}`);
      created.expiresAt = expiresAt;
      if (options.loseFirstAnswer && listed.length === 0) {
        listed.push({ id: LOST_ID, name, identityId: "owner", tokenPrefix: "agyn_los", createdAt: now(), lastUsedAt: null, expiresAt: expiresAt ?? null });
        throw new GatewayError("CreateAPIToken", "unavailable", "connection to gw was reset", { mayHaveApplied: true, transient: true });
      }
      return {
        token: { id: TOKEN_ID, name, identityId: "owner", tokenPrefix: secret.slice(0, 8), createdAt: now(), lastUsedAt: null, expiresAt: expiresAt ?? null },
        plaintext: secret,
        ...options.minted,
      };
    },
    async listApiTokens() {
      calls.push(`list as ${as}`);
      if (options.listFails) throw new GatewayError("ListAPITokens", "unavailable", "HTTP 503", { transient: true, attempts: 2 });
      return [...listed];
    },
    async revokeApiToken(id) {
      calls.push(`revoke ${id} as ${as}`);
      await options.revoke?.(id, as);
    },
    close: () => undefined,
  });
  const configured = generateApiToken();
  const session = new AgynSession(client("provider") as GatewayClient, "http://127.0.0.1:1", configured,
    (token) => client(token === secret ? "itself" : "someone else") as GatewayClient);
  const ctx: OperationContext<AgynSession> = { session: () => session, sessionIfConfigured: () => session, log: silentLogger, signal: AbortSignal.abort() };
  return { secret, calls, created, ctx, session };
}

describe("ephemeral agyn_api_token arguments", () => {
  it("uses the managed token's validators (the same objects, not copies)", () => {
    for (const name of ["description", "expires_in", "expires_at"] as const) {
      expect({ name, shared: ephemeralApiTokenSchema.block.attributes[name].validators === apiTokenSchema.block.attributes[name].validators })
        .toEqual({ name, shared: true });
    }
  });

  it("refuses expires_at with expires_in exactly as the managed token does", () => {
    const both = { expires_at: "2030-01-01T00:00:00Z", expires_in: "1h" };
    const ephemeral = ephemeralApiToken.validateConfig!(config(both), { log: silentLogger });
    expect(ephemeral.map((d) => [d.summary, d.detail, d.path])).toEqual([["Conflicting expiry settings", "Set expires_at or expires_in, not both.", [{ attr: "expires_in" }]]]);
    const managed = apiTokenResource.validateConfig!({ ...config(both), rotate_before: null, allow_self_revoke: null, last_used_at: null, expired: null }, { log: silentLogger });
    expect(managed).toEqual(ephemeral);
    expect(ephemeralApiToken.validateConfig!(config({ expires_in: "1h" }), { log: silentLogger })).toEqual([]);
  });
});

describe("ephemeral agyn_api_token Open", () => {
  it("mints a token expiring after the default hour (plus a second of slack) when no expiry is set", async () => {
    const { ctx, created, secret, calls } = fakeGateway();
    const before = Date.now();
    const opened = await ephemeralApiToken.open({ config: config({}) }, ctx);
    expect(opened.diagnostics).toEqual([]);
    expect(calls).toEqual(["create run as provider"]);
    const expiresMs = Number(created.expiresAt!.seconds) * 1000 + created.expiresAt!.nanos / 1e6;
    expect(expiresMs).toBeGreaterThanOrEqual(before + 3600_000 + 1000);
    expect(expiresMs).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
    expect(opened.result).toMatchObject({ token: secret, id: TOKEN_ID, expires_in: null, identity_id: "owner" });
    expect(Date.parse(String(opened.result?.expires_at))).toBe(Math.floor(expiresMs));
    expect(opened.renewAt).toBeUndefined();
  });

  it("refuses an expires_at in the past without calling the Gateway", async () => {
    const { ctx, calls } = fakeGateway();
    const opened = await ephemeralApiToken.open({ config: config({ expires_at: "2020-01-01T00:00:00Z" }) }, ctx);
    expect(opened.diagnostics?.map((d) => [d.summary, d.path])).toEqual([["expires_at must be in the future", [{ attr: "expires_at" }]]]);
    expect(opened.diagnostics?.[0].detail).not.toContain("destroy"); // the managed token's hint does not apply
    expect(calls).toEqual([]);
  });

  it("revokes a token the Gateway returned without its secret, and fails", async () => {
    const { ctx, calls } = fakeGateway({ minted: { plaintext: "" } });
    const opened = await ephemeralApiToken.open({ config: config({}) }, ctx);
    expect(opened.result).toBeUndefined();
    expect(opened.private).toBeUndefined();
    expect(opened.diagnostics?.map((d) => d.summary)).toEqual(["Run token creation failed; the new token was revoked"]);
    expect(calls).toEqual(["create run as provider", `revoke ${TOKEN_ID} as provider`]);
  });

  it("after a lost answer, revokes the token that create made, then mints the one it hands over", async () => {
    const { ctx, calls, secret } = fakeGateway({ loseFirstAnswer: true });
    const opened = await ephemeralApiToken.open({ config: config({}) }, { ...ctx, signal: new AbortController().signal });
    expect(opened.diagnostics).toEqual([]);
    expect(opened.result).toMatchObject({ id: TOKEN_ID, token: secret });
    expect(calls).toEqual(["create run as provider", "list as provider", `revoke ${LOST_ID} as provider`, "create run as provider"]);
  });

  it("when even the check after a lost answer fails, says a token may exist, with its name and expiry", async () => {
    const { ctx, calls } = fakeGateway({ loseFirstAnswer: true, listFails: true });
    const opened = await ephemeralApiToken.open({ config: config({ description: "nightly run" }) }, { ...ctx, signal: new AbortController().signal });
    expect(opened.result).toBeUndefined();
    expect(opened.private).toBeUndefined();
    expect(opened.diagnostics?.map((d) => d.summary)).toEqual(["Run token creation failed; a token may have been created"]);
    expect(opened.diagnostics?.[0].detail).toMatch(/may hold a token named "nightly run", created between .* It expires at \d{4}-/s);
    expect(calls).toEqual(["create nightly run as provider", "list as provider"]);
  });
});

describe("ephemeral agyn_api_token Close", () => {
  async function opened(gateway: ReturnType<typeof fakeGateway>) {
    const o = await ephemeralApiToken.open({ config: config({}) }, gateway.ctx);
    return o.private!;
  }

  it("revokes as the token itself, not with the provider's credentials", async () => {
    const gateway = fakeGateway();
    const closed = await ephemeralApiToken.close!({ private: await opened(gateway) }, gateway.ctx);
    expect(closed.diagnostics ?? []).toEqual([]);
    expect(gateway.calls.at(-1)).toBe(`revoke ${TOKEN_ID} as itself`);
  });

  it.each(["not_found", "unauthenticated"] as const)("counts %s, authenticating as the token itself, as already revoked", async (code) => {
    const gateway = fakeGateway({ revoke: async () => { throw new GatewayError("RevokeAPIToken", code, "gone"); } });
    expect((await ephemeralApiToken.close!({ private: await opened(gateway) }, gateway.ctx)).diagnostics ?? []).toEqual([]);
  });

  it("falls back to the provider's credentials for a token this process does not hold, where unauthenticated is a warning", async () => {
    const gateway = fakeGateway({ revoke: async () => { throw new GatewayError("RevokeAPIToken", "unauthenticated", "invalid api token"); } });
    const handle = encodeRunTokenHandle({ key: "not-held", id: TOKEN_ID, prefix: "agyn_abc", expiresAt: "2030-01-01T00:00:00Z" });
    const closed = await ephemeralApiToken.close!({ private: handle }, gateway.ctx);
    expect(gateway.calls).toEqual([`revoke ${TOKEN_ID} as provider`]);
    expect(closed.diagnostics?.map((d) => [d.severity, d.summary])).toEqual([["warning", "Run token not revoked"]]);
    expect(closed.diagnostics?.[0].detail).toContain("expires at 2030-01-01T00:00:00Z");
  });

  it("warns, naming the token and its expiry, when the Gateway cannot be reached; the secret is forgotten either way", async () => {
    const gateway = fakeGateway({ revoke: async () => { throw new GatewayError("RevokeAPIToken", "unavailable", "connect ECONNREFUSED 127.0.0.1:1"); } });
    const bytes = await opened(gateway);
    const closed = await ephemeralApiToken.close!({ private: bytes }, gateway.ctx);
    expect(closed.diagnostics?.map((d) => [d.severity, d.summary])).toEqual([["warning", "Run token not revoked"]]);
    expect(closed.diagnostics?.[0].detail).toContain(TOKEN_ID);
    expect(closed.diagnostics?.[0].detail).toContain("ECONNREFUSED");
    expect(closed.diagnostics?.[0].detail).not.toContain(gateway.secret);
    // A second Close no longer holds the secret, so it goes through the provider's credentials.
    await ephemeralApiToken.close!({ private: bytes }, gateway.ctx);
    expect(gateway.calls.at(-1)).toBe(`revoke ${TOKEN_ID} as provider`);
  });

  it("does nothing without private bytes (an Open that failed), and warns about bytes it did not write", async () => {
    const ctx = unconfiguredContext();
    expect(await ephemeralApiToken.close!({ private: undefined }, ctx)).toEqual({});
    expect(await ephemeralApiToken.close!({ private: new Uint8Array() }, ctx)).toEqual({});
    const foreign = await ephemeralApiToken.close!({ private: new TextEncoder().encode('{"v":2}') }, ctx);
    expect(foreign.diagnostics?.map((d) => [d.severity, d.summary])).toEqual([["warning", "Cannot tell which run token to close"]]);
  });
});

describe("run token handle (the private bytes)", () => {
  it("round-trips what Close needs and nothing else", async () => {
    const handle = { key: "k1", id: TOKEN_ID, prefix: "agyn_abc", expiresAt: "2030-01-01T00:00:00Z" };
    const bytes = encodeRunTokenHandle(handle);
    expect(await decodeRunTokenHandle(bytes)).toEqual(handle);
    expect(Object.keys(JSON.parse(new TextDecoder().decode(bytes))).sort()).toEqual(["expires_at", "id", "key", "prefix", "v"]);
  });

  it.each([
    ["no bytes", "none", undefined],
    ["empty bytes", "none", new Uint8Array()],
    ["bytes that are not UTF-8", "unreadable", Uint8Array.of(0xff, 0xfe)],
    ["JSON of another shape", "unreadable", new TextEncoder().encode("[]")],
    ["a handle without its expiry", "unreadable", new TextEncoder().encode('{"v":1,"key":"k","id":"i","prefix":"p"}')],
  ])("reads %s as %s", async (_, expected, bytes) => {
    expect(await decodeRunTokenHandle(bytes)).toBe(expected);
  });
});
