// agyn_user's pure parts: what an update sends, how Gateway users become state, and the Go-provider upgrade.
import { create } from "@bufbuild/protobuf";
import { ClusterRole, UserSchema } from "../../gen/agynio/api/users/v1/users_pb";
import { clusterRoleName, userRecord } from "../../gateway/message-mapping";
import { GatewayError } from "../../gateway/gateway-error";
import { changes, userResource } from "../../resources/user/user-resource";
import { goProviderUserState, userState } from "../../resources/user/user-state";
import { unknown } from "../../schema/cty";

const state = {
  id: "7d0c1c4e-0000-4000-8000-000000000001",
  identity_id: "7d0c1c4e-0000-4000-8000-000000000001",
  oidc_subject: "svc:ci",
  name: "CI",
  email: "ci@example.com",
  photo_url: null,
  username: "ci",
  cluster_role: "none",
};

describe("changes (what UpdateUser sends)", () => {
  it("sends nothing when nothing changed", () => {
    expect(changes(state, { ...state })).toBeUndefined();
  });

  it("sends only the changed fields; a removed value is sent as the Gateway's empty value", () => {
    expect(changes(state, { ...state, name: "CI bot", email: null })).toEqual({ name: "CI bot", email: "" });
  });

  it("sends a role change both ways, and a new username", () => {
    expect(changes(state, { ...state, cluster_role: "admin", username: "ci-bot" })).toEqual({ clusterRole: clusterRoleName(ClusterRole.ADMIN), username: "ci-bot" });
    expect(changes({ ...state, cluster_role: "admin" }, state)).toEqual({ clusterRole: clusterRoleName(ClusterRole.UNSPECIFIED) });
  });

  it("leaves a username that is still to be derived alone", () => {
    expect(changes({ ...state, username: null }, { ...state, username: unknown })).toBeUndefined();
  });
});

describe("userState", () => {
  it("maps the Gateway's empty strings to null and the role to its name", () => {
    const user = create(UserSchema, { meta: { id: state.id }, oidcSubject: "svc:ci", name: "CI", username: "ci" });
    expect(userState(userRecord(user)!, clusterRoleName(ClusterRole.ADMIN))).toEqual({ ...state, email: null, cluster_role: "admin" });
  });
});

describe("upgrade of the Go provider's state (version 0)", () => {
  const v0 = { identity_id: state.id, oidc_subject: "svc:ci", name: "CI", photo_url: null, nickname: "ci", username: "ci", cluster_role: "admin" };

  it("adds id and email, drops nickname", () => {
    expect(goProviderUserState.upgrade(v0).value).toEqual({ ...state, email: null, cluster_role: "admin" });
  });

  it("never guesses a username from nickname (a separate field); empty values become null, a missing role none", () => {
    const upgraded = goProviderUserState.upgrade({ ...v0, username: null, nickname: "legacy-handle", name: "", cluster_role: null }).value;
    expect(upgraded).toMatchObject({ username: null, name: null, cluster_role: "none" });
  });

  it("is registered for version 0 of a version 1 schema", () => {
    expect(userResource.schema.version).toBe(1);
    expect(userResource.stateUpgraders?.[0]).toBe(goProviderUserState);
  });
});

describe("replacement warning", () => {
  const ctx = {} as Parameters<NonNullable<typeof userResource.modifyPlan>>[1];
  const plan = (planned: Record<string, unknown> | null, prior: Record<string, unknown> | null = state) =>
    userResource.modifyPlan!({ prior: prior as never, config: planned as never, planned: planned as never }, ctx);

  it("warns, on oidc_subject, when a new or unknown subject replaces the user", async () => {
    for (const subject of ["svc:other", unknown]) {
      const { diagnostics } = await plan({ ...state, oidc_subject: subject });
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics![0]).toMatchObject({ severity: "warning", summary: "Replacing this user deletes all of their API tokens", path: [{ attr: "oidc_subject" }] });
      expect(diagnostics![0].detail).toContain("ci (identity 7d0c1c4e-0000-4000-8000-000000000001)");
    }
  });

  it("says nothing for in-place updates, creates and destroys", async () => {
    expect((await plan({ ...state, name: "x" })).diagnostics ?? []).toEqual([]);
    expect((await plan(state, null)).diagnostics ?? []).toEqual([]);
    expect((await plan(null)).diagnostics ?? []).toEqual([]);
  });
});

describe("create that cannot be finished", () => {
  const id = "7d0c1c4e-0000-4000-8000-000000000009";
  const planned = { id: unknown, identity_id: unknown, oidc_subject: "svc:x", name: "X", email: "x@example.com", photo_url: null, username: unknown, cluster_role: "admin" };

  function fakeContext(deleteFails: boolean) {
    const calls: string[] = [];
    const created = userRecord(create(UserSchema, { meta: { id }, oidcSubject: "svc:x", name: "X", username: "x" }));
    const gateway = {
      createUser: async () => (calls.push("CreateUser"), created),
      getUser: async () => (calls.push("GetUser"), { user: created, clusterRole: "admin" }),
      updateUser: async () => {
        calls.push("UpdateUser");
        throw new GatewayError("UpdateUser", "invalid_argument", "email is not valid");
      },
      deleteUser: async () => {
        calls.push("DeleteUser");
        if (deleteFails) throw new GatewayError("DeleteUser", "unavailable", "connection refused to 127.0.0.1:1");
      },
    };
    const ctx = { session: () => ({ gateway: () => gateway }), log: { info() {}, debug() {} }, signal: new AbortController().signal } as never;
    return { calls, ctx };
  }

  it("deletes the half-made user again and says why", async () => {
    const { calls, ctx } = fakeContext(false);
    const r = await userResource.create({ planned, config: planned }, ctx);
    expect(calls).toEqual(["CreateUser", "GetUser", "UpdateUser", "DeleteUser"]);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics![0].summary).toBe("agyn user creation failed; the new user was deleted again");
    expect(r.diagnostics![0].detail).toContain("UpdateUser failed (invalid_argument): email is not valid");
  });

  it("records the user (to be replaced) when it cannot be deleted either", async () => {
    const { calls, ctx } = fakeContext(true);
    const r = await userResource.create({ planned, config: planned }, ctx);
    expect(calls).toEqual(["CreateUser", "GetUser", "UpdateUser", "DeleteUser"]);
    expect(r.value).toEqual({ ...planned, id, identity_id: id, username: "x" });
    expect(r.diagnostics![0].summary).toBe("agyn user creation failed and the user could not be deleted");
    expect(r.diagnostics![0].detail).toContain("connection refused");
  });
});

describe("update whose re-read fails", () => {
  it("records what UpdateUser answered (an admin who just dropped their own admin role can no longer read users)", async () => {
    const written = userRecord(create(UserSchema, { meta: { id: state.id }, oidcSubject: "svc:ci", name: "CI", email: "ci@example.com", username: "ci" }));
    const gateway = {
      updateUser: async () => written,
      getUser: async () => {
        throw new GatewayError("GetUser", "permission_denied", "cluster admin required");
      },
    };
    const ctx = { session: () => ({ gateway: () => gateway }), log: { info() {}, debug() {} }, signal: new AbortController().signal } as never;
    const prior = { ...state, cluster_role: "admin" };
    const r = await userResource.update({ prior, planned: state, config: state }, ctx);
    expect(r.value).toEqual(state);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics![0]).toMatchObject({ severity: "warning", summary: "The updated user could not be read back" });
    expect(r.diagnostics![0].detail).toContain("cluster admin required");
  });
});
