// agyn_user refuses to take the cluster admin role from the user the provider authenticates as (which leaves the
// provider unable to manage users), at plan time and again before the write, unless allow_self_demote = true.
import type { GatewayClient } from "../../../gateway/client";
import { unknown } from "../../../schema/cty";
import { userResource } from "../../../resources/user/user-resource";
import type { UserState } from "../../../resources/user/user-schema";
import { contextWith } from "../../support/operation-context";
import { state } from "../../support/user-state";

const admin: UserState = { ...state, cluster_role: "admin" };

function asCaller(identityId: string, more: Partial<GatewayClient> = {}) {
  let getMes = 0;
  const ctx = contextWith({
    getMe: async () => {
      getMes++;
      return { user: { identityId, oidcSubject: "me", name: null, email: null, photoUrl: null, username: "me" }, clusterRole: "admin" };
    },
    ...more,
  });
  return { ctx, getMes: () => getMes };
}

const plan = (prior: UserState, planned: UserState, ctx: ReturnType<typeof asCaller>["ctx"]) =>
  userResource.modifyPlan!({ prior, config: planned, planned, requiresReplace: [] }, ctx);

describe("the provider's own user losing the cluster admin role", () => {
  it("is refused at plan time, at cluster_role, with the ways out", async () => {
    const { ctx } = asCaller(admin.identity_id!);
    const r = await plan(admin, { ...admin, cluster_role: "none" }, ctx);
    expect(r.diagnostics?.map((d) => [d.summary, d.path])).toEqual([
      ["Refusing to remove the cluster admin role from the user the provider authenticates as", [{ attr: "cluster_role" }]],
    ]);
    expect(r.diagnostics?.[0].detail).toContain("set allow_self_demote = true on this resource");
    expect(r.diagnostics?.[0].detail).toContain(`identity ${admin.identity_id}`);
  });

  it("is refused before the write too, where the plan could not tell (nothing is written)", async () => {
    const updates: unknown[] = [];
    const { ctx } = asCaller(admin.identity_id!, { updateUser: async (...args: unknown[]) => void updates.push(args) as never });
    const planned = { ...admin, cluster_role: "none" };
    await expect(userResource.update({ prior: admin, planned, config: planned }, ctx)).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ summary: "Refusing to remove the cluster admin role from the user the provider authenticates as", path: [{ attr: "cluster_role" }] })],
    });
    expect(updates).toEqual([]);
  });

  it("goes ahead with allow_self_demote = true, or an allow_self_demote not known yet (checked again at apply)", async () => {
    const { ctx, getMes } = asCaller(admin.identity_id!);
    expect((await plan(admin, { ...admin, cluster_role: "none", allow_self_demote: true }, ctx)).diagnostics).toBeUndefined();
    expect((await plan(admin, { ...admin, cluster_role: "none", allow_self_demote: unknown as never }, ctx)).diagnostics).toBeUndefined();
    expect(getMes()).toBe(0);
  });

  it("asks nothing of the Gateway for another user, a role kept or given, or a role not known yet", async () => {
    const { ctx, getMes } = asCaller("7d0c1c4e-0000-4000-8000-00000000ffff");
    expect((await plan(admin, { ...admin, cluster_role: "none" }, ctx)).diagnostics).toBeUndefined();
    expect(getMes()).toBe(1);
    const { ctx: own, getMes: ownGetMes } = asCaller(admin.identity_id!);
    expect((await plan(admin, { ...admin, name: "renamed" }, own)).diagnostics).toBeUndefined();
    expect((await plan(state, { ...state, cluster_role: "admin" }, own)).diagnostics).toBeUndefined();
    expect((await plan(admin, { ...admin, cluster_role: unknown as never }, own)).diagnostics).toBeUndefined();
    expect(ownGetMes()).toBe(0);
  });
});
