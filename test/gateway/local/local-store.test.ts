import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { hashApiToken, looksLikeApiToken, tokenPrefix } from "../../../gateway/token-format";
import { MIGRATIONS, type Migration, openGatewayDatabase, schemaVersion } from "../../../gateway/local/database";
import { mintLocalToken } from "../../../gateway/local/mint-token";
import { microsFromTimestamp, systemMicros, timestampFromMicros } from "../../../gateway/local/microseconds";
import { GatewayStore, UniqueConflictError } from "../../../gateway/local/store";
import { deriveUsername, usernameBase } from "../../../gateway/local/usernames";

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-store-test-"));
  dbPath = join(dir, "nested", "gateway.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("database", () => {
  test("a fresh file gets WAL, a busy timeout and the latest schema version", () => {
    const db = openGatewayDatabase(dbPath);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(Number(db.pragma("busy_timeout", { simple: true }))).toBeGreaterThanOrEqual(1000);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  test("a commit is on disk before it is acknowledged (synchronous = FULL, F_FULLFSYNC where the OS has it)", () => {
    // NORMAL in WAL mode survives a killed process but can lose the last commits on power loss.
    const db = openGatewayDatabase(dbPath);
    expect(Number(db.pragma("synchronous", { simple: true }))).toBe(2);
    expect(Number(db.pragma("fullfsync", { simple: true }))).toBe(1);
    db.close();
  });

  test("reopening an existing database keeps its data and does not re-run migrations", () => {
    const first = GatewayStore.open(dbPath);
    const { user, plaintext } = mintLocalToken(first, { subject: "alice" });
    first.close();
    const second = GatewayStore.open(dbPath);
    expect(second.getUser(user.id)?.oidcSubject).toBe("alice");
    expect(second.authenticateApiToken(plaintext)?.user.id).toBe(user.id);
    second.close();
  });

  test("migrations upgrade an older schema step by step, tracked in user_version", () => {
    const v1 = MIGRATIONS.slice(0, 1);
    const old = openGatewayDatabase(dbPath, v1);
    expect(schemaVersion(old)).toBe(1);
    old.prepare("INSERT INTO users (id, oidc_subject, username, created_at, updated_at) VALUES ('u1', 's1', 'one', 1, 1)").run();
    old.close();
    const next: Migration[] = [...v1, { description: "test column", sql: "ALTER TABLE users ADD COLUMN note TEXT NOT NULL DEFAULT 'migrated'" }];
    const upgraded = openGatewayDatabase(dbPath, next);
    expect(schemaVersion(upgraded)).toBe(2);
    expect(upgraded.prepare("SELECT username, note FROM users").get()).toEqual({ username: "one", note: "migrated" });
    upgraded.close();
  });

  test("a database from a newer version is refused instead of being misread", () => {
    openGatewayDatabase(dbPath).close();
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => openGatewayDatabase(dbPath)).toThrow(/schema version \d+ is newer/);
  });

  test("two connections share the file: writes of one are visible to the other at once", () => {
    const server = GatewayStore.open(dbPath);
    const cli = GatewayStore.open(dbPath);
    const minted = mintLocalToken(cli, { subject: "bob", admin: true });
    expect(server.authenticateApiToken(minted.plaintext)?.user.clusterAdmin).toBe(true);
    const second = server.createApiToken(minted.user.id, "from server");
    expect(cli.listApiTokens(minted.user.id).map((t) => t.id)).toContain(second.token.id);
    server.close();
    cli.close();
  });

  test("a writer waits for another process's write lock instead of failing with SQLITE_BUSY", async () => {
    GatewayStore.open(dbPath).close();
    // Another process holds the write lock for a while, like the server in the middle of a write.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("BEGIN IMMEDIATE");
         process.stdout.write("locked\\n");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
         db.exec("COMMIT"); db.close();`,
        dbPath,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
    const store = GatewayStore.open(dbPath);
    const started = Date.now();
    const minted = mintLocalToken(store, { subject: "carol" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(looksLikeApiToken(minted.plaintext)).toBe(true);
    store.close();
    await new Promise((resolve) => holder.once("exit", resolve));
  });
});

describe("store", () => {
  test("tokens are stored as SHA-256 hashes; the plaintext is nowhere in the file", () => {
    const store = GatewayStore.open(dbPath);
    const { plaintext, token } = mintLocalToken(store, { subject: "alice", description: "ci" });
    for (const file of [dbPath, `${dbPath}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(plaintext))).toBe(false);
    }
    store.close();
    const raw = new Database(dbPath, { readonly: true });
    const row = raw.prepare("SELECT * FROM api_tokens").get() as Record<string, unknown>;
    raw.close();
    expect(row.token_hash).toBe(hashApiToken(plaintext));
    expect(row.token_prefix).toBe(tokenPrefix(plaintext));
    expect(Object.values(row)).not.toContain(plaintext);
    expect(token.name).toBe("ci");
  });

  test("timestamps are integer microseconds and survive the Timestamp round trip", () => {
    const store = GatewayStore.open(dbPath);
    const { token } = mintLocalToken(store, { subject: "alice" });
    store.close();
    expect(typeof token.createdAt).toBe("bigint");
    const now = systemMicros();
    expect(now - token.createdAt).toBeLessThan(5_000_000n);
    expect(microsFromTimestamp(timestampFromMicros(token.createdAt))).toBe(token.createdAt);
    const farFuture = 253_402_300_799_999_999n; // 9999-12-31T23:59:59.999999Z
    expect(microsFromTimestamp(timestampFromMicros(farFuture))).toBe(farFuture);
    expect(timestampFromMicros(-1n)).toMatchObject({ seconds: -1n, nanos: 999_999_000 });
  });

  test("expired tokens do not authenticate and are not stamped", () => {
    let now = 1_000_000_000_000_000n;
    const store = GatewayStore.open(dbPath, () => now);
    const { plaintext, token, user } = mintLocalToken(store, { subject: "alice", expiresAt: now + 10n });
    expect(store.authenticateApiToken(plaintext)?.token.lastUsedAt).toBe(now);
    now += 10n;
    expect(store.authenticateApiToken(plaintext)).toBeUndefined();
    expect(store.listApiTokens(user.id).find((t) => t.id === token.id)?.lastUsedAt).toBe(now - 10n);
    store.close();
  });

  test("deleting a user deletes their tokens", () => {
    const store = GatewayStore.open(dbPath);
    const { plaintext, user } = mintLocalToken(store, { subject: "alice" });
    expect(store.deleteUser(user.id)).toBe(true);
    expect(store.authenticateApiToken(plaintext)).toBeUndefined();
    expect(store.listApiTokens(user.id)).toEqual([]);
    store.close();
  });

  // Authentication remembers a token's lookup (gateway/local/authenticated-tokens.ts); each case authenticates
  // first, so the lookup is remembered, then changes the database and expects the change at the next call.
  test("a remembered token is refused right after this store revokes it or deletes its user, and sees role changes", () => {
    const store = GatewayStore.open(dbPath);
    const alice = mintLocalToken(store, { subject: "alice" });
    const second = store.createApiToken(alice.user.id, "second");
    expect(store.authenticateApiToken(alice.plaintext)?.user.clusterAdmin).toBe(false);
    expect(store.authenticateApiToken(second.plaintext)).toBeDefined();
    store.updateUser(alice.user.id, { clusterAdmin: true });
    expect(store.authenticateApiToken(alice.plaintext)?.user.clusterAdmin).toBe(true);
    expect(store.deleteApiToken(second.token.id, alice.user.id)).toBe(true);
    expect(store.authenticateApiToken(second.plaintext)).toBeUndefined();
    expect(store.authenticateApiToken(alice.plaintext)).toBeDefined();
    expect(store.deleteUser(alice.user.id)).toBe(true);
    expect(store.authenticateApiToken(alice.plaintext)).toBeUndefined();
    store.close();
  });

  test("a remembered token is refused right after another connection to the file revokes it or demotes its user", () => {
    const server = GatewayStore.open(dbPath);
    const cli = GatewayStore.open(dbPath);
    const bob = mintLocalToken(cli, { subject: "bob", admin: true });
    const other = cli.createApiToken(bob.user.id, "other");
    expect(server.authenticateApiToken(bob.plaintext)?.user.clusterAdmin).toBe(true);
    expect(server.authenticateApiToken(other.plaintext)).toBeDefined();
    const raw = new Database(dbPath);
    raw.prepare("UPDATE users SET cluster_admin = 0 WHERE id = ?").run(bob.user.id);
    expect(server.authenticateApiToken(bob.plaintext)?.user.clusterAdmin).toBe(false);
    raw.prepare("DELETE FROM api_tokens WHERE id = ?").run(other.token.id);
    expect(server.authenticateApiToken(other.plaintext)).toBeUndefined();
    expect(cli.deleteApiToken(bob.token.id, bob.user.id)).toBe(true);
    expect(server.authenticateApiToken(bob.plaintext)).toBeUndefined();
    raw.close();
    server.close();
    cli.close();
  });

  test("a token list asked right after its caller's authentication sees every commit made before that authentication", () => {
    // ListAPITokens lets the authentication's look at other connections' commits stand for the list's own.
    const server = GatewayStore.open(dbPath);
    const cli = GatewayStore.open(dbPath);
    const erin = mintLocalToken(server, { subject: "erin" });
    const listed = () => {
      expect(server.authenticateApiToken(erin.plaintext)).toBeDefined();
      return server.listApiTokens(erin.user.id, { authenticated: true }).map((token) => token.name.split(" ")[0]);
    };
    expect(listed()).toEqual(["minted"]);
    const other = cli.createApiToken(erin.user.id, "other");
    expect(listed()).toEqual(["other", "minted"]);
    expect(cli.deleteApiToken(other.token.id, erin.user.id)).toBe(true);
    expect(listed()).toEqual(["minted"]);
    server.close();
    cli.close();
  });

  test("a listed token list is read again after a revoke, a new token or a deleted user, through this store or another connection", () => {
    const server = GatewayStore.open(dbPath);
    const cli = GatewayStore.open(dbPath);
    const carol = mintLocalToken(server, { subject: "carol" });
    const names = () => server.listApiTokens(carol.user.id).map((token) => token.name.split(" ")[0]);
    const second = server.createApiToken(carol.user.id, "second");
    expect(names()).toEqual(["second", "minted"]);
    expect(server.deleteApiToken(second.token.id, carol.user.id)).toBe(true);
    expect(names()).toEqual(["minted"]);
    const third = cli.createApiToken(carol.user.id, "third");
    expect(names()).toEqual(["third", "minted"]);
    const raw = new Database(dbPath);
    raw.prepare("DELETE FROM api_tokens WHERE id = ?").run(third.token.id);
    expect(names()).toEqual(["minted"]);
    raw.prepare("UPDATE api_tokens SET name = 'renamed' WHERE id = ?").run(carol.token.id);
    expect(names()).toEqual(["renamed"]);
    raw.close();
    expect(cli.deleteUser(carol.user.id)).toBe(true);
    expect(names()).toEqual([]);
    server.close();
    cli.close();
  });

  test("a listed token shows its latest use on every list, also while its list is remembered", () => {
    let now = 1_000_000n;
    const store = GatewayStore.open(dbPath, () => now);
    const dave = mintLocalToken(store, { subject: "dave" });
    const idle = store.createApiToken(dave.user.id, "idle");
    const lastUsed = () => new Map(store.listApiTokens(dave.user.id).map((token) => [token.name.split(" ")[0], token.lastUsedAt]));
    expect(lastUsed()).toEqual(new Map([["idle", undefined], ["minted", undefined]]));
    store.authenticateApiToken(dave.plaintext);
    expect(lastUsed()).toEqual(new Map([["idle", undefined], ["minted", 1_000_000n]]));
    now = 2_000_000n;
    store.authenticateApiToken(idle.plaintext);
    expect(lastUsed()).toEqual(new Map([["idle", 2_000_000n], ["minted", 1_000_000n]]));
    store.close();
  });

  test("uniqueness of subject and username", () => {
    const store = GatewayStore.open(dbPath);
    store.createUser({ oidcSubject: "s1", username: "taken" });
    expect(() => store.createUser({ oidcSubject: "s1" })).toThrow(UniqueConflictError);
    expect(() => store.createUser({ oidcSubject: "s2", username: "taken" })).toThrow(expect.objectContaining({ field: "username" }));
    store.close();
  });

  test("mint-token creates the user once, grants admin, and never demotes", () => {
    const store = GatewayStore.open(dbPath);
    const first = mintLocalToken(store, { subject: "dana", name: "Dana Scully" });
    expect(first.user).toMatchObject({ name: "Dana Scully", username: "dana-scully", clusterAdmin: false, email: "" });
    expect(first.token.name).toBe("minted by agyn-local-gateway");
    const second = mintLocalToken(store, { subject: "dana", name: "Ignored", admin: true });
    expect(second.user).toMatchObject({ id: first.user.id, name: "Dana Scully", clusterAdmin: true });
    const third = mintLocalToken(store, { subject: "dana" });
    expect(third.user.clusterAdmin).toBe(true);
    expect(new Set([first.plaintext, second.plaintext, third.plaintext]).size).toBe(3);
    store.close();
  });
});

describe("usernames", () => {
  test("derived from the name, else user-<8 hex of sha256(subject)>", () => {
    expect(usernameBase("José  O'Neil!", "x")).toBe("jose-o-neil");
    expect(usernameBase(undefined, "auth0|123")).toMatch(/^user-[0-9a-f]{8}$/);
    expect(usernameBase("", "auth0|123")).toBe(usernameBase(undefined, "auth0|123"));
    expect(usernameBase("!!!", "auth0|123")).toBe(usernameBase(undefined, "auth0|123"));
    expect(usernameBase("a".repeat(40), "x")).toHaveLength(32);
  });

  test("collisions get -2, -3 … suffixes within 32 characters", () => {
    const taken = new Set(["ann", "ann-2"]);
    expect(deriveUsername("Ann", "x", (c) => taken.has(c))).toBe("ann-3");
    const long = "b".repeat(32);
    expect(deriveUsername(long, "x", (c) => c === long)).toBe(`${"b".repeat(30)}-2`);
  });
});
