#!/usr/bin/env node
// Bundles the plugin and the local Gateway with esbuild (one file each, so the plugin starts fast), and
// writes a filesystem-mirror copy of the launcher for Terraform installs that want a lock file.
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { arch, platform } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  // Smaller source parses faster on every launch; names stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  logLevel: "warning",
  define: { __PROVIDER_VERSION__: JSON.stringify(version) },
};

await Promise.all([
  build({ ...common, entryPoints: [join(root, "cmd/terraform-provider-agyn.ts")], outfile: join(root, "dist/provider.js") }),
  build({
    ...common,
    entryPoints: [join(root, "cmd/agyn-local-gateway.ts")],
    outfile: join(root, "dist/local-gateway.js"),
    external: ["better-sqlite3"], // native addon, loaded from node_modules
  }),
  build({ ...common, entryPoints: [join(root, "scripts/demo/ci-token-demo.ts")], outfile: join(root, "dist/demo.js") }),
]);
for (const launcher of ["bin/terraform-provider-agyn", "bin/agyn-local-gateway"]) chmodSync(join(root, launcher), 0o755);

// <mirror>/registry.terraform.io/agynio/agyn/<version>/<os>_<arch>/terraform-provider-agyn_v<version>
const goArch = { x64: "amd64", arm64: "arm64" }[arch()] ?? arch();
const mirrorDir = join(root, "dist/mirror/registry.terraform.io/agynio/agyn", version, `${platform()}_${goArch}`);
mkdirSync(mirrorDir, { recursive: true });
const mirrorLauncher = join(mirrorDir, `terraform-provider-agyn_v${version}`);
// Terraform hashes the whole package directory, so the bundle stays outside it and a rebuild needs no re-init.
writeFileSync(mirrorLauncher, `#!/bin/sh\nexec "${join(root, "bin/terraform-provider-agyn")}" "$@"\n`);
chmodSync(mirrorLauncher, 0o755);
console.log(`built dist/provider.js, dist/local-gateway.js and the filesystem mirror dist/mirror (v${version})`);
