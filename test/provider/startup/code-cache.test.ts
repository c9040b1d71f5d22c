// The launcher's V8 code cache: used only when it was made from the very same source, ignored (and the script
// compiled normally) when stale, refused by V8 or unreadable, and never in the way when it cannot be written.
// A fresh node process compiles each time: within one process V8 reuses its own in-memory compilation.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Script } from "node:vm";
import { buildSync } from "esbuild";
import { codeCacheFile, compileWithCodeCache } from "../../../provider/startup/code-cache";

let dir: string;
let bundledModule: string;
beforeAll(() => {
  bundledModule = join(mkdtempSync(join(tmpdir(), "agyn-code-cache-module-")), "code-cache.js");
  buildSync({ entryPoints: [resolve(__dirname, "../../../provider/startup/code-cache.ts")], bundle: true, platform: "node", format: "cjs", outfile: bundledModule, logLevel: "error" });
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
    const v8Alone = new Script(wrapped(after), { filename: "bundle.js", cachedData: readFileSync(cacheFile).subarray(32) });
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
    writeFileSync(cacheFile, Buffer.concat([file.subarray(0, 32), Buffer.alloc(file.length - 32, 7)]));
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
