// When CreateAPIToken fails for good (gateway/token-minting.ts already retried and revoked what the lost
// attempts made): say what happened. If even the check failed, a token whose secret nobody holds may exist,
// so a placeholder without an id is recorded (tainted) with the window to search in its private state, and
// the next apply's replacement revokes whatever the Gateway made then — no token is left untracked.
import { describeWindow, type GatewayWindow } from "../../gateway/gateway-clock";
import { type MintingFailed, revokeUnclaimed } from "../../gateway/token-minting";
import type { OperationContext, ResourceResult } from "../../provider/definition";
import { unknownsAsNull } from "../../schema/cty";
import { type Diagnostic, error, quoted } from "../../schema/diagnostics";
import type { AgynSession } from "../configuration/session";
import { gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import type { ApiTokenApply, ApiTokenState } from "./api-token-schema";

interface LostCreate {
  readonly name: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** What the attempts did, for a message: how often the provider tried, and what the lost ones made and it revoked. */
export function mintingHistory(failure: MintingFailed): string {
  const revoked = failure.failedAttempts.flatMap((a) => a.revoked);
  const tries = failure.failedAttempts.length;
  return [
    tries > 1 ? `The provider tried ${tries} times.` : "",
    revoked.length > 0 ? `The Gateway had made ${revoked.length} token(s) whose answer never arrived (${revoked.join(", ")}); they were revoked.` : "",
  ].filter(Boolean).join(" ");
}

/** CreateAPIToken failed for good and every token the failed attempts made was found and revoked. */
export function settledMintingFailure(failure: MintingFailed, operation: string): Diagnostic {
  const cause = gatewayDiagnostic(failure.lastError, operation);
  const history = mintingHistory(failure);
  const checked = failure.failedAttempts.some((a) => a.error.facts.mayHaveApplied);
  const outcome = checked ? "\n\nNo token was left behind: after each failure that might have made one, the provider looked and revoked what it found." : "";
  return error(cause.summary, `${cause.detail ?? ""}${history ? `\n\n${history}` : ""}${outcome}`);
}

export function mintingFailure(failure: MintingFailed, planned: ApiTokenApply): ResourceResult<ApiTokenState> {
  if (!failure.unresolved) return { diagnostics: [settledMintingFailure(failure, "creating an API token")] };
  const cause = gatewayDiagnostic(failure.lastError, "creating an API token");
  const history = mintingHistory(failure);
  const { window, error: checkError } = failure.unresolved;
  const check = gatewayDiagnostic(checkError, "listing API tokens");
  const lost: LostCreate = { name: planned.description, fromMs: window.fromMs, toMs: window.toMs };
  return {
    value: {
      ...unknownsAsNull(planned),
      description: planned.description,
      id: null, token: null, token_prefix: null, identity_id: null, created_at: null, last_used_at: null, expired: false,
    },
    private: new TextEncoder().encode(JSON.stringify({ lostCreate: lost })),
    diagnostics: [error("API token creation failed; a token may have been created",
      `${cause.detail ?? cause.summary}${history ? `\n\n${history}` : ""}\n\nChecking whether the Gateway made a token anyway failed too: ${check.detail ?? check.summary}\n\n` +
      `So the Gateway may hold a token named ${quoted(planned.description)}, created ${describeWindow(window)}, ` +
      "whose secret nobody has. This resource is recorded without an id (tainted): the next terraform apply revokes any such token before it creates a new one.")],
  };
}

/** Deleting a placeholder: revokes what the lost create may have made. Undefined when it is no placeholder. */
export async function sweepLostCreate(
  state: Pick<ApiTokenState, "id">,
  privateState: Uint8Array | undefined,
  ctx: OperationContext<AgynSession>,
): Promise<{ diagnostics?: Diagnostic[] } | undefined> {
  const lost = state.id === null ? lostCreateOf(privateState) : undefined;
  if (!lost) return undefined;
  const session = ctx.session();
  const window: GatewayWindow = { fromMs: lost.fromMs, toMs: lost.toMs };
  try {
    const revoked = await revokeUnclaimed(session.gateway(), lost.name, window, session.tokenClaims);
    ctx.log.info("revoked what an earlier lost CreateAPIToken made", { name: lost.name, revoked: revoked.length });
    return {};
  } catch (err) {
    const d = gatewayDiagnostic(err, "revoking tokens a failed create may have made");
    return { diagnostics: [error("Cannot yet clean up after the earlier failed create", `${d.detail ?? d.summary}\n\nThe placeholder stays in state; apply again once the Gateway answers.`)] };
  }
}

function lostCreateOf(privateState: Uint8Array | undefined): LostCreate | undefined {
  if (!privateState || privateState.length === 0) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(privateState)) as { lostCreate?: Partial<LostCreate> };
    const lost = parsed.lostCreate;
    if (typeof lost?.name !== "string" || typeof lost.fromMs !== "number" || typeof lost.toMs !== "number") return undefined;
    return { name: lost.name, fromMs: lost.fromMs, toMs: lost.toMs };
  } catch {
    return undefined;
  }
}
