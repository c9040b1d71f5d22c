#!/usr/bin/env node
// `npm test`: the whole suite from a fresh clone — install (npm, and the Debian tools the release tests use),
// check generated code, type-check, lint, build, build the release executables, then unit, protocol and
// acceptance tests (real terraform). Ends with one "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackages } from "./debian-packages.mjs";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

function step(title, command, args, env = {}) {
  console.log(`» ${title}`);
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✗ ${title} failed`);
    process.exit(r.status ?? 1);
  }
}

ensureDependencies();
ensureDebianPackages();
const bin = (name) => join(root, "node_modules", ".bin", name);
step("generated code and docs are up to date", process.execPath, [join(root, "scripts/generate.mjs"), "--check"]);
step("type-check", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]);
step("lint (layer boundaries and TypeScript checks)", bin("eslint"), ["."]);
step("build", process.execPath, [join(root, "scripts/build.mjs")]);
// Once per run, and only when the bundle changed: the five single executables (dist/sea/) the release tests use.
step("release executables", process.execPath, [join(root, "scripts/release.mjs"), "--skip-build", "--executables-only"]);

const out = mkdtempSync(join(tmpdir(), "agyn-jest-"));
const report = join(out, "report.json");
const jest = spawnSync(bin("jest"), ["--ci", "--maxWorkers=2", "--json", `--outputFile=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, CHECKPOINT_DISABLE: "1" },
});
let summary;
try {
  summary = JSON.parse(readFileSync(report, "utf8"));
} catch {
  console.error("jest produced no report");
  process.exit(jest.status || 1);
} finally {
  rmSync(out, { recursive: true, force: true });
}
const skipped = summary.numPendingTests + summary.numTodoTests;
console.log(`\ntests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
process.exit(jest.status ?? 1);
