// What Configure hands to every resource: the Gateway client, and what identifies the configured token
// (to recognise it among listed tokens without keeping the secret around).
import type { GatewayClient } from "../../gateway/client";
import { hashApiToken, tokenPrefix } from "../../gateway/token-format";

export class AgynSession {
  /** SHA-256 of the configured token. */
  readonly configuredTokenHash: string;
  readonly configuredTokenPrefix: string;

  constructor(private readonly client: GatewayClient, readonly gatewayUrl: string, token: string) {
    this.configuredTokenHash = hashApiToken(token);
    this.configuredTokenPrefix = tokenPrefix(token);
  }

  gateway(): GatewayClient {
    return this.client;
  }
}
