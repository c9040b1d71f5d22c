// resource "agyn_api_token" rotation with the real terraform, protocol 6 and forced protocol 5: a plan
// inside rotate_before replaces the token (create_before_destroy), and changing the provider-side settings
// (rotate_before, allow_self_revoke) is an in-place update that keeps the token. "Later" is the provider's
// test clock (AGYN_PROVIDER_TEST_NOW with TF_ACC=1); the local Gateway keeps the real clock.
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import {
  atClock,
  expectExit,
  expectRejected,
  identityOf,
  listedTokens,
  mint,
  tokenConfig,
  tokenResource,
  type TokenWorkdir,
  useTokenWorkdir,
} from "./api-token-support";

const MINUTE = 60_000;

describeWithTerraform("resource agyn_api_token rotation", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    it("replaces the token when a plan runs inside rotate_before", async () => {
      const providerToken = mint(gateway, work, { subject: `rotate-${protocol}` });
      const env = { TF_VAR_agyn_api_token: providerToken };
      work.write({
        "main.tf": tokenConfig(gateway.url,
          tokenResource("ci", `description   = "rotating"\nexpires_in    = "2h"\nrotate_before = "1h"`, { createBeforeDestroy: true })),
      });
      const start = Date.now();
      expectSuccess(await work.apply(env), "apply");
      const { token: oldToken, id: oldId } = await work.minted("ci");
      const oldExpiry = Date.parse(String((await work.resource("agyn_api_token.ci")).expires_at));

      const now = await work.plan(env);
      expectExit(now, 0);
      const beforeWindow = await work.plan({ ...env, ...atClock(start + 50 * MINUTE) });
      expectExit(beforeWindow, 0);

      const inWindow = atClock(start + 90 * MINUTE);
      const due = await work.plan({ ...env, ...inWindow });
      expectExit(due, 2);
      expect(due.stdout).toContain("must be replaced");
      expect(due.stdout).toContain("create replacement and then destroy");
      expect(due.stdout).toContain("Plan: 1 to add, 0 to change, 1 to destroy.");

      const rotated = await work.apply({ ...env, ...inWindow });
      expectSuccess(rotated, "apply inside the rotation window");
      expect(rotated.stdout).toContain("Resources: 1 added, 0 changed, 1 destroyed.");
      const { token: newToken, id: newId } = await work.minted("ci");
      expect(newId).not.toBe(oldId);
      // The new expiry is 2h after the (test clock's) create.
      const newExpiry = Date.parse(String((await work.resource("agyn_api_token.ci")).expires_at));
      expect(newExpiry).toBeGreaterThan(oldExpiry);
      expect(Math.abs(newExpiry - Date.parse(inWindow.AGYN_PROVIDER_TEST_NOW) - 120 * MINUTE)).toBeLessThan(2000);
      await expectRejected(gateway, oldToken);
      expect(await identityOf(gateway, newToken)).toBe(await identityOf(gateway, providerToken));
      expect([...(await listedTokens(gateway, providerToken)).keys()]).toContain(newId);

      // The fresh token is outside its window again, at the same clock and at the real one.
      expectExit(await work.plan({ ...env, ...inWindow }), 0);
      expectExit(await work.plan(env), 0);
    });

    it("changes rotate_before and allow_self_revoke in place, keeping the token", async () => {
      const env = { TF_VAR_agyn_api_token: mint(gateway, work, { subject: `in-place-${protocol}` }) };
      const config = (settings: string) =>
        tokenConfig(gateway.url, tokenResource("ci", `description   = "ci"\nexpires_in    = "720h"\n${settings}`));
      work.write({ "main.tf": config(`rotate_before = "24h"`) });
      expectSuccess(await work.apply(env), "apply");
      const { token, id } = await work.minted("ci");
      const created = await work.resource("agyn_api_token.ci");

      work.write({ "main.tf": config(`rotate_before = "48h"`) });
      const plan = await work.plan(env);
      expectExit(plan, 2);
      expect(plan.stdout).toContain("will be updated in-place");
      expect(plan.stdout).toMatch(/~ rotate_before\s+= "24h" -> "48h"/);
      expect(plan.stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
      expect(plan.stdout).not.toContain("must be replaced");
      const applied = await work.apply(env);
      expectSuccess(applied, "apply rotate_before");
      expect(applied.stdout).toContain("Resources: 0 added, 1 changed, 0 destroyed.");
      expect(await work.minted("ci")).toEqual({ token, id });
      expect(await work.resource("agyn_api_token.ci")).toMatchObject({
        id, rotate_before: "48h", expires_at: created.expires_at, created_at: created.created_at,
      });

      work.write({ "main.tf": config(`rotate_before     = "48h"\nallow_self_revoke = true`) });
      const allow = await work.apply(env);
      expectSuccess(allow, "apply allow_self_revoke");
      expect(allow.stdout).toContain("will be updated in-place");
      expect(allow.stdout).toContain("Resources: 0 added, 1 changed, 0 destroyed.");
      expect(await work.minted("ci")).toEqual({ token, id });
      expect(await work.resource("agyn_api_token.ci")).toMatchObject({ id, allow_self_revoke: true, rotate_before: "48h" });
      expect(await identityOf(gateway, token)).toBe(created.identity_id);
      expectExit(await work.plan(env), 0);
    });
  });
});
