// The agyn provider as the core sees it: its schema, how it is configured, and its resource types.
import { withSharedReads } from "../gateway/shared-reads";
import { API_TOKEN_SECRET_SHAPE } from "../gateway/token-format";
import type { ProviderDefinition } from "../provider/definition";
import { redactSecrets, registerSecretValue } from "../provider/logging/secret-redaction";
import { PROVIDER_ADDRESS, PROVIDER_VERSION } from "./provider-identity";
import { providerSchema } from "./configuration/provider-schema";
import { resolveProviderSettings, validateProviderSettings } from "./configuration/provider-settings";
import { AgynSession } from "./configuration/session";
import { credentialsProblem } from "./configuration/credentials-check";
import { callSettings } from "./configuration/call-settings";
import { deferredDefaultStore } from "./configuration/deferred-ca-store";
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
    async configure({ config, terraformVersion }, { log, signal }) {
      const resolved = await resolveProviderSettings(config, env, log);
      const call = callSettings(config, env);
      const settings = resolved.settings;
      if (!settings || !call.settings) {
        const problems = [...resolved.problems, ...call.problems];
        // Values known only after apply: every operation that needs the Gateway says so. Anything else is
        // wrong for good, and Configure says it once (not once per resource).
        if (resolved.deferred) {
          log.debug("provider configured without a usable Gateway; operations that need it will report why");
          return { unavailable: problems };
        }
        return { diagnostics: problems };
      }
      registerSecretValue(settings.token);
      // Loaded here, not at start-up: processes that only answer GetProviderSchema or validate never need it.
      const { createGatewayClient } = await import("../gateway/client");
      const retry = call.settings;
      // Only https reads the certificates the launcher set aside.
      const deferredStore = new URL(settings.gatewayUrl).protocol === "https:" ? deferredDefaultStore(env, log) : undefined;
      // One client per configured provider, i.e. per Terraform command: its keep-alive connections and its
      // shared reads (one ListAPITokens for every token's refresh) never outlive the command.
      const connect = (token: string) => createGatewayClient({
        baseUrl: settings.gatewayUrl,
        token,
        caPem: settings.caPem,
        deferredDefaultStore: deferredStore,
        userAgent: userAgent(terraformVersion),
        timeoutMs: retry.requestTimeoutMs,
        maxRetries: retry.maxRetries,
        redact: redactSecrets,
        onRetry: ({ method, attempt, waitMs, error }) =>
          log.info("retrying a Gateway call", { rpc: method, attempt, wait_ms: waitMs, error: error.message }),
      });
      const client = withSharedReads(connect(settings.token));
      // Another token's client (an ephemeral token revoking itself): its writes drop the shared answers too.
      const connectAs = (token: string) => client.writingAlongside(connect(token));
      const session = new AgynSession(client, settings.gatewayUrl, settings.token, connectAs);
      // One GetMe per process: rejected credentials (or no Gateway at the URL) fail the plan here, once,
      // instead of every resource at apply. The bootstrap admin token has no user but is valid.
      const rejected = await credentialsProblem(session, signal);
      if (rejected) {
        client.close();
        return { diagnostics: [rejected] };
      }
      return { session };
    },
    resources: [apiTokenResource, userResource],
    dataSources: [userDataSource, apiTokensDataSource],
    ephemeralResources: [ephemeralApiToken],
  };
}
