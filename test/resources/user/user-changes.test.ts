// What UpdateUser sends: only what changed; a removed value clears.
import { ClusterRole } from "../../../gen/agynio/api/users/v1/users_pb";
import { clusterRoleName } from "../../../gateway/message-mapping";
import { changes } from "../../../resources/user/user-changes";
import { unknown } from "../../../schema/cty";

import { state } from "../../support/user-state";

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

