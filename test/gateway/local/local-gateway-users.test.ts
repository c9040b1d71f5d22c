// User administration on the local Gateway, rule by rule as agyn-gateway.md describes the real users
// service: cluster-admin checks, uniqueness, usernames, cluster_role, deletion, paging, search, batch reads.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { GatewayStore } from "../../../gateway/local/store";
import { ClusterRole } from "../../../gen/agynio/api/users/v1/users_pb";
import { expectGatewayFailure } from "../../support/gateway-failures";
import { type TestGateway, startTestGateway } from "../../support/local-gateway";
import { type WireGatewayClient, wireGatewayClient } from "../../support/wire-gateway-client";

const SERVICE = "agynio.api.gateway.v1.UsersGateway";

let gw: TestGateway;
let admin: WireGatewayClient;
let user: WireGatewayClient;
let userToken: string;
const clients: WireGatewayClient[] = [];

beforeAll(async () => {
  gw = await startTestGateway();
  admin = clientFor(gw.mintToken({ subject: "oidc|admin", name: "Ada Admin", admin: true }));
  userToken = gw.mintToken({ subject: "oidc|user", name: "Uma User" });
  user = clientFor(userToken);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await gw.close();
});

function clientFor(token: string, baseUrl = gw.url): WireGatewayClient {
  const client = wireGatewayClient({ baseUrl, token });
  clients.push(client);
  return client;
}

const newSubject = (label: string) => `oidc|${label}-${randomUUID()}`;

async function createdId(input: Parameters<WireGatewayClient["createUser"]>[0]): Promise<string> {
  return (await admin.createUser(input)).user!.meta!.id;
}

describe("cluster admin checks", () => {
  const adminMethods: [string, (client: WireGatewayClient, id: string) => Promise<unknown>][] = [
    ["CreateUser", (client) => client.createUser({ oidcSubject: newSubject("nope") })],
    ["GetUser", (client, id) => client.getUser(id)],
    ["ListUsers", (client) => client.listUsers()],
    ["UpdateUser", (client, id) => client.updateUser({ identityId: id, name: "Changed" })],
    ["DeleteUser", (client, id) => client.deleteUser(id)],
  ];

  test.each(adminMethods)("%s refuses a non-admin with permission_denied and changes nothing", async (_method, call) => {
    const id = await createdId({ oidcSubject: newSubject("bystander"), name: "Bea Bystander" });
    const usersBefore = (await admin.listAllUsers()).length;
    await expectGatewayFailure(call(user, id), "permission_denied", "cluster admin required");
    expect((await admin.getUser(id)).user?.name).toBe("Bea Bystander");
    expect(await admin.listAllUsers()).toHaveLength(usersBefore);
  });

  test("the role is checked before the arguments, so a non-admin learns nothing from validation", async () => {
    await expectGatewayFailure(user.getUser("not-a-uuid"), "permission_denied", "cluster admin required");
    await expectGatewayFailure(user.createUser({ oidcSubject: "" }), "permission_denied", "cluster admin required");
    await expectGatewayFailure(user.updateUser({ identityId: randomUUID() }), "permission_denied", "cluster admin required");
    await expectGatewayFailure(user.listUsers({ pageToken: "garbage" }), "permission_denied", "cluster admin required");
  });

  test("demoting an admin takes effect on their very next request", async () => {
    const subject = newSubject("demoted");
    const former = clientFor(gw.mintToken({ subject, admin: true }));
    await expect(former.listUsers()).resolves.toBeDefined();
    const id = (await former.getMe()).user!.meta!.id;
    await admin.updateUser({ identityId: id, clusterRole: ClusterRole.UNSPECIFIED });
    await expectGatewayFailure(former.listUsers(), "permission_denied", "cluster admin required");
  });
});

test("create, read, update and delete round trip", async () => {
  const subject = newSubject("crud");
  const created = await admin.createUser({ oidcSubject: subject, name: "Carl Crud", photoUrl: "https://example.com/c.png" });
  const id = created.user!.meta!.id;
  expect(created.user).toMatchObject({ oidcSubject: subject, name: "Carl Crud", username: "carl-crud", photoUrl: "https://example.com/c.png" });
  const read = await admin.getUser(id);
  expect(read.user).toEqual(created.user);
  expect(read.clusterRole).toBe(ClusterRole.UNSPECIFIED);

  const updated = await admin.updateUser({ identityId: id, username: "carl", email: "carl@example.com" });
  expect(updated.user).toMatchObject({ oidcSubject: subject, username: "carl", email: "carl@example.com", name: "Carl Crud" });
  expect((await admin.getUser(id)).user).toEqual(updated.user);

  await admin.deleteUser(id);
  await expectGatewayFailure(admin.getUser(id), "not_found", "user not found");
});

describe("CreateUser", () => {
  test("cluster_role (field 5) is honoured: an admin created so can administer users at once", async () => {
    const subject = newSubject("born-admin");
    const id = await createdId({ oidcSubject: subject, name: "Bo Admin", clusterRole: ClusterRole.ADMIN });
    expect((await admin.getUser(id)).clusterRole).toBe(ClusterRole.ADMIN);
    const bornAdmin = clientFor(gw.mintToken({ subject }));
    expect((await bornAdmin.getMe()).clusterRole).toBe(ClusterRole.ADMIN);
    await expect(bornAdmin.listUsers()).resolves.toBeDefined();
  });

  test("without cluster_role the user is not an admin; an unknown role is invalid_argument", async () => {
    const id = await createdId({ oidcSubject: newSubject("plain") });
    expect((await admin.getUser(id)).clusterRole).toBe(ClusterRole.UNSPECIFIED);
    await expectGatewayFailure(
      admin.createUser({ oidcSubject: newSubject("odd-role"), clusterRole: 7 as ClusterRole }),
      "invalid_argument",
      /cluster_role/,
    );
  });

  test("oidc_subject is required", async () => {
    await expectGatewayFailure(admin.createUser({ oidcSubject: "" }), "invalid_argument", "oidc_subject must be provided");
  });

  test("a duplicate subject or username is already_exists and creates nothing", async () => {
    const subject = newSubject("dup");
    const username = `dup-${randomBytes(4).toString("hex")}`;
    await admin.createUser({ oidcSubject: subject, username });
    const usersBefore = (await admin.listAllUsers()).length;
    await expectGatewayFailure(
      admin.createUser({ oidcSubject: subject, username: `other-${randomBytes(4).toString("hex")}` }),
      "already_exists",
      "user with this oidc_subject already exists",
    );
    await expectGatewayFailure(
      admin.createUser({ oidcSubject: newSubject("dup"), username }),
      "already_exists",
      "username already exists",
    );
    expect(await admin.listAllUsers()).toHaveLength(usersBefore);
  });

  test.each([["Bad Name"], ["UPPER"], ["dots.not.allowed"], [""], ["x".repeat(33)]])(
    "username %j is invalid_argument",
    async (username) => {
      await expectGatewayFailure(admin.createUser({ oidcSubject: newSubject("bad-username"), username }), "invalid_argument", /username must match/);
    },
  );

  test("the username alphabet and length limit are accepted in full", async () => {
    const longest = `a_b-9${randomBytes(16).toString("hex")}`.slice(0, 32);
    const created = await admin.createUser({ oidcSubject: newSubject("edge"), username: longest });
    expect(created.user?.username).toBe(longest);
  });

  test("an omitted username is derived from the name, with -2, -3 … on collision", async () => {
    const name = `Twin ${randomBytes(3).toString("hex")} Peaks`;
    const base = name.toLowerCase().replace(/ /g, "-");
    const usernames = [];
    for (let i = 0; i < 3; i++) usernames.push((await admin.createUser({ oidcSubject: newSubject("twin"), name })).user?.username);
    expect(usernames).toEqual([base, `${base}-2`, `${base}-3`]);
  });

  test("without a name it is user-<first 8 hex of sha256(subject)>", async () => {
    const subject = newSubject("nameless");
    const expected = `user-${createHash("sha256").update(subject).digest("hex").slice(0, 8)}`;
    expect((await admin.createUser({ oidcSubject: subject })).user?.username).toBe(expected);
  });
});

describe("UpdateUser", () => {
  test("with no field set it is invalid_argument", async () => {
    const id = await createdId({ oidcSubject: newSubject("untouched") });
    await expectGatewayFailure(admin.updateUser({ identityId: id }), "invalid_argument", "at least one field must be provided");
  });

  test("only the fields that are set change", async () => {
    const id = await createdId({ oidcSubject: newSubject("partial"), name: "Pat Partial", photoUrl: "https://example.com/p.png" });
    const updated = await admin.updateUser({ identityId: id, email: "pat@example.com" });
    expect(updated.user).toMatchObject({ name: "Pat Partial", photoUrl: "https://example.com/p.png", email: "pat@example.com" });
    await admin.updateUser({ identityId: id, clusterRole: ClusterRole.ADMIN });
    expect((await admin.getUser(id)).clusterRole).toBe(ClusterRole.ADMIN);
    expect((await admin.getUser(id)).user?.name).toBe("Pat Partial");
  });

  test("taking another user's username is already_exists; keeping one's own is fine", async () => {
    const taken = `taken-${randomBytes(4).toString("hex")}`;
    await admin.createUser({ oidcSubject: newSubject("holder"), username: taken });
    const mine = `mine-${randomBytes(4).toString("hex")}`;
    const id = await createdId({ oidcSubject: newSubject("taker"), username: mine });
    await expectGatewayFailure(admin.updateUser({ identityId: id, username: taken }), "already_exists", "username already exists");
    expect((await admin.getUser(id)).user?.username).toBe(mine);
    expect((await admin.updateUser({ identityId: id, username: mine, name: "Same Handle" })).user?.username).toBe(mine);
  });

  test("an invalid username is invalid_argument", async () => {
    const id = await createdId({ oidcSubject: newSubject("renamed") });
    await expectGatewayFailure(admin.updateUser({ identityId: id, username: "Not Valid" }), "invalid_argument", /username must match/);
  });
});

describe("unknown and malformed ids", () => {
  test("GetUser, UpdateUser and DeleteUser of an unknown id are not_found user not found", async () => {
    const unknown = randomUUID();
    await expectGatewayFailure(admin.getUser(unknown), "not_found", "user not found");
    await expectGatewayFailure(admin.updateUser({ identityId: unknown, name: "Ghost" }), "not_found", "user not found");
    await expectGatewayFailure(admin.deleteUser(unknown), "not_found", "user not found");
  });

  test("a malformed id is invalid_argument", async () => {
    await expectGatewayFailure(admin.getUser("not-a-uuid"), "invalid_argument", "identity_id must be a valid UUID");
    await expectGatewayFailure(admin.deleteUser(""), "invalid_argument", "identity_id must be a valid UUID");
  });
});

describe("DeleteUser", () => {
  test("deletes the user's tokens: every one stops authenticating on the next request", async () => {
    const subject = newSubject("leaver");
    const first = clientFor(gw.mintToken({ subject }));
    const second = clientFor((await first.createApiToken({ name: "second" })).plaintextToken);
    const id = (await second.getMe()).user!.meta!.id;

    await admin.deleteUser(id);

    await expectGatewayFailure(first.getMe(), "unauthenticated", "invalid api token");
    await expectGatewayFailure(second.listApiTokens(), "unauthenticated", "invalid api token");
    await expectGatewayFailure(admin.getUser(id), "not_found", "user not found");
    const store = GatewayStore.open(gw.dbPath);
    try {
      expect(store.listApiTokens(id)).toEqual([]);
    } finally {
      store.close();
    }
  });
});

describe("ListUsers", () => {
  // Its own Gateway, so the population is known exactly.
  let paged: TestGateway;
  let pagedAdmin: WireGatewayClient;
  const population = 121; // the admin and 120 created users: two pages at the cap of 100

  beforeAll(async () => {
    paged = await startTestGateway();
    pagedAdmin = clientFor(paged.mintToken({ subject: "oidc|pager", admin: true }), paged.url);
    for (let i = 1; i < population; i++) await pagedAdmin.createUser({ oidcSubject: `oidc|paged-${i}` });
  });

  afterAll(() => paged.close());

  test("page_size above 100 is capped at 100; the next page holds the rest and ends the listing", async () => {
    const first = await pagedAdmin.listUsers({ pageSize: 500 });
    expect(first.users).toHaveLength(100);
    expect(first.nextPageToken).not.toBe("");
    const second = await pagedAdmin.listUsers({ pageSize: 500, pageToken: first.nextPageToken });
    expect(second.users).toHaveLength(population - 100);
    expect(second.nextPageToken).toBe("");
  });

  test("pages are ordered by identity id and together hold every user exactly once", async () => {
    const ids: string[] = [];
    let pageToken = "";
    do {
      const page = await pagedAdmin.listUsers({ pageSize: 7, pageToken });
      expect(page.users.length).toBeLessThanOrEqual(7);
      ids.push(...page.users.map((u) => u.meta!.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(ids).toHaveLength(population);
    expect(new Set(ids).size).toBe(population);
    expect(ids).toEqual([...ids].sort());
  });

  test("the default page size is 50", async () => {
    const page = await pagedAdmin.listUsers({});
    expect(page.users).toHaveLength(50);
    expect(page.nextPageToken).not.toBe("");
  });

  test("a negative page_size or a forged page_token is invalid_argument", async () => {
    await expectGatewayFailure(pagedAdmin.listUsers({ pageSize: -1 }), "invalid_argument", "page_size must not be negative");
    await expectGatewayFailure(pagedAdmin.listUsers({ pageToken: "garbage" }), "invalid_argument", "invalid page_token");
  });
});

describe("SearchUsers", () => {
  // A prefix no other test's users share.
  const prefix = `s${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    for (let i = 0; i < 25; i++) await admin.createUser({ oidcSubject: newSubject("searchable"), username: `${prefix}-${i}` });
    await admin.createUser({ oidcSubject: newSubject("by-name"), name: `${prefix.toUpperCase()} Byname`, username: `n${prefix}` });
  });

  test("the limit defaults to 10 and is capped at 20; a smaller one is honoured", async () => {
    expect(await user.searchUsers(prefix, 0)).toHaveLength(10);
    expect(await user.searchUsers(prefix, 500)).toHaveLength(20);
    expect(await user.searchUsers(prefix, 3)).toHaveLength(3);
  });

  test("it matches the start of the username or the name, case-insensitively, never the middle", async () => {
    const found = await user.searchUsers(`${prefix}-1`, 20);
    expect(found.map((u) => u.username).sort()).toEqual(
      [`${prefix}-1`, ...Array.from({ length: 10 }, (_, i) => `${prefix}-1${i}`)].sort(),
    );
    const byName = await user.searchUsers(`${prefix.toUpperCase()} by`, 20);
    expect(byName.map((u) => u.username)).toEqual([`n${prefix}`]);
    expect(await user.searchUsers(prefix.slice(1), 20)).toEqual([]);
  });

  test("entries carry only the directory fields", async () => {
    const { status, json } = await postJson("SearchUsers", { prefix: `n${prefix}` });
    expect(status).toBe(200);
    expect(json.users).toHaveLength(1);
    expect(Object.keys(json.users[0]).sort()).toEqual(["identityId", "name", "username"]);
  });

  test("a negative limit is invalid_argument", async () => {
    await expectGatewayFailure(user.searchUsers(prefix, -1), "invalid_argument", "limit must not be negative");
  });
});

describe("BatchGetUsers", () => {
  test("returns the known users without oidc_subject, once each; unknown ids are left out", async () => {
    const ids = [
      await createdId({ oidcSubject: newSubject("batch"), name: "Bat One" }),
      await createdId({ oidcSubject: newSubject("batch"), name: "Bat Two" }),
    ];
    const users = await user.batchGetUsers([ids[0], randomUUID(), ids[1], ids[0]]);
    expect(users.map((u) => u.meta!.id).sort()).toEqual([...ids].sort());
    expect(users.map((u) => u.oidcSubject)).toEqual(["", ""]);
    expect(users.map((u) => u.name).sort()).toEqual(["Bat One", "Bat Two"]);
    const { json } = await postJson("BatchGetUsers", { identityIds: ids });
    for (const entry of json.users) expect(entry).not.toHaveProperty("oidcSubject");
  });

  test("at most 100 ids per call; a malformed id is invalid_argument", async () => {
    const hundred = Array.from({ length: 100 }, () => randomUUID());
    await expect(user.batchGetUsers(hundred)).resolves.toEqual([]);
    await expectGatewayFailure(user.batchGetUsers([...hundred, randomUUID()]), "invalid_argument", /at most 100/);
    await expectGatewayFailure(user.batchGetUsers(["not-a-uuid"]), "invalid_argument", "identity_ids must be a valid UUID");
  });
});

/** A call as the plain user in Connect JSON, to see exactly which fields go over the wire. */
async function postJson(method: string, body: unknown) {
  const response = await fetch(`${gw.url}/${SERVICE}/${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1", Authorization: `Bearer ${userToken}` },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form JSON off the wire, read by assertions
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}
