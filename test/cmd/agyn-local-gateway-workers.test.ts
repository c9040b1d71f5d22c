// `agyn-local-gateway serve --workers 2`: two processes on one port, each with its own caches and waiting
// last_used_at stamps, sharing only the database file. The primary hands connections to the workers in turn, so
// several connections reach both; each worker names itself at the end of its log lines (` worker=N`), which is how
// these tests prove that both answered.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type Server, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { type LocalGatewayCommand, type ServeProcess, buildLocalGatewayCommand } from "../support/local-gateway-command";
import { expectGatewayFailure } from "../support/gateway-failures";
import { type WireGatewayClient, wireGatewayClient } from "../support/wire-gateway-client";

let dir: string;
let command: LocalGatewayCommand;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-workers-test-"));
  command = buildLocalGatewayCommand(dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const database = (name: string) => join(dir, `${name}.db`);

function mint(db: string, subject: string, extra: string[] = []): string {
  const minted = command.run(["mint-token", "--db", db, "--subject", subject, ...extra]);
  if (minted.status !== 0) throw new Error(minted.stderr);
  return minted.stdout.trim();
}

/** The log's lines so far. */
const logLines = (server: ServeProcess) => server.stderr.join("").split("\n").filter(Boolean);

/** The workers that logged a line matching `pattern`, by number. */
function workersThatLogged(server: ServeProcess, pattern: RegExp): Set<string> {
  return new Set(logLines(server).filter((line) => pattern.test(line)).map((line) => / worker=(\d+)$/.exec(line)?.[1] ?? "none"));
}

/** Waits (the log is written once per event-loop turn) until `done` holds; jest's timeout ends a wait that never does. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The worker pids the primary named when it announced its URL. */
function workerPids(server: ServeProcess): number[] {
  const serving = logLines(server).find((line) => line.includes(" worker processes (pids "));
  return [...(/\(pids ([\d, ]+)\)/.exec(serving ?? "")?.[1] ?? "").matchAll(/\d+/g)].map((m) => Number(m[0]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `count` clients, each on its own keep-alive connection, each having answered a GetMe: the primary hands
 * connections out in turn, so both workers hold these connections (the test checks it in the log).
 */
async function connectionsOnBothWorkers(server: ServeProcess, token: string, count = 6): Promise<WireGatewayClient[]> {
  const url = await server.url;
  const clients: WireGatewayClient[] = [];
  for (let i = 0; i < count; i++) {
    const client = wireGatewayClient({ baseUrl: url, token });
    await client.getMe();
    clients.push(client);
  }
  await until(() => logLines(server).filter((line) => / GetMe ok /.test(line)).length >= count);
  expect(workersThatLogged(server, / GetMe ok /)).toEqual(new Set(["1", "2"]));
  return clients;
}

async function stopped(server: ServeProcess): Promise<number | null> {
  server.child.kill("SIGTERM");
  return server.exit;
}

/** Six users, one token each, each used once on its own connection: both workers hold stamps in memory now. */
async function stampOnBothWorkers(db: string, server: ServeProcess, tokens = sixTokens(db)): Promise<void> {
  const url = await server.url;
  for (const token of tokens) {
    const client = wireGatewayClient({ baseUrl: url, token });
    await client.getMe();
    client.close();
  }
  // Every call's line is out (a later line from the primary comes after them), and both workers wrote some.
  await until(() => logLines(server).filter((line) => / GetMe ok /.test(line)).length === tokens.length);
  expect(workersThatLogged(server, / GetMe ok /)).toEqual(new Set(["1", "2"]));
}

function sixTokens(db: string): string[] {
  return Array.from({ length: 6 }, (_, i) => mint(db, `oidc|stamped-${i}`));
}

/** Tokens in the file without a last_used_at: stamps a worker did not write before it exited. */
function unstamped(db: string): unknown {
  const file = new Database(db, { readonly: true });
  try {
    return file.prepare("SELECT count(*) FROM api_tokens WHERE last_used_at IS NULL").pluck().get();
  } finally {
    file.close();
  }
}

test("serve --workers 2 prints its URL once, when both workers accept requests, and stops both on SIGTERM after they wrote their stamps", async () => {
  const db = database("stop");
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    const url = await server.url;
    await stampOnBothWorkers(db, server);
    const pids = workerPids(server);
    expect(pids).toHaveLength(2);
    expect(await stopped(server)).toBe(0);
    expect(server.stdout).toEqual([url]);
    expect(pids.filter(alive)).toEqual([]);
    expect(logLines(server).at(-1)).toBe("agyn-local-gateway: SIGTERM received, shutting down");
  } finally {
    server.child.kill("SIGKILL");
  }
  expect(unstamped(db)).toBe(0);
});

/** Every connection's token is now refused, and both workers said so. */
async function expectRefusedByBothWorkers(server: ServeProcess, connections: WireGatewayClient[]): Promise<void> {
  for (const connection of connections) {
    await expectGatewayFailure(connection.getMe(), "unauthenticated", "invalid api token");
    connection.close();
  }
  await until(() => logLines(server).filter((line) => / GetMe unauthenticated /.test(line)).length >= connections.length);
  expect(workersThatLogged(server, / GetMe unauthenticated /)).toEqual(new Set(["1", "2"]));
}

test("a token revoked through one worker is refused at once by every worker", async () => {
  const db = database("revoke");
  const keeper = mint(db, "oidc|revoker", ["--description", "keeper"]);
  const doomed = mint(db, "oidc|revoker", ["--description", "doomed"]);
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    // Both workers have authenticated the doomed token, and remember it.
    const connections = await connectionsOnBothWorkers(server, doomed);
    const owner = wireGatewayClient({ baseUrl: await server.url, token: keeper });
    const id = (await owner.listApiTokens()).tokens.find((token) => token.name === "doomed")!.id;
    await owner.revokeApiToken(id);
    owner.close();
    await expectRefusedByBothWorkers(server, connections);
    expect(await stopped(server)).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("a user deleted through one worker is refused at once by every worker", async () => {
  const db = database("delete-user");
  const admin = mint(db, "oidc|admin", ["--admin"]);
  const doomed = mint(db, "oidc|leaving");
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    const connections = await connectionsOnBothWorkers(server, doomed);
    const leaving = (await connections[0].getMe()).user!.meta!.id;
    const administrator = wireGatewayClient({ baseUrl: await server.url, token: admin });
    await administrator.deleteUser(leaving);
    administrator.close();
    await expectRefusedByBothWorkers(server, connections);
    expect(await stopped(server)).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("a token created through one worker is listed at once by every worker", async () => {
  const db = database("create");
  const token = mint(db, "oidc|creator");
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    const connections = await connectionsOnBothWorkers(server, token);
    // Both workers now keep the caller's token list.
    for (const connection of connections) expect((await connection.listApiTokens()).tokens).toHaveLength(1);
    const creator = wireGatewayClient({ baseUrl: await server.url, token });
    const created = (await creator.createApiToken({ name: "new" })).token!.id;
    creator.close();
    for (const connection of connections) {
      expect((await connection.listApiTokens()).tokens.map((listed) => listed.id)).toContain(created);
      connection.close();
    }
    await until(() => logLines(server).filter((line) => / ListAPITokens ok /.test(line)).length >= 2 * connections.length);
    expect(workersThatLogged(server, / ListAPITokens ok /)).toEqual(new Set(["1", "2"]));
    expect(await stopped(server)).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("another worker's last_used_at stamp reaches ListAPITokens as soon as that worker has written it to the file", async () => {
  const db = database("stamps");
  const used = mint(db, "oidc|stamps", ["--description", "used"]);
  const lister = mint(db, "oidc|stamps", ["--description", "lister"]);
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    const url = await server.url;
    // The lister's connection first, so its worker remembers the token list from before the other token's use.
    const listing = wireGatewayClient({ baseUrl: url, token: lister });
    const before = (await listing.listApiTokens()).tokens.find((token) => token.name === "used")!;
    expect(before.lastUsedAt).toBeUndefined();
    await until(() => workersThatLogged(server, / ListAPITokens ok /).size === 1);
    const listerWorker = [...workersThatLogged(server, / ListAPITokens ok /)][0];
    // New connections until one lands on the other worker; only its GetMe stamps the used token there.
    let user: WireGatewayClient | undefined;
    for (let attempt = 0; !user; attempt++) {
      const candidate = wireGatewayClient({ baseUrl: url, token: used });
      await candidate.getMe();
      await until(() => logLines(server).filter((line) => / GetMe ok /.test(line)).length > attempt);
      const worker = / worker=(\d+)$/.exec(logLines(server).filter((line) => / GetMe ok /.test(line))[attempt])![1];
      if (worker !== listerWorker) user = candidate;
      else candidate.close();
    }
    user.close();
    // Written by its worker within a second (its flush); read here from the file, as any process would.
    const file = new Database(db, { readonly: true });
    let written: bigint | null = null;
    try {
      const stampOf = file.prepare("SELECT last_used_at FROM api_tokens WHERE name = 'used'").pluck().safeIntegers(true);
      await until(() => (written = stampOf.get() as bigint | null) !== null);
    } finally {
      file.close();
    }
    const after = (await listing.listApiTokens()).tokens.find((token) => token.name === "used")!;
    listing.close();
    const micros = after.lastUsedAt!.seconds * 1_000_000n + BigInt(after.lastUsedAt!.nanos / 1000);
    expect(micros).toBe(written);
    expect(await stopped(server)).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("writes through both workers at once, with mint-token beside them, all succeed: none fails on a locked file", async () => {
  const db = database("writes");
  const token = mint(db, "oidc|writer", ["--admin"]);
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    const url = await server.url;
    const writers = Array.from({ length: 8 }, () => wireGatewayClient({ baseUrl: url, token }));
    const write = async (client: WireGatewayClient, n: number) => {
      for (let i = 0; i < 15; i++) {
        await client.createApiToken({ name: `token ${n}.${i}` });
        await client.createUser({ oidcSubject: `oidc|written-${n}-${i}` });
      }
    };
    const minting = Array.from({ length: 3 }, (_, i) =>
      promisify(execFile)(command.launcher, ["mint-token", "--db", db, "--subject", `oidc|minted-${i}`], { env: command.env }));
    await Promise.all([...writers.map(write), ...minting]);
    const tokens = (await writers[0].listApiTokens()).tokens;
    expect(tokens).toHaveLength(1 + 8 * 15);
    expect((await writers[0].listAllUsers(100)).length).toBe(1 + 8 * 15 + 3);
    for (const writer of writers) writer.close();
    await until(() => logLines(server).filter((line) => / CreateAPIToken /.test(line)).length >= 8 * 15);
    expect(workersThatLogged(server, / Create(APIToken|User) ok /)).toEqual(new Set(["1", "2"]));
    expect(logLines(server).filter((line) => / Create(APIToken|User) /.test(line) && !/ ok /.test(line))).toEqual([]);
    expect(await stopped(server)).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("both workers' log lines stay whole when they write at once into a pipe that fills", async () => {
  const db = database("log");
  const token = mint(db, "oidc|logger");
  const server = command.startServe(db, ["--workers", "2"]);
  const userAgent = "x".repeat(1500);
  try {
    const url = await server.url;
    const clients = Array.from({ length: 8 }, () => wireGatewayClient({ baseUrl: url, token, userAgent }));
    // Nobody reads the log for a moment: the pipe fills, and both workers' writes wait on it together.
    server.child.stderr.pause();
    const resumed = new Promise((resolve) => setTimeout(resolve, 300)).then(() => server.child.stderr.resume());
    await Promise.all([resumed, ...clients.map(async (client) => {
      for (let i = 0; i < 40; i++) await client.getMe();
      client.close();
    })]);
    await until(() => logLines(server).filter((line) => / GetMe /.test(line)).length >= 8 * 40);
    const lines = logLines(server);
    const calls = lines.filter((line) => !/^agyn-local-gateway: serving /.test(line));
    expect(calls.filter((line) => !new RegExp(`^agyn-local-gateway: GetMe ok \\d+ms user-agent="${userAgent}" worker=[12]$`).test(line))).toEqual([]);
    expect(calls).toHaveLength(8 * 40);
    expect(await stopped(server)).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("a worker that dies takes the Gateway down, with a line saying which and how", async () => {
  const db = database("worker-dies");
  const server = command.startServe(db, ["--workers", "2"]);
  try {
    await server.url;
    await until(() => workerPids(server).length === 2);
    const [victim, survivor] = workerPids(server);
    process.kill(victim, "SIGKILL");
    expect(await server.exit).toBe(1);
    expect(alive(survivor)).toBe(false);
    expect(logLines(server)).toContain(
      `agyn-local-gateway: worker 1 (pid ${victim}) was killed by SIGKILL; stopping the Gateway: it serves with all its workers or not at all`,
    );
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("a worker that cannot write its stamps when stopped makes the Gateway exit 1, saying which", async () => {
  const db = database("locked");
  const server = command.startServe(db, ["--workers", "2"]);
  // Another process holds the file's write lock past the busy timeout (5 s): the stamps cannot be written.
  const holder = new Database(db);
  try {
    await server.url;
    const tokens = sixTokens(db);
    holder.prepare("BEGIN IMMEDIATE").run();
    await stampOnBothWorkers(db, server, tokens);
    const pids = workerPids(server);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(1);
    expect(pids.filter(alive)).toEqual([]);
    const lines = logLines(server);
    expect(lines).toContain("agyn-local-gateway: database is locked");
    expect(lines.at(-1)).toMatch(/^agyn-local-gateway: worker \d \(pid \d+\) exited with code 1 while stopping/);
  } finally {
    server.child.kill("SIGKILL");
    holder.close();
  }
}, 30_000);

test("Ctrl-C (SIGINT to the whole process group) stops every worker after it wrote its stamps, and the Gateway exits 0", async () => {
  const db = database("ctrl-c");
  const server = command.startServe(db, ["--workers", "2"], {}, { detached: true });
  try {
    await stampOnBothWorkers(db, server);
    const pids = workerPids(server);
    process.kill(-server.child.pid!, "SIGINT");
    expect(await server.exit).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(logLines(server).at(-1)).toBe("agyn-local-gateway: SIGINT received, shutting down");
  } finally {
    server.child.kill("SIGKILL");
  }
  expect(unstamped(db)).toBe(0);
});

test("a port in use is reported once, and no worker stays behind", async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = String((taken.address() as { port: number }).port);
  try {
    const result = command.run(["serve", "--db", database("port"), "--workers", "2", "--port", port]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.match(/EADDRINUSE/g)).toHaveLength(1);
    expect(spawnSync("pgrep", ["-f", database("port")]).status).toBe(1); // no process left with this file
  } finally {
    taken.close();
  }
});

test("--workers takes a whole number from 1 to 64", () => {
  for (const [value, message] of [["0", "--workers must be at least 1"], ["65", "--workers must be at most 64"], ["two", "--workers must be a whole number"]]) {
    const result = command.run(["serve", "--db", database("usage"), "--workers", value]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  }
});
