// The agyn provider as the core sees it: its schema, how it is configured, and its resource types.
import { withSharedReads } from "../gateway/shared-reads";
import { API_TOKEN_SECRET_SHAPE } from "../gateway/token-format";
import type { ProviderDefinition } from "../provider/definition";
import { redactSecrets, registerSecretValue } from "../provider/logging/secret-redaction";
import { PROVIDER_ADDRESS, PROVIDER_VERSION } from "./provider-identity";
import { providerSchema } from "./configuration/provider-schema";
import { resolveProviderSettings, validateProviderSettings } from "./configuration/provider-settings";
import { AgynSession } from "./configuration/session";
import { apiTokenResource } from "./api-token/api-token-resource";
import { apiTokensDataSource } from "./api-tokens-data-source/api-tokens-data-source";
import { ephemeralApiToken } from "./ephemeral-api-token/ephemeral-api-token";
import { userResource } from "./user/user-resource";
import { userDataSource } from "./user-data-source/user-data-source";

export function userAgent(terraformVersion: string): string {
  return `terraform-provider-agyn/${PROVIDER_VERSION} (+https://registry.terraform.io/providers/agynio/agyn) Terraform/${terraformVersion || "unknown"}`;
}

export function agynProvider(env: NodeJS.ProcessEnv = process.env): ProviderDefinition<AgynSession, typeof providerSchema> {
  return {
    name: "agyn",
    address: PROVIDER_ADDRESS,
    secretShapes: [API_TOKEN_SECRET_SHAPE],
    version: PROVIDER_VERSION,
    schema: providerSchema,
    validateConfig: (config) => validateProviderSettings(config),
    async configure({ config, terraformVersion }, { log }) {
      const { settings, problems } = await resolveProviderSettings(config, env, log);
      if (!settings) {
        log.debug("provider configured without a usable Gateway; operations that need it will report why");
        return { unavailable: problems };
      }
      registerSecretValue(settings.token);
      // Loaded here, not at start-up: processes that only answer GetProviderSchema or validate never need it.
      const { createGatewayClient } = await import("../gateway/client");
      // One client per configured provider, i.e. per Terraform command: its keep-alive connections and its
      // shared reads (one ListAPITokens for every token's refresh) never outlive the command.
      const connect = (token: string) => createGatewayClient({
        baseUrl: settings.gatewayUrl,
        token,
        caPem: settings.caPem,
        userAgent: userAgent(terraformVersion),
        redact: redactSecrets,
      });
      const client = withSharedReads(connect(settings.token));
      // Another token's client (an ephemeral token revoking itself): its writes drop the shared answers too.
      const connectAs = (token: string) => client.writingAlongside(connect(token));
      return { session: new AgynSession(client, settings.gatewayUrl, settings.token, connectAs) };
    },
    resources: [apiTokenResource, userResource],
    dataSources: [userDataSource, apiTokensDataSource],
    ephemeralResources: [ephemeralApiToken],
  };
}
