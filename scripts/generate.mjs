#!/usr/bin/env node
// Regenerates gen/ from proto/ with buf + protoc-gen-es (both pinned in devDependencies), then from the built
// provider's schema docs/ (scripts/generate/docs.mjs) and bindings/, the cdktf and cdktn TypeScript bindings,
// with cdktf.json's provider entry (scripts/cdk-bindings/generate.mjs). `--check` writes nothing in the
// repository's sources and fails when any of them is stale.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCdkBindings, packageVersion, providerConstraint } from "./cdk-bindings/generate.mjs";
import { inlineDescriptors } from "./generate/descriptor-literals.mjs";
import { generateDocs } from "./generate/docs.mjs";
import { providerSchema } from "./generate/provider-schema.mjs";

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
  inlineDescriptors(join(workDir, "gen"));
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

// The cdktf/cdktn bindings, from the same schema: in --check mode generated aside and compared.
const check = process.argv.includes("--check");
const { address, schema } = providerSchema(root);
const bindingsDir = check ? mkdtempSync(join(tmpdir(), "agyn-bindings-")) : join(root, "bindings");
try {
  await generateCdkBindings({
    schema: { format_version: "1.0", provider_schemas: { [address]: schema } },
    version: packageVersion(),
    outDir: bindingsDir,
  });
  const cdktfJson = cdktfJsonText();
  if (!check) {
    writeFileSync(join(root, "cdktf.json"), cdktfJson);
    console.log("generated bindings/ (cdktf, cdktn) from `terraform-provider-agyn schema`; cdktf.json names the provider version");
  } else {
    const stale = [
      ...differingFiles(bindingsDir, join(root, "bindings")).map((f) => `bindings/${f}`),
      ...(cdktfJson === readFileSync(join(root, "cdktf.json"), "utf8") ? [] : ["cdktf.json"]),
    ];
    if (stale.length > 0) {
      console.error(`bindings/ or cdktf.json is stale; run \`npm run generate\`. Differing files:\n  ${stale.join("\n  ")}`);
      process.exitCode = 1;
    } else {
      console.log("bindings/ and cdktf.json are up to date");
    }
  }
} finally {
  if (check) rmSync(bindingsDir, { recursive: true, force: true });
}

/** cdktf.json with its agynio/agyn entry set to this package's version (`cdktf get` then makes the same classes). */
function cdktfJsonText() {
  const config = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
  const others = (config.terraformProviders ?? []).filter((p) => !String(p).startsWith("agynio/agyn@"));
  config.terraformProviders = [providerConstraint(packageVersion()), ...others];
  return JSON.stringify(config, null, 2) + "\n";
}

/** Files that differ between two trees (present in one only, or with other bytes). */
function differingFiles(freshDir, committedDir) {
  const fresh = listFiles(freshDir);
  const committed = existsSync(committedDir) ? listFiles(committedDir) : [];
  return [...new Set([...fresh, ...committed])].filter((f) => {
    try {
      return !readFileSync(join(freshDir, f)).equals(readFileSync(join(committedDir, f)));
    } catch {
      return true;
    }
  });
}
