// agyn_user state from the Gateway's record of a user.
import { create } from "@bufbuild/protobuf";
import { ClusterRole, UserSchema } from "../../../gen/agynio/api/users/v1/users_pb";
import { clusterRoleName, userRecord } from "../../../gateway/message-mapping";
import type { UserState } from "../../../resources/user/user-schema";
import { userState } from "../../../resources/user/user-state";

const state: UserState = {
  id: "7d0c1c4e-0000-4000-8000-000000000001",
  identity_id: "7d0c1c4e-0000-4000-8000-000000000001",
  oidc_subject: "svc:ci",
  name: "CI",
  email: "ci@example.com",
  photo_url: null,
  username: "ci",
  cluster_role: "none",
};

describe("userState", () => {
  it("maps the Gateway's empty strings to null and the role to its name", () => {
    const user = create(UserSchema, { meta: { id: state.id! }, oidcSubject: "svc:ci", name: "CI", username: "ci" });
    expect(userState(userRecord(user)!, clusterRoleName(ClusterRole.ADMIN))).toEqual({ ...state, email: null, cluster_role: "admin" });
  });
});

