// The go-plugin launch as Terraform performs it: magic cookie, protocol negotiation, the single stdout line,
// and AutoMTLS (the provider's certificate in the line, Terraform's certificate required from the client).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { useTestGateway } from "../support/local-gateway";
import {
  certFieldToDer, generateClientCertificate, killAllProviders, launchProvider, parseCertificate, runProviderToExit,
  type LaunchedProvider,
} from "../support/plugin-process";
import { decodeDynamic, dv, dynamicValuesIn, errorsOf, providerConfig, rpcNames, show, userConfig, USER_ATTRIBUTES } from "./wire-helpers";

afterAll(killAllProviders);

const NOT_FOR_HUMANS = "This binary is a plugin. These are not meant to be executed directly.";

/**
 * A launch that cannot go ahead prints one line on stdout that is not a handshake ("1|6|unix|…"): go-plugin
 * quotes such a line in the error Terraform shows, where stderr reaches only TF_LOG.
 */
function expectReasonLineOnStdout(stdout: string, reason: RegExp): void {
  expect(stdout.endsWith("\n")).toBe(true);
  expect(stdout.trimEnd().split("\n")).toHaveLength(1);
  expect(stdout).not.toMatch(/^\d+\|\d+\|/);
  expect(stdout).toMatch(/^terraform-provider-agyn: /);
  expect(stdout).toMatch(reason);
}

describe("protocol negotiation", () => {
  afterEach(killAllProviders);

  it.each([
    ["5,6", 6], // Terraform >= 0.15 (map iteration order is random) ...
    ["6,5", 6],
    ["5", 5], //   ... Terraform 0.12-0.14
    ["6", 6],
  ])("offered %p, answers protocol %p and serves exactly that service", async (offered, expected) => {
    const p = await launchProvider({ offeredVersions: offered });
    expect(p.version).toBe(expected);
    expect(p.handshake.coreVersion).toBe("1");
    expect(p.handshake.network).toBe("unix");
    expect(p.handshake.protocol).toBe("grpc");
    expect(statSync(p.socketPath).isSocket()).toBe(true);
    const names = rpcNames(expected);
    const schema = await p.call(names.schema);
    expect(Object.keys(schema.dataSourceSchemas)).toContain("agyn_user");
    // The other protocol's service is not registered: Terraform must never be able to mix them.
    const other = expected === 6 ? "/tfplugin5.Provider/GetSchema" : "/tfplugin6.Provider/GetProviderSchema";
    await expect(p.callRaw(other, new Uint8Array())).rejects.toMatchObject({ code: grpc.status.UNIMPLEMENTED });
  });

  it("puts its socket in PLUGIN_UNIX_SOCKET_DIR when go-plugin (>= 1.5) asks for one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "agyn-sockets-"));
    try {
      const p = await launchProvider({ env: { PLUGIN_UNIX_SOCKET_DIR: dir } });
      expect(dirname(p.socketPath)).toBe(dir);
      expect(statSync(p.socketPath).isSocket()).toBe(true);
      expect((await p.call("GetProviderSchema")).diagnostics).toEqual([]);
      expect((await p.shutdown()).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("AGYN_PROVIDER_PROTOCOL=5 answers 5 even when Terraform offers 5,6", async () => {
    const p = await launchProvider({ offeredVersions: "5,6", env: { AGYN_PROVIDER_PROTOCOL: "5" } });
    expect(p.version).toBe(5);
    expect(Object.keys((await p.call("GetSchema")).dataSourceSchemas)).toContain("agyn_user");
  });

  it("AGYN_PROVIDER_PROTOCOL=6 with a Terraform that offers only 5 fails to start, saying why", async () => {
    const r = await runProviderToExit([], { PLUGIN_PROTOCOL_VERSIONS: "5", AGYN_PROVIDER_PROTOCOL: "6", PLUGIN_CLIENT_CERT: generateClientCertificate().certPem });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/protocol/i);
    expectReasonLineOnStdout(r.stdout, /no common plugin protocol/);
  });

  it("an AGYN_PROVIDER_PROTOCOL that is neither 5 nor 6 fails to start, with the reason where Terraform quotes it", async () => {
    const r = await runProviderToExit([], { PLUGIN_PROTOCOL_VERSIONS: "5,6", AGYN_PROVIDER_PROTOCOL: "4", PLUGIN_CLIENT_CERT: generateClientCertificate().certPem });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AGYN_PROVIDER_PROTOCOL must be 5 or 6, not "4"');
    expectReasonLineOnStdout(r.stdout, /AGYN_PROVIDER_PROTOCOL must be 5 or 6, not "4"/);
  });

  it("exits 1 with a clear message when Terraform offers only protocol 4", async () => {
    const r = await runProviderToExit([], { PLUGIN_PROTOCOL_VERSIONS: "4", PLUGIN_CLIENT_CERT: generateClientCertificate().certPem });
    expect(r.code).toBe(1);
    // No handshake with a bogus version: the reason, which Terraform quotes in its error.
    expectReasonLineOnStdout(r.stdout, /no common plugin protocol.*\[4\]/);
    expect(r.stderr).toMatch(/no common plugin protocol/i);
    expect(r.stderr).toContain("[4]");
    expect(r.stderr).toMatch(/5/);
    expect(r.stderr).toMatch(/6/);
  });

  it("exits 1 without a handshake when PLUGIN_PROTOCOL_VERSIONS is absent", async () => {
    const r = await runProviderToExit([], { PLUGIN_CLIENT_CERT: generateClientCertificate().certPem });
    expect(r.code).toBe(1);
    expectReasonLineOnStdout(r.stdout, /no common plugin protocol/);
    expect(r.stderr).toMatch(/no common plugin protocol/i);
  });

  it.each([
    ["missing", undefined],
    ["wrong", "not-the-cookie"],
  ])("with the magic cookie %s, exits 1 explaining it is a plugin, and prints nothing on stdout", async (_, cookie) => {
    const r = await runProviderToExit([], { TF_PLUGIN_MAGIC_COOKIE: cookie, PLUGIN_PROTOCOL_VERSIONS: "5,6" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(NOT_FOR_HUMANS);
  });
});

describe("Terraform 0.13 (protocol 5 only): the whole flow in msgpack", () => {
  const gateway = useTestGateway();
  afterAll(killAllProviders);

  it("GetSchema -> PrepareProviderConfig -> Configure -> ReadDataSource, every DynamicValue answered in msgpack only", async () => {
    const token = gateway.mintToken({ subject: "oidc|tf013", name: "Old Terraform" });
    const p = await launchProvider({ offeredVersions: "5" });
    expect(p.version).toBe(5);
    const config = providerConfig({ gateway: gateway.url, token });
    const replies: unknown[] = [];

    const schema = await p.call("GetSchema");
    replies.push(schema);
    expect(schema.diagnostics).toEqual([]);

    const prepared = await p.call("PrepareProviderConfig", { config: dv(config) });
    replies.push(prepared);
    expect(errorsOf(prepared)).toEqual([]);

    const configured = await p.call("Configure", { terraformVersion: "0.13.7", config: dv(config) });
    replies.push(configured);
    expect(errorsOf(configured)).toEqual([]);

    const validated = await p.call("ValidateDataSourceConfig", { typeName: "agyn_user", config: dv(userConfig()) });
    replies.push(validated);
    expect(validated.diagnostics).toEqual([]);

    const read = await p.call("ReadDataSource", { typeName: "agyn_user", config: dv(userConfig()) });
    replies.push(read);
    expect(errorsOf(read)).toEqual([]);

    const values = dynamicValuesIn(replies);
    // prepared_config and the data source state at least: otherwise this test checked nothing.
    expect(values.map((v) => v.path)).toEqual(expect.arrayContaining(["$[1].preparedConfig", "$[4].state"]));
    for (const { path, value } of values) {
      expect({ path, msgpack: value.msgpack.length > 0 }).toEqual({ path, msgpack: true });
      expect({ path, json: value.json.length }).toEqual({ path, json: 0 });
    }
    const state = decodeDynamic(read.state) as Record<string, unknown>;
    // Terraform 0.13's decoder needs every attribute key.
    expect(Object.keys(state).sort()).toEqual([...USER_ATTRIBUTES].sort());
    expect(state).toMatchObject({ oidc_subject: "oidc|tf013", name: "Old Terraform", cluster_role: "none" });

    const { code } = await p.shutdown();
    expect(code).toBe(0);
    expect(p.stdoutAfterHandshake()).toBe("");
  });
});

describe("AutoMTLS", () => {
  let p: LaunchedProvider;
  beforeAll(async () => {
    p = await launchProvider();
  });
  afterAll(killAllProviders);

  it("puts the server certificate in the handshake as unpadded standard base64 of an X.509 DER for localhost", () => {
    const field = p.handshake.certField;
    expect(field).not.toContain("=");
    expect(field).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(field.length).toBeGreaterThan(50); // go-plugin ignores shorter fields
    expect(p.handshake.raw.split("|")).toHaveLength(6);
    const cert = parseCertificate(certFieldToDer(field));
    expect(cert.subjectAltName).toContain("DNS:localhost");
    expect(cert.checkHost("localhost")).toBe("localhost");
    // go-plugin puts exactly this certificate in RootCAs: it must verify as its own issuer ...
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkIssued(cert)).toBe(true);
    // ... be usable for a TLS server, and be valid already (Terraform's clock is ours).
    expect(cert.keyUsage).toContain("1.3.6.1.5.5.7.3.1");
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it("serves the client that presents Terraform's certificate", async () => {
    const r = await p.call("GetProviderSchema");
    expect(Object.keys(r.dataSourceSchemas)).toContain("agyn_user");
  });

  it("refuses a TLS client that presents no certificate", async () => {
    const anonymous = p.connect({ serverCertPem: p.serverCertPem });
    try {
      await expect(anonymous.call("GetProviderSchema", {}, 5_000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      anonymous.close();
    }
  });

  it("refuses a client whose certificate is not the one in PLUGIN_CLIENT_CERT", async () => {
    const stranger = p.connect({ serverCertPem: p.serverCertPem, client: generateClientCertificate() });
    try {
      await expect(stranger.call("GetProviderSchema", {}, 5_000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      stranger.close();
    }
  });

  it("refuses a plaintext client", async () => {
    const plain = p.connect({});
    try {
      await expect(plain.call("GetProviderSchema", {}, 5_000)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      plain.close();
    }
  });

  it("keeps serving Terraform after refusing strangers", async () => {
    expect(p.alive()).toBe(true);
    const r = await p.call("GetProviderSchema");
    expect(r.diagnostics).toEqual([]);
  });

  it("without PLUGIN_CLIENT_CERT (TF_DISABLE_PLUGIN_TLS) leaves the certificate field empty and serves plaintext", async () => {
    const plain = await launchProvider({ withClientCert: false });
    expect(plain.handshake.certField).toBe("");
    expect(plain.handshake.raw).toMatch(/^1\|6\|unix\|[^|]+\|grpc\|$/);
    const r = await plain.call("GetProviderSchema");
    expect(show(errorsOf(r))).toBe("[]");
    expect(Object.keys(r.dataSourceSchemas)).toContain("agyn_user");
  });
});
