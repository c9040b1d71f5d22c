// provider "agyn" { … }: where the Gateway is, how to authenticate to it, and how patiently to call it.
import type { Schema, Validator } from "../../schema/declaration";
import { error } from "../../schema/diagnostics";
import type { PlanningValues } from "../../schema/typed-values";
import { check } from "../../schema/validators";
import { MAX_RETRIES_LIMIT, maxRetriesProblem, requestTimeoutProblem } from "./call-settings";

const requestTimeout = check("a Go duration from 1ms to 1h", requestTimeoutProblem);

const maxRetries: Validator = {
  description: `a whole number from 0 to ${MAX_RETRIES_LIMIT}`,
  validate(value, path) {
    const problem = typeof value === "number" || (typeof value === "object" && value !== null) ? maxRetriesProblem(Number(value)) : undefined;
    return problem ? [error("Invalid value", problem, path)] : [];
  },
};

export const providerSchema = {
  version: 0,
  block: {
    description: "The agyn provider manages agyn API tokens and users through the agyn Gateway.",
    markdownDescription:
      "The agyn provider manages agyn API tokens and users through the agyn Gateway. Settings come from the " +
      "provider block, then the environment, then an agyn CLI profile (`~/.agyn/config.yaml` and `~/.agyn/credentials`).",
    attributes: {
      gateway: {
        type: "string",
        optional: true,
        description: "Base URL of the agyn Gateway, e.g. https://gateway.agyn.example.com or https://agyn.example.com/api. Environment: AGYN_GATEWAY_URL.",
        markdownDescription:
          "Base URL of the agyn Gateway, e.g. `https://gateway.agyn.example.com` or `https://agyn.example.com/api` (a path prefix is allowed). Environment: `AGYN_GATEWAY_URL`.",
      },
      token: {
        type: "string",
        optional: true,
        sensitive: true,
        description: "agyn API token used to authenticate; surrounding whitespace (a token file's newline) is ignored. Environment: AGYN_TOKEN, then AGYN_API_TOKEN.",
        markdownDescription: "agyn API token used to authenticate; surrounding whitespace (a token file's newline, as `file()` keeps it) is ignored. Environment: `AGYN_TOKEN`, then `AGYN_API_TOKEN`.",
      },
      profile: {
        type: "string",
        optional: true,
        description: "agyn CLI profile to read the gateway, CA file and token from. Environment: AGYN_PROFILE; default: the CLI's current profile.",
        markdownDescription:
          "agyn CLI profile to read the gateway, CA file and token from (`~/.agyn/config.yaml`, `~/.agyn/credentials`). Environment: `AGYN_PROFILE`; default: the CLI's `currentProfile`. Set here, it wins over the environment.",
      },
      ca_file: {
        type: "string",
        optional: true,
        description: "Path to a PEM file with an extra certificate authority for a Gateway with a private certificate.",
        markdownDescription: "Path to a PEM file with an extra certificate authority for a Gateway with a private certificate.",
      },
      allow_insecure_http: {
        type: "bool",
        optional: true,
        description: "Allow a plain http:// Gateway that is not on loopback (the token then crosses the network unencrypted). Default false.",
        markdownDescription:
          "Allow a plain `http://` Gateway that is not on loopback, e.g. a local Gateway in a CI service container. The token then crosses the network unencrypted. Default `false`.",
      },
      request_timeout: {
        type: "string",
        optional: true,
        description: "How long one request to the Gateway may take (a Go duration, e.g. \"30s\") before it is given up and, when that is safe, retried. Default 30s. Environment: AGYN_REQUEST_TIMEOUT.",
        markdownDescription:
          "How long one request to the Gateway may take, as a Go duration (e.g. `\"30s\"`, `\"2m\"`), before it is given up and, " +
          "when that is safe, retried. Default `\"30s\"`; from 1ms to 1h. Environment: `AGYN_REQUEST_TIMEOUT`.",
        validators: [requestTimeout],
      },
      max_retries: {
        type: "number",
        optional: true,
        description: "How many times a failed Gateway request that is safe to repeat is retried (reads, revokes, deletes, updates; creates only when they certainly did nothing). Default 4. Environment: AGYN_MAX_RETRIES.",
        markdownDescription:
          "How many times a Gateway request that failed on the way (unavailable, rate-limited, HTTP 502/503/504, a reset or refused " +
          "connection, a timeout) is retried, with capped, jittered exponential backoff that honours `Retry-After`. Reads, revokes, " +
          "deletes and updates are retried; a create only when it certainly did nothing (see the Reliability notes). `0` sends every " +
          `request once. Default \`4\`; at most \`${MAX_RETRIES_LIMIT}\`. Environment: \`AGYN_MAX_RETRIES\`.`,
        validators: [maxRetries],
      },
      api_url: {
        type: "string",
        optional: true,
        description: "Alias of gateway, as the platform's Go provider spells it.",
        markdownDescription: "Alias of `gateway`, as the platform's Go provider spells it. Set one or the other.",
      },
      api_token: {
        type: "string",
        optional: true,
        sensitive: true,
        description: "Alias of token, as the platform's Go provider spells it.",
        markdownDescription: "Alias of `token`, as the platform's Go provider spells it. Set one or the other.",
      },
    },
  },
} as const satisfies Schema;

/** The provider block as Terraform sends it: any value may still be unknown. */
export type ProviderConfig = PlanningValues<typeof providerSchema.block>;
