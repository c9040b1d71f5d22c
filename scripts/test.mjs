#!/usr/bin/env node
// `npm test`: the whole suite from a fresh clone — install (npm, and the Debian tools the release tests use),
// check generated code, type-check, lint, build, build the release executables, then unit, protocol and
// acceptance tests (real terraform). Ends with one "N passed, N failed" line.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureDebianPackages } from "./debian-packages.mjs";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";
import { runJest } from "./run-jest.mjs";

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

process.exit(runJest(process.argv.slice(2)));
