// Shared by the cdktf/cdktn tests: compiling examples/cdktf like a user's stack, and synthesizing an app with
// no terraform on PATH.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../support/terraform";

export const FRAMEWORKS = [
  { name: "cdktf", app: "main.js" },
  { name: "cdktn", app: "main-cdktn.js" },
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const packageVersion: string = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version;

/** Runs a command; throws with its output unless it exits 0. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const r = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ""}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/** TypeScript's own compiler, as a user's build would run it. */
export function tsc(args: string[], cwd: string): void {
  run(process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), ...args], { cwd });
}

/**
 * Compiles examples/cdktf with its own tsconfig (strict, nodenext, skipLibCheck false) into a fresh folder under
 * the repository's .tmp/: inside the package, so `terraform-provider-agyn/cdktf` resolves to this package's
 * exports (dist/bindings, from `npm run build`) exactly as it does for `cdktf synth` in the checkout.
 */
export function compileExample(): string {
  mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
  const outDir = mkdtempSync(join(repoRoot, ".tmp", "cdktf-example-"));
  tsc(["-p", join(repoRoot, "examples/cdktf"), "--outDir", outDir], repoRoot);
  return outDir;
}

export interface Synthesized {
  manifest: { stacks: Record<string, { synthesizedStackPath: string }>; version: string };
  /** cdk.tf.json of each stack, by stack name. */
  stacks: Record<string, TerraformJson>;
  /** The same, as text (to hand to terraform unchanged). */
  texts: Record<string, string>;
}

/** A synthesized configuration; the tests assert on its shape. */
export interface TerraformJson {
  terraform: { required_providers: Record<string, { source: string; version?: string }>; backend?: Record<string, unknown> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; sensitive?: boolean }>;
  variable?: Record<string, { type?: string; sensitive?: boolean }>;
}

/**
 * Runs a compiled app with `node` in `cwd` (its local backend keeps state there) and PATH pointing at an empty
 * folder: synthesizing must need no terraform. Returns the manifest and every stack's cdk.tf.json.
 */
export function synthesize(app: string, cwd: string, outDir = join(cwd, "cdktf.out")): Synthesized {
  const emptyPath = mkdtempSync(join(tmpdir(), "agyn-no-terraform-"));
  try {
    run(process.execPath, [app], {
      cwd,
      env: { PATH: emptyPath, HOME: cwd, CDKTF_OUTDIR: outDir, CHECKPOINT_DISABLE: "1" },
    });
  } finally {
    rmSync(emptyPath, { recursive: true, force: true });
  }
  const manifest = JSON.parse(readFileSync(join(outDir, "manifest.json"), "utf8")) as Synthesized["manifest"];
  const texts: Record<string, string> = {};
  const stacks: Record<string, TerraformJson> = {};
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    texts[name] = readFileSync(join(outDir, stack.synthesizedStackPath), "utf8");
    stacks[name] = JSON.parse(texts[name]) as TerraformJson;
  }
  return { manifest, stacks, texts };
}

/** The configuration without cdktf's "//" metadata comments (they name the framework and its version). */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== "//")
        .map(([k, v]) => [k, withoutMetadata(v)]),
    );
  }
  return value;
}
