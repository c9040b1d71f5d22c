// Deleting (or replacing) the user the provider authenticates as deletes the provider's own token with all
// the user's others and locks Terraform out mid-run; refuse it unless allow_self_delete = true. The caller is
// the session's one cached GetMe; the platform's bootstrap admin has no user, so nothing to refuse for it.
import { type Diagnostic, error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { describeUser, isProviderUser } from "./own-user";
import type { UserState } from "./user-schema";

export async function selfDeleteProblem(
  state: Pick<UserState, "identity_id" | "username" | "allow_self_delete">,
  session: AgynSession | undefined,
  removal: "destroy" | "replace",
  signal?: AbortSignal,
): Promise<Diagnostic | undefined> {
  if (state.allow_self_delete === true || session === undefined || state.identity_id === null) return undefined;
  if (!(await isProviderUser(session, state.identity_id, signal))) return undefined;
  const who = describeUser(state);
  const verb = removal === "destroy" ? "delete" : "replace";
  const optIn = removal === "destroy"
    ? "set allow_self_delete = true on this resource"
    : "set allow_self_delete = true on this resource and apply that on its own first (it changes nothing else)";
  return error(`Refusing to ${verb} the user the provider authenticates as`,
    `agyn user ${who} is the identity this provider's token belongs to. ${removal === "destroy" ? "Deleting" : "Replacing"} it deletes the user ` +
      "and every API token they own, the provider's own included, which locks Terraform out. " +
      `Configure the provider with another identity's token (or the platform's bootstrap admin token), or, if this is intended, ${optIn}. ` +
      "To stop managing the user without deleting it, remove it from the state instead: terraform state rm <address> (the resource Terraform " +
      "names with this error), or a removed block " +
      "(Terraform 1.7+): removed { from = <address> lifecycle { destroy = false } }.");
}
