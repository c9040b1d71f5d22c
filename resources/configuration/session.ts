// What Configure hands to every resource: the Gateway client, and what identifies the configured token
// (to recognise it among listed tokens without keeping the secret around).
import type { GatewayClient } from "../../gateway/client";
import { hashApiToken, tokenPrefix } from "../../gateway/token-format";

/** A client for the same Gateway (URL, CA, User-Agent) that authenticates with another token. */
export type ConnectAs = (token: string) => GatewayClient;

export class AgynSession {
  /** SHA-256 of the configured token. */
  readonly configuredTokenHash: string;
  readonly configuredTokenPrefix: string;

  constructor(
    private readonly client: GatewayClient,
    readonly gatewayUrl: string,
    token: string,
    private readonly connect?: ConnectAs,
  ) {
    this.configuredTokenHash = hashApiToken(token);
    this.configuredTokenPrefix = tokenPrefix(token);
  }

  gateway(): GatewayClient {
    return this.client;
  }

  /**
   * The way to reach this Gateway as another token's owner, for work that must not depend on the configured
   * token still being valid (closing an ephemeral token). Undefined when the session was built without one.
   */
  connectAs(): ConnectAs | undefined {
    return this.connect;
  }
}
