// data "agyn_api_tokens" read: the configured filters reach the listing, and a bad unused_since that was
// unknown at validate time is still refused (with its path) rather than silently filtering nothing.
import type { GatewayClient } from "../../../gateway/client";
import { instantFromDate } from "../../../gateway/instant";
import { apiTokensDataSource } from "../../../resources/api-tokens-data-source/api-tokens-data-source";
import { agynCoreWith } from "../../support/agyn-core";
import { contextWith } from "../../support/operation-context";

function gatewayListing(names: string[], calls: { count: number }): Partial<GatewayClient> {
  return {
    listApiTokens: async () => {
      calls.count++;
      return names.map((name, i) => ({
        id: `id-${i}`, identityId: "owner", name, tokenPrefix: "agyn_abc",
        createdAt: instantFromDate(new Date(Date.UTC(2020, 0, 1))), lastUsedAt: null, expiresAt: null,
      }));
    },
  };
}

const config = { description_prefix: null, expired: null, unused_since: null, tokens: null };

describe("data agyn_api_tokens read", () => {
  it("returns the configuration with the selected tokens", async () => {
    const calls = { count: 0 };
    const result = await apiTokensDataSource.read(
      { config: { ...config, description_prefix: "ci-", unused_since: "24h" } }, contextWith(gatewayListing(["ci-a", "laptop", "ci-b"], calls)));
    expect(calls.count).toBe(1);
    expect(result.diagnostics).toBeUndefined();
    expect(result.value).toMatchObject({ description_prefix: "ci-", expired: null, unused_since: "24h" });
    expect((result.value!.tokens as { description: string }[]).map((t) => t.description)).toEqual(["ci-a", "ci-b"]);
  });

  it("refuses a bad unused_since at read, pointing at it, without asking the Gateway", async () => {
    const calls = { count: 0 };
    const { core, encoded } = await agynCoreWith(gatewayListing(["ci-a"], calls));
    const result = await core.readDataSource({ typeName: "agyn_api_tokens", config: encoded("agyn_api_tokens", { ...config, unused_since: "-1h" }) });
    expect(calls.count).toBe(0);
    expect(result.state).toBeUndefined();
    expect(result.diagnostics?.map((d) => [d.summary, d.path])).toEqual([["Invalid value", [{ attr: "unused_since" }]]]);
  });
});
