// agyn_user state from what the Gateway says about a user, and the upgrade of the platform's Go provider
// state (schema version 0) to this provider's schema.
import type { ClusterRoleName, UserRecord } from "../../gateway/records";
import type { StateUpgrader } from "../../provider/definition";
import type { CtyObject, CtyValue } from "../../schema/cty";

/** A configured cluster_role; anything but "admin" is no role. */
export function clusterRoleFromName(name: CtyValue): ClusterRoleName {
  return name === "admin" ? "admin" : "none";
}

export function userState(user: UserRecord, role: ClusterRoleName): CtyObject {
  return {
    id: user.identityId,
    identity_id: user.identityId,
    oidc_subject: user.oidcSubject,
    name: user.name,
    email: user.email,
    photo_url: user.photoUrl,
    username: user.username,
    cluster_role: role,
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
