// ephemeral "agyn_api_token" over the wire, protocols 5 and 6: ValidateEphemeralResourceConfig applies the
// managed token's rules before any credentials exist; OpenEphemeralResource mints a token whose secret is
// only in the result (never in the private bytes, diagnostics or logs); CloseEphemeralResource revokes it —
// also when the provider's own token no longer works, after an Open that failed (nothing to do), and with
// the Gateway down (a warning that names the token and when it expires). And a protocol-5 client from before
// ephemeral resources (Terraform 0.13–1.9) sees the rest of the provider exactly as before.
import { decode, encode } from "@msgpack/msgpack";
import { fromBinary } from "@bufbuild/protobuf";
import { GetProviderSchema_ResponseSchema } from "../../gen/tfplugin5/tfplugin5_pb";
import { API_TOKEN_PATTERN } from "../../gateway/token-format";
import { startTestGateway, type TestGateway, useTestGateway } from "../support/local-gateway";
import { killAllProviders, launchProvider, type Decoded, type LaunchedProvider } from "../support/plugin-process";
import { wireGatewayClient } from "../support/wire-gateway-client";
import {
  decodeDynamic,
  dv,
  EPHEMERAL_TOKEN_ATTRIBUTES,
  ephemeralTokenConfig,
  errorsOf,
  pathOf,
  providerConfig,
  rpcNames,
  show,
  UNKNOWN,
  userConfig,
  warningsOf,
} from "./wire-helpers";

const gateway = useTestGateway();
afterAll(killAllProviders);

const HOUR = 3600_000;

/** The caller's tokens as ListAPITokens shows them (id → name). */
async function listed(gw: TestGateway, token: string): Promise<Map<string, string>> {
  const client = wireGatewayClient({ baseUrl: gw.url, token });
  try {
    return new Map((await client.listApiTokens()).tokens.map((t) => [t.id, t.name]));
  } finally {
    client.close();
  }
}

/** GetMe's identity id for the token, or the Connect code it was refused with. */
async function whoIs(gw: TestGateway, token: string): Promise<string> {
  const client = wireGatewayClient({ baseUrl: gw.url, token });
  try {
    return (await client.getMe()).user?.meta?.id ?? "no user";
  } catch (err) {
    return `refused: ${(err as { code?: string }).code}`;
  } finally {
    client.close();
  }
}

/** Everything a response says, as text, to look for secrets in. */
const textOf = (message: unknown) => JSON.stringify(message, (_, v) => (typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v));

describe.each([5, 6])("ephemeral agyn_api_token over protocol %i", (version) => {
  const rpc = rpcNames(version);
  let p: LaunchedProvider;
  beforeEach(async () => {
    p = await launchProvider({ offeredVersions: String(version), env: { TF_LOG: "trace" } });
    expect(p.version).toBe(version);
  });
  afterEach(() => p?.kill());

  const configure = async (gatewayUrl: string, token: string) => {
    const r = await p.call(rpc.configure, { terraformVersion: "1.11.4", config: dv(providerConfig({ gateway: gatewayUrl, token })) });
    expect(show(r.diagnostics)).toBe("[]");
  };
  const validate = (values: Parameters<typeof ephemeralTokenConfig>[0]) =>
    p.call("ValidateEphemeralResourceConfig", { typeName: "agyn_api_token", config: dv(ephemeralTokenConfig(values)) });
  const open = (values: Parameters<typeof ephemeralTokenConfig>[0]) =>
    p.call("OpenEphemeralResource", { typeName: "agyn_api_token", config: dv(ephemeralTokenConfig(values)) });
  const close = (privateBytes: Uint8Array) => p.call("CloseEphemeralResource", { typeName: "agyn_api_token", private: privateBytes });

  it("validates like the managed token, at the argument's path, before the provider is even configured", async () => {
    expect(show((await validate({ description: "run", expires_in: "30m" })).diagnostics)).toBe("[]");
    expect(show((await validate({ description: "run", expires_at: "2030-01-01T00:00:00Z", expires_in: UNKNOWN })).diagnostics)).toBe("[]");
    expect(show((await validate({ description: UNKNOWN })).diagnostics)).toBe("[]");
    const cases: [Parameters<typeof ephemeralTokenConfig>[0], string, string][] = [
      [{ description: "run", expires_in: "1h", expires_at: "2030-01-01T00:00:00Z" }, "expires_in", "Set expires_at or expires_in, not both."],
      [{ description: "run", expires_in: "soon" }, "expires_in", '"soon" is not a duration'],
      [{ description: "run", expires_in: "0s" }, "expires_in", "greater than zero"],
      [{ description: "run", expires_at: "tomorrow" }, "expires_at", '"tomorrow" is not an RFC 3339 timestamp'],
      [{ description: "" }, "description", "Must not be empty."],
    ];
    for (const [values, attr, detail] of cases) {
      const errors = errorsOf(await validate(values));
      expect({ values, paths: errors.map(pathOf) }).toEqual({ values, paths: [[attr]] });
      expect(errors[0].detail).toContain(detail);
    }
  });

  it("Open mints a token for the caller, keeping the secret out of the private bytes; Close revokes it", async () => {
    const personal = gateway.mintToken({ subject: `eph-open-${version}`, name: "Run Owner" });
    const owner = await whoIs(gateway, personal);
    await configure(gateway.url, personal);
    const before = Date.now();
    const opened = await open({ description: `run ${version}` });
    expect(show(opened.diagnostics)).toBe("[]");
    const result = decodeDynamic(opened.result) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual([...EPHEMERAL_TOKEN_ATTRIBUTES].sort());
    const secret = String(result.token);
    expect(secret).toMatch(API_TOKEN_PATTERN);
    expect(result).toMatchObject({ description: `run ${version}`, expires_in: null, token_prefix: secret.slice(0, 8), identity_id: owner });
    // The default lifetime: one hour from opening (plus the second of slack every expires_in gets).
    const expiresAt = Date.parse(String(result.expires_at));
    expect(expiresAt).toBeGreaterThanOrEqual(before + HOUR);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + HOUR + 1000);
    expect(Date.parse(String(result.created_at))).toBeGreaterThanOrEqual(before - 1000);
    expect(opened.renewAt).toBeUndefined();

    // The private bytes say which token, never what it is.
    const privateBytes: Uint8Array = opened.private;
    expect(privateBytes.length).toBeGreaterThan(0);
    const privateText = Buffer.from(privateBytes).toString("latin1");
    expect(privateText).toContain(String(result.id));
    expect(privateText).not.toContain(secret.slice(8, 20));
    expect(privateText).not.toContain(secret.slice(30));

    expect(await whoIs(gateway, secret)).toBe(owner);
    expect((await listed(gateway, personal)).get(String(result.id))).toBe(`run ${version}`);

    const closed = await close(privateBytes);
    expect(show(closed.diagnostics)).toBe("[]");
    expect(await whoIs(gateway, secret)).toBe("refused: unauthenticated");
    expect((await listed(gateway, personal)).has(String(result.id))).toBe(false);
    // Closing again finds it gone: not_found is success.
    expect(show((await close(privateBytes)).diagnostics)).toBe("[]");

    expect(p.stderr()).toMatch(/opened a run token/); // the trace log was on, and said something
    expect(p.stderr()).not.toContain(secret.slice(8));
  });

  it("Open honours expires_in and expires_at as written, and refuses an expires_at in the past without minting", async () => {
    const personal = gateway.mintToken({ subject: `eph-expiry-${version}` });
    await configure(gateway.url, personal);
    const count = async () => (await listed(gateway, personal)).size;
    const tokensBefore = await count();

    const past = await open({ description: "late", expires_at: "2020-01-01T00:00:00Z" });
    const errors = errorsOf(past);
    expect(errors.map((e) => [e.summary, pathOf(e)])).toEqual([["expires_at must be in the future", ["expires_at"]]]);
    expect(past.result).toBeUndefined();
    expect(await count()).toBe(tokensBefore);

    const at = new Date(Date.now() + 2 * HOUR).toISOString().replace(/\.\d+Z$/, "+00:00");
    const fixed = await open({ description: "fixed", expires_at: at });
    expect(show(fixed.diagnostics)).toBe("[]");
    expect(decodeDynamic(fixed.result)).toMatchObject({ expires_at: at, expires_in: null });

    const before = Date.now();
    const relative = await open({ description: "relative", expires_in: "10m" });
    expect(show(relative.diagnostics)).toBe("[]");
    const result = decodeDynamic(relative.result) as Record<string, string>;
    expect(result.expires_in).toBe("10m");
    expect(Date.parse(result.expires_at) - Date.parse(result.created_at)).toBeGreaterThanOrEqual(10 * 60_000);
    expect(Date.parse(result.expires_at)).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 1000);
    expect(Date.parse(result.expires_at)).toBeGreaterThanOrEqual(before + 10 * 60_000);

    for (const r of [fixed, relative]) expect(show((await close(r.private)).diagnostics)).toBe("[]");
    expect(await count()).toBe(tokensBefore);
  });

  it("Close after a failed Open has nothing to revoke and says nothing", async () => {
    // Not configured at all: Open fails before any Gateway call.
    const unconfigured = await open({ description: "never" });
    expect(errorsOf(unconfigured).map((e) => e.summary)).toEqual([expect.stringMatching(/not configured/i)]);
    expect(unconfigured.result).toBeUndefined();
    expect(show((await close(unconfigured.private ?? new Uint8Array())).diagnostics)).toBe("[]");

    // Configured with a token the Gateway accepts (Configure checks it), revoked before Open: CreateAPIToken fails.
    const doomed = gateway.mintToken({ subject: `eph-failed-${version}` });
    await configure(gateway.url, doomed);
    const [[ownId]] = [...(await listed(gateway, doomed))];
    const client = wireGatewayClient({ baseUrl: gateway.url, token: doomed });
    await client.revokeApiToken(ownId);
    client.close();
    const failed = await open({ description: "refused" });
    expect(errorsOf(failed).map((e) => e.summary)).toEqual(["agyn Gateway rejected the token"]);
    expect(failed.result).toBeUndefined();
    expect(show((await close(failed.private ?? new Uint8Array())).diagnostics)).toBe("[]");
    expect(textOf(failed) + p.stderr()).not.toContain(doomed.slice(8));
  });

  it("Close revokes the token as itself, so it works after the provider's own token was revoked", async () => {
    const personal = gateway.mintToken({ subject: `eph-orphan-${version}` });
    await configure(gateway.url, personal);
    const opened = await open({ description: "outlives its maker" });
    const secret = String((decodeDynamic(opened.result) as Record<string, unknown>).token);

    // The provider's own token goes away (say, it came from another ephemeral token closed first).
    const own = [...(await listed(gateway, personal))].find(([, name]) => name !== "outlives its maker")!;
    const client = wireGatewayClient({ baseUrl: gateway.url, token: personal });
    await client.revokeApiToken(own[0]);
    client.close();
    expect(await whoIs(gateway, personal)).toBe("refused: unauthenticated");

    expect(await whoIs(gateway, secret)).not.toMatch(/^refused/);
    const closed = await close(opened.private);
    expect(show(closed.diagnostics)).toBe("[]");
    expect(await whoIs(gateway, secret)).toBe("refused: unauthenticated");
  });

  it("Close with the Gateway down warns, naming the token and when it expires, and never shows the secret", async () => {
    const doomed = await startTestGateway();
    let result: Record<string, unknown>;
    let privateBytes: Uint8Array;
    try {
      await configure(doomed.url, doomed.mintToken({ subject: "eph-down" }));
      const opened = await open({ description: "gateway goes away", expires_in: "15m" });
      expect(show(opened.diagnostics)).toBe("[]");
      result = decodeDynamic(opened.result) as Record<string, unknown>;
      privateBytes = opened.private;
    } finally {
      await doomed.close();
    }
    const closed = await close(privateBytes);
    expect(errorsOf(closed)).toEqual([]);
    const warnings = warningsOf(closed);
    expect(warnings.map((w) => w.summary)).toEqual(["Run token not revoked"]);
    expect(warnings[0].detail).toContain(String(result.id));
    expect(warnings[0].detail).toContain(String(result.token_prefix));
    expect(warnings[0].detail).toContain(`expires at ${String(result.expires_at)}`);
    expect(warnings[0].detail).toMatch(/Cannot reach the agyn Gateway|connect|ECONNREFUSED/i);
    const secret = String(result.token);
    expect(textOf(closed) + p.stderr()).not.toContain(secret.slice(8));
  });
});

// ---- a protocol-5 client from before ephemeral resources -------------------------------------------------

/** The top-level fields of a protobuf message, keeping only those numbered in `known` (what an older schema knows). */
function onlyFields(bytes: Uint8Array, known: ReadonlySet<number>): { kept: Uint8Array; seen: Set<number> } {
  const out: number[] = [];
  const seen = new Set<number>();
  let i = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const start = i;
    const tag = varint();
    const [field, wireType] = [Math.floor(tag / 8), tag % 8];
    if (wireType === 0) varint();
    else if (wireType === 1) i += 8;
    else if (wireType === 2) {
      const length = varint(); // read before adding: `i += varint()` would add to the old i
      i += length;
    }
    else if (wireType === 5) i += 4;
    else throw new Error(`unexpected wire type ${wireType}`);
    seen.add(field);
    if (known.has(field)) out.push(...bytes.subarray(start, i));
  }
  return { kept: Uint8Array.from(out), seen };
}

describe("Terraform 0.13–1.9 (protocol 5, no ephemeral resources) keep working with the rest of the provider", () => {
  it("GetSchema read with the 5.2 fields, then a managed token and a data source, never an ephemeral RPC", async () => {
    const p = await launchProvider({ offeredVersions: "5" });
    try {
      const raw = await p.callRaw("GetSchema", new Uint8Array());
      // Fields 1–5 are what Terraform 0.13 (tfplugin 5.2) knows; 8 is ephemeral_resource_schemas.
      const { kept, seen } = onlyFields(raw, new Set([1, 2, 3, 4, 5]));
      expect(seen.has(8)).toBe(true);
      const old = fromBinary(GetProviderSchema_ResponseSchema, kept) as Decoded;
      expect(Object.keys(old.ephemeralResourceSchemas)).toEqual([]);
      expect(old.diagnostics).toEqual([]);
      const full = fromBinary(GetProviderSchema_ResponseSchema, raw) as Decoded;
      expect(Object.keys(full.ephemeralResourceSchemas)).toEqual(["agyn_api_token"]);
      expect(Object.keys(old.resourceSchemas).sort()).toEqual(Object.keys(full.resourceSchemas).sort());
      expect(Object.keys(old.dataSourceSchemas).sort()).toEqual(Object.keys(full.dataSourceSchemas).sort());
      expect(Object.keys(old.resourceSchemas)).toContain("agyn_api_token");

      const token = gateway.mintToken({ subject: "eph-old-terraform", name: "Old Terraform" });
      const config = providerConfig({ gateway: gateway.url, token });
      expect(errorsOf(await p.call("PrepareProviderConfig", { config: dv(config) }))).toEqual([]);
      expect(errorsOf(await p.call("Configure", { terraformVersion: "0.13.7", config: dv(config) }))).toEqual([]);

      const attributes = old.resourceSchemas.agyn_api_token.block.attributes.map((a: { name: string }) => a.name) as string[];
      const tokenConfig = encode(Object.fromEntries(attributes.map((a) => [a, a === "description" ? "old terraform" : null])));
      expect(errorsOf(await p.call("ValidateResourceTypeConfig", { typeName: "agyn_api_token", config: dv(tokenConfig) }))).toEqual([]);
      const planned = await p.call("PlanResourceChange", {
        typeName: "agyn_api_token", priorState: dv(encode(null)), proposedNewState: dv(tokenConfig), config: dv(tokenConfig),
      });
      expect(errorsOf(planned)).toEqual([]);
      const applied = await p.call("ApplyResourceChange", {
        typeName: "agyn_api_token", priorState: dv(encode(null)), plannedState: planned.plannedState, config: dv(tokenConfig),
      });
      expect(errorsOf(applied)).toEqual([]);
      const state = decode(applied.newState.msgpack) as Record<string, unknown>;
      expect(String(state.token)).toMatch(API_TOKEN_PATTERN);
      expect(await whoIs(gateway, String(state.token))).toBe(await whoIs(gateway, token));

      const read = await p.call("ReadDataSource", { typeName: "agyn_user", config: dv(userConfig()) });
      expect(errorsOf(read)).toEqual([]);
      expect(decodeDynamic(read.state)).toMatchObject({ oidc_subject: "eph-old-terraform" });
      expect((await p.shutdown()).code).toBe(0);
    } finally {
      await p.kill();
    }
  });
});
