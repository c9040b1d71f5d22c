// Configure asks the Gateway who the token is (GetMe, then cached in the session), so a missing Gateway or a
// rejected token stops the run at its start with one diagnostic, not at apply after a green plan. The
// platform's bootstrap admin token has no user record: GetMe's permission_denied means valid, not rejected.
import { GatewayError } from "../../gateway/gateway-error";
import type { Diagnostic } from "../../schema/diagnostics";
import { gatewayDiagnostic } from "../gateway-calls/gateway-diagnostics";
import type { AgynSession } from "./session";

/** Failures that no operation of this run could get past: they end it here. */
const FATAL = new Set(["unauthenticated", "unavailable", "deadline_exceeded", "unimplemented", "canceled"]);

export async function credentialsProblem(session: AgynSession, signal: AbortSignal): Promise<Diagnostic | undefined> {
  try {
    await session.callerIdentity(signal);
    return undefined;
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    // Anything else (an internal error on the Gateway, say) is left to the operations that need the answer.
    if (!FATAL.has(err.code) && !err.facts.notConnect) return undefined;
    return gatewayDiagnostic(err, "checking the provider's token");
  }
}
