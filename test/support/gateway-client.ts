// The provider's Gateway client as tests use it: the agyn token shape registered for redaction, as the
// provider itself does at start-up, so error messages are redacted exactly as users would see them.
import { type GatewayClient, type GatewayClientOptions, createGatewayClient } from "../../gateway/client";
import { API_TOKEN_SECRET_SHAPE } from "../../gateway/token-format";
import { redactSecrets, registerSecretPattern } from "../../provider/logging/secret-redaction";

registerSecretPattern(API_TOKEN_SECRET_SHAPE);

export function testGatewayClient(options: Partial<GatewayClientOptions> & { baseUrl: string }): GatewayClient {
  return createGatewayClient({ userAgent: "agyn-tests", redact: redactSecrets, ...options });
}
