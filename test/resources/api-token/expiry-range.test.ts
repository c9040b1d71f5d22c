// expires_in and rotate_before accept exactly Go's durations: past 2562047h47m16.854775807s is a validation
// error at the attribute (it used to pass validation and fail the apply with "Invalid time value"), and the
// longest one mints a token that expires in about 292 years.
import { instantFromDate } from "../../../gateway/instant";
import type { MintedApiToken } from "../../../gateway/records";
import { decodeMsgpack } from "../../../provider/codec/msgpack";
import { apiTokenSchema } from "../../../resources/api-token/api-token-schema";
import { MAX_GO_DURATION } from "../../../resources/go-duration";
import { type CtyObject, unknown } from "../../../schema/cty";
import { impliedType } from "../../../schema/declaration";
import { agynCoreWith } from "../../support/agyn-core";

const config = (values: Partial<Record<string, unknown>>): CtyObject => ({
  id: null, description: "ci", expires_at: null, expires_in: null, rotate_before: null, allow_self_revoke: null, token: null,
  token_prefix: null, identity_id: null, created_at: null, last_used_at: null, expired: null, ...values,
} as CtyObject);

const minted = (expiresAt: { seconds: bigint; nanos: number } | undefined): MintedApiToken => ({
  token: { id: "7d1f6a0e-1b2c-4d3e-8f40-5a6b7c8d9e0f", identityId: "owner", name: "ci", tokenPrefix: "agyn_0ab",
    createdAt: instantFromDate(new Date()), lastUsedAt: null, expiresAt: expiresAt ?? null },
  plaintext: `agyn_0${"A".repeat(43)}`,
});

describe.each(["expires_in", "rotate_before"])("%s", (attr) => {
  it("one nanosecond past Go's range is a validation error at the attribute", async () => {
    const { core, encoded } = await agynCoreWith({});
    const values = config({ [attr]: "2562047h47m16.854775808s", expires_in: attr === "rotate_before" ? "1h" : "2562047h47m16.854775808s" });
    const r = await core.validateResourceConfig({ typeName: "agyn_api_token", config: encoded("agyn_api_token", values), writeOnlyAllowed: true });
    const errors = r.diagnostics.filter((d) => d.severity === "error" && JSON.stringify(d.path) === JSON.stringify([{ attr }]));
    expect(errors).toHaveLength(1);
    expect(errors[0].detail).toContain(MAX_GO_DURATION);
  });
});

it("the longest duration Go has mints a token expiring about 292 years from now", async () => {
  let asked: { seconds: bigint; nanos: number } | undefined;
  const { core, encoded } = await agynCoreWith({
    createApiToken: async ({ expiresAt }) => {
      asked = expiresAt;
      return minted(expiresAt);
    },
  });
  const planned = config({ expires_in: MAX_GO_DURATION, id: unknown, token: unknown, token_prefix: unknown, identity_id: unknown,
    created_at: unknown, last_used_at: unknown, expired: unknown, expires_at: unknown });
  const r = await core.applyResourceChange({
    typeName: "agyn_api_token", priorState: { msgpack: Uint8Array.of(0xc0) }, plannedState: encoded("agyn_api_token", planned),
    config: encoded("agyn_api_token", config({ expires_in: MAX_GO_DURATION })), plannedPrivate: new Uint8Array(),
  });
  expect(r.diagnostics).toEqual([]);
  const state = decodeMsgpack(r.newState!, impliedType(apiTokenSchema.block)) as CtyObject;
  const years = (Number(asked!.seconds) * 1000 - Date.now()) / (365.2425 * 24 * 3600_000);
  expect(years).toBeGreaterThan(292);
  expect(years).toBeLessThan(293);
  expect(String(state.expires_at)).toMatch(/^23\d\d-/);
});
