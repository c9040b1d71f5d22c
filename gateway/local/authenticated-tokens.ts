// What authenticating a bearer token found (its row and owner), by the token's hash, so a client that sends the
// same token on every call is not looked up twice. Only the lookup is kept: expiry is checked against the clock on
// every call, and any change to the database empties the cache before the next call — this store's own writes
// (GatewayStore.changed()) and, through SQLite's data_version, commits by any other connection to the file (a
// `mint-token`, a second Gateway, a test's own connection). Revocation and user deletion stay immediate.
export class AuthenticatedTokens<T> {
  private readonly entries = new Map<string, T>();
  private dataVersion: number | undefined;

  /** At most this many tokens are kept; past that the cache starts over (an attacker's unknown tokens are never kept). */
  constructor(private readonly maxEntries = 1024) {}

  /** Empties the cache when `dataVersion` (PRAGMA data_version) moved since the last look. */
  observe(dataVersion: number): void {
    if (dataVersion !== this.dataVersion) this.entries.clear();
    this.dataVersion = dataVersion;
  }

  get(tokenHash: string): T | undefined {
    return this.entries.get(tokenHash);
  }

  set(tokenHash: string, found: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(tokenHash, found);
  }

  clear(): void {
    this.entries.clear();
  }
}
