// The Gateway created a token but the apply cannot complete: revoke it so no secret is orphaned; if even
// that fails, return what exists so Terraform records it (tainted) and the next apply replaces it.
import { formatRfc3339 } from "../../gateway/instant";
import type { ApiTokenRecord } from "../../gateway/records";
import type { OperationContext, Result } from "../../provider/definition";
import { unknownsAsNull } from "../../schema/cty";
import { error } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import type { ApiTokenApply, ApiTokenState } from "./api-token-schema";

export async function revokeAfterFailedCreate(
  token: ApiTokenRecord | null,
  planned: ApiTokenApply,
  cause: unknown,
  ctx: OperationContext<AgynSession>,
): Promise<Result<ApiTokenState>> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  if (!token) {
    return { diagnostics: [error("API token creation failed", `The Gateway answered CreateAPIToken unexpectedly: ${reason}. If a token was created, revoke it in the Console.`)] };
  }
  try {
    await ctx.session().gateway().revokeApiToken(token.id);
    return { diagnostics: [error("API token creation failed; the new token was revoked",
      `The Gateway created token ${token.id} (prefix ${token.tokenPrefix}), but the provider could not finish: ${reason}. It revoked the token again so no secret is orphaned.`)] };
  } catch (revokeError) {
    const d = gatewayDiagnostic(revokeError, "revoking the half-created token");
    return {
      // The configured settings as planned, what the Gateway said about the token, and no secret.
      value: {
        ...unknownsAsNull(planned),
        description: planned.description,
        id: token.id, identity_id: token.identityId, token_prefix: token.tokenPrefix, token: null,
        expires_at: token.expiresAt ? formatRfc3339(token.expiresAt) : null,
        created_at: token.createdAt ? formatRfc3339(token.createdAt) : null, last_used_at: null, expired: false,
      },
      diagnostics: [error("API token creation failed and the token could not be revoked",
        `The Gateway created token ${token.id} (prefix ${token.tokenPrefix}), but the provider could not finish (${reason}) and revoking it failed too: ${d.detail ?? d.summary}. It is recorded in state (tainted) so the next apply replaces and revokes it.`)],
    };
  }
}
