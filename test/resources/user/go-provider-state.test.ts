// The platform's Go provider's agyn_user state (schema version 0) upgrades in place.
import { goProviderUserState } from "../../../resources/user/go-provider-state";
import { userResource } from "../../../resources/user/user-resource";

import { state } from "../../support/user-state";

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

