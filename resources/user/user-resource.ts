// resource "agyn_user": users managed by a cluster admin through CreateUser / GetUser / UpdateUser /
// DeleteUser. Writes never take the Stop signal: a sent create is recorded, not abandoned.
import type { UserChanges, UserRecord } from "../../gateway/records";
import { GatewayError } from "../../gateway/gateway-error";
import type { OperationContext, ResourceDefinition } from "../../provider/definition";
import { DiagnosticError, error, warning } from "../../schema/diagnostics";
import { CtyObject, CtyValue, isUnknown, unknownsAsNull } from "../../schema/cty";
import { userSchema } from "./user-schema";
import { adminCallDiagnostic, callAsClusterAdmin } from "../gateway-calls/cluster-admin-calls";
import type { AgynSession } from "../configuration/session";
import { isUuid } from "../../gateway/identifiers";
import { duplicateUserDiagnostic } from "./user-conflicts";
import { clusterRoleFromName, goProviderUserState, userState } from "./user-state";

type Ctx = OperationContext<AgynSession>;

const text = (value: CtyValue): string | undefined => (typeof value === "string" ? value : undefined);

export const userResource: ResourceDefinition<AgynSession> = {
  typeName: "agyn_user",
  schema: userSchema,
  stateUpgraders: { 0: goProviderUserState },

  async modifyPlan({ prior, planned }) {
    if (prior === null || planned === null) return { planned };
    const subject = planned.oidc_subject;
    if (!isUnknown(subject) && subject === prior.oidc_subject) return { planned };
    const who = prior.username ? `${String(prior.username)} (identity ${String(prior.identity_id)})` : `identity ${String(prior.identity_id)}`;
    return {
      planned,
      diagnostics: [warning("Replacing this user deletes all of their API tokens",
        `Changing oidc_subject replaces agyn user ${who}: the Gateway deletes the user and every API token they own — ` +
          "including tokens managed elsewhere (other Terraform configurations, the Console, the agyn CLI) — and creates a new identity with a new id. " +
          "Anything that authenticates with those tokens stops working at once.",
        [{ attr: "oidc_subject" }])],
    };
  },

  async create({ planned }, ctx) {
    const gateway = ctx.session().gateway();
    const oidcSubject = String(planned.oidc_subject);
    const username = text(planned.username);
    let created: UserRecord | null;
    try {
      created = await gateway.createUser({
        oidcSubject,
        name: text(planned.name),
        photoUrl: text(planned.photo_url),
        username,
        clusterRole: clusterRoleFromName(planned.cluster_role),
      });
    } catch (err) {
      if (err instanceof GatewayError && err.code === "already_exists") {
        throw new DiagnosticError(await duplicateUserDiagnostic(gateway, { oidcSubject, username }, err));
      }
      throw new DiagnosticError(adminCallDiagnostic(err, "creating a user"));
    }
    const id = created?.identityId;
    if (!id) throw new DiagnosticError(error("The Gateway created a user without an identity id", "CreateUser answered without the new user's id; check the users list in the Console."));
    try {
      return { value: await finishCreate(id, planned, ctx) };
    } catch (err) {
      return deleteAfterFailedCreate(id, created?.username ?? null, planned, err, ctx);
    }
  },

  async read({ state }, ctx) {
    const gateway = ctx.session().gateway();
    try {
      const found = await gateway.getUser(String(state.identity_id), { signal: ctx.signal });
      if (!found) return { value: null };
      return { value: userState(found.user, found.clusterRole) };
    } catch (err) {
      if (err instanceof GatewayError && err.code === "not_found") {
        ctx.log.info("agyn user no longer exists; removing it from state", { identity_id: String(state.identity_id) });
        return { value: null };
      }
      throw new DiagnosticError(adminCallDiagnostic(err, "reading a user"));
    }
  },

  async update({ prior, planned }, ctx) {
    const gateway = ctx.session().gateway();
    const id = String(prior.identity_id);
    const patch = changes(prior, planned);
    if (!patch) return { value: prior };
    let written: UserRecord | null;
    try {
      written = await gateway.updateUser(id, patch);
    } catch (err) {
      if (err instanceof GatewayError && err.code === "already_exists") {
        throw new DiagnosticError(await duplicateUserDiagnostic(gateway, { username: patch.username }, err));
      }
      throw new DiagnosticError(adminCallDiagnostic(err, "updating a user"));
    }
    try {
      return { value: await fetchUser(id, ctx) };
    } catch (err) {
      // The write happened (e.g. an admin just removed their own admin role and may no longer read users):
      // record what UpdateUser answered rather than keep the prior state, which is no longer true.
      if (!written) throw err;
      return {
        value: userState(written, clusterRoleFromName(planned.cluster_role)),
        diagnostics: [warning("The updated user could not be read back",
          `The update succeeded, but reading the user again failed: ${adminCallDiagnostic(err, "reading a user").detail ?? ""} State records the update's answer; the next refresh corrects anything else.`)],
      };
    }
  },

  async delete({ prior }, ctx) {
    const gateway = ctx.session().gateway();
    try {
      await gateway.deleteUser(String(prior.identity_id));
    } catch (err) {
      if (err instanceof GatewayError && err.code === "not_found") return {};
      return { diagnostics: [adminCallDiagnostic(err, "deleting a user")] };
    }
    return {};
  },

  async importState(id, ctx) {
    const trimmed = id.trim();
    if (!isUuid(trimmed)) {
      throw new DiagnosticError(error("Invalid import id",
        `"${id}" is not an identity id. Import an agyn_user with the user's identity id (a UUID), e.g. from data "agyn_user" or the Console.`));
    }
    const gateway = ctx.session().gateway();
    try {
      const found = await gateway.getUser(trimmed.toLowerCase(), { signal: ctx.signal });
      if (found) return { value: userState(found.user, found.clusterRole) };
    } catch (err) {
      if (!(err instanceof GatewayError && err.code === "not_found")) throw new DiagnosticError(adminCallDiagnostic(err, "importing a user"));
    }
    throw new DiagnosticError(error("agyn user not found", `No agyn user has identity id ${trimmed}.`));
  },
};

/** After CreateUser: email (not part of CreateUserRequest), and cluster_role should the Gateway ignore it there. */
async function finishCreate(id: string, planned: CtyObject, ctx: Ctx): Promise<CtyObject> {
  const current = await fetchUser(id, ctx);
  const patch = changes(current, planned);
  if (!patch) return current;
  await ctx.session().gateway().updateUser(id, patch);
  return fetchUser(id, ctx);
}

/**
 * A user that exists but is not what the plan said is deleted again (it is brand new, so it owns no tokens),
 * so the next apply starts clean. Only if that fails too is it recorded, tainted, for the next apply to replace.
 */
async function deleteAfterFailedCreate(id: string, username: string | null, planned: CtyObject, cause: unknown, ctx: Ctx) {
  const reason = adminCallDiagnostic(cause, "finishing the new user's settings");
  const why = reason.detail ?? reason.summary;
  try {
    await ctx.session().gateway().deleteUser(id);
    return { diagnostics: [error("agyn user creation failed; the new user was deleted again",
      `The Gateway created user ${id}, but the provider could not finish setting it up: ${why}\n\nIt deleted the user again so nothing half-made is left. Fix the cause and apply again.`)] };
  } catch (deleteError) {
    const d = adminCallDiagnostic(deleteError, "deleting the half-created user");
    return {
      value: {
        ...unknownsAsNull(planned),
        id, identity_id: id, username,
      },
      diagnostics: [error("agyn user creation failed and the user could not be deleted",
        `The Gateway created user ${id}, but the provider could not finish setting it up (${why}) and deleting it failed too: ${d.detail ?? d.summary}\n\n` +
          "It is recorded in state (tainted), so the next apply replaces it.")],
    };
  }
}

async function fetchUser(id: string, ctx: Ctx): Promise<CtyObject> {
  const found = await callAsClusterAdmin("reading a user", () => ctx.session().gateway().getUser(id));
  if (!found) throw new DiagnosticError(error("agyn user not found", `The Gateway has no user with identity id ${id} any more.`));
  return userState(found.user, found.clusterRole);
}

/**
 * Only what differs between the current state and the plan. A value removed from the configuration is sent
 * as "" — the Gateway's "not set" — so clearing really clears; an unknown (computed) username is left alone.
 */
export function changes(current: CtyObject, planned: CtyObject): UserChanges | undefined {
  const patch: { -readonly [K in keyof UserChanges]: UserChanges[K] } = {};
  const cleared = (value: CtyValue) => (value === null ? "" : String(value));
  if (planned.name !== current.name) patch.name = cleared(planned.name);
  if (planned.email !== current.email) patch.email = cleared(planned.email);
  if (planned.photo_url !== current.photo_url) patch.photoUrl = cleared(planned.photo_url);
  if (typeof planned.username === "string" && planned.username !== current.username) patch.username = planned.username;
  if (typeof planned.cluster_role === "string" && planned.cluster_role !== current.cluster_role) {
    patch.clusterRole = clusterRoleFromName(planned.cluster_role);
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
