// Every path data "agyn_user" can take to find a user, against a fake Gateway that enforces the cluster
// admin role the way the real one does.
import type { GatewayClient } from "../../../gateway/client";
import type { ClusterRoleName, UserRecord } from "../../../gateway/records";
import { GatewayError } from "../../../gateway/gateway-error";
import { GatewayClock } from "../../../gateway/gateway-clock";
import { type Diagnostic, DiagnosticError } from "../../../schema/diagnostics";
import { type FoundUser, lookupUser, SEARCH_LIMIT, type UserQuery } from "../../../resources/user-data-source/user-lookup";

interface Person {
  readonly id: string;
  readonly subject: string;
  readonly username: string;
  readonly name?: string;
  readonly email?: string;
  readonly admin?: boolean;
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const ada: Person = { id: id(1), subject: "oidc|ada", username: "ada", name: "Ada Lovelace", email: "ada@example.com", admin: true };
const adaTwo: Person = { id: id(2), subject: "oidc|ada2", username: "ada-2", name: "Ada Two" };
const grace: Person = { id: id(3), subject: "oidc|grace", username: "grace", name: "Grace Hopper", email: "grace@example.com" };

/** `count` users whose usernames start with `prefix` but are not it. */
const crowd = (prefix: string, count: number): Person[] =>
  Array.from({ length: count }, (_, i) => ({ id: id(100 + i), subject: `oidc|${prefix}-${i}`, username: `${prefix}-${i}` }));

interface Fake {
  readonly gateway: GatewayClient;
  /** Gateway methods called, in order. */
  readonly calls: string[];
  /** The signal each call received. */
  readonly signals: (AbortSignal | undefined)[];
}

/**
 * A Gateway holding `people`, called by `caller` ("bootstrap": the platform's admin without a user record).
 * SearchUsers answers in the order people are listed: the real one promises no order.
 */
function fakeGateway(people: readonly Person[], caller: Person | "bootstrap", failures: Partial<Record<string, GatewayError>> = {}): Fake {
  const calls: string[] = [];
  const signals: (AbortSignal | undefined)[] = [];
  const isAdmin = caller === "bootstrap" || caller.admin === true;
  const user = (p: Person): UserRecord =>
    ({ identityId: p.id, oidcSubject: p.subject, username: p.username || null, name: p.name ?? null, email: p.email ?? null, photoUrl: null });
  const role = (p: Person): ClusterRoleName => (p.admin ? "admin" : "none");
  const enter = (method: string, signal?: AbortSignal) => {
    calls.push(method);
    signals.push(signal);
    const failure = failures[method];
    if (failure) throw failure;
  };
  const requireAdmin = (method: string) => {
    if (!isAdmin) throw new GatewayError(method, "permission_denied", "cluster admin required");
  };
  const unexpected = (method: string) => () => {
    throw new Error(`unexpected call to ${method}`);
  };
  const gateway: GatewayClient = {
    baseUrl: "http://gateway.test",
    retry: { requestTimeoutMs: 1000, maxRetries: 0 },
    clock: new GatewayClock(),
    async getMe(options) {
      enter("getMe", options?.signal);
      if (caller === "bootstrap") throw new GatewayError("GetMe", "not_found", "user not found");
      return { user: user(caller), clusterRole: role(caller) };
    },
    async getUser(identityId, options) {
      enter("getUser", options?.signal);
      requireAdmin("GetUser");
      const p = people.find((x) => x.id === identityId.toLowerCase());
      if (!p) throw new GatewayError("GetUser", "not_found", "user not found");
      return { user: user(p), clusterRole: role(p) };
    },
    async batchGetUsers(ids, options) {
      enter("batchGetUsers", options?.signal);
      const wanted = ids.map((x) => x.toLowerCase());
      return people.filter((p) => wanted.includes(p.id)).map((p) => ({ ...user(p), oidcSubject: null }));
    },
    async searchUsers(prefix, limit, options) {
      enter("searchUsers", options?.signal);
      if (limit > SEARCH_LIMIT) throw new GatewayError("SearchUsers", "invalid_argument", "limit too large");
      return people
        .filter((p) => p.username.startsWith(prefix))
        .slice(0, limit)
        .map((p) => ({ identityId: p.id, username: p.username, name: p.name ?? null, photoUrl: null }));
    },
    async listAllUsers(_pageSize, options) {
      enter("listAllUsers", options?.signal);
      requireAdmin("ListUsers");
      return people.map(user);
    },
    createApiToken: unexpected("createApiToken"),
    listApiTokens: unexpected("listApiTokens"),
    findApiToken: unexpected("findApiToken"),
    revokeApiToken: unexpected("revokeApiToken"),
    createUser: unexpected("createUser"),
    updateUser: unexpected("updateUser"),
    deleteUser: unexpected("deleteUser"),
    listUsers: unexpected("listUsers"),
    usersWithOidcSubject: unexpected("usersWithOidcSubject"),
    close: () => undefined,
  };
  return { gateway, calls, signals };
}

const signal = new AbortController().signal;

const find = (fake: Fake, query: UserQuery): Promise<FoundUser> => lookupUser(fake.gateway, query, signal);

/** The single diagnostic a failed lookup ends with. */
async function failure(fake: Fake, query: UserQuery): Promise<Diagnostic> {
  const err = await find(fake, query).then(
    (found) => new Error(`expected the lookup to fail, it found ${JSON.stringify(found)}`),
    (e: unknown) => e,
  );
  if (!(err instanceof DiagnosticError)) throw err;
  expect(err.diagnostics).toHaveLength(1);
  return err.diagnostics[0];
}

const everyone = [ada, adaTwo, grace];

describe("the caller (no arguments)", () => {
  it("reads GetMe, with the caller's own subject and role", async () => {
    const fake = fakeGateway(everyone, grace);
    expect(await find(fake, { by: "caller" })).toEqual({
      identityId: grace.id, oidcSubject: "oidc|grace", name: "Grace Hopper", email: "grace@example.com",
      username: "grace", photoUrl: null, clusterRole: "none",
    });
    expect(fake.calls).toEqual(["getMe"]);
  });

  it("reports what the Gateway does not have as null, not as an empty string", async () => {
    const bare: Person = { id: id(9), subject: "oidc|bare", username: "" };
    expect(await find(fakeGateway([bare], bare), { by: "caller" })).toEqual({
      identityId: bare.id, oidcSubject: "oidc|bare", name: null, email: null, username: null, photoUrl: null, clusterRole: "none",
    });
  });

  it("explains that the bootstrap identity has no user to read", async () => {
    const d = await failure(fakeGateway(everyone, "bootstrap"), { by: "caller" });
    expect(d.summary).toBe("The provider's identity has no agyn user");
    expect(d.detail).toContain("bootstrap");
    expect(d.detail).toContain("identity_id, username or oidc_subject");
  });

  it("reads a permission_denied GetMe (the local Gateway's answer to the bootstrap token) the same way", async () => {
    const refused = new GatewayError("GetMe", "permission_denied", "the bootstrap admin token has no user record; GetMe needs a user's API token");
    const d = await failure(fakeGateway(everyone, grace, { getMe: refused }), { by: "caller" });
    expect(d.summary).toBe("The provider's identity has no agyn user");
    expect(d.detail).toContain("GetMe failed (permission_denied): the bootstrap admin token has no user record");
  });

  it("reports other Gateway failures as such", async () => {
    const rejected = new GatewayError("GetMe", "unauthenticated", "invalid api token");
    const d = await failure(fakeGateway(everyone, grace, { getMe: rejected }), { by: "caller" });
    expect(d.summary).toBe("agyn Gateway rejected the token");
  });
});

describe("identity_id", () => {
  it("a cluster admin reads the full record with GetUser", async () => {
    const fake = fakeGateway(everyone, ada);
    expect(await find(fake, { by: "identity_id", value: grace.id })).toMatchObject({
      identityId: grace.id, oidcSubject: "oidc|grace", email: "grace@example.com", clusterRole: "none",
    });
    expect(fake.calls).toEqual(["getUser"]);
  });

  it("anyone else falls back to BatchGetUsers, leaving subject and role null", async () => {
    const fake = fakeGateway(everyone, grace);
    expect(await find(fake, { by: "identity_id", value: ada.id })).toEqual({
      identityId: ada.id, oidcSubject: null, name: "Ada Lovelace", email: "ada@example.com",
      username: "ada", photoUrl: null, clusterRole: null,
    });
    expect(fake.calls).toEqual(["getUser", "batchGetUsers"]);
  });

  it("the bootstrap identity uses GetUser too", async () => {
    const fake = fakeGateway(everyone, "bootstrap");
    expect(await find(fake, { by: "identity_id", value: ada.id })).toMatchObject({ clusterRole: "admin" });
    expect(fake.calls).toEqual(["getUser"]);
  });

  it("accepts an upper-case id and reports the canonical one", async () => {
    const found = await find(fakeGateway(everyone, grace), { by: "identity_id", value: ada.id.toUpperCase() });
    expect(found.identityId).toBe(ada.id);
  });

  it.each([
    ["a cluster admin", ada],
    ["anyone else", grace],
  ])("an unknown id is not found, for %s", async (_who, caller) => {
    const d = await failure(fakeGateway(everyone, caller), { by: "identity_id", value: id(99) });
    expect(d.summary).toBe(`No agyn user with identity_id "${id(99)}"`);
    expect(d.path).toEqual([{ attr: "identity_id" }]);
  });

  it("refuses a malformed id without asking the Gateway", async () => {
    const fake = fakeGateway(everyone, ada);
    const d = await failure(fake, { by: "identity_id", value: "ada" });
    expect(d.summary).toBe("Invalid identity_id");
    expect(d.path).toEqual([{ attr: "identity_id" }]);
    expect(fake.calls).toEqual([]);
  });

  it("reports a failed fallback as the Gateway failure it is", async () => {
    const down = new GatewayError("BatchGetUsers", "unavailable", "connection refused to 127.0.0.1:1");
    const d = await failure(fakeGateway(everyone, grace, { batchGetUsers: down }), { by: "identity_id", value: ada.id });
    expect(d.summary).toBe("Cannot reach the agyn Gateway");
    expect(d.detail).toContain("connection refused");
  });
});

describe("username", () => {
  it("an exact match among prefix matches, read in full by a cluster admin", async () => {
    const fake = fakeGateway([adaTwo, ada, grace], ada);
    expect(await find(fake, { by: "username", value: "ada" })).toMatchObject({
      identityId: ada.id, username: "ada", oidcSubject: "oidc|ada", email: "ada@example.com", clusterRole: "admin",
    });
    expect(fake.calls).toEqual(["searchUsers", "getUser"]);
  });

  it("anyone else gets the record through BatchGetUsers: email filled, subject and role null", async () => {
    const fake = fakeGateway(everyone, grace);
    expect(await find(fake, { by: "username", value: "ada" })).toMatchObject({
      identityId: ada.id, email: "ada@example.com", oidcSubject: null, clusterRole: null,
    });
    expect(fake.calls).toEqual(["searchUsers", "getUser", "batchGetUsers"]);
  });

  it("only a prefix match is not a match, and the error names the usernames it did find", async () => {
    const fake = fakeGateway(everyone, ada);
    const d = await failure(fake, { by: "username", value: "ad" });
    expect(d.summary).toBe('No agyn user with username "ad"');
    expect(d.path).toEqual([{ attr: "username" }]);
    expect(d.detail).toContain('Similar usernames you can see: "ada" (Ada Lovelace), "ada-2" (Ada Two).');
    // Fewer than a full page of matches is the whole answer: no scan.
    expect(fake.calls).toEqual(["searchUsers"]);
  });

  it("a lookup that finds nothing searches a shorter prefix and names the close ones", async () => {
    const fake = fakeGateway([...everyone, { id: id(7), subject: "oidc|graham", username: "graham" }], grace);
    const d = await failure(fake, { by: "username", value: "gracie" });
    expect(d.summary).toBe('No agyn user with username "gracie"');
    expect(d.detail).toContain('Similar usernames you can see: "grace" (Grace Hopper).');
    expect(d.detail).not.toContain("graham"); // shares the prefix, but is not close
    expect(fake.calls).toEqual(["searchUsers", "searchUsers"]);
  });

  it("names nothing when nothing is similar", async () => {
    const d = await failure(fakeGateway(everyone, grace), { by: "username", value: "zed" });
    expect(d.detail).toBe('The Gateway has no user whose username is exactly "zed".');
  });

  describe(`when ${SEARCH_LIMIT} or more others share the prefix`, () => {
    const hidden: Person = { id: id(50), subject: "oidc|svc", username: "svc", name: "Service", email: "svc@example.com" };
    const people = [...crowd("svc", SEARCH_LIMIT), hidden];

    it("a cluster admin's lookup scans ListUsers and finds the exact one", async () => {
      const fake = fakeGateway(people, { ...ada, id: id(60) });
      expect(await find(fake, { by: "username", value: "svc" })).toMatchObject({
        identityId: hidden.id, oidcSubject: "oidc|svc", email: "svc@example.com", clusterRole: "none",
      });
      expect(fake.calls).toEqual(["searchUsers", "listAllUsers", "getUser"]);
    });

    it("a cluster admin's scan that finds nothing is not found, naming close usernames from the scan", async () => {
      const d = await failure(fakeGateway(crowd("svc", SEARCH_LIMIT + 1), ada), { by: "username", value: "svc" });
      expect(d.summary).toBe('No agyn user with username "svc"');
      expect(d.detail).toMatch(/Similar usernames you can see: "svc-\d+"/);
    });

    it("anyone else is told why it cannot be resolved", async () => {
      const fake = fakeGateway(people, grace);
      const d = await failure(fake, { by: "username", value: "svc" });
      expect(d.summary).toBe('Cannot resolve username "svc"');
      expect(d.detail).toContain(`maximum of ${SEARCH_LIMIT} matches for "svc"`);
      expect(d.detail).toContain("cluster admin required");
      expect(d.path).toEqual([{ attr: "username" }]);
      expect(fake.calls).toEqual(["searchUsers", "listAllUsers"]);
    });
  });
});

describe("oidc_subject", () => {
  it("a cluster admin's lookup scans ListUsers, then reads the role with GetUser", async () => {
    const fake = fakeGateway(everyone, ada);
    expect(await find(fake, { by: "oidc_subject", value: "oidc|grace" })).toMatchObject({
      identityId: grace.id, oidcSubject: "oidc|grace", clusterRole: "none",
    });
    expect(fake.calls).toEqual(["listAllUsers", "getUser"]);
  });

  it("an unknown subject is not found", async () => {
    const d = await failure(fakeGateway(everyone, ada), { by: "oidc_subject", value: "oidc|nobody" });
    expect(d.summary).toBe('No agyn user with oidc_subject "oidc|nobody"');
    expect(d.path).toEqual([{ attr: "oidc_subject" }]);
  });

  it("anyone else is told it needs a cluster admin", async () => {
    const d = await failure(fakeGateway(everyone, grace), { by: "oidc_subject", value: "oidc|ada" });
    expect(d.summary).toBe("Looking up a user by oidc_subject needs a cluster admin");
    expect(d.detail).toContain("no lookup by OIDC subject");
    expect(d.path).toEqual([{ attr: "oidc_subject" }]);
  });
});

it("passes Terraform's stop signal to every Gateway call", async () => {
  const people = [...crowd("svc", SEARCH_LIMIT), { id: id(50), subject: "oidc|svc", username: "svc" }];
  const admin = fakeGateway(people, { ...ada, id: id(60) });
  await find(admin, { by: "username", value: "svc" });
  const user = fakeGateway(everyone, grace);
  await find(user, { by: "identity_id", value: ada.id });
  await find(user, { by: "caller" });
  expect([...admin.calls, ...user.calls]).toEqual(["searchUsers", "listAllUsers", "getUser", "getUser", "batchGetUsers", "getMe"]);
  const signals = [...admin.signals, ...user.signals];
  expect(signals).toHaveLength(6);
  for (const s of signals) expect(s).toBe(signal);
});
