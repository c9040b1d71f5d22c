// provider "agyn" { … }: where the Gateway is and how to authenticate to it.
import type { Schema } from "../../schema/declaration";
import type { PlanningValues } from "../../schema/typed-values";

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
        description: "agyn API token used to authenticate. Environment: AGYN_TOKEN, then AGYN_API_TOKEN.",
        markdownDescription: "agyn API token used to authenticate. Environment: `AGYN_TOKEN`, then `AGYN_API_TOKEN`.",
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
