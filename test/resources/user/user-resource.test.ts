// agyn_user's own plan warning, and what its create and update do when a later step fails.
import { create } from "@bufbuild/protobuf";
import { UserSchema } from "../../../gen/agynio/api/users/v1/users_pb";
import { userRecord } from "../../../gateway/message-mapping";
import { GatewayError } from "../../../gateway/gateway-error";
import { userResource } from "../../../resources/user/user-resource";
import type { UserApply, UserState } from "../../../resources/user/user-schema";
import { unknown, unknownsAsNull } from "../../../schema/cty";

import { state } from "../../support/user-state";
import { contextWith, unconfiguredContext } from "../../support/operation-context";

describe("replacement warning", () => {
  const ctx = unconfiguredContext();
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
  const planned: UserApply = { id: unknown, identity_id: unknown, oidc_subject: "svc:x", name: "X", email: "x@example.com", photo_url: null, username: unknown, cluster_role: "admin", allow_self_delete: null, allow_self_demote: null };
  const config: UserState = { ...unknownsAsNull(planned), oidc_subject: "svc:x" };

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
    const ctx = contextWith(gateway as never);
    return { calls, ctx };
  }

  it("deletes the half-made user again and says why", async () => {
    const { calls, ctx } = fakeContext(false);
    const r = await userResource.create({ planned, config }, ctx);
    expect(calls).toEqual(["CreateUser", "GetUser", "UpdateUser", "DeleteUser"]);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics![0].summary).toBe("agyn user creation failed; the new user was deleted again");
    expect(r.diagnostics![0].detail).toContain("UpdateUser failed (invalid_argument): email is not valid");
  });

  it("records the user (to be replaced) when it cannot be deleted either", async () => {
    const { calls, ctx } = fakeContext(true);
    const r = await userResource.create({ planned, config }, ctx);
    expect(calls).toEqual(["CreateUser", "GetUser", "UpdateUser", "DeleteUser"]);
    expect(r.value).toEqual({ ...planned, id, identity_id: id, username: "x" });
    expect(r.diagnostics![0].summary).toBe("agyn user creation failed and the user could not be deleted");
    expect(r.diagnostics![0].detail).toContain("connection refused");
  });
});

describe("update whose re-read fails", () => {
  it("records what UpdateUser answered (an admin who just dropped their own admin role can no longer read users)", async () => {
    const written = userRecord(create(UserSchema, { meta: { id: state.id! }, oidcSubject: "svc:ci", name: "CI", email: "ci@example.com", username: "ci" }));
    const gateway = {
      updateUser: async () => written,
      getUser: async () => {
        throw new GatewayError("GetUser", "permission_denied", "cluster admin required");
      },
    };
    const ctx = { session: () => ({ gateway: () => gateway }), log: { info() {}, debug() {} }, signal: new AbortController().signal } as never;
    const prior = { ...state, cluster_role: "admin" };
    // Opted in: the guard lets the admin drop their own role (self-demote-guard.test.ts).
    const planned = { ...state, allow_self_demote: true };
    const r = await userResource.update({ prior, planned, config: planned }, ctx);
    expect(r.value).toEqual(planned);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics![0]).toMatchObject({ severity: "warning", summary: "The updated user could not be read back" });
    expect(r.diagnostics![0].detail).toContain("cluster admin required");
  });
});
