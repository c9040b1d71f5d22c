// Runs jest as `npm test` does: both CPU cores, CI mode, jest's usual output plus one summary line
// (jest-summary-reporter.cjs). Returns jest's exit status.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { root } from "./ensure-dependencies.mjs";

export function runJest(args, options = {}) {
  const reporters = ["--reporters=default", `--reporters=${join(root, "scripts/jest-summary-reporter.cjs")}`];
  const r = spawnSync(join(root, "node_modules", ".bin", "jest"), ["--ci", "--maxWorkers=2", ...reporters, ...args], {
    cwd: options.cwd ?? root,
    stdio: "inherit",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env },
  });
  return r.status ?? 1;
}
