// last_used_at stamps wait in memory and reach the file in batches: reads see them at once, the file within
// FLUSH_INTERVAL_MS or at close, a failed write keeps them for the next attempt, a stamp never moves back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openGatewayDatabase } from "../../../gateway/local/database";
import { FLUSH_INTERVAL_MS, LastUseStamps } from "../../../gateway/local/last-use-stamps";
import { mintLocalToken } from "../../../gateway/local/mint-token";
import type { Micros } from "../../../gateway/local/microseconds";
import { GatewayStore } from "../../../gateway/local/store";

describe("LastUseStamps", () => {
  afterEach(() => jest.useRealTimers());

  it("writes nothing until the interval, then the latest stamp per token in one batch", () => {
    jest.useFakeTimers();
    const batches: Map<string, Micros>[] = [];
    const stamps = new LastUseStamps((batch) => batches.push(new Map(batch)));
    stamps.record("a", 5n);
    stamps.record("a", 9n);
    stamps.record("a", 7n);
    stamps.record("b", 1n);
    expect(stamps.latest("a", 8n)).toBe(9n);
    expect(stamps.latest("a", 10n)).toBe(10n);
    expect(stamps.latest("c", null)).toBeNull();
    jest.advanceTimersByTime(FLUSH_INTERVAL_MS - 1);
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([new Map([["a", 9n], ["b", 1n]])]);
    // Written, and still laid over what the process reads (its caches may hold the row from before the write).
    expect(stamps.latest("a", null)).toBe(9n);
    expect(stamps.latest("a", 10n)).toBe(10n);
    jest.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(batches).toHaveLength(1);
  });

  it("keeps the stamps of a failed write for the next interval", () => {
    jest.useFakeTimers();
    let fail = true;
    const written: Map<string, Micros>[] = [];
    const stamps = new LastUseStamps((batch) => {
      if (fail) throw new Error("database is locked");
      written.push(new Map(batch));
    });
    stamps.record("a", 5n);
    jest.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(stamps.latest("a", null)).toBe(5n);
    fail = false;
    stamps.record("a", 6n);
    jest.advanceTimersByTime(FLUSH_INTERVAL_MS);
    expect(written).toEqual([new Map([["a", 6n]])]);
  });

  it("forgets a revoked token's stamp and flush() on demand writes the rest", () => {
    const written: Map<string, Micros>[] = [];
    const stamps = new LastUseStamps((batch) => written.push(new Map(batch)));
    stamps.record("revoked", 1n);
    stamps.record("kept", 2n);
    stamps.forget("revoked");
    stamps.flush();
    stamps.flush();
    expect(written).toEqual([new Map([["kept", 2n]])]);
    expect(stamps.latest("revoked", null)).toBeNull();
    expect(stamps.latest("kept", null)).toBe(2n);
  });
});

describe("the store's last_used_at", () => {
  let dir: string;
  let dbPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "agyn-last-use-"));
    dbPath = join(dir, "gateway.db");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** What another process reading the file sees. */
  function storedLastUse(tokenId: string): bigint | null {
    const db = new Database(dbPath, { readonly: true });
    try {
      db.defaultSafeIntegers(true);
      return (db.prepare("SELECT last_used_at FROM api_tokens WHERE id = ?").get(tokenId) as { last_used_at: bigint | null }).last_used_at;
    } finally {
      db.close();
    }
  }

  it("is answered at once, reaches the file within the interval, and at close", async () => {
    let now = 1_000_000_000_000_000n;
    const store = GatewayStore.open(dbPath, () => now);
    const { plaintext, token, user } = mintLocalToken(store, { subject: "alice" });
    store.authenticateApiToken(plaintext);
    expect(store.listApiTokens(user.id)[0].lastUsedAt).toBe(now);
    expect(store.getApiToken(token.id)?.lastUsedAt).toBe(now);
    expect(storedLastUse(token.id)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_MS + 200));
    expect(storedLastUse(token.id)).toBe(now);

    now += 1000n;
    store.authenticateApiToken(plaintext);
    store.close();
    expect(storedLastUse(token.id)).toBe(now);
  });

  it("writing its stamps keeps the store's token lists: answered from the cache, with the stamp", () => {
    let now = 1_000_000_000_000_000n;
    const db = openGatewayDatabase(dbPath);
    // Counts the token-list queries the store runs (it prepares each SQL text once).
    let listQueries = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (!sql.includes("WHERE identity_id = ?")) return statement;
      const all = statement.all.bind(statement);
      statement.all = ((...params: unknown[]) => {
        listQueries++;
        return all(...params);
      }) as typeof statement.all;
      return statement;
    }) as typeof db.prepare;
    jest.useFakeTimers();
    const store = new GatewayStore(db, () => now);
    try {
      const { plaintext, token, user } = mintLocalToken(store, { subject: "dana" });
      store.authenticateApiToken(plaintext);
      expect(store.listApiTokens(user.id)[0].lastUsedAt).toBe(now);
      expect(listQueries).toBe(1);
      const used = now;
      now += 1000n;
      jest.advanceTimersByTime(FLUSH_INTERVAL_MS); // the stamp is written
      expect(storedLastUse(token.id)).toBe(used);
      expect(store.listApiTokens(user.id)[0].lastUsedAt).toBe(used);
      expect(store.authenticateApiToken(plaintext)?.token.lastUsedAt).toBe(now);
      expect(store.listApiTokens(user.id)[0].lastUsedAt).toBe(now);
      expect(listQueries).toBe(1);
    } finally {
      store.close();
      jest.useRealTimers();
    }
  });

  it("never moves a later stamp another process wrote back", () => {
    const now = 1_000_000_000_000_000n;
    const store = GatewayStore.open(dbPath, () => now);
    const { plaintext, token } = mintLocalToken(store, { subject: "bob" });
    store.authenticateApiToken(plaintext);
    const other = new Database(dbPath);
    other.prepare("UPDATE api_tokens SET last_used_at = ? WHERE id = ?").run(now + 5n, token.id);
    other.close();
    expect(store.getApiToken(token.id)?.lastUsedAt).toBe(now + 5n);
    store.close();
    expect(storedLastUse(token.id)).toBe(now + 5n);
  });

  it("a revoked token still fails at once", () => {
    const store = GatewayStore.open(dbPath);
    const { plaintext, token, user } = mintLocalToken(store, { subject: "carol" });
    expect(store.authenticateApiToken(plaintext)).toBeDefined();
    expect(store.deleteApiToken(token.id, user.id)).toBe(true);
    expect(store.authenticateApiToken(plaintext)).toBeUndefined();
    expect(() => store.close()).not.toThrow();
  });
});
