// The agyn-local-gateway command as users run it: the esbuild bundle behind the POSIX launcher
// (reached through a symlink, as a package manager would install it).
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGatewayClient } from "../../gateway/client";
import { API_TOKEN_PATTERN } from "../../gateway/token-format";
import { ClusterRole } from "../../gen/agynio/api/users/v1/users_pb";

const repo = resolve(__dirname, "../..");
let dir: string;
let launcher: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-cli-test-"));
  // Same shape as `npm run build`: <root>/bin/agyn-local-gateway next to <root>/dist/local-gateway.js.
  const root = join(dir, "package");
  mkdirSync(join(root, "bin"), { recursive: true });
  execFileSync(
    join(repo, "node_modules/.bin/esbuild"),
    [
      join(repo, "gateway/local/cli.ts"),
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
  launcher = join(dir, "agyn-local-gateway");
  symlinkSync(join(root, "bin/agyn-local-gateway"), launcher);
  // The bundle keeps better-sqlite3 external; let it resolve from this checkout's node_modules.
  env = { ...process.env, NODE_PATH: join(repo, "node_modules"), AGYN_NODE: process.execPath };
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  try {
    const stdout = execFileSync(launcher, args, { env: { ...env, ...extraEnv }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, stdout, stderr: "" };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}

function startServe(db: string): { child: ChildProcessWithoutNullStreams; url: Promise<string>; stdout: string[]; stderr: string[]; exit: Promise<number | null> } {
  const child = spawn(launcher, ["serve", "--db", db, "--port", "0"], { env });
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
}

test("mint-token prints exactly one token line and nothing else", () => {
  const db = join(dir, "mint.db");
  const first = run(["mint-token", "--db", db, "--subject", "oidc|alice", "--name", "Alice", "--admin"]);
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/^agyn_[0-9A-Za-z]{44}\n$/);
  const second = run(["mint-token", "--db", db, "--subject", "oidc|alice", "--description", "second"]);
  expect(second.stdout.trim()).toMatch(API_TOKEN_PATTERN);
  expect(second.stdout).not.toBe(first.stdout);
});

test("serve prints its URL first, serves tokens minted meanwhile, and exits 0 on SIGTERM", async () => {
  const db = join(dir, "serve.db");
  const server = startServe(db);
  try {
    const url = await server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // mint-token writes to the same file while the server holds it open.
    const token = run(["mint-token", "--db", db, "--subject", "oidc|ops", "--name", "Ops", "--admin"]).stdout.trim();
    const client = createGatewayClient({ baseUrl: url, token, userAgent: "agyn-cli-test" });
    const me = await client.getMe();
    client.close();
    expect(me.clusterRole).toBe(ClusterRole.ADMIN);
    expect(me.user?.username).toBe("ops");
    const json = await fetch(`${url}/api/agynio.api.users.v1.UsersGateway/GetMe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: "{}",
    });
    expect(json.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
    expect(server.stdout).toEqual([url]);
    expect(server.stderr.join("")).toMatch(/GetMe ok/);
    expect(server.stderr.join("")).not.toContain(token);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("serve also stops cleanly on SIGINT", async () => {
  const server = startServe(join(dir, "sigint.db"));
  try {
    await server.url;
    server.child.kill("SIGINT");
    expect(await server.exit).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test.each([
  [[], /missing command/],
  [["launch"], /unknown command "launch"/],
  [["serve"], /--db FILE is required/],
  [["serve", "--db", "x.db", "--port", "http"], /--port must be a whole number/],
  [["serve", "--db", "x.db", "--port", "70000"], /--port must be at most 65535/],
  [["mint-token", "--db", "x.db"], /--subject SUBJECT is required/],
  [["mint-token", "--db", "x.db", "--subject", "s", "--colour", "red"], /Unknown option '--colour'/],
  [["mint-token", "--db", "x.db", "--subject", ""], /--subject SUBJECT must not be empty/],
])("usage error %j exits 2 with a message on stderr", (args, message) => {
  const result = run(args as string[]);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/Usage:/);
});

test("help goes to stdout", () => {
  const result = run(["--help"]);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^Usage:/);
});

test("the launcher reports a missing Node.js clearly", () => {
  const result = run(["--help"], { AGYN_NODE: join(dir, "no-such-node") });
  expect(result.status).toBe(127);
  expect(result.stderr).toMatch(/AGYN_NODE=.*no-such-node is not an executable Node.js/);
});
