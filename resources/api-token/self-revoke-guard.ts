// Revoking the token the provider itself authenticates with would lock Terraform out mid-run; refuse it
// unless allow_self_revoke = true. Compared by hash when state holds the secret, by prefix after import.
import { hashApiToken } from "../../gateway/token-format";
import { type Diagnostic, error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import type { ApiTokenState } from "./api-token-schema";

/** Without a configured session (its token unknown yet) there is nothing to compare with, so nothing to refuse. */
export function selfRevokeProblem(
  state: Pick<ApiTokenState, "id" | "token" | "token_prefix" | "allow_self_revoke">,
  session: AgynSession | undefined,
): Diagnostic | undefined {
  if (state.allow_self_revoke === true || session === undefined) return undefined;
  if (typeof state.token === "string") {
    if (hashApiToken(state.token) !== session.configuredTokenHash) return undefined;
    return error("Refusing to revoke the provider's own token",
      `Token ${state.id} is the token this provider authenticates with; revoking it would lock Terraform out. ` +
      "Configure the provider with another token, or set allow_self_revoke = true on this resource if this is intended.");
  }
  if (typeof state.token_prefix === "string" && state.token_prefix === session.configuredTokenPrefix) {
    return error("Refusing to revoke what may be the provider's own token",
      `Token ${state.id} was imported, so its secret is unknown, and its prefix ${state.token_prefix} matches the token this provider authenticates with. ` +
      "If it is a different token, set allow_self_revoke = true on this resource; otherwise configure the provider with another token first.");
  }
  return undefined;
}
