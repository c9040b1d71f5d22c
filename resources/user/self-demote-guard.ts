// Taking the cluster admin role from the user the provider authenticates as locks Terraform out of user
// management: every agyn_user read and write needs the role, so the apply cannot read the user back and every
// later plan fails on each agyn_user. Refused unless allow_self_demote = true; checked at plan time and again
// before the write (the setting may be unknown at plan). The caller is the session's one cached GetMe.
import { isUnknown } from "../../schema/cty";
import { type Diagnostic, error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { describeUser, isProviderUser } from "./own-user";
import type { UserPlan, UserState } from "./user-schema";

export async function selfDemoteProblem(
  prior: Pick<UserState, "identity_id" | "username" | "cluster_role">,
  planned: Pick<UserPlan, "cluster_role" | "allow_self_demote">,
  session: AgynSession | undefined,
  signal?: AbortSignal,
): Promise<Diagnostic | undefined> {
  if (prior.cluster_role !== "admin" || isUnknown(planned.cluster_role) || planned.cluster_role === "admin") return undefined;
  if (planned.allow_self_demote === true || isUnknown(planned.allow_self_demote) || session === undefined || prior.identity_id === null) {
    return undefined;
  }
  if (!(await isProviderUser(session, prior.identity_id, signal))) return undefined;
  const who = describeUser(prior);
  return error("Refusing to remove the cluster admin role from the user the provider authenticates as",
    `agyn user ${who} is the identity this provider's token belongs to. Without the cluster admin role the provider can no ` +
      "longer read or change users, this one included: the apply could not read it back, and every later plan with an agyn_user " +
      "would fail. Give the role to another user first and configure the provider with their token, or, if this is intended, " +
      "set allow_self_demote = true on this resource.",
    [{ attr: "cluster_role" }]);
}
