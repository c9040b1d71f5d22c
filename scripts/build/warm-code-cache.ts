// Run by `npm run build` (bundled to a temporary file): launches the freshly built provider once the way
// Terraform does — AutoMTLS, the handshake, GetProviderSchema, Shutdown — so the launcher leaves V8's code
// cache (dist/v8-cache/) for everything a launch compiles, and the first launch after a build is already fast.
import { killAllProviders, launchProvider } from "../../test/support/plugin-process";

async function main(): Promise<void> {
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
