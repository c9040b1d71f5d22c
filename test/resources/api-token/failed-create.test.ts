// The Gateway created a token but the provider could not finish: the token is revoked rather than orphaned,
// and if that fails too, what exists is returned so Terraform records it (tainted) and cleans up next time.
import { GatewayError } from "../../../gateway/gateway-error";
import type { MintedApiToken } from "../../../gateway/records";
import { apiTokenResource } from "../../../resources/api-token/api-token-resource";
import type { ApiTokenApply } from "../../../resources/api-token/api-token-schema";
import { unknown, unknownsAsNull } from "../../../schema/cty";
import { contextWith } from "../../support/operation-context";

const planned: ApiTokenApply = {
  id: unknown, description: "ci", expires_at: unknown, expires_in: null, rotate_before: null, allow_self_revoke: true,
  token: unknown, token_prefix: unknown, identity_id: unknown, created_at: unknown, last_used_at: unknown, expired: unknown,
};

const createdWithoutSecret = async (): Promise<MintedApiToken> => ({
  token: {
    id: "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f", name: "ci", identityId: "owner", tokenPrefix: "agyn_abc",
    createdAt: null, lastUsedAt: null, expiresAt: null,
  },
  plaintext: "", // a Gateway answer the provider cannot complete an apply with
});

describe("agyn_api_token create that cannot complete", () => {
  it("revokes the token the Gateway created and says so", async () => {
    const revoked: string[] = [];
    const ctx = contextWith({
      createApiToken: createdWithoutSecret,
      revokeApiToken: async (id: string) => void revoked.push(id),
    });
    const result = await apiTokenResource.create({ planned, config: { ...unknownsAsNull(planned), description: "ci" } }, ctx);
    expect(revoked).toEqual(["7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f"]);
    expect(result.value).toBeUndefined();
    expect(result.diagnostics?.map((d) => d.summary)).toEqual(["API token creation failed; the new token was revoked"]);
    expect(result.diagnostics?.[0].detail).toContain("7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f");
  });

  it("returns what exists when the revoke fails too, so Terraform records it", async () => {
    const ctx = contextWith({
      createApiToken: createdWithoutSecret,
      revokeApiToken: async () => {
        throw new GatewayError("RevokeAPIToken", "unavailable", "connection refused to 127.0.0.1:1");
      },
    });
    const result = await apiTokenResource.create({ planned, config: { ...unknownsAsNull(planned), description: "ci" } }, ctx);
    expect(result.value).toMatchObject({
      id: "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f", description: "ci", token: null, token_prefix: "agyn_abc",
      allow_self_revoke: true, // the configured settings survive, so the next plan only replaces the tainted token
    });
    // Every attribute is present and known, so the core can encode it for Terraform.
    expect(Object.keys(result.value ?? {}).sort()).toEqual(Object.keys(planned).sort());
    expect(Object.values(result.value ?? {})).not.toContain(unknown);
    expect(result.diagnostics?.[0].summary).toBe("API token creation failed and the token could not be revoked");
    expect(result.diagnostics?.[0].detail).toContain("connection refused");
  });
});
