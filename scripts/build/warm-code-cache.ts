// Run by `npm run build` (bundled to a temporary file): launches the freshly built provider once the way
// Terraform does — AutoMTLS, the handshake, GetProviderSchema, ValidateProviderConfig, ConfigureProvider against
// a local Gateway (dist/local-gateway.js, a scratch database), Shutdown — so the launcher leaves V8's code cache
// (dist/v8-cache/) for everything those calls compile: the first launch after a build is already fast, and the
// processes of a command (schemas, validate, plan) find the first call and Configure compiled, not only start-up.
// Where the local Gateway cannot run, Configure is left out and the cache covers the rest.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { encode } from "@msgpack/msgpack";
import { SETTLED_MS } from "../../provider/startup/source-fingerprint";
import { killAllProviders, launchProvider, providerBinary } from "../../test/support/plugin-process";

const root = join(dirname(providerBinary), "..");

/** The provider block as Terraform encodes it: every attribute present, null unless given. */
function providerConfig(schema: { block: { attributes: { name: string }[] } }, values: Record<string, string>): Uint8Array {
  return encode(Object.fromEntries(schema.block.attributes.map(({ name }) => [name, values[name] ?? null])));
}

interface LocalGateway {
  readonly url: string;
  readonly token: string;
  stop(): Promise<void>;
}

/** `agyn-local-gateway serve` on a scratch database, with one minted token; undefined where it cannot run. */
async function localGateway(scratch: string): Promise<LocalGateway | undefined> {
  const cli = join(root, "bin/agyn-local-gateway");
  const db = join(scratch, "gateway.db");
  let child: ChildProcess | undefined;
  try {
    child = spawn(cli, ["serve", "--db", db], { stdio: ["ignore", "pipe", "ignore"] });
    const running = child;
    const url = await new Promise<string>((resolve, reject) => {
      running.once("error", reject);
      running.once("exit", (code) => reject(new Error(`it exited (${code}) before printing its URL`)));
      createInterface({ input: running.stdout! }).once("line", resolve);
    });
    const token = execFileSync(cli, ["mint-token", "--db", db, "--subject", "code-cache-warmer"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const stop = () => new Promise<void>((resolve) => {
      if (running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once("exit", () => resolve());
      running.kill("SIGTERM");
    });
    return { url, token, stop };
  } catch (error) {
    child?.kill("SIGKILL");
    console.warn(`warming the code cache without Configure: the local Gateway did not start (${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
}

async function main(): Promise<void> {
  // A bundle written moments ago gets no fingerprint, and every launch would hash it until one rewrote the cache.
  await sleep(Math.max(0, statSync(join(root, "dist/provider.js")).ctimeMs + SETTLED_MS + 100 - Date.now()));
  const scratch = mkdtempSync(join(tmpdir(), "agyn-warm-gateway-"));
  const gateway = await localGateway(scratch);
  try {
    const provider = await launchProvider();
    const schema = await provider.call("GetProviderSchema");
    const config = { msgpack: providerConfig(schema.provider, gateway ? { gateway: gateway.url, token: gateway.token } : {}) };
    await provider.call("ValidateProviderConfig", { config });
    if (gateway) {
      const configured = await provider.call("ConfigureProvider", { terraformVersion: "1.11.0", config });
      const errors = (configured.diagnostics ?? []).filter((d: { severity: number }) => d.severity === 1);
      if (errors.length > 0) throw new Error(`ConfigureProvider: ${errors.map((d: { summary: string }) => d.summary).join("; ")}`);
    }
    const exited = await provider.shutdown();
    if (exited.code !== 0) throw new Error(`the provider exited with ${exited.code ?? exited.signal} after Shutdown`);
  } finally {
    await killAllProviders();
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`warming the code cache failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
