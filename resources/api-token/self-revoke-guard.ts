// Revoking the token the provider itself authenticates with would lock Terraform out mid-run; refuse it
// unless allow_self_revoke = true. Compared by hash when state holds the secret, by prefix after import.
// A replacement revokes the old token too, so it is refused at plan time like a destroy — before
// create_before_destroy mints a new token that the failing revoke would then leave deposed.
import { hashApiToken } from "../../gateway/token-format";
import { type Diagnostic, error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import type { ApiTokenState } from "./api-token-schema";

/** What would revoke the token: destroying it, or replacing it with a new one. */
export type Revocation = "destroy" | "replace";

const WAYS_OUT =
  "To stop managing the token without revoking it, remove it from the state instead: terraform state rm <address> (the resource " +
  "Terraform names with this error), or a removed block " +
  "(Terraform 1.7+): removed { from = <address> lifecycle { destroy = false } }.";

/** Without a configured session (its token unknown yet) there is nothing to compare with, so nothing to refuse. */
export function selfRevokeProblem(
  state: Pick<ApiTokenState, "id" | "token" | "token_prefix" | "allow_self_revoke">,
  session: AgynSession | undefined,
  revocation: Revocation = "destroy",
): Diagnostic | undefined {
  if (state.allow_self_revoke === true || session === undefined) return undefined;
  const verb = revocation === "destroy" ? "revoke" : "replace";
  const consequence = revocation === "destroy" ? "revoking it" : "replacing it revokes it, which";
  const optIn = revocation === "destroy"
    ? "set allow_self_revoke = true on this resource"
    : "set allow_self_revoke = true on this resource and apply that on its own first (it changes nothing else)";
  if (typeof state.token === "string") {
    if (hashApiToken(state.token) !== session.configuredTokenHash) return undefined;
    return error(`Refusing to ${verb} the provider's own token`,
      `Token ${state.id} is the token this provider authenticates with; ${consequence} would lock Terraform out. ` +
      `Configure the provider with another token, or, if this is intended, ${optIn}. ${WAYS_OUT}`);
  }
  if (typeof state.token_prefix === "string" && state.token_prefix === session.configuredTokenPrefix) {
    return error(`Refusing to ${verb} what may be the provider's own token`,
      `Token ${state.id} was imported, so its secret is unknown, and its prefix ${state.token_prefix} matches the token this provider authenticates with. ` +
      `If it is a different token, ${optIn}; otherwise configure the provider with another token first. ${WAYS_OUT}`);
  }
  return undefined;
}
