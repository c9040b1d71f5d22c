// The context the core hands a resource or data source, for unit tests that call one directly.
import type { GatewayClient } from "../../gateway/client";
import { GatewayClock } from "../../gateway/gateway-clock";
import { generateApiToken } from "../../gateway/token-format";
import type { OperationContext } from "../../provider/definition";
import { silentLogger } from "../../provider/logging/logger";
import { AgynSession } from "../../resources/configuration/session";
import { DiagnosticError, error } from "../../schema/diagnostics";

/** A context whose session talks to `gateway`: a fake with just the methods a test needs. */
export function contextWith(gateway: Partial<GatewayClient>, token = generateApiToken()): OperationContext<AgynSession> {
  const session = new AgynSession(fakeGateway(gateway), "http://127.0.0.1:1", token);
  return { session: () => session, sessionIfConfigured: () => session, log: silentLogger, signal: new AbortController().signal };
}

/** A fake Gateway client: the given methods, and the retry settings and clock every client has (no retries by default). */
export function fakeGateway(gateway: Partial<GatewayClient>): GatewayClient {
  // A fake that lists tokens finds one the way the real client does, from the list.
  const listed = gateway.listApiTokens;
  const findApiToken: GatewayClient["findApiToken"] | undefined = listed &&
    (async (tokenId, options) => (await listed(options)).find((t) => t.id === tokenId));
  return { retry: { requestTimeoutMs: 1_000, maxRetries: 0 }, clock: new GatewayClock(), ...(findApiToken ? { findApiToken } : {}), ...gateway } as GatewayClient;
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
