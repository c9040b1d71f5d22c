#!/usr/bin/env node
// `npm run bench [-- --only startup,commands,calls,gateway,codec,instructions] [other options, see scripts/bench/main.ts]`:
// builds the bundle (and, for the start-up part, the release's single executable for this machine), then runs
// scripts/bench/main.ts bundled to dist/bench.js. Prints figures; asserts nothing.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

const args = process.argv.slice(2);
const only = args.indexOf("--only");
const wantsStartup = only < 0 || (args[only + 1] ?? "").split(",").map((p) => p.trim()).includes("startup");

ensureDependencies();
const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);
let executable = "";
let executableNode = "";
if (wantsStartup) {
  const sea = spawnSync(process.execPath, [join(root, "scripts/release.mjs"), "--skip-build", "--executables-only", "--platform", "host"], {
    cwd: root,
    stdio: "inherit",
  });
  if (sea.status !== 0) process.exit(sea.status ?? 1);
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const goPlatform = `${{ win32: "windows" }[process.platform] ?? process.platform}_${{ x64: "amd64" }[process.arch] ?? process.arch}`;
  executable = join(root, "dist/sea", goPlatform, `terraform-provider-agyn_v${version}${process.platform === "win32" ? ".exe" : ""}`);
  // The node the executable was made from (scripts/release/node-binaries.ts keeps it there), for its own floor.
  const pins = JSON.parse(readFileSync(join(root, "scripts/release/node-binaries.json"), "utf8"));
  const pinned = join(root, "dist/cache", `node-v${pins.version}`, goPlatform, pins.platforms[goPlatform].binary.split("/").pop());
  if (existsSync(pinned)) executableNode = pinned;
}
await build({
  entryPoints: [join(root, "scripts/bench/main.ts")], outfile: join(root, "dist/bench.js"),
  bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning",
});
const r = spawnSync(process.execPath, [join(root, "dist/bench.js"), ...args], {
  cwd: root,
  stdio: "inherit",
  // The calls part launches providers with the tests' helper, which finds the launcher relative to its own
  // source file; bundled into dist/ it must be told.
  env: { AGYN_TEST_PROVIDER_BINARY: join(root, "bin/terraform-provider-agyn"), ...process.env, AGYN_BENCH_EXECUTABLE: executable,
    AGYN_BENCH_EXECUTABLE_NODE: executableNode },
});
process.exit(r.status ?? 1);
