// data "agyn_user": GetMe for the caller.
import { ClusterRole, type GetMeResponse } from "../gen/agynio/api/users/v1/users_pb";
import type { DataSourceDefinition } from "../provider/definition";
import { DiagnosticError, error } from "../provider/diagnostics";
import { userDataSourceSchema } from "../schema/user-data-source";
import { callGateway } from "./gateway-diagnostics";
import type { AgynSession } from "./session";

export const userDataSource: DataSourceDefinition<AgynSession> = {
  typeName: "agyn_user",
  schema: userDataSourceSchema,
  async read(_req, ctx) {
    const gateway = ctx.session().gateway();
    const me = await callGateway("reading the current user", () => gateway.getMe({ signal: ctx.signal }));
    return { value: userAttributes(me) };
  },
};

export function clusterRoleName(role: ClusterRole): "admin" | "none" {
  return role === ClusterRole.ADMIN ? "admin" : "none";
}

function userAttributes(me: GetMeResponse) {
  const user = me.user;
  if (!user?.meta?.id) {
    throw new DiagnosticError(error("The Gateway returned no user",
      "GetMe succeeded without a user record. The platform's bootstrap (cluster-admin) token has no user; use a user's API token to read agyn_user."));
  }
  return {
    identity_id: user.meta.id,
    oidc_subject: user.oidcSubject,
    name: user.name,
    email: user.email,
    username: user.username,
    photo_url: user.photoUrl,
    cluster_role: clusterRoleName(me.clusterRole),
  };
}
