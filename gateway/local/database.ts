// The local Gateway's SQLite file. The server and the CLI (mint-token) open it at the same time, so it
// runs in WAL mode with a busy timeout, syncing every commit; the schema is versioned with PRAGMA user_version.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

export type GatewayDatabase = Database.Database;

export interface Migration {
  readonly description: string;
  readonly sql: string;
}

/** Append-only: migration N (1-based) brings the schema to user_version N. Never edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    description: "users and API tokens",
    sql: `
      CREATE TABLE users (
        id            TEXT    PRIMARY KEY,
        oidc_subject  TEXT    NOT NULL UNIQUE,
        name          TEXT    NOT NULL DEFAULT '',
        email         TEXT    NOT NULL DEFAULT '',
        photo_url     TEXT    NOT NULL DEFAULT '',
        nickname      TEXT    NOT NULL DEFAULT '',
        username      TEXT    NOT NULL UNIQUE,
        cluster_admin INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE api_tokens (
        id           TEXT    PRIMARY KEY,
        identity_id  TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name         TEXT    NOT NULL,
        token_hash   TEXT    NOT NULL UNIQUE,
        token_prefix TEXT    NOT NULL,
        expires_at   INTEGER,
        created_at   INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;
      CREATE INDEX api_tokens_by_identity ON api_tokens(identity_id, created_at);
    `,
  },
];

/** How long a connection waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export function openGatewayDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): GatewayDatabase {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    // busy_timeout first: switching to WAL needs a lock another connection may hold.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma("journal_mode = WAL");
    // FULL: every commit is synced to disk before it returns, so an acknowledged write (a minted token, a revoke)
    // survives power loss, not only a killed process (NORMAL in WAL mode may lose the last commits). fullfsync
    // asks macOS for a real flush to the medium; elsewhere it changes nothing.
    db.pragma("synchronous = FULL");
    db.pragma("fullfsync = ON");
    db.pragma("foreign_keys = ON");
    // Timestamps are microseconds, some beyond 2^53 (year 9999 expiries): read integers as bigint.
    db.defaultSafeIntegers(true);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: GatewayDatabase): number {
  return Number(db.pragma("user_version", { simple: true }));
}

export function migrate(db: GatewayDatabase, migrations: readonly Migration[] = MIGRATIONS): void {
  const target = migrations.length;
  const current = schemaVersion(db);
  if (current === target) return;
  if (current > target) throw newerSchemaError(current, target);
  // IMMEDIATE takes the write lock before reading the version, so two processes opening a fresh
  // file cannot both run the same migration.
  db.transaction(() => {
    const locked = schemaVersion(db);
    if (locked > target) throw newerSchemaError(locked, target);
    for (let version = locked; version < target; version++) db.exec(migrations[version].sql);
    db.pragma(`user_version = ${target}`);
  }).immediate();
}

function newerSchemaError(found: number, supported: number): Error {
  return new Error(
    `database schema version ${found} is newer than this agyn-local-gateway supports (${supported}); upgrade it`,
  );
}
