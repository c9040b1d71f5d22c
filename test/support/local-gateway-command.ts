// The agyn-local-gateway command as users run it, for tests of the command itself: the esbuild bundle behind the
// POSIX launcher (reached through a symlink, as a package manager would install it), run as a child process.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { ADMIN_TOKEN_ENV, LEGACY_ADMIN_TOKEN_ENV } from "../../cmd/agyn-local-gateway";

const repo = resolve(__dirname, "../..");

export interface LocalGatewayCommand {
  /** The symlink to the launcher, and the environment it runs in. */
  readonly launcher: string;
  readonly env: NodeJS.ProcessEnv;
  /** Runs a command to its end. */
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): { status: number; stdout: string; stderr: string };
  /** Starts `serve --db DB --port 0 …`. */
  startServe(db: string, extraArgs?: string[], extraEnv?: NodeJS.ProcessEnv, options?: { readonly detached?: boolean }): ServeProcess;
}

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The first stdout line. */
  readonly url: Promise<string>;
  readonly stdout: string[];
  /** stderr as received, chunk by chunk. */
  readonly stderr: string[];
  readonly exit: Promise<number | null>;
}

/** Bundles cmd/agyn-local-gateway.ts into `dir`/package, shaped like `npm run build`'s output. */
export function buildLocalGatewayCommand(dir: string): LocalGatewayCommand {
  // Same shape as `npm run build`: <root>/bin/agyn-local-gateway next to <root>/dist/local-gateway.js.
  const root = join(dir, "package");
  mkdirSync(join(root, "bin"), { recursive: true });
  execFileSync(
    join(repo, "node_modules/.bin/esbuild"),
    [
      join(repo, "cmd/agyn-local-gateway.ts"),
      "--bundle",
      "--platform=node",
      "--target=node20",
      "--format=cjs",
      "--external:better-sqlite3",
      "--log-level=error",
      `--outfile=${join(root, "dist/local-gateway.js")}`,
    ],
    { stdio: "inherit" },
  );
  copyFileSync(join(repo, "bin/agyn-local-gateway"), join(root, "bin/agyn-local-gateway"));
  const launcher = join(dir, "agyn-local-gateway");
  symlinkSync(join(root, "bin/agyn-local-gateway"), launcher);
  // The bundle keeps better-sqlite3 external; let it resolve from this checkout's node_modules.
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: join(repo, "node_modules"), AGYN_NODE: process.execPath };
  // Only the tests that mean to set an admin token do.
  delete env[ADMIN_TOKEN_ENV];
  delete env[LEGACY_ADMIN_TOKEN_ENV];

  return {
    launcher,
    env,
    run(args, extraEnv = {}) {
      const result = spawnSync(launcher, args, { env: { ...env, ...extraEnv }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      if (result.error) throw result.error;
      return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    startServe(db, extraArgs = [], extraEnv = {}, options = {}) {
      const child = spawn(launcher, ["serve", "--db", db, "--port", "0", ...extraArgs], { env: { ...env, ...extraEnv }, detached: options.detached });
      const stdout: string[] = [];
      const stderr: string[] = [];
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
      const lines = createInterface({ input: child.stdout });
      const url = new Promise<string>((resolveUrl, reject) => {
        lines.on("line", (line) => {
          stdout.push(line);
          if (stdout.length === 1) resolveUrl(line);
        });
        child.once("exit", (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${stderr.join("")}`)));
      });
      const exit = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
      return { child, url, stdout, stderr, exit };
    },
  };
}
