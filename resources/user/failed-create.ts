// A user that exists but is not what the plan said is deleted again (it is brand new, so it owns no tokens),
// so the next apply starts clean. Only if that fails too is it recorded, tainted, for the next apply to replace.
import type { OperationContext, Result } from "../../provider/definition";
import { unknownsAsNull } from "../../schema/cty";
import { error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { adminCallDiagnostic } from "../gateway-calls/cluster-admin-calls";
import type { UserApply, UserState } from "./user-schema";

export async function deleteAfterFailedCreate(
  id: string,
  username: string | null,
  planned: UserApply,
  cause: unknown,
  ctx: OperationContext<AgynSession>,
): Promise<Result<UserState>> {
  const reason = adminCallDiagnostic(cause, "finishing the new user's settings");
  const why = reason.detail ?? reason.summary;
  try {
    await ctx.session().gateway().deleteUser(id);
    return { diagnostics: [error("agyn user creation failed; the new user was deleted again",
      `The Gateway created user ${id}, but the provider could not finish setting it up: ${why}\n\nIt deleted the user again so nothing half-made is left. Fix the cause and apply again.`)] };
  } catch (deleteError) {
    const d = adminCallDiagnostic(deleteError, "deleting the half-created user");
    return {
      value: { ...unknownsAsNull(planned), oidc_subject: planned.oidc_subject, id, identity_id: id, username },
      diagnostics: [error("agyn user creation failed and the user could not be deleted",
        `The Gateway created user ${id}, but the provider could not finish setting it up (${why}) and deleting it failed too: ${d.detail ?? d.summary}\n\n` +
          "It is recorded in state (tainted), so the next apply replaces it.")],
    };
  }
}
