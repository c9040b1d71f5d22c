// agyn_user state from the Gateway's record of a user.
import { create } from "@bufbuild/protobuf";
import { ClusterRole, UserSchema } from "../../../gen/agynio/api/users/v1/users_pb";
import { clusterRoleName, userRecord } from "../../../gateway/message-mapping";
import { userState } from "../../../resources/user/user-state";

import { state } from "../../support/user-state";

describe("userState", () => {
  it("maps the Gateway's empty strings to null and the role to its name", () => {
    const user = create(UserSchema, { meta: { id: state.id! }, oidcSubject: "svc:ci", name: "CI", username: "ci" });
    expect(userState(userRecord(user)!, clusterRoleName(ClusterRole.ADMIN))).toEqual({ ...state, email: null, cluster_role: "admin" });
  });
});

