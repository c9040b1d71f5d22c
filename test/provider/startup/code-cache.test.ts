// The launcher's V8 code cache: used only when it was made from the very same source, ignored (and the script
// compiled normally) when stale, refused by V8 or unreadable, and never in the way when it cannot be written.
// A fresh node process compiles each time: within one process V8 reuses its own in-memory compilation.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Script } from "node:vm";
import { buildSync } from "esbuild";
import { CODE_CACHE_HEADER_BYTES, codeCacheFile, compileWithCodeCache } from "../../../provider/startup/code-cache";

let dir: string;
let bundledModule: string;
let bundledLauncher: string;
beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), "agyn-code-cache-module-"));
  bundledModule = join(out, "code-cache.js");
  bundledLauncher = join(out, "launch-provider.js");
  const options = { bundle: true, platform: "node", format: "cjs", logLevel: "error" } as const;
  buildSync({ ...options, entryPoints: [resolve(__dirname, "../../../provider/startup/code-cache.ts")], outfile: bundledModule });
  buildSync({ ...options, entryPoints: [resolve(__dirname, "../../../cmd/launch-provider.ts")], outfile: bundledLauncher });
  // Run before the launcher: with CLOCK_AHEAD_MS, a clock that far ahead, so a file written just now counts as settled.
  writeFileSync(join(out, "clock-ahead.js"), "const ahead = Number(process.env.CLOCK_AHEAD_MS ?? 0); const now = Date.now; Date.now = () => now() + ahead;");
});
afterAll(() => rmSync(join(bundledModule, ".."), { recursive: true, force: true }));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-code-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles and runs `source` in a new node process; optionally saves the cache there. */
function inFreshProcess(source: string, cacheFile: string, save = false): { cache: string; exports: unknown } {
  const program = `
    const { compileWithCodeCache } = require(${JSON.stringify(bundledModule)});
    const compiled = compileWithCodeCache(${JSON.stringify(source)}, ${JSON.stringify(join(dir, "bundle.js"))}, ${JSON.stringify(cacheFile)});
    const exports = compiled.run(require);
    if (${save}) compiled.saveCache();
    process.stdout.write(JSON.stringify({ cache: compiled.cache, exports }));`;
  return JSON.parse(execFileSync(process.execPath, ["-e", program], { encoding: "utf8" }));
}

const unique = () => `${Date.now()}_${Math.random().toString(36).slice(2)}`;

describe("compileWithCodeCache", () => {
  it("compiles without a cache, leaves one, and the next start uses it", () => {
    const cacheFile = join(dir, "cache", "bundle.v8cache");
    const source = `module.exports = { answer: [6, 7].reduce((a, b) => a * b), file: __filename, id: "${unique()}" };`;
    const first = inFreshProcess(source, cacheFile, true);
    expect(first).toMatchObject({ cache: "none", exports: { answer: 42, file: join(dir, "bundle.js") } });
    expect(readdirSync(join(dir, "cache"))).toEqual(["bundle.v8cache"]);
    const second = inFreshProcess(source, cacheFile);
    expect(second).toEqual({ ...first, cache: "accepted" });
  });

  it("ignores a cache made from another source of the same length, which V8 alone would run", () => {
    const cacheFile = join(dir, "bundle.v8cache");
    const id = unique();
    const before = `module.exports = (() => "old ${id}")();`;
    const after = `module.exports = (() => "new ${id}")();`;
    inFreshProcess(before, cacheFile, true);
    // Why the file carries a digest: V8 compares only the source's length, and runs the old bytecode.
    const wrapped = (s: string) => `(function (exports, require, module, __filename, __dirname) {${s}\n})`;
    const v8Alone = new Script(wrapped(after), { filename: "bundle.js", cachedData: readFileSync(cacheFile).subarray(CODE_CACHE_HEADER_BYTES) });
    expect(v8Alone.cachedDataRejected).toBe(false);
    const m = { exports: {} as unknown };
    (v8Alone.runInThisContext() as (...args: unknown[]) => void)(m.exports, require, m, "bundle.js", dir);
    expect(m.exports).toBe(`old ${id}`);

    expect(inFreshProcess(after, cacheFile)).toEqual({ cache: "stale", exports: `new ${id}` });
  });

  it("runs the script when V8 refuses the cache", () => {
    const id = unique();
    const source = `module.exports = "${id}".length;`;
    const cacheFile = join(dir, "bundle.v8cache");
    inFreshProcess(source, cacheFile, true);
    const file = readFileSync(cacheFile);
    writeFileSync(cacheFile, Buffer.concat([file.subarray(0, CODE_CACHE_HEADER_BYTES), Buffer.alloc(file.length - CODE_CACHE_HEADER_BYTES, 7)]));
    expect(inFreshProcess(source, cacheFile)).toEqual({ cache: "rejected", exports: id.length });
  });

  it("says nothing when the cache cannot be written", () => {
    // A file where the cache directory should be (permissions would not stop root).
    writeFileSync(join(dir, "cache"), "");
    const compiled = compileWithCodeCache("module.exports = 3;", join(dir, "bundle.js"), join(dir, "cache", "bundle.v8cache"));
    expect(compiled.run(require)).toBe(3);
    expect(() => compiled.saveCache()).not.toThrow();
    expect(readdirSync(dir)).toEqual(["cache"]);
  });

  it("keeps one cache per Node flag set, since V8 refuses a cache made under other flags", () => {
    const plain = codeCacheFile(dir, "provider", {});
    const tuned = codeCacheFile(dir, "provider", { NODE_OPTIONS: "--max-old-space-size=4096" });
    expect(plain).not.toBe(tuned);
    expect(plain).toMatch(/provider-[0-9a-f]{16}\.v8cache$/);
    expect(codeCacheFile(dir, "provider", {})).toBe(plain);
  });
});

/**
 * Runs the launcher (cmd/launch-provider.ts, bundled) on `dir/provider.js` in a new node process, as
 * bin/terraform-provider-agyn does; with `settled`, the process's clock runs a minute ahead, so the bundle written
 * moments ago counts as unchanged long enough for its fingerprint. Returns the cache status, whether the launcher
 * writes the cache at exit, and what the bundle printed.
 */
function launch(settled: boolean): { cache: string; savedAtExit: boolean; printed: string } {
  const launcher = join(dir, "launch-provider.js");
  copyFileSync(bundledLauncher, launcher);
  const args = ["--require", join(bundledLauncher, "..", "clock-ahead.js"), launcher];
  const printed = execFileSync(process.execPath, args, { encoding: "utf8", env: { ...process.env, CLOCK_AHEAD_MS: settled ? "60000" : "0" } });
  return JSON.parse(printed);
}

/** A bundle that prints what the launcher recorded about the cache and a value of its own. */
const printingBundle = (value: string) =>
  `const found = globalThis[Symbol.for("terraform-plugin.code-cache")];
  process.stdout.write(JSON.stringify({ cache: found.status, savedAtExit: found.savedAtExit, printed: ${JSON.stringify(value)} }));`;

describe("the launcher's cache identity (file fingerprint, else SHA-256)", () => {
  const cacheFiles = () => readdirSync(join(dir, "v8-cache")).map((name) => join(dir, "v8-cache", name));

  it("uses the cache by the bundle file's fingerprint, without hashing, once the file has settled", () => {
    const id = unique();
    writeFileSync(join(dir, "provider.js"), printingBundle(id));
    expect(launch(true)).toEqual({ cache: "none", savedAtExit: true, printed: id });
    // Spoil the digest: only the fingerprint can still say the cache is this file's.
    const [cacheFile] = cacheFiles();
    const file = readFileSync(cacheFile);
    file.fill(0, 0, 32);
    writeFileSync(cacheFile, file);
    expect(launch(true)).toEqual({ cache: "accepted", savedAtExit: false, printed: id });
  });

  it("never runs a cache made before the bundle was rewritten in place with the same length and the same mtime", () => {
    const id = unique();
    const bundle = join(dir, "provider.js");
    // npm unpacks every file with this mtime, so two versions of a package can differ only in content.
    const npmMtime = new Date("1985-10-26T08:15:00Z");
    writeFileSync(bundle, printingBundle(`old ${id}`));
    utimesSync(bundle, npmMtime, npmMtime);
    const before = statSync(bundle, { bigint: true });
    expect(launch(true)).toEqual({ cache: "none", savedAtExit: true, printed: `old ${id}` });
    expect(launch(true)).toEqual({ cache: "accepted", savedAtExit: false, printed: `old ${id}` });
    writeFileSync(bundle, printingBundle(`new ${id}`)); // same inode, same length
    utimesSync(bundle, npmMtime, npmMtime);
    expect(statSync(bundle, { bigint: true })).toMatchObject({ dev: before.dev, ino: before.ino, size: before.size, mtimeNs: before.mtimeNs });
    expect(launch(true)).toEqual({ cache: "stale", savedAtExit: true, printed: `new ${id}` });
  });

  it("checks a bundle that changed moments ago by its digest, and records its fingerprint once it has settled", () => {
    const id = unique();
    writeFileSync(join(dir, "provider.js"), printingBundle(id));
    expect(launch(false)).toEqual({ cache: "none", savedAtExit: true, printed: id });
    const [cacheFile] = cacheFiles();
    const noFingerprint = readFileSync(cacheFile);
    expect(noFingerprint.subarray(32, CODE_CACHE_HEADER_BYTES).equals(Buffer.alloc(CODE_CACHE_HEADER_BYTES - 32))).toBe(true);
    // Found by digest; the launch then rewrites the cache with the settled file's fingerprint.
    expect(launch(false)).toEqual({ cache: "accepted", savedAtExit: false, printed: id });
    expect(readFileSync(cacheFile).equals(noFingerprint)).toBe(true);
    expect(launch(true)).toEqual({ cache: "accepted", savedAtExit: true, printed: id });
    expect(readFileSync(cacheFile).subarray(32, CODE_CACHE_HEADER_BYTES).equals(Buffer.alloc(CODE_CACHE_HEADER_BYTES - 32))).toBe(false);
    // From now on the fingerprint alone identifies it.
    const file = readFileSync(cacheFile);
    file.fill(0, 0, 32);
    writeFileSync(cacheFile, file);
    expect(launch(true)).toEqual({ cache: "accepted", savedAtExit: false, printed: id });
  });
});
