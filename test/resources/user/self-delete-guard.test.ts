// agyn_user refuses at plan time to destroy or replace the user the provider authenticates as (which would
// delete the provider's own token), unless allow_self_delete = true; delete refuses too. The caller comes
// from the session's one cached GetMe.
import type { GatewayClient } from "../../../gateway/client";
import { GatewayError } from "../../../gateway/gateway-error";
import { userResource } from "../../../resources/user/user-resource";
import type { UserState } from "../../../resources/user/user-schema";
import { contextWith } from "../../support/operation-context";
import { state } from "../../support/user-state";

function asCaller(identityId: string | "bootstrap", more: Partial<GatewayClient> = {}) {
  let getMes = 0;
  const ctx = contextWith({
    getMe: async () => {
      getMes++;
      if (identityId === "bootstrap") throw new GatewayError("GetMe", "permission_denied", "the bootstrap admin token has no user record");
      return { user: { identityId, oidcSubject: "me", name: null, email: null, photoUrl: null, username: "me" }, clusterRole: "admin" };
    },
    ...more,
  });
  return { ctx, getMes: () => getMes };
}

const plan = (prior: UserState, planned: UserState | null, ctx: ReturnType<typeof asCaller>["ctx"], requiresReplace = planned && planned.oidc_subject !== prior.oidc_subject ? [[{ attr: "oidc_subject" }]] : []) =>
  userResource.modifyPlan!({ prior, config: planned, planned, requiresReplace }, ctx);

describe("the provider's own user", () => {
  it("a destroy is refused at plan time, with the ways out", async () => {
    const { ctx } = asCaller(state.identity_id!);
    const r = await plan(state, null, ctx);
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["Refusing to delete the user the provider authenticates as"]);
    expect(r.diagnostics?.[0].detail).toContain("allow_self_delete = true");
    expect(r.diagnostics?.[0].detail).toContain("terraform state rm");
  });

  it("a replacement (new oidc_subject) is refused at plan time", async () => {
    const { ctx } = asCaller(state.identity_id!);
    const r = await plan(state, { ...state, oidc_subject: "svc:new" }, ctx);
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["Refusing to replace the user the provider authenticates as"]);
  });

  it("allow_self_delete = true in state lets both through (the replacement still warns)", async () => {
    const { ctx } = asCaller(state.identity_id!);
    const allowed = { ...state, allow_self_delete: true };
    expect((await plan(allowed, null, ctx)).diagnostics ?? []).toEqual([]);
    expect((await plan(allowed, { ...allowed, oidc_subject: "svc:new" }, ctx)).diagnostics?.map((d) => d.severity)).toEqual(["warning"]);
  });

  it("delete refuses too (a destroy planned by an older Terraform that never asked)", async () => {
    let deletes = 0;
    const { ctx } = asCaller(state.identity_id!, { deleteUser: async () => void deletes++ });
    const r = await userResource.delete({ prior: state }, ctx);
    expect(r.diagnostics?.map((d) => d.summary)).toEqual(["Refusing to delete the user the provider authenticates as"]);
    expect(deletes).toBe(0);
  });
});

describe("anyone else", () => {
  it("another user is destroyed and replaced as planned; GetMe is asked once per process", async () => {
    const { ctx, getMes } = asCaller("someone-else");
    expect((await plan(state, null, ctx)).diagnostics ?? []).toEqual([]);
    expect((await plan(state, { ...state, oidc_subject: "svc:new" }, ctx)).diagnostics?.map((d) => d.severity)).toEqual(["warning"]);
    expect(getMes()).toBe(1);
  });

  it("the bootstrap admin has no user, so nothing is refused", async () => {
    const { ctx } = asCaller("bootstrap");
    expect((await plan(state, null, ctx)).diagnostics ?? []).toEqual([]);
  });
});

describe("allow_self_delete", () => {
  it("changes in place without touching the user", async () => {
    const { ctx } = asCaller("someone-else", { updateUser: async () => { throw new Error("must not be called"); } });
    const r = await userResource.update({ prior: state, planned: { ...state, allow_self_delete: true }, config: { ...state, allow_self_delete: true } }, ctx);
    expect(r.value).toEqual({ ...state, allow_self_delete: true });
  });
});
