#!/usr/bin/env node
// `npm run bench`: builds, then runs scripts/bench/benchmarks.ts (bundled to dist/bench.js).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

ensureDependencies();
const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);
await build({
  entryPoints: [join(root, "scripts/bench/benchmarks.ts")], outfile: join(root, "dist/bench.js"),
  bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning",
});
const r = spawnSync(process.execPath, [join(root, "dist/bench.js")], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
