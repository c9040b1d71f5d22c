// What bin/terraform-provider-agyn runs: the bundled plugin (dist/provider.js, the same script a single
// executable carries) compiled with V8's code cache from dist/v8-cache/, so a launch skips most compiling.
// Without a usable cache it compiles normally and leaves one at exit; if anything here fails, a plain require.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CompiledScript, codeCacheFile, compileWithCodeCache, recordCodeCacheStatus } from "../provider/startup/code-cache";

const bundle = join(__dirname, "provider.js");
let compiled: CompiledScript | undefined;
try {
  compiled = compileWithCodeCache(readFileSync(bundle), bundle, codeCacheFile(join(__dirname, "v8-cache"), "provider"));
} catch {
  compiled = undefined;
}
if (compiled) {
  recordCodeCacheStatus(compiled.cache);
  const script = compiled;
  if (script.cache !== "accepted") process.once("exit", () => script.saveCache());
  script.run(require);
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file found at run time
  require(bundle);
}
