// Gateway calls that need the cluster admin role. The role is not checked beforehand (the bootstrap admin
// identity cannot call GetMe); a refusal becomes a diagnostic that says what is needed.
import { GatewayError } from "../../gateway/gateway-error";
import type { Path } from "../../schema/path";
import { type Diagnostic, DiagnosticError, error } from "../../schema/diagnostics";
import { gatewayDiagnostic } from "./gateway-diagnostics";

export function clusterAdminRequired(err: GatewayError, doing: string, path?: Path): Diagnostic {
  return error("Cluster admin required",
    `${err.message}\n\n${capitalize(doing)} needs the cluster admin role. The provider's token belongs to a user without it: ` +
      'configure the provider with the token of a user whose cluster_role is "admin", or with the platform\'s bootstrap admin token.',
    path);
}

/** Runs an admin-only call; permission_denied becomes "Cluster admin required", anything else the usual diagnostic. */
export async function callAsClusterAdmin<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new DiagnosticError(adminCallDiagnostic(err, doing));
  }
}

export function adminCallDiagnostic(err: unknown, doing: string): Diagnostic {
  if (err instanceof GatewayError && err.code === "permission_denied") return clusterAdminRequired(err, doing);
  return gatewayDiagnostic(err, doing);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
