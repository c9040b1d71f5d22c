// Launches the built bin/terraform-provider-agyn exactly as Terraform does (go-plugin client side: magic
// cookie, PLUGIN_PROTOCOL_VERSIONS, AutoMTLS client certificate in PLUGIN_CLIENT_CERT), reads the handshake
// line, and talks gRPC to the provider over the unix socket it announced — with the provider's certificate as
// the only trusted root for "localhost", as go-plugin does. Every process started here is killed by
// `killAllProviders()` (and, as a last resort, when the test process exits).
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Provider as ProviderV5 } from "../../gen/tfplugin5/tfplugin5_pb";
import { Provider as ProviderV6 } from "../../gen/tfplugin6/tfplugin6_pb";
import { GRPCController } from "../../gen/plugin/grpc_controller_pb";
import { Health } from "../../gen/grpc/health/v1/health_pb";
import { createSelfSignedCertificate, pem } from "../../provider/server/tls-certificate";

export const repoRoot = resolve(__dirname, "../..");
/** The launcher Terraform would execute; AGYN_TEST_PROVIDER_BINARY points the tests at another build. */
export const providerBinary = process.env.AGYN_TEST_PROVIDER_BINARY || join(repoRoot, "bin/terraform-provider-agyn");
export const MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/** How long a launched provider may take to print its handshake line (go-plugin allows a minute). */
const HANDSHAKE_TIMEOUT_MS = 20_000;
/** Per-RPC deadline, so a wedged provider fails a test instead of hanging it. */
const CALL_TIMEOUT_MS = 15_000;

// ---- go-plugin's client certificate ----------------------------------------------------------------

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
  der: Buffer;
}

/**
 * What go-plugin's generateCert() makes for Terraform (gp mtls.go): ECDSA P-521, CN=localhost O=HashiCorp,
 * SAN DNS:localhost, EKU clientAuth+serverAuth, CA:TRUE with keyCertSign, valid from 30 s ago for
 * 262 980 h, self-signed with ecdsa-with-SHA512; the key as an "EC PRIVATE KEY" PEM.
 */
export function generateClientCertificate(now = new Date()): ClientCertificate {
  return createSelfSignedCertificate({ curve: "P-521", organization: "HashiCorp", validForMs: 262_980 * 3600_000, keyFormat: "sec1", now });
}

// ---- the handshake line ------------------------------------------------------------------------------

export interface Handshake {
  coreVersion: string;
  version: number;
  network: string;
  address: string;
  protocol: string;
  /** The sixth field verbatim: unpadded standard base64 of the server certificate's DER, or "". */
  certField: string;
  raw: string;
}

export function parseHandshake(line: string): Handshake {
  const parts = line.trim().split("|");
  if (parts.length !== 6) throw new Error(`handshake line must have exactly 6 fields, got ${parts.length}: ${JSON.stringify(line)}`);
  const [coreVersion, version, network, address, protocol, certField] = parts;
  return { coreVersion, version: Number(version), network, address, protocol, certField, raw: line };
}

/** go-plugin decodes the field with base64.RawStdEncoding: re-pad it for Node's decoder. */
export function certFieldToDer(field: string): Buffer {
  if (!/^[A-Za-z0-9+/]*$/.test(field)) throw new Error("certificate field is not unpadded standard base64");
  return Buffer.from(field + "=".repeat((4 - (field.length % 4)) % 4), "base64");
}

// ---- processes -------------------------------------------------------------------------------------

const running = new Set<ChildProcessWithoutNullStreams>();
/** The socket each launched provider announced, removed after the process is gone (SIGKILL leaves it behind). */
const sockets = new Map<ChildProcessWithoutNullStreams, string>();

/** Stops every provider still running (call from afterAll/afterEach). */
export async function killAllProviders(): Promise<void> {
  await Promise.all([...running].map((child) => killChild(child)));
}

/** Last resort if a test file forgot to clean up (only reached when the worker exits normally). */
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** SIGTERM (the provider removes its socket and exits), SIGKILL if it has not exited within 3 s. */
async function killChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const closed = new Promise<void>((done) => child.once("close", () => done()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await closed;
    clearTimeout(timer);
  }
  running.delete(child);
  const socket = sockets.get(child);
  if (socket) rmSync(socket, { force: true });
  sockets.delete(child);
}

export type EnvOverrides = Record<string, string | undefined>;

/**
 * The environment Terraform would give the plugin, without anything from this machine that would change the
 * provider's behaviour (TF_LOG, AGYN_* settings, a real ~/.agyn profile): HOME is an empty scratch directory.
 * An override of `undefined` removes the variable.
 */
export function pluginEnvironment(overrides: EnvOverrides): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // AGYN_NODE only picks the node binary for the launcher.
    if (/^(TF_|PLUGIN_|AGYN_)/.test(k) && k !== "AGYN_NODE") continue;
    env[k] = v;
  }
  // Removed again when the process closes (spawnProvider).
  if (!("HOME" in overrides)) env.HOME = mkdtempSync(join(tmpdir(), "agyn-plugin-home-"));
  env.TF_PLUGIN_MAGIC_COOKIE = MAGIC_COOKIE;
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedProvider {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its stdout/stderr pipes are closed (what Terraform waits for). */
  closed: Promise<Exited>;
}

export function spawnProvider(args: string[], env: NodeJS.ProcessEnv, launcher = providerBinary): SpawnedProvider {
  const child = spawn(launcher, args, { env, stdio: ["pipe", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  child.stdin.on("error", () => undefined);
  const closed = new Promise<Exited>((done) =>
    child.once("close", (code, signal) => {
      running.delete(child);
      if (env.HOME && /\/agyn-plugin-home-[^/]+$/.test(env.HOME)) rmSync(env.HOME, { recursive: true, force: true });
      done({ code, signal });
    }),
  );
  return { child, stdout: () => out, stderr: () => err, closed };
}

/** Runs the provider to completion (for launches that must fail, `schema`, `--version`), with a timeout. */
export async function runProviderToExit(
  args: string[],
  overrides: EnvOverrides = {},
  timeoutMs = 20_000,
): Promise<Exited & { stdout: string; stderr: string }> {
  const p = spawnProvider(args, pluginEnvironment(overrides));
  p.child.stdin.end();
  const exited = await withTimeout(p.closed, timeoutMs, () => `provider ${args.join(" ")} did not exit; stderr:\n${p.stderr()}`)
    .catch(async (e: unknown) => {
      await killChild(p.child);
      throw e;
    });
  return { ...exited, stdout: p.stdout(), stderr: p.stderr() };
}

/** Waits until the provider's stdout or stderr matches `pattern`; resolves with that stream's text so far. */
export function waitForStream(p: SpawnedProvider, stream: "stdout" | "stderr", pattern: RegExp): Promise<string> {
  return waitForOutput(p, stream, (text) => (pattern.test(text) ? text : undefined), `${stream} matching ${pattern}`);
}

function waitForStdout<T>(p: SpawnedProvider, pred: (stdout: string) => T | undefined, what: string): Promise<T> {
  return waitForOutput(p, "stdout", pred, what);
}

/** Waits until `pred(stream so far)` returns a value, the process exits, or the timeout passes. */
function waitForOutput<T>(
  p: SpawnedProvider,
  stream: "stdout" | "stderr",
  pred: (text: string) => T | undefined,
  what: string,
): Promise<T> {
  const text = stream === "stdout" ? p.stdout : p.stderr;
  const emitter = stream === "stdout" ? p.child.stdout : p.child.stderr;
  return new Promise<T>((done, fail) => {
    const check = () => {
      const v = pred(text());
      if (v !== undefined) {
        finish();
        done(v);
      }
    };
    const onClose = () => {
      // The last data may arrive with the close: look once more before failing.
      const v = pred(text());
      finish();
      if (v !== undefined) done(v);
      else fail(new Error(`provider exited (code ${p.child.exitCode}, signal ${p.child.signalCode}) before ${what}; stdout: ${JSON.stringify(p.stdout())}; stderr:\n${p.stderr()}`));
    };
    const timer = setTimeout(() => {
      finish();
      fail(new Error(`no ${what} within ${HANDSHAKE_TIMEOUT_MS} ms; stdout: ${JSON.stringify(p.stdout())}; stderr:\n${p.stderr()}`));
    }, HANDSHAKE_TIMEOUT_MS);
    const finish = () => {
      clearTimeout(timer);
      emitter.off("data", check);
      p.child.off("close", onClose);
    };
    emitter.on("data", check);
    p.child.once("close", onClose);
    check();
  });
}

// ---- gRPC ----------------------------------------------------------------------------------------------

const SERVICES: readonly DescService[] = [ProviderV5, ProviderV6, GRPCController, Health];

/** A decoded protobuf-es message; tests read fields structurally. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Decoded = any;

export interface ClientCredentialsChoice {
  /** PEM of the one root trusted for "localhost"; absent: plaintext. */
  serverCertPem?: string;
  /** Presented client certificate and key; absent: none presented. */
  client?: { certPem: string; keyPem: string };
}

export class PluginClient {
  private readonly client: grpc.Client;

  constructor(
    readonly socketPath: string,
    /** The provider service the calls without a "service/" prefix go to. */
    readonly providerService: DescService,
    creds: ClientCredentialsChoice,
  ) {
    const channelCreds = creds.serverCertPem
      ? grpc.credentials.createSsl(
        Buffer.from(creds.serverCertPem),
        creds.client ? Buffer.from(creds.client.keyPem) : null,
        creds.client ? Buffer.from(creds.client.certPem) : null,
      )
      : grpc.credentials.createInsecure();
    this.client = new grpc.Client(`unix:${socketPath}`, channelCreds, {
      // As go-plugin: the server's certificate is verified as its own root for the name "localhost".
      ...(creds.serverCertPem ? { "grpc.ssl_target_name_override": "localhost" } : {}),
      "grpc.max_receive_message_length": 256 * 1024 * 1024,
    });
  }

  method(name: string): { path: string; method: DescMethod } {
    let service = this.providerService;
    let methodName = name;
    const slash = name.lastIndexOf("/");
    if (slash >= 0) {
      const typeName = name.slice(0, slash).replace(/^\//, "");
      methodName = name.slice(slash + 1);
      const found = SERVICES.find((s) => s.typeName === typeName);
      if (!found) throw new Error(`unknown service ${typeName}`);
      service = found;
    }
    const method = service.methods.find((m) => m.name === methodName);
    if (!method) throw new Error(`${service.typeName} has no method ${methodName}`);
    return { path: `/${service.typeName}/${method.name}`, method };
  }

  /**
   * Calls `Method` on the negotiated provider service, or `service.Type/Method` on another one
   * (e.g. "plugin.GRPCController/Shutdown"), and returns the decoded response.
   */
  call(name: string, init: Record<string, unknown> = {}, timeoutMs = CALL_TIMEOUT_MS): Promise<Decoded> {
    const { path, method } = this.method(name);
    const request = create(method.input, init as never);
    return new Promise((done, fail) => {
      this.client.makeUnaryRequest(
        path,
        (m: unknown) => Buffer.from(toBinary(method.input, m as never)),
        (b: Buffer) => fromBinary(method.output, b),
        request,
        { deadline: Date.now() + timeoutMs },
        (err, res) => (err ? fail(err) : done(res)),
      );
    });
  }

  /** Sends raw bytes as the request of `path` (e.g. "/tfplugin6.Provider/GetProviderSchema"); returns raw bytes. */
  callRaw(path: string, body: Uint8Array, timeoutMs = CALL_TIMEOUT_MS): Promise<Buffer> {
    return new Promise((done, fail) => {
      this.client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        { deadline: Date.now() + timeoutMs },
        (err, res) => (err ? fail(err) : done(res as Buffer)),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

// ---- a provider launched as Terraform does -------------------------------------------------------------

export interface LaunchOptions {
  /** PLUGIN_PROTOCOL_VERSIONS; `undefined` leaves the variable out. Default "5,6". */
  offeredVersions?: string | undefined;
  /** Extra environment; `undefined` values remove a variable (e.g. TF_PLUGIN_MAGIC_COOKIE). */
  env?: EnvOverrides;
  /** Set PLUGIN_CLIENT_CERT (AutoMTLS) as Terraform does unless TF_DISABLE_PLUGIN_TLS is set. Default true. */
  withClientCert?: boolean;
  /** Another build's launcher (benchmarks compare two); default the one under test. */
  launcher?: string;
}

export interface LaunchedProvider {
  version: number;
  socketPath: string;
  handshake: Handshake;
  /** PEM of the server certificate from the handshake line (undefined when serving plaintext). */
  serverCertPem?: string;
  /** The client certificate passed in PLUGIN_CLIENT_CERT (undefined without AutoMTLS). */
  clientCert?: ClientCertificate;
  client: PluginClient;
  call(name: string, init?: Record<string, unknown>): Promise<Decoded>;
  callRaw(pathOrMethod: string, body: Uint8Array): Promise<Buffer>;
  /** Opens another connection to the same socket, e.g. with other credentials. */
  connect(creds: ClientCredentialsChoice): PluginClient;
  stderr(): string;
  /** Everything on stdout after the handshake line (Terraform discards it; there should be none). */
  stdoutAfterHandshake(): string;
  child: ChildProcessWithoutNullStreams;
  closed: Promise<Exited>;
  alive(): boolean;
  /** Resolves with the stderr so far once it matches `pattern` (fails if the process exits first). */
  waitForStderr(pattern: RegExp): Promise<string>;
  /**
   * plugin.GRPCController/Shutdown, then waits (at most `timeoutMs`) for the process to exit. Like go-plugin,
   * it does not fail when the reply is lost; `reply` is "ok" or the gRPC error the call ended with.
   */
  shutdown(timeoutMs?: number): Promise<Exited & { elapsedMs: number; reply: string }>;
  kill(): Promise<void>;
}

export async function launchProvider(options: LaunchOptions = {}): Promise<LaunchedProvider> {
  const { env = {}, withClientCert = true } = options;
  const offeredVersions = "offeredVersions" in options ? options.offeredVersions : "5,6";
  const clientCert = withClientCert ? generateClientCertificate() : undefined;
  const p = spawnProvider([], pluginEnvironment({
    PLUGIN_PROTOCOL_VERSIONS: offeredVersions,
    PLUGIN_CLIENT_CERT: clientCert?.certPem,
    ...env,
  }), options.launcher);
  try {
    const line = await waitForStdout(p, (out) => {
      const nl = out.indexOf("\n");
      return nl >= 0 ? out.slice(0, nl) : undefined;
    }, "handshake line");
    const handshake = parseHandshake(line);
    if (handshake.network === "unix") sockets.set(p.child, handshake.address);
    if (handshake.coreVersion !== "1" || handshake.network !== "unix" || handshake.protocol !== "grpc") {
      throw new Error(`unexpected handshake line ${JSON.stringify(line)}`);
    }
    const serverCertPem = handshake.certField ? pem(certFieldToDer(handshake.certField)) : undefined;
    const providerService = handshake.version === 5 ? ProviderV5 : ProviderV6;
    const connect = (creds: ClientCredentialsChoice) => new PluginClient(handshake.address, providerService, creds);
    const client = connect({ serverCertPem, client: clientCert });
    const launched: LaunchedProvider = {
      version: handshake.version,
      socketPath: handshake.address,
      handshake,
      serverCertPem,
      clientCert,
      client,
      call: (name, init) => client.call(name, init),
      callRaw: (pathOrMethod, body) =>
        client.callRaw(pathOrMethod.startsWith("/") ? pathOrMethod : client.method(pathOrMethod).path, body),
      connect,
      stderr: p.stderr,
      waitForStderr: (pattern) => waitForStream(p, "stderr", pattern),
      stdoutAfterHandshake: () => p.stdout().slice(line.length + 1),
      child: p.child,
      closed: p.closed,
      alive: () => p.child.exitCode === null && p.child.signalCode === null,
      async shutdown(timeoutMs = 5_000) {
        const started = performance.now();
        // go-plugin ignores Shutdown's error and then waits for the process to exit; so does this helper.
        const reply = await client.call("plugin.GRPCController/Shutdown", {}, timeoutMs).then(
          () => "ok",
          (e: unknown) => (e instanceof Error ? e.message : String(e)),
        );
        const exited = await withTimeout(p.closed, timeoutMs, () => `provider did not exit within ${timeoutMs} ms of Shutdown`);
        client.close();
        return { ...exited, elapsedMs: performance.now() - started, reply };
      },
      async kill() {
        client.close();
        await killChild(p.child);
      },
    };
    return launched;
  } catch (e) {
    await killChild(p.child);
    throw e;
  }
}

// ---- debug (reattach) mode -------------------------------------------------------------------------------

export interface ReattachConfig {
  Protocol: string;
  ProtocolVersion: number;
  Pid: number;
  Test: boolean;
  Addr: { Network: string; String: string };
}

export interface DebugProvider {
  /** The TF_REATTACH_PROVIDERS value the provider printed, parsed. */
  reattach: Record<string, ReattachConfig>;
  reattachLine: string;
  client: PluginClient;
  spawned: SpawnedProvider;
  kill(): Promise<void>;
}

/** `terraform-provider-agyn --debug`, started by a person: no cookie, no client certificate. */
export async function launchDebugProvider(env: EnvOverrides = {}): Promise<DebugProvider> {
  const p = spawnProvider(["--debug"], pluginEnvironment({ TF_PLUGIN_MAGIC_COOKIE: undefined, ...env }));
  try {
    const reattachLine = await waitForStdout(p, (out) => {
      const m = /^.*TF_REATTACH_PROVIDERS='([^'\n]*)'.*$/m.exec(out);
      return m ? m[0] : undefined;
    }, "TF_REATTACH_PROVIDERS line");
    const json = /TF_REATTACH_PROVIDERS='([^']*)'/.exec(reattachLine)![1];
    const reattach = JSON.parse(json) as Record<string, ReattachConfig>;
    const entry = Object.values(reattach)[0];
    if (entry?.Addr?.Network === "unix") sockets.set(p.child, entry.Addr.String);
    const service = entry?.ProtocolVersion === 5 ? ProviderV5 : ProviderV6;
    const client = new PluginClient(entry?.Addr?.String ?? "", service, {});
    return {
      reattach,
      reattachLine,
      client,
      spawned: p,
      async kill() {
        client.close();
        await killChild(p.child);
      },
    };
  } catch (e) {
    await killChild(p.child);
    throw e;
  }
}

// ---- small utilities -------------------------------------------------------------------------------------

export function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(message())), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Parses a certificate with Node's X.509 parser (throws if it is not one). */
export function parseCertificate(der: Uint8Array): X509Certificate {
  return new X509Certificate(Buffer.from(der));
}
