#!/usr/bin/env node
// `npm run demo`: installs what is missing, builds, then runs the CI-token demo (scripts/demo/ci-token-demo.ts).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

ensureDependencies();
console.log("» building the provider and the local Gateway");
const build = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const demo = spawnSync(process.execPath, [join(root, "dist/demo.js"), ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(demo.status ?? 1);
