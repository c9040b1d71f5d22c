// data "agyn_user": picks the lookup its configuration asks for and reports the user found.
import type { DataSourceDefinition } from "../../provider/definition";
import { isSet } from "../../schema/cty";
import { type Diagnostic, error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { USER_LOOKUP_ARGUMENTS, type UserLookupConfig, userDataSourceSchema, type UserLookupValues } from "./user-data-source-schema";
import { type FoundUser, lookupUser, type UserQuery } from "./user-lookup";

export const userDataSource: DataSourceDefinition<AgynSession, typeof userDataSourceSchema> = {
  typeName: "agyn_user",
  schema: userDataSourceSchema,
  validateConfig: (config) => conflictingArguments(config),
  async read({ config }, ctx) {
    const query = queryOf(config);
    const user = await lookupUser(ctx.session().gateway(), query, ctx.signal);
    return { value: userAttributes(user, query) };
  },
};

/** Every lookup argument set after the first is an error at its own path; unknown ones may still turn out null. */
export function conflictingArguments(config: UserLookupConfig): Diagnostic[] {
  const set = USER_LOOKUP_ARGUMENTS.filter((name) => isSet(config[name]));
  return set.slice(1).map((name) =>
    error("Conflicting lookup arguments",
      `"${name}" cannot be used together with "${set[0]}": identity_id, username and oidc_subject are mutually exclusive. ` +
        "Set one of them to look up a user, or none to read the caller.",
      [{ attr: name }]));
}

function queryOf(config: UserLookupValues): UserQuery {
  for (const name of USER_LOOKUP_ARGUMENTS) {
    const value = config[name];
    if (typeof value === "string") return { by: name, value };
  }
  return { by: "caller" };
}

function userAttributes(user: FoundUser, query: UserQuery): UserLookupValues {
  const found: UserLookupValues = {
    id: user.identityId,
    identity_id: user.identityId,
    username: user.username,
    oidc_subject: user.oidcSubject,
    name: user.name,
    email: user.email,
    photo_url: user.photoUrl,
    cluster_role: user.clusterRole,
  };
  // A configured argument comes back exactly as written (an identity id may be in upper case): Terraform
  // rejects a data source that changes its configuration.
  return query.by === "caller" ? found : { ...found, [query.by]: query.value };
}
