#!/usr/bin/env node
// `npm run bench`: builds (the bundle, and the release's single executable for this machine), then runs
// scripts/bench/benchmarks.ts (bundled to dist/bench.js).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

ensureDependencies();
const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);
const sea = spawnSync(process.execPath, [join(root, "scripts/release.mjs"), "--skip-build", "--executables-only", "--platform", "host"], {
  cwd: root,
  stdio: "inherit",
});
if (sea.status !== 0) process.exit(sea.status ?? 1);
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const goPlatform = `${{ win32: "windows" }[process.platform] ?? process.platform}_${{ x64: "amd64" }[process.arch] ?? process.arch}`;
const executable = join(root, "dist/sea", goPlatform, `terraform-provider-agyn_v${version}${process.platform === "win32" ? ".exe" : ""}`);
await build({
  entryPoints: [join(root, "scripts/bench/benchmarks.ts")], outfile: join(root, "dist/bench.js"),
  bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning",
});
const r = spawnSync(process.execPath, [join(root, "dist/bench.js")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, AGYN_BENCH_EXECUTABLE: executable },
});
process.exit(r.status ?? 1);
