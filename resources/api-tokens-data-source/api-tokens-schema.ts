// data "agyn_api_tokens": the caller's tokens (ListAPITokens) with the Console's columns, optionally filtered.
// `tokens` is a list of objects, not a nested attribute, so the same schema works under protocol 5.
import { unusedSinceProblem } from "./api-token-inventory";
import type { Schema } from "../../schema/declaration";
import type { KnownValues } from "../../schema/typed-values";
import { check } from "../../schema/validators";

export const apiTokensDataSourceSchema = {
  version: 0,
  block: {
    description:
      "Lists the API tokens of the identity the provider authenticates as, newest first, with the columns of the Console's API tokens page. Never includes a secret.",
    markdownDescription:
      "Lists the API tokens of the identity the provider authenticates as (`ListAPITokens`), newest first, expired ones included, " +
      "with the columns of the Console's API tokens page. Filters combine with AND, so stale tokens can be audited in HCL. " +
      "No secret is ever included: the Gateway keeps only a hash of each token.",
    attributes: {
      description_prefix: {
        type: "string",
        optional: true,
        description: "Keep only tokens whose description starts with this text (case-sensitive).",
        markdownDescription: "Keep only tokens whose `description` starts with this text (case-sensitive), e.g. `\"ci-\"`.",
      },
      expired: {
        type: "bool",
        optional: true,
        description: "true keeps only expired tokens, false only tokens that have not expired. Omit it for both.",
        markdownDescription:
          "`true` keeps only expired tokens (expiry at or before now), `false` only live ones, including tokens without an expiry. Omit it for both.",
      },
      unused_since: {
        type: "string",
        optional: true,
        description:
          "Keep only tokens not used for at least this long (Go duration, e.g. \"720h\"). A token never used counts from its creation.",
        markdownDescription:
          "Keep only tokens not used for at least this long, as a Go duration (e.g. `\"720h\"` for 30 days): their `last_used_at`, " +
          "or `created_at` for a token never used, is at least this long before now.",
        validators: [check("a non-negative Go duration", unusedSinceProblem)],
      },
      tokens: {
        type: ["list", ["object", {
          id: "string",
          description: "string",
          token_prefix: "string",
          created_at: "string",
          last_used_at: "string",
          expires_at: "string",
          expired: "bool",
        }]],
        computed: true,
        description:
          "The matching tokens, newest first: id, description, token_prefix, created_at, last_used_at (null if never used), expires_at (null if it never expires) and expired. Timestamps are RFC 3339 in UTC.",
        markdownDescription:
          "The matching tokens, newest first. Each has `id` (use it to `terraform import` an `agyn_api_token`), `description` " +
          "(the Gateway's token name), `token_prefix` (the first 8 characters, as the Console shows them), `created_at`, " +
          "`last_used_at` (null if never used), `expires_at` (null if the token never expires) and `expired` (the expiry is at or before now). " +
          "Timestamps are RFC 3339 in UTC, spelled as `agyn_api_token` spells them.",
      },
    },
  },
} as const satisfies Schema;

/** data "agyn_api_tokens" as it is read and reported. */
export type ApiTokensValues = KnownValues<typeof apiTokensDataSourceSchema.block>;
/** One element of `tokens`. */
export type ApiTokenRow = ApiTokensValues["tokens"] extends (infer Row)[] | null ? Row : never;
