// agyn_user state from what the Gateway says about a user, and the upgrade of the platform's Go provider
// state (schema version 0) to this provider's schema.
import { ClusterRole, type User } from "../../gen/agynio/api/users/v1/users_pb";
import type { StateUpgrader } from "../../provider/definition";
import type { CtyObject, CtyValue } from "../../schema/cty";

export type ClusterRoleName = "admin" | "none";

export function clusterRoleName(role: ClusterRole): ClusterRoleName {
  return role === ClusterRole.ADMIN ? "admin" : "none";
}

export function clusterRoleFromName(name: CtyValue): ClusterRole {
  return name === "admin" ? ClusterRole.ADMIN : ClusterRole.UNSPECIFIED;
}

/** The Gateway omits zero values, so "" means "not set": state holds null for it, as the configuration does. */
const orNull = (value: string): string | null => (value === "" ? null : value);

export function userState(user: User, role: ClusterRole): CtyObject {
  const id = user.meta?.id ?? "";
  return {
    id,
    identity_id: id,
    oidc_subject: user.oidcSubject,
    name: orNull(user.name),
    email: orNull(user.email),
    photo_url: orNull(user.photoUrl),
    username: orNull(user.username),
    cluster_role: clusterRoleName(role),
  };
}

const emptyToNull = (value: CtyValue): CtyValue => (value === "" ? null : value);

/**
 * The Go provider (terraform-plugin-framework) stored identity_id, oidc_subject, name, photo_url, the
 * deprecated nickname, username and cluster_role; email and id did not exist. nickname is dropped, not taken
 * for a missing username: it is a separate, org-scoped field, and a guessed handle would be planned as if
 * known. A null username is filled by the next refresh, as email is.
 */
export const goProviderUserState: StateUpgrader = {
  priorType: ["object", {
    identity_id: "string",
    oidc_subject: "string",
    name: "string",
    photo_url: "string",
    nickname: "string",
    username: "string",
    cluster_role: "string",
  }],
  upgrade(prior) {
    return {
      value: {
        id: prior.identity_id ?? null,
        identity_id: prior.identity_id ?? null,
        oidc_subject: prior.oidc_subject ?? null,
        name: emptyToNull(prior.name ?? null),
        email: null,
        photo_url: emptyToNull(prior.photo_url ?? null),
        username: emptyToNull(prior.username ?? null),
        cluster_role: prior.cluster_role === "admin" ? "admin" : "none",
      },
    };
  },
};
