// withSharedReads: concurrent and repeated reads share one Gateway call and its answer until a write through
// the same client could have changed it; failures and cancellations are never kept.
import type { GatewayClient } from "../../gateway/client";
import { GatewayClock } from "../../gateway/gateway-clock";
import { GatewayError } from "../../gateway/gateway-error";
import type { ApiTokenRecord, UserRecord } from "../../gateway/records";
import { withSharedReads } from "../../gateway/shared-reads";

interface Pending<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
  signal?: AbortSignal;
}

/** A fake client whose calls are counted and answered by the test, one at a time. */
function fakeClient() {
  const calls: string[] = [];
  const pending: Pending<unknown>[] = [];
  const later = <T>(name: string, signal?: AbortSignal) => {
    calls.push(name);
    return new Promise<T>((resolve, reject) => pending.push({ resolve: resolve as (v: unknown) => void, reject, signal }));
  };
  const writes: { name: string; signal?: AbortSignal }[] = [];
  const write = <T>(name: string, signal?: AbortSignal) => {
    writes.push({ name, signal });
    return later<T>(name);
  };
  const client: GatewayClient = {
    baseUrl: "http://gateway.test",
    retry: { requestTimeoutMs: 1000, maxRetries: 2 },
    clock: new GatewayClock(),
    getMe: (o) => later("GetMe", o?.signal),
    listApiTokens: (o) => later("ListAPITokens", o?.signal),
    findApiToken: (id, o) => later(`FindAPIToken ${id}`, o?.signal),
    getUser: (id, o) => later(`GetUser ${id}`, o?.signal),
    listUsers: (page, o) => later(`ListUsers ${page?.pageToken ?? ""}`, o?.signal),
    listAllUsers: (_size, o) => later("ListUsers all", o?.signal),
    searchUsers: (prefix, _limit, o) => later(`SearchUsers ${prefix}`, o?.signal),
    batchGetUsers: (ids, o) => later(`BatchGetUsers ${ids.join(",")}`, o?.signal),
    usersWithOidcSubject: (subject, o) => later(`UsersWithOidcSubject ${subject}`, o?.signal),
    createApiToken: (_input, o) => write("CreateAPIToken", o?.signal),
    revokeApiToken: (_id, o) => write("RevokeAPIToken", o?.signal),
    createUser: (_input, o) => write("CreateUser", o?.signal),
    updateUser: (_id, _changes, o) => write("UpdateUser", o?.signal),
    deleteUser: (_id, o) => write("DeleteUser", o?.signal),
    close: () => undefined,
  };
  /** Answers the oldest unanswered call. */
  const answer = async (value: unknown) => {
    pending.shift()!.resolve(value);
    await flush();
  };
  const fail = async (error: unknown) => {
    pending.shift()!.reject(error);
    await flush();
  };
  return { client, calls, pending, answer, fail, writes };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function token(id: string): ApiTokenRecord {
  return { id, identityId: "owner", name: id, tokenPrefix: "agyn_abc", expiresAt: null, createdAt: null, lastUsedAt: null };
}

const alice: UserRecord = { identityId: "alice-id", oidcSubject: "alice", name: "Alice", email: null, photoUrl: null, username: "alice" };

describe("withSharedReads", () => {
  it("answers concurrent token reads with one ListAPITokens", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const reads = Array.from({ length: 10 }, () => shared.listApiTokens());
    expect(fake.calls).toEqual(["ListAPITokens"]);
    await fake.answer([token("a"), token("b")]);
    for (const read of reads) expect((await read).map((t) => t.id)).toEqual(["a", "b"]);
  });

  it("answers later token reads from the first answer, each with its own list", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const first = shared.listApiTokens();
    await fake.answer([token("a")]);
    (await first).push(token("added by a caller"));
    expect((await shared.listApiTokens()).map((t) => t.id)).toEqual(["a"]);
    expect(fake.calls).toEqual(["ListAPITokens"]);
  });

  it("finds single tokens in the same shared ListAPITokens as the lists, and a token that is not there as undefined", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const list = shared.listApiTokens();
    const finds = ["b", "a", "gone"].map((id) => shared.findApiToken(id));
    expect(fake.calls).toEqual(["ListAPITokens"]);
    await fake.answer([token("a"), token("b")]);
    expect((await list).map((t) => t.id)).toEqual(["a", "b"]);
    expect(await Promise.all(finds.map(async (f) => (await f)?.id))).toEqual(["b", "a", undefined]);
    // A caller changing its own copy of the list changes nothing another read finds.
    (await list).splice(0, 2);
    expect((await shared.findApiToken("a"))?.id).toBe("a");
    expect(fake.calls).toEqual(["ListAPITokens"]);
  });

  it("finds a token in a fresh list after this client created one", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const before = shared.findApiToken("b");
    await fake.answer([token("a")]);
    expect(await before).toBeUndefined();
    const created = shared.createApiToken({ name: "new" });
    await fake.answer({ token: token("b"), plaintext: "secret" });
    await created;
    const after = shared.findApiToken("b");
    expect(fake.calls).toEqual(["ListAPITokens", "CreateAPIToken", "ListAPITokens"]);
    await fake.answer([token("a"), token("b")]);
    expect((await after)?.id).toBe("b");
  });

  it("reads the tokens again after this client created one", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const before = shared.listApiTokens();
    await fake.answer([token("a")]);
    await before;
    const created = shared.createApiToken({ name: "new" });
    await fake.answer({ token: token("b"), plaintext: "secret" });
    await created;
    const after = shared.listApiTokens();
    expect(fake.calls).toEqual(["ListAPITokens", "CreateAPIToken", "ListAPITokens"]);
    await fake.answer([token("a"), token("b")]);
    expect((await after).map((t) => t.id)).toEqual(["a", "b"]);
  });

  it("reads the tokens again after a revoke, even one that failed (it may have landed)", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const before = shared.listApiTokens();
    await fake.answer([token("a")]);
    await before;
    const revoked = expect(shared.revokeApiToken("a")).rejects.toThrow("connection reset");
    await fake.fail(new GatewayError("RevokeAPIToken", "unavailable", "connection reset"));
    await revoked;
    void shared.listApiTokens();
    expect(fake.calls).toEqual(["ListAPITokens", "RevokeAPIToken", "ListAPITokens"]);
  });

  it("reads the tokens again after another token's client, made alongside, revoked one", async () => {
    const fake = fakeClient();
    const other = fakeClient();
    const shared = withSharedReads(fake.client);
    const before = shared.listApiTokens();
    await fake.answer([token("ephemeral")]);
    await before;
    const alongside = shared.writingAlongside(other.client);
    const revoked = alongside.revokeApiToken("ephemeral");
    await other.answer(undefined);
    await revoked;
    void shared.listApiTokens();
    expect(fake.calls).toEqual(["ListAPITokens", "ListAPITokens"]);
    expect(other.calls).toEqual(["RevokeAPIToken"]);
    void alongside.listApiTokens();
    expect(other.calls).toEqual(["RevokeAPIToken", "ListAPITokens"]);
  });

  it("does not reuse a read that was under way when a write finished", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const revoked = shared.revokeApiToken("a");
    const during = shared.listApiTokens(); // may or may not see the revoke
    await fake.answer(undefined); // the revoke
    await revoked;
    const after = shared.listApiTokens();
    expect(fake.calls).toEqual(["RevokeAPIToken", "ListAPITokens", "ListAPITokens"]);
    await fake.answer([token("a")]); // the read that started before the revoke finished
    await fake.answer([]);
    expect((await during).map((t) => t.id)).toEqual(["a"]);
    expect(await after).toEqual([]);
    expect(await shared.listApiTokens()).toEqual([]);
    expect(fake.calls).toHaveLength(3);
  });

  it("shares a failure with the readers waiting for it, and asks again next time", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const reads = [shared.listApiTokens(), shared.listApiTokens()].map((read) => expect(read).rejects.toThrow("connection refused"));
    await fake.fail(new GatewayError("ListAPITokens", "unavailable", "connection refused"));
    await Promise.all(reads);
    const retried = shared.listApiTokens();
    expect(fake.calls).toEqual(["ListAPITokens", "ListAPITokens"]);
    await fake.answer([token("a")]);
    expect((await retried).map((t) => t.id)).toEqual(["a"]);
  });

  it("cancels the shared call only when every reader waiting for it was cancelled", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const first = new AbortController();
    const second = new AbortController();
    const reads = [shared.listApiTokens({ signal: first.signal }), shared.listApiTokens({ signal: second.signal })]
      .map((read) => expect(read).rejects.toThrow("canceled"));
    const inner = fake.pending[0].signal!;
    first.abort();
    expect(inner.aborted).toBe(false);
    second.abort();
    expect(inner.aborted).toBe(true);
    await fake.fail(new GatewayError("ListAPITokens", "canceled", "the operation was aborted"));
    await Promise.all(reads);
    // Nothing was kept: the next read asks the Gateway.
    void shared.listApiTokens();
    expect(fake.calls).toEqual(["ListAPITokens", "ListAPITokens"]);
  });

  it("never cancels a call a reader without a signal waits for", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const stop = new AbortController();
    const withSignal = shared.listApiTokens({ signal: stop.signal });
    const without = shared.listApiTokens();
    stop.abort();
    expect(fake.pending[0].signal!.aborted).toBe(false);
    await fake.answer([token("a")]);
    expect((await withSignal).map((t) => t.id)).toEqual(["a"]);
    expect((await without).map((t) => t.id)).toEqual(["a"]);
  });

  it("shares GetMe and each GetUser; a user write reads users, the caller and tokens again, a token write only tokens", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    const me = [shared.getMe(), shared.getMe()];
    const users = [shared.getUser("alice-id"), shared.getUser("alice-id"), shared.getUser("bob-id")];
    const tokens = shared.listApiTokens();
    expect(fake.calls).toEqual(["GetMe", "GetUser alice-id", "GetUser bob-id", "ListAPITokens"]);
    await fake.answer({ user: alice, clusterRole: "admin" });
    await fake.answer({ user: alice, clusterRole: "admin" });
    await fake.answer(null);
    await fake.answer([]);
    await Promise.all([...me, ...users, tokens]);

    const created = shared.createApiToken({ name: "x" });
    await fake.answer({ token: token("x"), plaintext: "secret" });
    await created;
    void shared.getMe();
    void shared.getUser("alice-id");
    expect(fake.calls).toHaveLength(5); // only the create: the caller and users are still known

    const updated = shared.updateUser("alice-id", { name: "Alice B." });
    await fake.answer(alice);
    await updated;
    void shared.getMe();
    void shared.getUser("alice-id");
    void shared.listApiTokens();
    expect(fake.calls.slice(5)).toEqual(["UpdateUser", "GetMe", "GetUser alice-id", "ListAPITokens"]);
  });

  it("keys user lookups by their arguments", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    void shared.searchUsers("ali", 20);
    void shared.searchUsers("ali", 20);
    void shared.searchUsers("bo", 20);
    void shared.batchGetUsers(["a", "b"]);
    void shared.batchGetUsers(["a", "b"]);
    void shared.listUsers({ pageToken: "p2" });
    void shared.listUsers({ pageToken: "p3" });
    void shared.listAllUsers(100);
    void shared.listAllUsers(100);
    expect(fake.calls).toEqual(["SearchUsers ali", "SearchUsers bo", "BatchGetUsers a,b", "ListUsers p2", "ListUsers p3", "ListUsers all"]);
  });

  it("keeps what the recovery after a lost create needs: the retry settings, the Gateway's clock, Stop for a write's waits, a fresh subject check", async () => {
    const fake = fakeClient();
    const shared = withSharedReads(fake.client);
    expect(shared.retry).toBe(fake.client.retry);
    expect(shared.clock).toBe(fake.client.clock);
    const stop = new AbortController().signal;
    const created = shared.createApiToken({ name: "ci" }, { signal: stop });
    const deleted = shared.deleteUser("alice-id", { signal: stop });
    expect(fake.writes).toEqual([{ name: "CreateAPIToken", signal: stop }, { name: "DeleteUser", signal: stop }]);
    const first = shared.usersWithOidcSubject("alice");
    const second = shared.usersWithOidcSubject("alice");
    expect(fake.calls.filter((c) => c.startsWith("UsersWithOidcSubject"))).toHaveLength(2);
    for (let i = 0; i < 4; i++) await fake.answer(i < 2 ? null : []);
    await Promise.all([created, deleted, first, second]);
  });
});
