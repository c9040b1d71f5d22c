// The context the core hands a resource or data source, for unit tests that call one directly.
import type { GatewayClient } from "../../gateway/client";
import { generateApiToken } from "../../gateway/token-format";
import type { OperationContext } from "../../provider/definition";
import { silentLogger } from "../../provider/logging/logger";
import { AgynSession } from "../../resources/configuration/session";
import { DiagnosticError, error } from "../../schema/diagnostics";

/** A context whose session talks to `gateway`: a fake with just the methods a test needs. */
export function contextWith(gateway: Partial<GatewayClient>): OperationContext<AgynSession> {
  const session = new AgynSession(gateway as GatewayClient, "http://127.0.0.1:1", generateApiToken());
  return { session: () => session, sessionIfConfigured: () => session, log: silentLogger, signal: new AbortController().signal };
}

/** A context without a session, as when the provider's configuration is not known yet. */
export function unconfiguredContext(): OperationContext<AgynSession> {
  return {
    session: () => {
      throw new DiagnosticError(error("Provider not configured"));
    },
    sessionIfConfigured: () => undefined,
    log: silentLogger,
    signal: new AbortController().signal,
  };
}
