// resource "agyn_user": users managed by a cluster admin through CreateUser / GetUser / UpdateUser /
// DeleteUser. Writes never take the Stop signal: a sent create is recorded, not abandoned. The rules live
// beside it: user-changes.ts (what an update sends), user-state.ts, go-provider-state.ts, the conflicts.
import { GatewayError } from "../../gateway/gateway-error";
import { isUuid } from "../../gateway/identifiers";
import type { UserRecord } from "../../gateway/records";
import type { OperationContext, ResourceDefinition } from "../../provider/definition";
import { isUnknown } from "../../schema/cty";
import { DiagnosticError, error, quoted, warning } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { adminCallDiagnostic, callAsClusterAdmin } from "../gateway-calls/cluster-admin-calls";
import { createUserOnce, UserCreationFailed } from "../../gateway/user-creation";
import { deleteAfterFailedCreate } from "./failed-create";
import { describeUser } from "./own-user";
import { selfDeleteProblem } from "./self-delete-guard";
import { selfDemoteProblem } from "./self-demote-guard";
import { userCreationFailure } from "./lost-create";
import { goProviderUserState } from "./go-provider-state";
import { changes } from "./user-changes";
import { duplicateUserDiagnostic } from "./user-conflicts";
import { type UserApply, userSchema, type UserState } from "./user-schema";
import { clusterRoleFromName, type ProviderSideSettings, userState } from "./user-state";

type Ctx = OperationContext<AgynSession>;

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export const userResource: ResourceDefinition<AgynSession, typeof userSchema> = {
  typeName: "agyn_user",
  schema: userSchema,
  stateUpgraders: { 0: goProviderUserState },

  async modifyPlan({ prior, planned, requiresReplace }, ctx) {
    if (prior === null) return { planned };
    if (planned === null) {
      // Destroy plan (Terraform >= 1.3 asks us): refuse early if this is the provider's own user.
      const problem = await selfDeleteProblem(prior, ctx.sessionIfConfigured(), "destroy", ctx.signal);
      return { diagnostics: problem ? [problem] : [] };
    }
    const subject = planned.oidc_subject;
    if (!isUnknown(subject) && subject === prior.oidc_subject && (requiresReplace ?? []).length === 0) {
      const problem = await selfDemoteProblem(prior, planned, ctx.sessionIfConfigured(), ctx.signal);
      return problem ? { planned, diagnostics: [problem] } : { planned };
    }
    const problem = await selfDeleteProblem(prior, ctx.sessionIfConfigured(), "replace", ctx.signal);
    if (problem) return { planned, diagnostics: [problem] };
    const who = describeUser(prior);
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
    const session = ctx.session();
    const gateway = session.gateway();
    const oidcSubject = planned.oidc_subject;
    const username = text(planned.username);
    let created: UserRecord | null;
    try {
      // Stop cancels only the waits between attempts: a create that reached the Gateway is recorded, not abandoned.
      const outcome = await createUserOnce(gateway, {
        oidcSubject,
        name: text(planned.name),
        photoUrl: text(planned.photo_url),
        username,
        clusterRole: clusterRoleFromName(planned.cluster_role),
      }, session.userClaims, { signal: ctx.signal });
      for (const failed of outcome.failedAttempts) ctx.log.warn("CreateUser failed and was checked", { error: failed.message, adopted: outcome.adopted });
      created = outcome.user;
    } catch (err) {
      if (!(err instanceof UserCreationFailed)) throw err;
      throw new DiagnosticError(await userCreationFailure(gateway, err, { oidcSubject, username }));
    }
    if (!created) throw new DiagnosticError(error("The Gateway created a user without an identity id", "CreateUser answered without the new user's id; check the users list in the Console."));
    try {
      return { value: await finishCreate(created.identityId, planned, ctx) };
    } catch (err) {
      return deleteAfterFailedCreate(created.identityId, created.username, planned, err, ctx);
    }
  },

  async read({ state }, ctx) {
    const session = ctx.session();
    if (state.identity_id === null) return { value: null };
    try {
      const found = await session.gateway().getUser(state.identity_id, { signal: ctx.signal });
      if (!found) return { value: null };
      session.userClaims.claim(found.user.identityId);
      return { value: userState(found.user, found.clusterRole, state) };
    } catch (err) {
      if (err instanceof GatewayError && err.code === "not_found") {
        ctx.log.info("agyn user no longer exists; removing it from state", { identity_id: state.identity_id });
        return { value: null };
      }
      throw new DiagnosticError(adminCallDiagnostic(err, "reading a user"));
    }
  },

  async update({ prior, planned }, ctx) {
    const gateway = ctx.session().gateway();
    const id = prior.identity_id ?? "";
    const patch = changes(prior, planned);
    // Only provider-side settings (allow_self_delete, allow_self_demote) changed: the user is untouched.
    if (!patch) return { value: { ...prior, allow_self_delete: planned.allow_self_delete, allow_self_demote: planned.allow_self_demote } };
    const demote = await selfDemoteProblem(prior, planned, ctx.session(), ctx.signal);
    if (demote) throw new DiagnosticError(demote);
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
      return { value: await fetchUser(id, planned, ctx) };
    } catch (err) {
      // The write happened (e.g. an admin just removed their own admin role and may no longer read users):
      // record what UpdateUser answered rather than keep the prior state, which is no longer true.
      if (!written) throw err;
      return {
        value: userState(written, clusterRoleFromName(planned.cluster_role), planned),
        diagnostics: [warning("The updated user could not be read back",
          `The update succeeded, but reading the user again failed: ${adminCallDiagnostic(err, "reading a user").detail ?? ""} State records the update's answer; the next refresh corrects anything else.`)],
      };
    }
  },

  async delete({ prior }, ctx) {
    const session = ctx.session();
    // No id: nothing was ever created, so there is nothing to delete.
    if (prior.identity_id === null) return {};
    const problem = await selfDeleteProblem(prior, session, "destroy", ctx.signal);
    if (problem) return { diagnostics: [problem] };
    try {
      // A delete whose first attempt got lost and whose retry finds the user gone counts as done.
      await session.gateway().deleteUser(prior.identity_id, { signal: ctx.signal });
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
        `${quoted(id)} is not an identity id. Import an agyn_user with the user's identity id (a UUID), e.g. from data "agyn_user" or the Console.`));
    }
    const session = ctx.session();
    try {
      const found = await session.gateway().getUser(trimmed.toLowerCase(), { signal: ctx.signal });
      if (found) {
        session.userClaims.claim(found.user.identityId);
        return { value: userState(found.user, found.clusterRole) };
      }
    } catch (err) {
      if (!(err instanceof GatewayError && err.code === "not_found")) throw new DiagnosticError(adminCallDiagnostic(err, "importing a user"));
    }
    throw new DiagnosticError(error("agyn user not found", `No agyn user has identity id ${trimmed}.`));
  },
};

/** After CreateUser: email (not part of CreateUserRequest), and cluster_role should the Gateway ignore it there. */
async function finishCreate(id: string, planned: UserApply, ctx: Ctx): Promise<UserState> {
  const current = await fetchUser(id, planned, ctx);
  const patch = changes(current, planned);
  if (!patch) return current;
  await ctx.session().gateway().updateUser(id, patch);
  return fetchUser(id, planned, ctx);
}

async function fetchUser(id: string, settings: ProviderSideSettings, ctx: Ctx): Promise<UserState> {
  // No Stop signal: this finishes a write that happened, whose outcome must be recorded.
  const found = await callAsClusterAdmin("reading a user", () => ctx.session().gateway().getUser(id));
  if (!found) throw new DiagnosticError(error("agyn user not found", `The Gateway has no user with identity id ${id} any more.`));
  return userState(found.user, found.clusterRole, settings);
}
