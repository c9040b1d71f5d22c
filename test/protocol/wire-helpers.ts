// Values and diagnostics as they travel in the plugin protocol, for the protocol tests: msgpack configs with
// every attribute key present (as Terraform sends them), the RPC names of each protocol, diagnostic readers.
import { decode, encode, ExtData } from "@msgpack/msgpack";
import type { Decoded } from "../support/plugin-process";

/** cty's unknown value: fixext1, ext type 0, payload 00 (`d4 00 00`). */
export const UNKNOWN = new ExtData(0, Uint8Array.of(0));

export const PROVIDER_ATTRIBUTES = ["gateway", "token", "profile", "ca_file", "allow_insecure_http", "request_timeout", "max_retries", "api_url", "api_token"] as const;
export const USER_ATTRIBUTES = ["id", "identity_id", "oidc_subject", "name", "email", "username", "photo_url", "cluster_role"] as const;
/** The agyn_user attributes that are also arguments (optional and computed): how a user is looked up. */
export const USER_LOOKUP_ATTRIBUTES = ["identity_id", "username", "oidc_subject"] as const;

/** ephemeral "agyn_api_token": its arguments, then what Open computes. */
export const EPHEMERAL_TOKEN_ATTRIBUTES = ["description", "expires_in", "expires_at", "token", "id", "token_prefix", "identity_id", "created_at"] as const;

type ProviderAttr = (typeof PROVIDER_ATTRIBUTES)[number];
type EphemeralTokenAttr = (typeof EPHEMERAL_TOKEN_ATTRIBUTES)[number];

/** The provider block as Terraform encodes it: every attribute present, null unless given. */
export function providerConfig(values: Partial<Record<ProviderAttr, unknown>> = {}): Uint8Array {
  const obj: Record<string, unknown> = {};
  for (const a of PROVIDER_ATTRIBUTES) obj[a] = a in values ? values[a] : null;
  return encode(obj);
}

/** `data "agyn_user" "x" {}`: all attributes computed, so all null in config. */
export function userConfig(): Uint8Array {
  return encode(Object.fromEntries(USER_ATTRIBUTES.map((a) => [a, null])));
}

/** `ephemeral "agyn_api_token"` as Terraform encodes its configuration: every attribute present, null unless given. */
export function ephemeralTokenConfig(values: Partial<Record<EphemeralTokenAttr, unknown>>): Uint8Array {
  return encode(Object.fromEntries(EPHEMERAL_TOKEN_ATTRIBUTES.map((a) => [a, a in values ? values[a] : null])));
}

export const dv = (msgpack: Uint8Array) => ({ msgpack });

export function decodeDynamic(value: { msgpack: Uint8Array; json: Uint8Array } | undefined): unknown {
  if (!value || value.msgpack.length === 0) throw new Error("DynamicValue carries no msgpack");
  return decode(value.msgpack);
}

/** The RPC names of one protocol version, keyed by what they do. */
export function rpcNames(version: number) {
  return version === 5
    ? {
      schema: "GetSchema",
      validateProvider: "PrepareProviderConfig",
      configure: "Configure",
      validateData: "ValidateDataSourceConfig",
      readData: "ReadDataSource",
      stop: "Stop",
    }
    : {
      schema: "GetProviderSchema",
      validateProvider: "ValidateProviderConfig",
      configure: "ConfigureProvider",
      validateData: "ValidateDataResourceConfig",
      readData: "ReadDataSource",
      stop: "StopProvider",
    };
}

export const SEVERITY = { ERROR: 1, WARNING: 2 } as const;

export interface WireDiagnostic {
  severity: number;
  summary: string;
  detail: string;
  attribute?: { steps: { selector: { case?: string; value?: unknown } }[] };
}

export const errorsOf = (resp: Decoded): WireDiagnostic[] =>
  (resp.diagnostics as WireDiagnostic[]).filter((d) => d.severity === SEVERITY.ERROR);
export const warningsOf = (resp: Decoded): WireDiagnostic[] =>
  (resp.diagnostics as WireDiagnostic[]).filter((d) => d.severity === SEVERITY.WARNING);

/** The attribute path as plain steps: names for attributes and map keys, numbers for list indexes. */
export function pathOf(d: WireDiagnostic): (string | number)[] | undefined {
  return d.attribute?.steps.map((s) => (typeof s.selector.value === "bigint" ? Number(s.selector.value) : (s.selector.value as string)));
}

/** Readable form for assertion messages. */
export function show(diags: WireDiagnostic[]): string {
  return JSON.stringify(diags.map((d) => ({ severity: d.severity, summary: d.summary, detail: d.detail, path: pathOf(d) })));
}

/** Every DynamicValue message anywhere inside a decoded response. */
export function dynamicValuesIn(message: unknown, found: { path: string; value: Decoded }[] = [], at = "$"): { path: string; value: Decoded }[] {
  if (message === null || typeof message !== "object" || message instanceof Uint8Array) return found;
  const typeName = (message as { $typeName?: string }).$typeName;
  if (typeof typeName === "string" && typeName.endsWith(".DynamicValue")) {
    found.push({ path: at, value: message });
    return found;
  }
  for (const [k, v] of Object.entries(message)) {
    if (k === "$typeName") continue;
    dynamicValuesIn(v, found, Array.isArray(message) ? `${at}[${k}]` : `${at}.${k}`);
  }
  return found;
}
