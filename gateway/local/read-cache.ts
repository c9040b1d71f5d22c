// What the store read from the database, by key, kept until the database changes: token lookups by the token's
// hash (so a client that sends the same token on every call is not looked up twice) and each identity's token list
// (so ListAPITokens does not run its query on every call). Any change to the database empties the cache before the
// next call — this store's own writes (GatewayStore.changed()) and, through SQLite's data_version, commits by any
// other connection to the file (a `mint-token`, a second Gateway, a test's own connection). Revocation, new tokens
// and user deletion are seen at once. Only lookups are kept: expiry and last_used_at are applied on every call.
export class ReadCache<T> {
  private readonly entries = new Map<string, T>();
  private dataVersion: number | undefined;

  /** At most this many entries are kept; past that the cache starts over (an attacker's unknown tokens are never kept). */
  constructor(private readonly maxEntries = 1024) {}

  /** Empties the cache when `dataVersion` (PRAGMA data_version) moved since the last look. */
  observe(dataVersion: number): void {
    if (dataVersion !== this.dataVersion) this.entries.clear();
    this.dataVersion = dataVersion;
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  set(key: string, found: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, found);
  }

  clear(): void {
    this.entries.clear();
  }
}
