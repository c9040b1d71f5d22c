#!/usr/bin/env node
// Bundles the plugin and the local Gateway with esbuild (one file each, so the plugin starts fast), and
// compiles the cdktf/cdktn bindings the package exports (scripts/cdk-bindings/compile.mjs).
// Releases (single executables, zips, dist/mirror) are `npm run release`.
import { build, buildSync as esbuildSync } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileCdkBindings } from "./cdk-bindings/compile.mjs";
import protobufAtLaunchPlugin from "./build/protobuf-at-launch.cjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  // Smaller source parses faster on every launch. Identifiers are not minified, so names stay readable in stack
  // traces; keepNames is off because it wraps every function made at run time (closures included) in a call.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
};

/**
 * The plugin loads zod only on demand (behind import()), yet esbuild hoists an ES module's namespace objects to the
 * bundle's top level, and zod builds about 1,000 export getters there, plus every top-level function of its modules:
 * work at every launch for nothing. zod's CommonJS build stays wrapped in its module function until required.
 */
const zodAsCommonJs = {
  name: "zod-as-commonjs",
  setup(b) {
    const zod = createRequire(join(root, "package.json")).resolve("zod");
    b.onResolve({ filter: /^zod$/ }, () => ({ path: zod }));
  },
};

/**
 * connect uses the global Headers, which is node's bundled undici: node loads and compiles all of it on first use, about
 * 15 ms of CPU in every configured provider process, and its WebIDL checks cost the local Gateway about a tenth of every
 * request's CPU. In both bundles every reference to the global Headers becomes gateway/fetch-headers.ts's class instead
 * (esbuild's inject: no global changes).
 */
const headersWithoutUndici = [join(root, "gateway/fetch-headers.ts")];

/** @bufbuild/protobuf without google/protobuf/descriptor.proto before the first answer (scripts/build/protobuf-at-launch.cjs). */
const protobufAtLaunch = protobufAtLaunchPlugin.protobufAtLaunch(root);

await Promise.all([
  build({ ...common, entryPoints: [join(root, "cmd/terraform-provider-agyn.ts")], outfile: join(root, "dist/provider.js"), plugins: [zodAsCommonJs, protobufAtLaunch],
    inject: headersWithoutUndici }),
  // What the launcher runs: the bundle above with V8's code cache (provider/startup/code-cache.ts).
  build({ ...common, entryPoints: [join(root, "cmd/launch-provider.ts")], outfile: join(root, "dist/launch-provider.js") }),
  build({
    ...common,
    entryPoints: [join(root, "cmd/agyn-local-gateway.ts")],
    outfile: join(root, "dist/local-gateway.js"),
    external: ["better-sqlite3"], // native addon, loaded from node_modules
    inject: [...headersWithoutUndici, join(root, "gateway/local/abort-controller.ts")],
  }),
  build({ ...common, entryPoints: [join(root, "scripts/demo/ci-token-demo.ts")], outfile: join(root, "dist/demo.js") }),
]);
for (const launcher of ["bin/terraform-provider-agyn", "bin/agyn-local-gateway"]) chmodSync(join(root, launcher), 0o755);
warmCodeCache();

// Earlier builds left a launcher in dist/mirror that pointed back into this checkout, so its hash differed per
// checkout. dist/mirror now holds the release's own archives (npm run release); drop the old launcher.
rmSync(join(root, "dist/mirror/registry.terraform.io/agynio/agyn", version), { recursive: true, force: true });
const bindings = compileCdkBindings() ? "compiled" : "up-to-date";
console.log(`built dist/provider.js and dist/local-gateway.js (v${version}); ${bindings} dist/bindings`);

/** One launch as Terraform does it leaves the code cache for this machine's node (scripts/build/warm-code-cache.ts). */
function warmCodeCache() {
  rmSync(join(root, "dist/v8-cache"), { recursive: true, force: true });
  const scratch = mkdtempSync(join(tmpdir(), "agyn-warm-"));
  try {
    const script = join(scratch, "warm-code-cache.js");
    esbuildSync({ ...common, sourcemap: false, entryPoints: [join(root, "scripts/build/warm-code-cache.ts")], outfile: script });
    const run = spawnSync(process.execPath, [script], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, AGYN_TEST_PROVIDER_BINARY: join(root, "bin/terraform-provider-agyn") },
    });
    if (run.status !== 0) throw new Error("warming the provider's code cache failed");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
