// When CreateAPIToken fails for good (gateway/token-minting.ts already retried and revoked what the lost
// attempts made): say what happened. If even the check failed, a token whose secret nobody holds may exist,
// so a placeholder is recorded (tainted) whose id names the window to search, and its destroy — the next
// apply's replacement, a terraform destroy, or a removal from the configuration — revokes whatever the Gateway
// made then: no token is left untracked.
//
// The window travels in the id, a value of the state, and not in private state: replacing a tainted object
// without create_before_destroy, Terraform gives the destroy's apply the private state planned for the new
// object, which it plans from no prior object at all. The state's values reach the destroy on every path.
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
  return {
    value: {
      ...unknownsAsNull(planned),
      description: planned.description,
      id: lostCreateId(window), token: null, token_prefix: null, identity_id: null, created_at: null, last_used_at: null, expired: false,
    },
    diagnostics: [error("API token creation failed; a token may have been created",
      `${cause.detail ?? cause.summary}${history ? `\n\n${history}` : ""}\n\nChecking whether the Gateway made a token anyway failed too: ${check.detail ?? check.summary}\n\n` +
      `So the Gateway may hold a token named ${quoted(planned.description)}, created ${describeWindow(window)}, ` +
      "whose secret nobody has. This resource is recorded as a placeholder (tainted) whose id names that window: the next terraform apply " +
      "revokes any such token before it creates a new one, and so does terraform destroy.")],
  };
}

const LOST_CREATE_ID = /^lost-create:([^/\s]+)\/([^/\s]+)$/;

/** The placeholder's id: the window in which the lost create may have made its token, in the Gateway's time. */
export function lostCreateId(window: GatewayWindow): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return `lost-create:${iso(Math.floor(window.fromMs))}/${iso(Math.ceil(window.toMs))}`;
}

/** Whether the state is no token: a lost create's placeholder (or, without an id, one that never made any). */
export function isPlaceholder(state: Pick<ApiTokenState, "id">): boolean {
  return state.id === null || LOST_CREATE_ID.test(state.id);
}

/** Deleting a placeholder: revokes what the lost create may have made. Undefined when it is no placeholder. */
export async function sweepLostCreate(
  state: Pick<ApiTokenState, "id" | "description">,
  ctx: OperationContext<AgynSession>,
): Promise<{ diagnostics?: Diagnostic[] } | undefined> {
  const lost = lostCreateOf(state);
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

function lostCreateOf(state: Pick<ApiTokenState, "id" | "description">): LostCreate | undefined {
  const match = state.id === null ? null : LOST_CREATE_ID.exec(state.id);
  if (!match) return undefined;
  const fromMs = Date.parse(match[1]);
  const toMs = Date.parse(match[2]);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs < fromMs) return undefined;
  return { name: state.description, fromMs, toMs };
}
