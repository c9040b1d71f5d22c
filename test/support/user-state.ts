// One agyn_user as state holds it, for the tests of the user resource's rules.
import type { UserState } from "../../resources/user/user-schema";

export const state: UserState = {
  id: "7d0c1c4e-0000-4000-8000-000000000001",
  identity_id: "7d0c1c4e-0000-4000-8000-000000000001",
  oidc_subject: "svc:ci",
  name: "CI",
  email: "ci@example.com",
  photo_url: null,
  username: "ci",
  cluster_role: "none",
  allow_self_delete: null,
  allow_self_demote: null,
};
