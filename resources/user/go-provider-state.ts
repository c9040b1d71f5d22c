// The platform's Go provider (terraform-plugin-framework) wrote agyn_user at schema version 0: identity_id,
// oidc_subject, name, photo_url, the deprecated nickname, username and cluster_role; email and id did not
// exist. Its state upgrades in place, no re-import.
import type { StateUpgrader } from "../../provider/definition";
import type { CtyValue } from "../../schema/cty";
import type { UserState } from "./user-schema";

/** The Go provider stored "" for unset values; this provider stores null, as the configuration does. */
const textOrNull = (value: CtyValue | undefined): string | null => (typeof value === "string" && value !== "" ? value : null);

/**
 * nickname is dropped, not taken for a missing username: it is a separate, org-scoped field, and a guessed
 * handle would be planned as if known. A null username is filled by the next refresh, as email is.
 */
export const goProviderUserState: StateUpgrader<UserState> = {
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
    const id = typeof prior.identity_id === "string" ? prior.identity_id : null;
    return {
      value: {
        id,
        identity_id: id,
        // Required there as here.
        oidc_subject: prior.oidc_subject as string,
        name: textOrNull(prior.name),
        email: null,
        photo_url: textOrNull(prior.photo_url),
        username: textOrNull(prior.username),
        cluster_role: prior.cluster_role === "admin" ? "admin" : "none",
        allow_self_delete: null,
        allow_self_demote: null,
      },
    };
  },
};
