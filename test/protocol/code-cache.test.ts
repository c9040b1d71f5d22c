// The launcher starts the bundle with the V8 code cache `npm run build` left for this node (dist/v8-cache/),
// and says so in the debug log — the way to tell a slow start caused by a missing or refused cache.
import { killAllProviders, launchProvider, providerBinary } from "../support/plugin-process";

afterAll(killAllProviders);

it("starts with the code cache the build made, and logs it at debug level", async () => {
  const p = await launchProvider({ env: { TF_LOG: "debug" } });
  const log = await p.waitForStderr(/plugin server listening[^\n]*\n/);
  const status = /"code_cache":"([^"]+)"/.exec(log)?.[1];
  // A single executable (AGYN_TEST_PROVIDER_BINARY) carries its own code cache and no launcher.
  expect(status).toBe(providerBinary.endsWith("bin/terraform-provider-agyn") ? "accepted" : "not started through the launcher");
  expect((await p.call("GetProviderSchema")).diagnostics).toEqual([]);
});
