// Users and API tokens of the local Gateway, on top of the SQLite file. Tokens are stored as SHA-256
// hashes only; the plaintext exists just long enough to be returned once.
import { randomUUID } from "node:crypto";
import type { Statement } from "better-sqlite3";
import { generateApiToken, hashApiToken, tokenPrefix } from "../token-format";
import { type GatewayDatabase, openGatewayDatabase } from "./database";
import { LastUseStamps } from "./last-use-stamps";
import { type Micros, type MicrosClock, systemMicros } from "./microseconds";
import { ReadCache } from "./read-cache";
import { deriveUsername } from "./usernames";

export interface UserRecord {
  readonly id: string;
  readonly oidcSubject: string;
  readonly name: string;
  readonly email: string;
  readonly photoUrl: string;
  readonly nickname: string;
  readonly username: string;
  readonly clusterAdmin: boolean;
  readonly createdAt: Micros;
  readonly updatedAt: Micros;
}

export interface ApiTokenRecord {
  readonly id: string;
  readonly identityId: string;
  readonly name: string;
  readonly tokenPrefix: string;
  readonly expiresAt?: Micros;
  readonly createdAt: Micros;
  readonly lastUsedAt?: Micros;
}

export interface NewUser {
  readonly oidcSubject: string;
  readonly name?: string;
  readonly email?: string;
  readonly photoUrl?: string;
  readonly nickname?: string;
  /** Derived from the name (or the subject) when omitted. */
  readonly username?: string;
  readonly clusterAdmin?: boolean;
}

export type UserPatch = Partial<Omit<NewUser, "oidcSubject">>;

/** A uniqueness rule was violated; `field` says which one. */
export class UniqueConflictError extends Error {
  constructor(readonly field: "oidc_subject" | "username") {
    super(`${field} already in use`);
    this.name = "UniqueConflictError";
  }
}

interface UserRow {
  id: string;
  oidc_subject: string;
  name: string;
  email: string;
  photo_url: string;
  nickname: string;
  username: string;
  cluster_admin: bigint;
  created_at: bigint;
  updated_at: bigint;
}

interface TokenRow {
  id: string;
  identity_id: string;
  name: string;
  token_prefix: string;
  expires_at: bigint | null;
  created_at: bigint;
  last_used_at: bigint | null;
}

const TOKEN_COLUMNS = "id, identity_id, name, token_prefix, expires_at, created_at, last_used_at";

/** Each record listApiTokens laid a waiting stamp over, to the record it was made from (as read, kept in the cache). */
const laidOver = new WeakMap<ApiTokenRecord, ApiTokenRecord>();

/**
 * The record `token` was made from when listApiTokens laid a waiting stamp over it (else `token` itself): the same
 * token with last_used_at as read from the file, the same object on every call until the database changes, so what
 * is derived from a token's other fields (which never change) can be kept on it.
 */
export function storedApiToken(token: ApiTokenRecord): ApiTokenRecord {
  return laidOver.get(token) ?? token;
}

export class GatewayStore {
  // Each SQL text is compiled once per connection (better-sqlite3 statements are reusable), not once per call.
  private readonly statements = new Map<string, Statement>();
  private readonly lastUses = new LastUseStamps((stamps) => this.writeLastUses(stamps));
  private readonly authenticated = new ReadCache<{ readonly row: TokenRow; readonly user: UserRecord }>();
  /** Each identity's tokens as stored (last_used_at without the waiting stamps), newest first. */
  private readonly tokenLists = new ReadCache<readonly ApiTokenRecord[]>();

  constructor(
    private readonly db: GatewayDatabase,
    readonly now: MicrosClock = systemMicros,
  ) {}

  static open(path: string, now: MicrosClock = systemMicros): GatewayStore {
    return new GatewayStore(openGatewayDatabase(path), now);
  }

  close(): void {
    try {
      this.lastUses.flush();
    } finally {
      this.db.close();
    }
  }

  private statement(sql: string, options: { readonly pluck?: true } = {}): Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      // Set once here: pluck() on every call was a native call per request.
      if (options.pluck) prepared.pluck();
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Runs `work` holding the write lock, so read-then-write sequences see no interleaved writer. */
  inTransaction<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } finally {
      this.changed();
    }
  }

  /** After every write (or attempted write) through this store: what authentication remembered may be stale. */
  private changed(): void {
    this.authenticated.clear();
    this.tokenLists.clear();
  }

  /** Before reading through a cache: another connection's commit (a revocation by a second Gateway) empties them. */
  private observeOtherWriters(): void {
    const dataVersion = this.statement("PRAGMA data_version", { pluck: true }).get() as number;
    this.authenticated.observe(dataVersion);
    this.tokenLists.observe(dataVersion);
  }

  // ---- users

  createUser(input: NewUser): UserRecord {
    return this.inTransaction(() => {
      if (this.findUserBySubject(input.oidcSubject)) throw new UniqueConflictError("oidc_subject");
      let username = input.username;
      if (username === undefined) {
        username = deriveUsername(input.name, input.oidcSubject, (candidate) => this.usernameTaken(candidate));
      } else if (this.usernameTaken(username)) {
        throw new UniqueConflictError("username");
      }
      const now = this.now();
      const id = randomUUID();
      this.statement(
          `INSERT INTO users (id, oidc_subject, name, email, photo_url, nickname, username, cluster_admin, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.oidcSubject,
          input.name ?? "",
          input.email ?? "",
          input.photoUrl ?? "",
          input.nickname ?? "",
          username,
          input.clusterAdmin ? 1 : 0,
          now,
          now,
        );
      return this.getUser(id)!;
    });
  }

  getUser(id: string): UserRecord | undefined {
    const row = this.statement("SELECT * FROM users WHERE id = ?").get(id) as UserRow | undefined;
    return row && userFromRow(row);
  }

  /** The users with these ids, each once, ordered by id; unknown ids are left out. */
  getUsers(ids: readonly string[]): UserRecord[] {
    const rows = this.statement("SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id")
      .all(JSON.stringify(ids)) as UserRow[];
    return rows.map(userFromRow);
  }

  findUserBySubject(oidcSubject: string): UserRecord | undefined {
    const row = this.statement("SELECT * FROM users WHERE oidc_subject = ?").get(oidcSubject) as UserRow | undefined;
    return row && userFromRow(row);
  }

  usernameTaken(username: string): boolean {
    return this.statement("SELECT 1 FROM users WHERE username = ?").get(username) !== undefined;
  }

  /** Users ordered by id, starting after `afterId` (exclusive). */
  listUsers(afterId: string | undefined, limit: number): UserRecord[] {
    const rows = this.statement("SELECT * FROM users WHERE id > ? ORDER BY id LIMIT ?")
      .all(afterId ?? "", limit) as UserRow[];
    return rows.map(userFromRow);
  }

  /** Users whose username or name starts with `prefix` (case-insensitive), by username. */
  searchUsers(prefix: string, limit: number): UserRecord[] {
    const pattern = `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.statement(
        `SELECT * FROM users WHERE lower(username) LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\'
         ORDER BY username LIMIT ?`,
      )
      .all(pattern, pattern, limit) as UserRow[];
    return rows.map(userFromRow);
  }

  updateUser(id: string, patch: UserPatch): UserRecord | undefined {
    return this.inTransaction(() => {
      const current = this.getUser(id);
      if (!current) return undefined;
      if (patch.username !== undefined && patch.username !== current.username && this.usernameTaken(patch.username)) {
        throw new UniqueConflictError("username");
      }
      this.statement(
          `UPDATE users SET name = ?, email = ?, photo_url = ?, nickname = ?, username = ?, cluster_admin = ?, updated_at = ?
           WHERE id = ?`,
        )
        .run(
          patch.name ?? current.name,
          patch.email ?? current.email,
          patch.photoUrl ?? current.photoUrl,
          patch.nickname ?? current.nickname,
          patch.username ?? current.username,
          (patch.clusterAdmin ?? current.clusterAdmin) ? 1 : 0,
          this.now(),
          id,
        );
      return this.getUser(id);
    });
  }

  /** Deletes the user and, through the foreign key, all their API tokens. */
  deleteUser(id: string): boolean {
    try {
      return this.statement("DELETE FROM users WHERE id = ?").run(id).changes > 0;
    } finally {
      this.changed();
    }
  }

  // ---- API tokens

  createApiToken(identityId: string, name: string, expiresAt?: Micros): { token: ApiTokenRecord; plaintext: string } {
    const plaintext = generateApiToken();
    const id = randomUUID();
    try {
      this.statement(
          `INSERT INTO api_tokens (id, identity_id, name, token_hash, token_prefix, expires_at, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, identityId, name, hashApiToken(plaintext), tokenPrefix(plaintext), expiresAt ?? null, this.now());
    } finally {
      this.changed();
    }
    return { token: this.getApiToken(id)!, plaintext };
  }

  getApiToken(id: string): ApiTokenRecord | undefined {
    const row = this.statement(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE id = ?`).get(id) as TokenRow | undefined;
    return row && this.tokenWithLastUse(row);
  }

  /**
   * The identity's tokens, newest first, expired ones included. `authenticated`: the call that asks has just
   * authenticated through authenticateApiToken, which looked for other connections' commits already; looking again
   * (a SQLite read transaction, a twentieth of ListAPITokens' CPU) could only move the call's view forward by the
   * time between the two, so the list is as of the call's authentication, never older than the call.
   */
  listApiTokens(identityId: string, options: { readonly authenticated?: boolean } = {}): ApiTokenRecord[] {
    if (!options.authenticated) this.observeOtherWriters();
    let stored = this.tokenLists.get(identityId);
    if (!stored) {
      const rows = this.statement(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE identity_id = ? ORDER BY created_at DESC, rowid DESC`)
        .all(identityId) as TokenRow[];
      stored = rows.map(tokenFromRow);
      this.tokenLists.set(identityId, stored);
    }
    // A record whose stamp is not waiting is handed out as it is, so callers may key what they derive on it.
    return stored.map((token) => {
      const latest = this.lastUses.latest(token.id, token.lastUsedAt ?? null);
      if (latest === (token.lastUsedAt ?? null)) return token;
      const stamped = { ...token, lastUsedAt: latest ?? undefined };
      laidOver.set(stamped, token);
      return stamped;
    });
  }

  /** Hard delete, scoped to the owner: someone else's token id behaves like an unknown one. */
  deleteApiToken(id: string, identityId: string): boolean {
    let deleted: boolean;
    try {
      deleted = this.statement("DELETE FROM api_tokens WHERE id = ? AND identity_id = ?").run(id, identityId).changes > 0;
    } finally {
      this.changed();
    }
    if (deleted) this.lastUses.forget(id);
    return deleted;
  }

  /**
   * Resolves a presented plaintext token to its live record and owner and stamps last_used_at (written to the
   * file within FLUSH_INTERVAL_MS, seen by this store's reads at once: last-use-stamps.ts).
   * Unknown, revoked (deleted) and expired tokens all resolve to undefined.
   */
  authenticateApiToken(plaintext: string): { token: ApiTokenRecord; user: UserRecord } | undefined {
    const now = this.now();
    this.observeOtherWriters();
    const hash = hashApiToken(plaintext);
    let found = this.authenticated.get(hash);
    if (!found) {
      const row = this.statement(`SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE token_hash = ?`).get(hash) as TokenRow | undefined;
      const user = row && this.getUser(row.identity_id);
      if (!row || !user) return undefined;
      found = { row, user };
      this.authenticated.set(hash, found);
    }
    const { row, user } = found;
    // Expiry against the clock on every call, cached or not: exact to the microsecond.
    if (row.expires_at !== null && row.expires_at <= now) return undefined;
    this.lastUses.record(row.id, now);
    return { token: this.tokenWithLastUse(row), user };
  }

  private tokenWithLastUse(row: TokenRow): ApiTokenRecord {
    return tokenFromRow({ ...row, last_used_at: this.lastUses.latest(row.id, row.last_used_at) });
  }

  /**
   * One transaction for a batch of stamps; a stamp never moves last_used_at back (another process may have written a
   * later one). The caches stay: this store lays its own stamps over what they hold (last-use-stamps.ts).
   */
  private writeLastUses(stamps: ReadonlyMap<string, Micros>): void {
    const update = this.statement(
      "UPDATE api_tokens SET last_used_at = @at WHERE id = @tokenId AND (last_used_at IS NULL OR last_used_at < @at)",
    );
    this.db.transaction(() => {
      for (const [tokenId, at] of stamps) update.run({ at, tokenId });
    }).immediate();
  }
}

function userFromRow(row: UserRow): UserRecord {
  return {
    id: row.id,
    oidcSubject: row.oidc_subject,
    name: row.name,
    email: row.email,
    photoUrl: row.photo_url,
    nickname: row.nickname,
    username: row.username,
    clusterAdmin: row.cluster_admin !== 0n,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function tokenFromRow(row: TokenRow): ApiTokenRecord {
  return {
    id: row.id,
    identityId: row.identity_id,
    name: row.name,
    tokenPrefix: row.token_prefix,
    expiresAt: row.expires_at ?? undefined,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at ?? undefined,
  };
}
