// Configure / ConfigureProvider and ReadDataSource("agyn_user") against a local agyn Gateway, on both protocols:
// the caller's identity, and clear diagnostics (never carrying the token) when the token or Gateway is wrong.
import { createServer } from "node:net";
import { useTestGateway } from "../support/local-gateway";
import { killAllProviders, launchProvider, type Decoded, type LaunchedProvider } from "../support/plugin-process";
import { decodeDynamic, dv, errorsOf, providerConfig, rpcNames, show, UNKNOWN, userConfig, USER_ATTRIBUTES } from "./wire-helpers";

/** A loopback port nothing listens on (bound, then closed again). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const gateway = useTestGateway();
afterAll(killAllProviders);

describe.each([5, 6])("protocol %i", (version) => {
  const rpc = rpcNames(version);
  let p: LaunchedProvider;
  // Configure is once per process, as in Terraform: a fresh provider for every case.
  beforeEach(async () => {
    p = await launchProvider({ offeredVersions: String(version) });
    expect(p.version).toBe(version);
  });
  afterEach(() => p?.kill());

  const configure = (values: Parameters<typeof providerConfig>[0], terraformVersion = "1.2.3"): Promise<Decoded> =>
    p.call(rpc.configure, { terraformVersion, config: dv(providerConfig(values)) });
  const readUser = (): Promise<Decoded> => p.call(rpc.readData, { typeName: "agyn_user", config: dv(userConfig()) });

  it.each([
    { admin: true, role: "admin" },
    { admin: false, role: "none" },
  ])("reads the caller's identity (admin: $admin -> cluster_role $role)", async ({ admin, role }) => {
    const subject = `oidc|protocol-${version}-${role}-${process.hrtime.bigint()}`;
    const token = gateway.mintToken({ subject, name: `Tester ${role}`, admin });
    const configured = await configure({ gateway: gateway.url, token });
    expect(show(configured.diagnostics)).toBe("[]");

    const r = await readUser();
    expect(show(r.diagnostics)).toBe("[]");
    const state = decodeDynamic(r.state) as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual([...USER_ATTRIBUTES].sort());
    expect(state).toMatchObject({ oidc_subject: subject, name: `Tester ${role}`, cluster_role: role });
    expect(state.identity_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // What the Gateway has no value for (this user has no email or picture) is null, never "".
    const absent = ["email", "photo_url"];
    for (const a of USER_ATTRIBUTES) expect({ a, value: absent.includes(a) ? state[a] : typeof state[a] }).toEqual({ a, value: absent.includes(a) ? null : "string" });
  });

  it("answers concurrent RPCs (Terraform runs up to -parallelism=10 at once) consistently", async () => {
    const subject = `oidc|parallel-${version}`;
    const token = gateway.mintToken({ subject, name: "Parallel" });
    expect(show((await configure({ gateway: gateway.url, token })).diagnostics)).toBe("[]");
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => readUser()),
      ...Array.from({ length: 10 }, () => p.call(rpc.validateData, { typeName: "agyn_user", config: dv(userConfig()) })),
    ]);
    for (const r of results) expect(show(r.diagnostics)).toBe("[]");
    const subjects = new Set(results.slice(0, 10).map((r) => (decodeDynamic(r.state) as { oidc_subject: string }).oidc_subject));
    expect([...subjects]).toEqual([subject]);
  });

  it("accepts the api_url / api_token aliases", async () => {
    const token = gateway.mintToken({ subject: `oidc|alias-${version}`, name: "Alias User" });
    expect(show((await configure({ api_url: gateway.url, api_token: token })).diagnostics)).toBe("[]");
    const r = await readUser();
    expect(show(r.diagnostics)).toBe("[]");
    expect(decodeDynamic(r.state)).toMatchObject({ oidc_subject: `oidc|alias-${version}` });
  });

  it("reports a rejected token as an ERROR with the Gateway's reason, never with the token", async () => {
    const valid = gateway.mintToken({ subject: `oidc|wrong-${version}` });
    // Same shape, one character off: unknown to the Gateway.
    const wrong = valid.slice(0, -1) + (valid.endsWith("a") ? "b" : "a");
    // Issue 10: Configure checks the token (one GetMe) and says it once, there; operations then repeat why.
    const configured = await configure({ gateway: gateway.url, token: wrong });
    expect(errorsOf(configured).map((e) => e.summary)).toEqual(["agyn Gateway rejected the token"]);
    expect(errorsOf(configured)[0].detail).toContain("invalid api token");
    expect(JSON.stringify(configured.diagnostics)).not.toContain(wrong.slice(5, 25));
    const r = await readUser();
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0].detail).toContain("invalid api token");
    const text = JSON.stringify(r.diagnostics, (_, v) => (typeof v === "bigint" ? String(v) : v));
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(wrong.slice(5, 25)); // no recognisable piece of the secret part either
    expect(r.state).toBeUndefined();
    expect(p.stderr()).not.toContain(wrong);
  });

  it("reports an unreachable Gateway as an ERROR saying it cannot reach it", async () => {
    const port = await closedPort();
    const token = gateway.mintToken({ subject: `oidc|unreachable-${version}` });
    // Issue 10: Configure finds out (after its retries) and says it once, there.
    const configured = await configure({ gateway: `http://127.0.0.1:${port}`, token });
    expect(errorsOf(configured).map((e) => e.summary)).toEqual(["Cannot reach the agyn Gateway"]);
    expect(errorsOf(configured)[0].detail).toContain("The provider tried 5 times");
    const r = await readUser();
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0].summary).toMatch(/cannot reach the agyn gateway/i);
    expect(errors[0].detail).toContain(`127.0.0.1:${port}`);
    expect(errors[0].summary + errors[0].detail).not.toContain(token);
  });

  it("configures without diagnostics while the gateway is unknown, and ReadDataSource then explains", async () => {
    const token = gateway.mintToken({ subject: `oidc|unknown-${version}` });
    const configured = await configure({ gateway: UNKNOWN, token });
    expect(show(configured.diagnostics)).toBe("[]");
    const r = await readUser();
    const errors = errorsOf(r);
    expect(errors).toHaveLength(1);
    expect(errors[0].summary).toMatch(/not yet known/i);
    expect(errors[0].detail).toContain('"gateway"');
    expect(errors[0].summary + errors[0].detail).not.toContain(token);
  });

  it("without a Configure call, ReadDataSource reports the provider is not configured", async () => {
    const errors = errorsOf(await readUser());
    expect(errors).toHaveLength(1);
    expect(errors[0].summary).toMatch(/not configured/i);
  });

  it("with no gateway anywhere, ReadDataSource says what to set", async () => {
    const token = gateway.mintToken({ subject: `oidc|nogateway-${version}` });
    // Issue 10: a configuration that is known but unusable is reported once, by Configure.
    const configured = await configure({ token });
    expect(errorsOf(configured).map((e) => e.summary)).toEqual(["No agyn Gateway configured"]);
    const errors = errorsOf(await readUser());
    expect(errors.map((e) => e.summary)).toEqual(["No agyn Gateway configured"]);
    expect(errors[0].detail).toContain("AGYN_GATEWAY_URL");
  });

  it("sends User-Agent terraform-provider-agyn/<version> … Terraform/<terraform_version from Configure>", async () => {
    const token = gateway.mintToken({ subject: `oidc|ua-${version}` });
    const before = gateway.requestLog().length;
    await configure({ gateway: gateway.url, token }, `9.8.${version}`);
    expect(errorsOf(await readUser())).toEqual([]);
    const lines = gateway.requestLog().slice(before).filter((l) => l.startsWith("GetMe ok"));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.at(-1)).toMatch(new RegExp(`user-agent="?terraform-provider-agyn/\\d+\\.\\d+\\.\\d+ .*Terraform/9\\.8\\.${version}`));
  });
});
