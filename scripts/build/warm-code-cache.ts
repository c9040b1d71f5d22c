// Run by `npm run build` (bundled to a temporary file): launches the freshly built provider once the way
// Terraform does — AutoMTLS, the handshake, GetProviderSchema, Shutdown — so the launcher leaves V8's code
// cache (dist/v8-cache/) for everything a launch compiles, and the first launch after a build is already fast.
import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SETTLED_MS } from "../../provider/startup/source-fingerprint";
import { killAllProviders, launchProvider, providerBinary } from "../../test/support/plugin-process";

async function main(): Promise<void> {
  // A bundle written moments ago gets no fingerprint, and every launch would hash it until one rewrote the cache.
  await sleep(Math.max(0, statSync(join(dirname(providerBinary), "../dist/provider.js")).ctimeMs + SETTLED_MS + 100 - Date.now()));
  const provider = await launchProvider();
  try {
    await provider.call("GetProviderSchema");
    const exited = await provider.shutdown();
    if (exited.code !== 0) throw new Error(`the provider exited with ${exited.code ?? exited.signal} after Shutdown`);
  } finally {
    await killAllProviders();
  }
}

main().catch((error: unknown) => {
  console.error(`warming the code cache failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
