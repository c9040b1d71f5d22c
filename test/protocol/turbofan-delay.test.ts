// Once Terraform has configured it, a launched provider raises V8's TurboFan threshold for the calls of its
// command and says so at debug level. A process that is never configured (schema, validate) keeps the defaults,
// and so does a launch that writes the launcher's code cache at exit: V8 refuses a cache made under other flags,
// so every later launch would compile the bundle from scratch.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SETTLED_MS } from "../../provider/startup/source-fingerprint";
import { useTestGateway } from "../support/local-gateway";
import { killAllProviders, launchProvider, type LaunchedProvider } from "../support/plugin-process";
import { dv, providerConfig } from "./wire-helpers";

const gateway = useTestGateway();
const root = join(__dirname, "../..");
const DELAYED = /TurboFan delayed for the calls of this command[^\n]*"flag":"--interrupt-budget=\d+"/;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "agyn-turbofan-delay-"));
});
afterAll(async () => {
  await killAllProviders();
  rmSync(scratch, { recursive: true, force: true });
});

async function configure(p: LaunchedProvider): Promise<void> {
  const token = gateway.mintToken({ subject: `oidc|turbofan-${process.hrtime.bigint()}` });
  const answer = await p.call("ConfigureProvider", { terraformVersion: "1.11.0", config: dv(providerConfig({ gateway: gateway.url, token })) });
  expect(answer.diagnostics).toEqual([]);
}

it("delays TurboFan once configured, and says so at debug level", async () => {
  const p = await launchProvider({ offeredVersions: "6", env: { TF_LOG: "debug" } });
  await configure(p);
  await expect(p.waitForStderr(DELAYED)).resolves.toMatch(DELAYED);
});

it("keeps V8's defaults in a process that is never configured", async () => {
  const p = await launchProvider({ offeredVersions: "6", env: { TF_LOG: "debug" } });
  expect((await p.call("GetProviderSchema")).diagnostics).toEqual([]);
  await p.shutdown();
  expect(p.stderr()).not.toMatch(/TurboFan delayed/);
});

// Through the node launcher of a package copy, whichever provider the other tests launch (a single executable
// carries its own code cache and never writes one). The launcher writes the cache at exit when it found none, and
// when it found one by content whose file fingerprint it lacks (a cache copied with the package, say).
it.each([
  ["without a code cache", false],
  ["with a code cache copied from another directory", true],
])("keeps the defaults in a launch that writes the code cache (%s), so the next launch accepts that cache", async (_, withCache) => {
  const pkg = mkdtempSync(join(scratch, "package-"));
  mkdirSync(join(pkg, "bin"));
  mkdirSync(join(pkg, "dist"));
  copyFileSync(join(root, "bin/terraform-provider-agyn"), join(pkg, "bin/terraform-provider-agyn"));
  for (const file of ["provider.js", "launch-provider.js"]) copyFileSync(join(root, "dist", file), join(pkg, "dist", file));
  if (withCache) {
    cpSync(join(root, "dist/v8-cache"), join(pkg, "dist/v8-cache"), { recursive: true });
    // A bundle changed moments ago has no fingerprint yet (source-fingerprint.ts); one older than that gets one.
    await new Promise((settled) => setTimeout(settled, SETTLED_MS + 100));
  }
  const launcher = join(pkg, "bin/terraform-provider-agyn");

  const first = await launchProvider({ offeredVersions: "6", launcher, env: { TF_LOG: "debug" } });
  await configure(first);
  expect((await first.shutdown()).code).toBe(0);

  const second = await launchProvider({ offeredVersions: "6", launcher, env: { TF_LOG: "debug" } });
  const listening = await second.waitForStderr(/plugin server listening[^\n]*\n/);
  expect(/"code_cache":"([^"]+)"/.exec(listening)?.[1]).toBe("accepted");
  expect(first.stderr()).toMatch(/V8 tiering left at its defaults: this launch writes the code cache at exit/);
  await configure(second);
  await expect(second.waitForStderr(DELAYED)).resolves.toMatch(DELAYED);
});
