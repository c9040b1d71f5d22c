#!/usr/bin/env node
// Regenerates all generated code:
// - gen/ from proto/ with buf + protoc-gen-es (both pinned in devDependencies);
// - bindings/ (cdktf and cdktn TypeScript bindings) from the built provider's schema, and cdktf.json's provider
//   entry from package.json's version (scripts/cdk-bindings/generate.mjs). This step builds the provider first.
// `--check` regenerates into a temporary directory and fails when anything committed is stale.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCdkBindings, packageVersion, providerConstraint, readProviderSchema } from "./cdk-bindings/generate.mjs";

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

/** Files that differ between two trees (present in one only, or with other bytes). */
function differingFiles(freshDir, committedDir) {
  const fresh = listFiles(freshDir);
  const committed = (() => {
    try {
      return listFiles(committedDir);
    } catch {
      return [];
    }
  })();
  return [...new Set([...fresh, ...committed])].filter((f) => {
    try {
      return !readFileSync(join(freshDir, f)).equals(readFileSync(join(committedDir, f)));
    } catch {
      return true;
    }
  });
}

function generateProtobuf(workDir) {
  execFileSync(join(bin, "buf"), ["generate"], { cwd: workDir, env, stdio: "inherit" });
}

/** The schema comes from `bin/terraform-provider-agyn schema`, so the provider is built from the current sources. */
function buildProvider() {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
}

/** cdktf.json with its agynio/agyn entry set to this package's version (`cdktf get` then makes the same classes). */
function cdktfJsonText() {
  const config = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
  const others = (config.terraformProviders ?? []).filter((p) => !String(p).startsWith("agynio/agyn@"));
  config.terraformProviders = [providerConstraint(packageVersion()), ...others];
  return JSON.stringify(config, null, 2) + "\n";
}

async function generateBindings(outDir) {
  await generateCdkBindings({ schema: readProviderSchema(), version: packageVersion(), outDir });
}

if (process.argv.includes("--check")) {
  const scratch = mkdtempSync(join(tmpdir(), "agyn-gen-"));
  try {
    for (const f of ["buf.yaml", "buf.gen.yaml", "proto"]) cpSync(join(root, f), join(scratch, f), { recursive: true });
    generateProtobuf(scratch);
    buildProvider();
    await generateBindings(join(scratch, "bindings"));
    const stale = [
      ...differingFiles(join(scratch, "gen"), join(root, "gen")).map((f) => `gen/${f}`),
      ...differingFiles(join(scratch, "bindings"), join(root, "bindings")).map((f) => `bindings/${f}`),
      ...(cdktfJsonText() === readFileSync(join(root, "cdktf.json"), "utf8") ? [] : ["cdktf.json"]),
    ];
    if (stale.length > 0) {
      console.error(`generated code is stale; run \`npm run generate\`. Differing files:\n  ${stale.join("\n  ")}`);
      process.exit(1);
    }
    console.log(`gen/, bindings/ and cdktf.json are up to date`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  generateProtobuf(root);
  console.log("generated gen/ from proto/");
  buildProvider();
  await generateBindings(join(root, "bindings"));
  writeFileSync(join(root, "cdktf.json"), cdktfJsonText());
  console.log("generated bindings/ (cdktf, cdktn) from `terraform-provider-agyn schema`; cdktf.json names the provider version");
}
