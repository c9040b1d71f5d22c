// Installs the locked dependencies when node_modules is missing or older than package-lock.json, so the
// README's commands work on a fresh clone. Uses only Node built-ins (it runs before anything is installed).
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

export function ensureDependencies() {
  const marker = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("» installing dependencies (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

// Run directly (`npm run build`, `npm run generate`): install first, as the demo and the tests do, so a fresh
// clone's first build does not fail on a missing esbuild.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) ensureDependencies();
