// The process lifecycle Terraform relies on: GRPCController/Shutdown ends the process promptly and cleanly,
// Ctrl-C (SIGINT) does not, Stop/StopProvider answers, the health service says SERVING, and stderr is hclog
// JSON that never carries the token.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HealthCheckResponse_ServingStatus } from "../../gen/grpc/health/v1/health_pb";
import { useTestGateway } from "../support/local-gateway";
import { killAllProviders, launchProvider, pluginEnvironment, providerBinary, withTimeout, type LaunchedProvider } from "../support/plugin-process";
import { dv, providerConfig, rpcNames, show, userConfig } from "./wire-helpers";

afterAll(killAllProviders);

describe.each([5, 6])("protocol %i", (version) => {
  const rpc = rpcNames(version);
  afterEach(killAllProviders);

  it("exits with code 0 after GRPCController/Shutdown, closing its pipes and removing its socket", async () => {
    const p = await launchProvider({ offeredVersions: String(version) });
    await p.call(rpc.schema);
    expect(existsSync(p.socketPath)).toBe(true);
    // 5 s is only the give-up bound; go-plugin SIGKILLs after 2 s, so a healthy provider is far quicker.
    const exited = await p.shutdown(5_000);
    expect(exited).toMatchObject({ code: 0, signal: null });
    expect(existsSync(p.socketPath)).toBe(false);
    expect(p.stdoutAfterHandshake()).toBe("");
  });

  // The reply must arrive before the process exits: the server drains the Shutdown call, then closes.
  it("answers GRPCController/Shutdown with an OK status before exiting", async () => {
    const p = await launchProvider({ offeredVersions: String(version) });
    const { reply } = await p.shutdown(5_000);
    expect(reply).toBe("ok");
  });

  it("survives SIGINT (Terraform cancels through Stop) and keeps serving", async () => {
    const p = await launchProvider({ offeredVersions: String(version), env: { TF_LOG: "debug" } });
    await p.call(rpc.schema);
    p.child.kill("SIGINT");
    // The provider logs that it ignored the signal: wait for that instead of sleeping.
    await p.waitForStderr(/SIGINT/);
    expect(p.alive()).toBe(true);
    const schema = await p.call(rpc.schema);
    expect(schema.diagnostics).toEqual([]);
    p.child.kill("SIGINT");
    await p.waitForStderr(/SIGINT[\s\S]*SIGINT/);
    expect((await p.shutdown()).code).toBe(0);
  });

  it("exits with code 0 on SIGTERM, removing its socket", async () => {
    const p = await launchProvider({ offeredVersions: String(version) });
    await p.call(rpc.schema);
    p.child.kill("SIGTERM");
    const exited = await withTimeout(p.closed, 5_000, () => "provider did not exit on SIGTERM");
    expect(exited).toEqual({ code: 0, signal: null });
    expect(existsSync(p.socketPath)).toBe(false);
  });

  it(`answers ${rpc.stop} with an empty Error and keeps serving`, async () => {
    const p = await launchProvider({ offeredVersions: String(version) });
    const stopped = await p.call(rpc.stop);
    expect(stopped.Error).toBe("");
    expect(p.alive()).toBe(true);
    const r = await p.call(rpc.validateProvider, { config: dv(providerConfig({ gateway: "https://gateway.example.com" })) });
    expect(show(r.diagnostics)).toBe("[]");
  });

  it("reports the go-plugin health service \"plugin\" as SERVING", async () => {
    const p = await launchProvider({ offeredVersions: String(version) });
    const r = await p.call("grpc.health.v1.Health/Check", { service: "plugin" });
    expect(r.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const other = await p.call("grpc.health.v1.Health/Check", { service: "no.such.Service" });
    expect(other.status).not.toBe(HealthCheckResponse_ServingStatus.SERVING);
  });
});

describe("stderr logging (TF_LOG=trace)", () => {
  const gateway = useTestGateway();
  afterAll(killAllProviders);

  const HCLOG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
  const LEVELS = ["trace", "debug", "info", "warn", "error"];

  /** Drives a provider through a realistic session and returns its whole stderr (after exit). */
  async function session(p: LaunchedProvider, token: string, tokenAttr: "token" | "api_token" = "token") {
    const rpc = rpcNames(p.version);
    const config = dv(providerConfig({ gateway: gateway.url, [tokenAttr]: token }));
    await p.call(rpc.schema);
    await p.call(rpc.validateProvider, { config });
    await p.call(rpc.configure, { terraformVersion: "1.2.3", config });
    const read = await p.call(rpc.readData, { typeName: "agyn_user", config: dv(userConfig()) });
    await p.call(rpc.stop);
    await p.shutdown();
    return { stderr: p.stderr(), read };
  }

  it("writes only hclog JSON lines: string @level/@message, @timestamp with 6 fractional digits and Z", async () => {
    const token = gateway.mintToken({ subject: "oidc|logger" });
    const p = await launchProvider({ env: { TF_LOG: "trace" } });
    const { stderr } = await session(p, token);
    const lines = stderr.split("\n").filter((l) => l.trim() !== "");
    expect(lines.length).toBeGreaterThanOrEqual(5); // trace logs every request: this cannot pass on silence
    for (const line of lines) {
      let entry: Record<string, unknown> = {};
      expect(() => (entry = JSON.parse(line))).not.toThrow();
      expect({ line, level: LEVELS.includes(entry["@level"] as string) }).toEqual({ line, level: true });
      expect({ line, message: typeof entry["@message"] }).toEqual({ line, message: "string" });
      expect({ line, timestamp: HCLOG_TIMESTAMP.test(String(entry["@timestamp"])) }).toEqual({ line, timestamp: true });
    }
    expect(lines.some((l) => JSON.parse(l)["@level"] === "trace")).toBe(true);
  });

  it("never writes an agyn token to stderr, whether the Gateway accepts it or not", async () => {
    const token = gateway.mintToken({ subject: "oidc|secret-keeper" });
    const good = await session(await launchProvider({ env: { TF_LOG: "trace" } }), token);
    expect(show(good.read.diagnostics)).toBe("[]");
    expect(good.stderr).not.toContain(token);
    expect(good.stderr).not.toContain(token.slice(8));

    const wrong = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    const bad = await session(await launchProvider({ env: { TF_LOG: "trace" } }), wrong, "api_token");
    expect(bad.read.diagnostics.length).toBeGreaterThan(0);
    expect(bad.stderr).not.toContain(wrong);
    expect(bad.stderr).not.toContain(wrong.slice(8));
  });

  it("never writes a token of another shape (e.g. a bootstrap token) to stderr", async () => {
    const odd = `bootstrap-${"x".repeat(6)}-${process.hrtime.bigint()}`;
    const { stderr, read } = await session(await launchProvider({ env: { TF_LOG: "trace" } }), odd);
    expect(read.diagnostics.length).toBeGreaterThan(0); // the Gateway rejects it: the error path ran too
    expect(stderr.length).toBeGreaterThan(0);
    expect(stderr).not.toContain(odd);
  });
});

describe("orphan guard", () => {
  it("exits on its own when the process that launched it goes away without Shutdown", async () => {
    // A shell stands in for Terraform: it starts the provider, waits for its handshake line (so the provider
    // knows its parent), prints its pid, and ends without Shutdown (like a SIGKILLed Terraform).
    const dir = mkdtempSync(join(tmpdir(), "agyn-orphan-"));
    const handshakeFile = join(dir, "handshake");
    const env = { ...pluginEnvironment({ PLUGIN_PROTOCOL_VERSIONS: "6" }), HANDSHAKE: handshakeFile, PROVIDER: providerBinary };
    const script = '"$PROVIDER" >"$HANDSHAKE" 2>/dev/null & pid=$!; while [ ! -s "$HANDSHAKE" ]; do sleep 0.05; done; echo $pid';
    const shell = spawnSync("sh", ["-c", script], { env, encoding: "utf8", timeout: 30_000 });
    const pid = Number(shell.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // The guard polls once a second; allow a generous bound, then make sure nothing is left behind.
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    const stillAlive = alive();
    if (stillAlive) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    expect(stillAlive).toBe(false);
  });
});
