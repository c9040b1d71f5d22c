#!/usr/bin/env node
// `npm run release`: builds the bundle (unless --skip-build), then runs scripts/release/main.ts (bundled to
// dist/release-tool.js) with the remaining arguments: the single executables and dist/release/.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

ensureDependencies();
const args = process.argv.slice(2);
const skipBuild = args.includes("--skip-build");
if (!skipBuild) {
  const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
await build({
  entryPoints: [join(root, "scripts/release/main.ts")], outfile: join(root, "dist/release-tool.js"),
  bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning",
});
const r = spawnSync(process.execPath, [join(root, "dist/release-tool.js"), ...args.filter((a) => a !== "--skip-build")], {
  cwd: root,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
