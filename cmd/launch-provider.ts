// What bin/terraform-provider-agyn runs: the bundled plugin (dist/provider.js, the same script a single
// executable carries) compiled with V8's code cache from dist/v8-cache/, so a launch skips most compiling.
// Without a usable cache it compiles normally and leaves one at exit; if anything here fails, a plain require.
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CompiledScript, codeCacheFile, compileWithCodeCache, recordCodeCacheStatus } from "../provider/startup/code-cache";

const bundle = join(__dirname, "provider.js");
let compiled: CompiledScript | undefined;
try {
  // The file's metadata before its bytes: what the cache was made from is then told without hashing them.
  const fd = openSync(bundle, "r");
  try {
    const stats = fstatSync(fd, { bigint: true });
    compiled = compileWithCodeCache(readFileSync(fd), bundle, codeCacheFile(join(__dirname, "v8-cache"), "provider"), stats);
  } finally {
    closeSync(fd);
  }
} catch {
  compiled = undefined;
}
if (compiled) {
  recordCodeCacheStatus(compiled.cache, compiled.worthSaving);
  const script = compiled;
  if (script.worthSaving) process.once("exit", () => script.saveCache());
  script.run(require);
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file found at run time
  require(bundle);
}
