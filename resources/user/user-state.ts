// agyn_user state from what the Gateway says about a user.
import type { ClusterRoleName, UserRecord } from "../../gateway/records";
import type { UserState } from "./user-schema";

/** A configured cluster_role; anything but "admin" is no role. */
export function clusterRoleFromName(name: unknown): ClusterRoleName {
  return name === "admin" ? "admin" : "none";
}

/** The settings that live only in Terraform, never on the Gateway. */
export type ProviderSideSettings = Pick<UserState, "allow_self_delete" | "allow_self_demote">;

/** The Gateway's view of a user, with the provider-side settings taken from `settings`. */
export function userState(
  user: UserRecord,
  role: ClusterRoleName,
  settings: ProviderSideSettings = { allow_self_delete: null, allow_self_demote: null },
): UserState {
  return {
    id: user.identityId,
    identity_id: user.identityId,
    // Every user has one; only BatchGetUsers hides it, and state is never read from BatchGetUsers.
    oidc_subject: user.oidcSubject ?? "",
    name: user.name,
    email: user.email,
    photo_url: user.photoUrl,
    username: user.username,
    cluster_role: role,
    allow_self_delete: settings.allow_self_delete,
    allow_self_demote: settings.allow_self_demote,
  };
}
