// Compiles the generated bindings (bindings/cdktf, bindings/cdktn) to CommonJS JavaScript + .d.ts in
// dist/bindings/, which package.json exports as `terraform-provider-agyn/cdktf` and `…/cdktn`. Skipped when
// nothing it reads changed since the last compile (a hash of the inputs is kept next to the output), so
// `npm run build` and `npm pack` stay fast and never rewrite files other processes may be reading.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const tsconfig = join(root, "scripts/cdk-bindings/tsconfig.json");
const sources = join(root, "bindings");
const outDir = join(root, "dist/bindings");
const stamp = join(root, "dist/.bindings-inputs.sha256");

function inputsHash() {
  const hash = createHash("sha256");
  const add = (name, bytes) => hash.update(`${name}\0${bytes.length}\0`).update(bytes);
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else add(relative(root, p), readFileSync(p));
    }
  };
  walk(sources);
  add("tsconfig", readFileSync(tsconfig));
  add("typescript", readFileSync(join(root, "node_modules/typescript/package.json")));
  return hash.digest("hex");
}

export function compileCdkBindings() {
  const hash = inputsHash();
  if (existsSync(join(outDir, "cdktf/index.js")) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return false;
  rmSync(outDir, { recursive: true, force: true });
  rmSync(stamp, { force: true });
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig], { stdio: "inherit" });
  writeFileSync(stamp, hash);
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(compileCdkBindings() ? "compiled bindings/ to dist/bindings/" : "dist/bindings/ is up to date");
}
