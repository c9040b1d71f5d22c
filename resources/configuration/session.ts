// What Configure hands to every resource: the Gateway client, or the reasons there is none yet. Problems
// surface only when an operation needs the Gateway, so `terraform validate` and unknown provider
// configuration never fail early.
import { DiagnosticError, Diagnostic } from "../../schema/diagnostics";
import type { GatewayClient } from "../../gateway/client";
import { hashApiToken, tokenPrefix } from "../../gateway/token-format";

export class AgynSession {
  private constructor(
    private readonly client: GatewayClient | undefined,
    private readonly problems: Diagnostic[],
    /** SHA-256 of the configured token, to recognise it among listed tokens without keeping it around. */
    readonly configuredTokenHash?: string,
    readonly configuredTokenPrefix?: string,
    readonly gatewayUrl?: string,
  ) {}

  static connected(client: GatewayClient, gatewayUrl: string, token: string): AgynSession {
    return new AgynSession(client, [], hashApiToken(token), tokenPrefix(token), gatewayUrl);
  }

  static unusable(problems: Diagnostic[]): AgynSession {
    // They surface later, from a resource or data source, where a path would point into that object instead
    // of the provider block: keep the words, drop the path.
    return new AgynSession(undefined, problems.map(({ path: _path, ...rest }) => rest));
  }

  gateway(): GatewayClient {
    if (!this.client) throw new DiagnosticError(...this.problems);
    return this.client;
  }
}
