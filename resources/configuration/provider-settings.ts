// Where the Gateway is and which token to use: validated in ValidateProviderConfig (with attribute paths,
// never needing credentials or network) and resolved in Configure with the documented precedence:
// attribute, then environment, then the agyn CLI profile; an explicit `profile` attribute beats the environment.
import { readFileSync } from "node:fs";
import { isSet, isUnknown } from "../../schema/cty";
import { type Diagnostic, error, warning } from "../../schema/diagnostics";
import type { Logger } from "../../provider/logging/logger";
import { gatewayUrlProblem, sameGatewayUrl } from "../../gateway/gateway-url";
import { looksLikeApiToken } from "../../gateway/token-format";
import { agynCliFilesMayExist } from "./agyn-cli-files";
import type { AgynProfile } from "./agyn-profile";
import type { ProviderConfig } from "./provider-schema";

/** Each setting with its alias from the platform's Go provider; setting both names of one is an error. */
const ALIASES = [
  ["gateway", "api_url"],
  ["token", "api_token"],
] as const;

export function validateProviderSettings(config: ProviderConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, alias] of ALIASES) {
    if (isSet(config[name]) && isSet(config[alias])) {
      out.push(error("Conflicting provider settings", `"${alias}" is an alias of "${name}"; set only one of them.`, [{ attr: alias }]));
    }
  }
  const allowInsecure = config.allow_insecure_http;
  for (const attr of ["gateway", "api_url"] as const) {
    const value = config[attr];
    if (typeof value !== "string") continue;
    const problem = gatewayUrlProblem(value, isUnknown(allowInsecure) ? true : allowInsecure === true);
    if (problem) out.push(error(problem.summary, problem.detail, [{ attr }]));
  }
  for (const attr of ["token", "api_token"] as const) {
    const value = config[attr];
    // Surrounding whitespace (file() keeps a token file's newline) is trimmed before use, so it is not a fault.
    if (typeof value === "string" && !looksLikeApiToken(value.trim())) {
      out.push(warning("Token does not look like an agyn API token",
        `agyn API tokens start with "agyn_" followed by 44 letters and digits. The configured value does not: unless it is the platform's bootstrap admin token (which only manages users), the Gateway will probably reject it.`,
        [{ attr }]));
    }
  }
  return out;
}

export interface ResolvedSettings {
  gatewayUrl: string;
  token: string;
  caPem?: string;
}

/**
 * Resolves the settings, or the diagnostics that explain why the provider cannot reach the Gateway.
 * `deferred` marks problems that only mean "not yet": values known after apply.
 */
export async function resolveProviderSettings(
  config: ProviderConfig,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<{ settings?: ResolvedSettings; problems: Diagnostic[]; deferred?: boolean }> {
  const unknownAttrs = (Object.keys(config) as (keyof ProviderConfig)[]).filter((k) => isUnknown(config[k]));
  if (unknownAttrs.length > 0) {
    return { deferred: true, problems: [error("Provider configuration not yet known",
      `The agyn provider's ${unknownAttrs.map((a) => `"${a}"`).join(", ")} depend on values known only after apply, so it cannot reach the Gateway yet. ` +
      "Configure the provider with values known at plan time, or apply the resources they depend on first (terraform apply -target=…).")] };
  }
  const attr = (name: "gateway" | "api_url" | "token" | "api_token" | "profile" | "ca_file") => {
    const value = config[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const explicitProfile = attr("profile");
  const requestedProfile = explicitProfile ?? nonEmpty(env.AGYN_PROFILE);
  let profile: AgynProfile | undefined;
  // The YAML and schema libraries (tens of ms) load only when there is a profile to read or to report missing;
  // CI configurations usually have neither.
  if (requestedProfile !== undefined || agynCliFilesMayExist(env)) {
    const { loadAgynProfile, ProfileError } = await import("./agyn-profile");
    try {
      profile = loadAgynProfile(requestedProfile, env);
    } catch (err) {
      if (!(err instanceof ProfileError)) throw err;
      return { problems: [error("Cannot use the agyn CLI profile", err.message, explicitProfile ? [{ attr: "profile" }] : undefined)] };
    }
  }

  const gateway = firstOf<string>(
    ["provider attribute \"gateway\"", attr("gateway")],
    ["provider attribute \"api_url\"", attr("api_url")],
    ...(explicitProfile ? [[profile?.source ?? "", profile?.gatewayUrl] as const] : []),
    ["environment variable AGYN_GATEWAY_URL", nonEmpty(env.AGYN_GATEWAY_URL)],
    [profile?.source ?? "", profile?.gatewayUrl],
  );
  const token = firstOf<string>(
    ["provider attribute \"token\"", nonEmpty(attr("token"))],
    ["provider attribute \"api_token\"", nonEmpty(attr("api_token"))],
    ...(explicitProfile ? [[profile?.source ?? "", profile?.token] as const] : []),
    ["environment variable AGYN_TOKEN", nonEmpty(env.AGYN_TOKEN)],
    ["environment variable AGYN_API_TOKEN", nonEmpty(env.AGYN_API_TOKEN)],
    [profile?.source ?? "", profile?.token],
  );
  const problems: Diagnostic[] = [];
  if (!gateway) {
    problems.push(error("No agyn Gateway configured",
      'Set gateway in the provider block, the AGYN_GATEWAY_URL environment variable, or an agyn CLI profile with a gatewayUrl (agyn CLI: ~/.agyn/config.yaml).',
      [{ attr: "gateway" }]));
  }
  if (!token) {
    problems.push(error("No agyn API token configured",
      "Set token in the provider block (e.g. from a sensitive variable), the AGYN_TOKEN or AGYN_API_TOKEN environment variable, or an agyn CLI profile with credentials.",
      [{ attr: "token" }]));
  }
  if (!gateway || !token) return { problems };
  log.debug("gateway setting resolved", { source: gateway.source });
  log.debug("token setting resolved", { source: token.source });

  // A token from a profile was issued for that profile's Gateway; never send it anywhere else.
  if (profile && token.value === profile.token && token.source === profile.source &&
      (!profile.gatewayUrl || !sameGatewayUrl(profile.gatewayUrl, gateway.value))) {
    return { problems: [error("Profile token used with another Gateway",
      `The token comes from ${profile.source}, but the Gateway comes from ${gateway.source}` +
      `${profile.gatewayUrl ? "" : " (the profile has no gatewayUrl)"}. A profile's token is only sent to that profile's Gateway. ` +
      "Set the token explicitly, or use the profile's Gateway.")] };
  }

  const allowInsecure = config.allow_insecure_http === true;
  const urlProblem = gatewayUrlProblem(gateway.value, allowInsecure);
  if (urlProblem) {
    return { problems: [error(urlProblem.summary, `${urlProblem.detail} (The URL came from ${gateway.source}.)`,
      gateway.source.startsWith("provider attribute") ? [{ attr: gateway.source.includes("api_url") ? "api_url" : "gateway" }] : undefined)] };
  }

  const caFile = attr("ca_file") ?? (gateway.source === profile?.source ? profile.caFile : undefined);
  let caPem: string | undefined;
  if (caFile) {
    try {
      caPem = readFileSync(caFile, "utf8");
    } catch (err) {
      return { problems: [error("Cannot read the CA file", `${caFile}: ${whyUnreadable(err)}.`,
        attr("ca_file") ? [{ attr: "ca_file" }] : undefined)] };
    }
    if (!caPem.includes("-----BEGIN CERTIFICATE-----")) {
      return { problems: [error("Invalid CA file", `${caFile} does not contain a PEM certificate.`, attr("ca_file") ? [{ attr: "ca_file" }] : undefined)] };
    }
  }
  return { settings: { gatewayUrl: gateway.value, token: token.value, caPem }, problems };
}

/** Why a file could not be read, in words (node's messages add the syscall and the path again). */
function whyUnreadable(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "it is a directory, not a file" };
  return (code && words[code]) ?? code ?? (err as Error).message;
}

function firstOf<T>(...candidates: (readonly [string, T | undefined])[]): { source: string; value: T } | undefined {
  for (const [source, value] of candidates) if (value !== undefined) return { source, value };
  return undefined;
}

/** The value without surrounding whitespace, or undefined when nothing else is left. */
function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

