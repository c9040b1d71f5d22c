#!/usr/bin/env node
// Regenerates gen/ from proto/ with buf + protoc-gen-es (both pinned in devDependencies), then docs/ from the
// provider schema (scripts/generate/docs.mjs). `--check` writes nothing and fails when either is stale.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDocs } from "./generate/docs.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "node_modules", ".bin");
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function generate(workDir) {
  execFileSync(join(bin, "buf"), ["generate"], { cwd: workDir, env, stdio: "inherit" });
}

if (process.argv.includes("--check")) {
  const scratch = mkdtempSync(join(tmpdir(), "agyn-gen-"));
  try {
    for (const f of ["buf.yaml", "buf.gen.yaml", "proto"]) cpSync(join(root, f), join(scratch, f), { recursive: true });
    generate(scratch);
    const fresh = listFiles(join(scratch, "gen"));
    const committed = listFiles(join(root, "gen"));
    const stale = [...new Set([...fresh, ...committed])].filter((f) => {
      try {
        return !readFileSync(join(scratch, "gen", f)).equals(readFileSync(join(root, "gen", f)));
      } catch {
        return true;
      }
    });
    if (stale.length > 0) {
      console.error(`gen/ is stale; run \`npm run generate\`. Differing files:\n  ${stale.join("\n  ")}`);
      process.exitCode = 1;
    } else {
      console.log(`gen/ is up to date (${fresh.length} files)`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  generate(root);
  console.log("generated gen/ from proto/");
}

// After gen/: the docs come from the built provider, which needs gen/.
const docs = generateDocs({ root, check: process.argv.includes("--check") });
if (docs.ok) console.log(docs.message);
else {
  console.error(docs.message);
  process.exitCode = 1;
}
