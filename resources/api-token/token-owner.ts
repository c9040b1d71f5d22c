// The Gateway only lets a token's owner see or revoke it. When the provider now authenticates as someone
// else (a switched profile), "not listed" proves nothing, so the state is kept rather than a live secret
// orphaned.
import { DiagnosticError, error } from "../../schema/diagnostics";
import type { OperationContext } from "../../provider/definition";
import type { AgynSession } from "../configuration/session";
import { callGateway } from "../gateway-calls/gateway-diagnostics";
import type { ApiTokenState } from "./api-token-schema";

export async function assertSameOwner(
  state: Pick<ApiTokenState, "id" | "identity_id" | "token_prefix">,
  ctx: OperationContext<AgynSession>,
  doing: "read" | "revoke",
): Promise<void> {
  const me = await callGateway("reading the current user", () => ctx.session().callerIdentity(ctx.signal));
  const caller = me.user?.identityId;
  if (state.identity_id && caller && caller !== state.identity_id) {
    throw new DiagnosticError(error("API token belongs to another identity",
      `This token (id ${state.id}, prefix ${state.token_prefix}) belongs to identity ${state.identity_id}, but the provider now authenticates as ${me.user?.username || caller} (identity ${caller}). ` +
      `The Gateway only lets a token's owner ${doing} it, so the provider cannot tell whether it still exists and keeps it in state rather than orphan a live secret. ` +
      "Configure the provider with the owner's token (or profile) again."));
  }
}
