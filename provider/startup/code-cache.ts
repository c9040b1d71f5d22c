// V8's code cache for a bundled CommonJS script: compiling a large bundle is most of a plugin's start-up, and
// V8 can skip it by loading the bytecode an earlier run produced. The cache lives in a directory beside the
// script, one file per Node build and V8 flag set; the launcher writes it at the exit of a run that had none
// (the build makes the first). A stale or foreign cache is never used: V8 checks its own version and flags,
// and the file starts with the SHA-256 of the source it was made from — V8 itself compares only the length —
// and the source file's fingerprint (source-fingerprint.ts), which spares a launch the hashing.
import { createHash } from "node:crypto";
import { type BigIntStats, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { FINGERPRINT_BYTES, sourceFingerprint } from "./source-fingerprint";

const DIGEST_BYTES = 32;
/** The cache file: the source's SHA-256, its file's fingerprint (zeros when it had none), then V8's data. */
export const CODE_CACHE_HEADER_BYTES = DIGEST_BYTES + FINGERPRINT_BYTES;

/** The CommonJS module wrapper Node itself uses, so the script sees require, module, __filename, __dirname. */
type ModuleFunction = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void;

export type CodeCacheStatus = "accepted" | "rejected" | "stale" | "none";

export interface CompiledScript {
  /** Runs the script as a CommonJS module with this `require`. */
  run(require: NodeJS.Require, module?: { exports: unknown }): unknown;
  /** "accepted", "rejected" (V8 refused it), "stale" (made from another source), or "none". */
  readonly cache: CodeCacheStatus;
  /** Whether saveCache() would leave a better file: no usable cache, or one found by digest that lacks a fingerprint. */
  readonly worthSaving: boolean;
  /**
   * Writes a cache of everything compiled so far (call it late, e.g. at exit, so the next start finds what this
   * run needed); atomic, and silently nothing where the directory is read-only.
   */
  saveCache(): void;
}

/** One cache file per script, Node build and flag set (V8 refuses a cache made under other flags). */
export function codeCacheFile(cacheDir: string, scriptName: string, env: NodeJS.ProcessEnv = process.env): string {
  const flavour = createHash("sha256")
    .update([process.version, process.arch, process.platform, ...process.execArgv, env.NODE_OPTIONS ?? ""].join("\0"))
    .digest("hex")
    .slice(0, 16);
  return join(cacheDir, `${scriptName}-${flavour}.v8cache`);
}

/**
 * Compiles `source` (named `filename` in stack traces) with the cache in `cacheFile` when it was made from this very
 * source: the same file unchanged since (`stats`, fstat of the file the bytes were read from, before reading), or
 * else the same content by SHA-256. Given the file's bytes, it hashes them as read (hashing a string re-encodes it)
 * and decodes them once; the hash is computed only when the fingerprint cannot decide, or when saving.
 */
export function compileWithCodeCache(sourceOrBytes: string | Buffer, filename: string, cacheFile: string, stats?: BigIntStats): CompiledScript {
  const fingerprint = stats && sourceFingerprint(stats);
  let digest: Buffer | undefined;
  const sourceDigest = () => (digest ??= createHash("sha256").update(sourceOrBytes).digest());
  const source = typeof sourceOrBytes === "string" ? sourceOrBytes : sourceOrBytes.toString("utf8");
  let cachedData: Buffer | undefined;
  let cache: CompiledScript["cache"] = "none";
  let fingerprintMissing = false;
  try {
    const file = readFileSync(cacheFile);
    if (file.length > CODE_CACHE_HEADER_BYTES) {
      if (fingerprint && file.subarray(DIGEST_BYTES, CODE_CACHE_HEADER_BYTES).equals(fingerprint)) {
        cachedData = file.subarray(CODE_CACHE_HEADER_BYTES);
      } else if (file.subarray(0, DIGEST_BYTES).equals(sourceDigest())) {
        cachedData = file.subarray(CODE_CACHE_HEADER_BYTES);
        fingerprintMissing = fingerprint !== undefined;
      }
    }
    if (!cachedData) cache = "stale";
  } catch {
    // No cache yet.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? "rejected" : "accepted";
  return {
    cache,
    worthSaving: cache !== "accepted" || fingerprintMissing,
    saveCache: () => writeCodeCache(cacheFile, Buffer.concat([sourceDigest(), fingerprint ?? Buffer.alloc(FINGERPRINT_BYTES)]), script),
    run(require, module = { exports: {} }) {
      const fn = script.runInThisContext() as ModuleFunction;
      fn.call(module.exports, module.exports, require, module, filename, dirname(filename));
      return module.exports;
    },
  };
}

function writeCodeCache(cacheFile: string, header: Buffer, script: Script): void {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(partial, Buffer.concat([header, script.createCachedData()]));
    renameSync(partial, cacheFile);
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}

// The launcher and the bundle it starts are separate scripts, so what it found travels on the global object: the
// plugin server logs it (TF_LOG=debug) to explain a slow start, and a process that will write the cache at exit
// must not change V8's flags before then (V8 refuses a cache made under other flags; turbofan-delay.ts).
const STATUS_KEY = Symbol.for("terraform-plugin.code-cache");

interface LaunchCodeCache {
  readonly status: CodeCacheStatus;
  readonly savedAtExit: boolean;
}

export function recordCodeCacheStatus(status: CodeCacheStatus, savedAtExit: boolean): void {
  const found: LaunchCodeCache = { status, savedAtExit };
  (globalThis as Record<symbol, unknown>)[STATUS_KEY] = found;
}

function launchCodeCache(): LaunchCodeCache | undefined {
  return (globalThis as Record<symbol, LaunchCodeCache | undefined>)[STATUS_KEY];
}

/** What the launcher found, or undefined when the script was not started through it (e.g. a single executable). */
export function codeCacheStatus(): CodeCacheStatus | undefined {
  return launchCodeCache()?.status;
}

/** Whether the launcher writes this process's code cache when it exits (never without the launcher). */
export function codeCacheSavedAtExit(): boolean {
  return launchCodeCache()?.savedAtExit ?? false;
}
