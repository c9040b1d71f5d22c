// Gateway failures as Terraform diagnostics: they name the operation, the Connect code and the Gateway's
// message, add what the user can do, and never include the token (the client already redacts it).
import { GatewayError } from "../../gateway/gateway-error";
import { type Diagnostic, DiagnosticError, error } from "../../schema/diagnostics";

const HINTS: Record<string, string> = {
  unauthenticated:
    "The Gateway did not accept the provider's token: it is unknown, revoked or expired. Check the token setting (or AGYN_TOKEN / AGYN_API_TOKEN / the agyn CLI profile).",
  permission_denied: "The identity behind the provider's token is not allowed to do this.",
  unavailable: "Check that the Gateway URL is right and the Gateway is running and reachable from here.",
  deadline_exceeded: "The Gateway did not answer in time; try again, or check the Gateway's health.",
  canceled: "Terraform asked the provider to stop (e.g. Ctrl-C), so the request was cancelled.",
};

// A refused certificate is no outage: say what to change (the provider sent the Gateway nothing).
const TLS_HINTS: Record<string, string> = {
  unknown_authority:
    "If the Gateway's certificate comes from a private CA, set ca_file in the provider block (or caFile in the agyn CLI profile the Gateway comes from) to that CA's PEM certificate.",
  host_mismatch: "Use a gateway URL with a host name the certificate names, or have the certificate reissued for this one.",
  expired: "The Gateway's certificate must be renewed.",
  not_yet_valid: "The Gateway's certificate is not valid yet; check this machine's clock.",
  untrusted: "Check the Gateway's certificate chain; for a private CA, set ca_file (or the profile's caFile).",
};
const TLS_NOTHING_SENT = "No request was sent to the Gateway, so not the token either.";

const SUMMARIES: Record<string, string> = {
  unauthenticated: "agyn Gateway rejected the token",
  permission_denied: "Permission denied by the agyn Gateway",
  unavailable: "Cannot reach the agyn Gateway",
  deadline_exceeded: "The agyn Gateway timed out",
  canceled: "Cancelled",
};

export function gatewayDiagnostic(err: unknown, doing: string): Diagnostic {
  if (err instanceof DiagnosticError) return err.diagnostics[0];
  if (err instanceof GatewayError && err.tlsRefusal) {
    return error("The agyn Gateway's TLS certificate is not trusted", `${err.message}\n\n${TLS_HINTS[err.tlsRefusal]} ${TLS_NOTHING_SENT}`);
  }
  if (err instanceof GatewayError) {
    const notTheGateway = err.facts.notConnect && !err.facts.transient && err.code !== "unauthenticated" && err.code !== "permission_denied";
    const hint = notTheGateway ? NOT_CONNECT_HINT : HINTS[err.code];
    const { attempts, elapsedMs } = err.facts;
    const tried = attempts > 1 ? `\n\nThe provider tried ${attempts} times over ${(elapsedMs / 1000).toFixed(1)} s (max_retries, request_timeout).` : "";
    return error(SUMMARIES[err.code] ?? `agyn Gateway error while ${doing}`,
      `${err.message}${tried}${hint ? `\n\n${hint}` : ""}`);
  }
  throw err;
}

const NOT_CONNECT_HINT = "Something other than the agyn Gateway answered at this URL (a web page, a proxy or another API). Check the gateway setting (or AGYN_GATEWAY_URL / the agyn CLI profile): it is the Gateway's base URL, e.g. https://gateway.agyn.example.com.";

/** Runs one Gateway call, turning its failure into a DiagnosticError the core reports. */
export async function callGateway<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GatewayError) throw new DiagnosticError(gatewayDiagnostic(err, doing));
    throw err;
  }
}
