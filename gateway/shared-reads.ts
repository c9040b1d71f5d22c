// Reads shared by everyone who asks through one client. Terraform reads each resource separately, but the
// Gateway has no "get token": every agyn_api_token refresh lists all the caller's tokens. Through this layer
// concurrent and repeated identical reads share one call (single-flight) and its answer, until a write made
// through the same client could have changed it. The provider wraps the client it makes at Configure, so an
// answer never outlives one Terraform command (a provider process serves one command; a reattached one is
// configured again for each), and a change made elsewhere between commands is always seen.
import type { GatewayClient, ReadOptions } from "./client";
import type { ApiTokenRecord } from "./records";

/** What a write may change: token writes change the token list; user writes may change any user, the caller, and (deleting a user) tokens. */
type Topic = "tokens" | "users";

interface Flight {
  readonly topic: Topic;
  /** The read's answer; removed from the table when it fails or a write invalidates it. */
  readonly answer: Promise<unknown>;
  readonly controller: AbortController;
  /** Waiters that can cancel; the call is cancelled only when all of them have, and none waits without a signal. */
  cancellable: number;
  pinned: boolean;
}

export interface SharedReadsClient extends GatewayClient {
  /**
   * `other` (the same Gateway, another token: an ephemeral token revoking itself) with its writes dropping what
   * this client shares, as this client's own writes do; `other`'s reads are its own and not shared.
   */
  writingAlongside(other: GatewayClient): GatewayClient;
}

export function withSharedReads(client: GatewayClient): SharedReadsClient {
  const flights = new Map<string, Flight>();

  function forget(topics: readonly Topic[]): void {
    for (const [key, flight] of flights) if (topics.includes(flight.topic)) flights.delete(key);
  }

  /** Joins the flight for `key`, or starts one. A failed flight is dropped, so the next caller asks again. */
  function shared<T>(key: string, topic: Topic, signal: AbortSignal | undefined, read: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal?.aborted) return read(signal); // cancelled already: fail as the client does, sharing nothing
    let flight = flights.get(key);
    if (!flight) {
      const controller = new AbortController();
      const answer = read(controller.signal);
      const started: Flight = { topic, answer, controller, cancellable: 0, pinned: false };
      flight = started;
      flights.set(key, started);
      answer.catch(() => {
        if (flights.get(key) === started) flights.delete(key);
      });
    }
    return join(flight, signal) as Promise<T>;
  }

  function join(flight: Flight, signal: AbortSignal | undefined): Promise<unknown> {
    if (!signal) {
      flight.pinned = true;
      return flight.answer;
    }
    flight.cancellable++;
    const onAbort = () => {
      flight.cancellable--;
      if (flight.cancellable === 0 && !flight.pinned) flight.controller.abort(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    flight.answer.then(done, done);
    return flight.answer;
  }

  /** Runs a write; whatever it may have changed is read afresh afterwards, even when it failed (it may have landed). */
  async function write<T>(topics: readonly Topic[], run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } finally {
      forget(topics);
    }
  }

  const copy = <T>(list: Promise<readonly T[]>): Promise<T[]> => list.then((items) => [...items]);
  const sharedTokens = (signal: AbortSignal | undefined) =>
    shared("ListAPITokens", "tokens", signal, (callSignal) => client.listApiTokens({ signal: callSignal }));
  const signalOf = (options: ReadOptions | undefined) => options?.signal;

  return {
    baseUrl: client.baseUrl,
    retry: client.retry,
    clock: client.clock,
    getMe: (options) => shared("GetMe", "users", signalOf(options), (signal) => client.getMe({ signal })),
    listApiTokens: (options) => copy(sharedTokens(signalOf(options))),
    // Every token's read looks its token up in the one shared list: by an index made once per list, not by a
    // search and a copy of the list per read (both grow with the list, so a plan of N tokens did N² work).
    findApiToken: (tokenId, options) => sharedTokens(signalOf(options)).then((tokens) => indexById(tokens).get(tokenId)),
    getUser: (identityId, options) =>
      shared(`GetUser ${identityId}`, "users", signalOf(options), (signal) => client.getUser(identityId, { signal })),
    listUsers: (page = {}, options) =>
      shared(`ListUsers ${page.pageSize ?? ""} ${page.pageToken ?? ""}`, "users", signalOf(options), (signal) => client.listUsers(page, { signal })),
    listAllUsers: (pageSize, options) =>
      copy(shared(`ListUsers all ${pageSize ?? ""}`, "users", signalOf(options), (signal) => client.listAllUsers(pageSize, { signal }))),
    searchUsers: (prefix, limit, options) =>
      copy(shared(`SearchUsers ${limit} ${prefix}`, "users", signalOf(options), (signal) => client.searchUsers(prefix, limit, { signal }))),
    batchGetUsers: (identityIds, options) =>
      copy(shared(`BatchGetUsers ${identityIds.join(",")}`, "users", signalOf(options), (signal) => client.batchGetUsers(identityIds, { signal }))),
    // The check after a lost CreateUser (user-creation.ts) must see the Gateway as it is now: never shared.
    usersWithOidcSubject: (oidcSubject, options) => client.usersWithOidcSubject(oidcSubject, options),
    createApiToken: (input, options) => write(["tokens"], () => client.createApiToken(input, options)),
    revokeApiToken: (tokenId, options) => write(["tokens"], () => client.revokeApiToken(tokenId, options)),
    createUser: (input, options) => write(["users", "tokens"], () => client.createUser(input, options)),
    updateUser: (identityId, changes, options) => write(["users", "tokens"], () => client.updateUser(identityId, changes, options)),
    deleteUser: (identityId, options) => write(["users", "tokens"], () => client.deleteUser(identityId, options)),
    close: () => client.close(),
    writingAlongside: (other) => ({
      ...other,
      createApiToken: (input, options) => write(["tokens"], () => other.createApiToken(input, options)),
      revokeApiToken: (tokenId, options) => write(["tokens"], () => other.revokeApiToken(tokenId, options)),
      createUser: (input, options) => write(["users", "tokens"], () => other.createUser(input, options)),
      updateUser: (identityId, changes, options) => write(["users", "tokens"], () => other.updateUser(identityId, changes, options)),
      deleteUser: (identityId, options) => write(["users", "tokens"], () => other.deleteUser(identityId, options)),
    }),
  };
}

// One index per shared token list: the list is never changed once read (each reader of listApiTokens gets a copy).
const tokenIndexes = new WeakMap<readonly ApiTokenRecord[], ReadonlyMap<string, ApiTokenRecord>>();

function indexById(tokens: readonly ApiTokenRecord[]): ReadonlyMap<string, ApiTokenRecord> {
  let index = tokenIndexes.get(tokens);
  if (!index) {
    index = new Map(tokens.map((t) => [t.id, t]));
    tokenIndexes.set(tokens, index);
  }
  return index;
}
