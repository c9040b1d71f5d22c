// resource "agyn_api_token" end to end with the real terraform, protocol 6 and forced protocol 5: create →
// the token works → no drift → revoked in the Console → recreated → replaced with create_before_destroy
// (new token before the old one is revoked, proven by the Gateway's own write order) → import (CLI and
// import block) → destroy revokes. Every human-readable output, trace log included, is checked for secrets.
import { startTestGateway, type TestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import {
  expectExit,
  expectRejected,
  identityOf,
  installTokenAudit,
  listedTokens,
  mint,
  type TokenAudit,
  tokenConfig,
  tokenResource,
  TokenWorkdir,
  withClient,
} from "./api-token-support";

describeWithTerraform("resource agyn_api_token lifecycle", (tf) => {
  let gateway: TestGateway;
  let audit: TokenAudit;
  beforeAll(async () => {
    gateway = await startTestGateway();
    audit = installTokenAudit(gateway.dbPath);
  });
  afterAll(async () => {
    audit?.close();
    await gateway?.close();
  });

  describe.each(protocols)("protocol %i", (protocol) => {
    const workdirs: TokenWorkdir[] = [];
    const workdir = () => {
      const w = new TokenWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol) });
      workdirs.push(w);
      return w;
    };
    afterEach(() => {
      try {
        for (const w of workdirs) w.expectNoSecretLeaks();
      } finally {
        for (const w of workdirs.splice(0)) w.cleanup();
      }
    });

    it("create, drift, recreate, replace before destroy, import, destroy", async () => {
      const work = workdir();
      const providerToken = mint(gateway, work, { subject: `life-${protocol}`, name: "Life Cycle", description: "personal" });
      const env = { TF_VAR_agyn_api_token: providerToken };
      const owner = await identityOf(gateway, providerToken);
      const config = (description: string) =>
        tokenConfig(gateway.url, tokenResource("ci", `description = "${description}"`, { createBeforeDestroy: true }));

      // Create: the minted token authenticates as the provider's user and is listed with its description.
      work.write({ "main.tf": config("ci v1") });
      // Trace logs for the create (its answer carries the secret), the replacement and the import.
      const trace = { TF_LOG: "trace" };
      const created = await work.apply({ ...env, ...trace });
      expectSuccess(created, "apply (create)");
      expect(created.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.");
      const { token: first, id: firstId } = await work.minted("ci");
      expect(await identityOf(gateway, first)).toBe(owner);
      expect((await listedTokens(gateway, providerToken)).get(firstId)).toBe("ci v1");
      const state = await work.resource("agyn_api_token.ci");
      expect(state).toMatchObject({
        id: firstId,
        description: "ci v1",
        identity_id: owner,
        token_prefix: first.slice(0, 8),
        expires_at: null,
        expires_in: null,
        expired: false,
      });
      expect(String(state.created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(Math.abs(Date.parse(String(state.created_at)) - Date.now())).toBeLessThan(120_000);

      // A second plan shows no changes (last_used_at moved on the Gateway: that is not a change).
      const steady = await work.plan(env);
      expectExit(steady, 0);
      expect(steady.stdout).toContain("No changes.");

      // Revoked in the Console: the next plan creates exactly one new token.
      await withClient(gateway, providerToken, (c) => c.revokeApiToken(firstId));
      await expectRejected(gateway, first);
      const drift = await work.plan(env);
      expectExit(drift, 2);
      expect(drift.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
      expect(await work.findResource("agyn_api_token.ci")).toBeDefined(); // plan never drops state itself

      const recreated = await work.apply(env);
      expectSuccess(recreated, "apply (recreate)");
      expect(recreated.stdout).toContain("Resources: 1 added, 0 changed, 0 destroyed.");
      const { token: second, id: secondId } = await work.minted("ci");
      expect(secondId).not.toBe(firstId);
      expect(second).not.toBe(first);
      expect(await identityOf(gateway, second)).toBe(owner);

      // A new description replaces the token, creating the new one before revoking the old one.
      work.write({ "main.tf": config("ci v2") });
      const replacePlan = await work.plan(env);
      expectExit(replacePlan, 2);
      expect(replacePlan.stdout).toContain("must be replaced");
      expect(replacePlan.stdout).toContain("create replacement and then destroy");
      expect(replacePlan.stdout).toMatch(/~ description\s+= "ci v1" -> "ci v2" # forces replacement/);
      expect(replacePlan.stdout).toContain("Plan: 1 to add, 0 to change, 1 to destroy.");
      const auditMark = audit.events().length;
      const replaced = await work.apply({ ...env, ...trace });
      expectSuccess(replaced, "apply (replace)");
      expect(replaced.stdout).toContain("Resources: 1 added, 0 changed, 1 destroyed.");
      const { token: third, id: thirdId } = await work.minted("ci");
      expect(thirdId).not.toBe(secondId);
      // Terraform's order...
      const createdAt = replaced.stdout.indexOf("agyn_api_token.ci: Creation complete");
      const destroyingAt = replaced.stdout.search(/agyn_api_token\.ci \(deposed object \w+\): Destroying\.\.\. \[id=/);
      expect(createdAt).toBeGreaterThanOrEqual(0);
      expect(destroyingAt).toBeGreaterThan(createdAt);
      // ...and the Gateway's: the new token row was inserted before the old one was deleted.
      const events = audit.events().slice(auditMark).filter((e) => e.id === thirdId || e.id === secondId);
      expect(events.map((e) => [e.op, e.id])).toEqual([
        ["create", thirdId],
        ["revoke", secondId],
      ]);
      await expectRejected(gateway, second);
      expect(await identityOf(gateway, third)).toBe(owner);
      const listed = await listedTokens(gateway, providerToken);
      expect(listed.get(thirdId)).toBe("ci v2");
      expect(listed.has(secondId)).toBe(false);
      // The trace log really is a trace log with the provider's lines in it (and, checked in afterEach, no secret).
      expect(replaced.stderr).toContain("provider.terraform-provider-agyn");
      expect(replaced.stderr).toMatch(/\[TRACE\]/);

      // Import by id into a fresh state: metadata comes back, the secret does not.
      const stateBefore = await work.resource("agyn_api_token.ci");
      const imported = workdir();
      imported.write({ "main.tf": config("ci v2") });
      const importRun = await imported.importId("agyn_api_token.ci", thirdId, { ...env, ...trace });
      expectSuccess(importRun, "terraform import");
      expect(importRun.stdout).toContain("Import successful!");
      const importedState = await imported.resource("agyn_api_token.ci");
      expect(importedState).toMatchObject({
        id: thirdId,
        description: "ci v2",
        identity_id: owner,
        token_prefix: third.slice(0, 8),
        created_at: stateBefore.created_at,
        expires_at: null,
        expires_in: null,
        rotate_before: null,
        allow_self_revoke: null,
        token: null,
        expired: false,
      });
      expectExit(await imported.plan(env), 0);

      // The same through an import block.
      const viaBlock = workdir();
      viaBlock.write({
        "main.tf": config("ci v2") + `\nimport {\n  to = agyn_api_token.ci\n  id = "${thirdId}"\n}\n`,
      });
      const blockApply = await viaBlock.apply(env);
      expectSuccess(blockApply, "apply with an import block");
      expect(blockApply.stdout).toContain("Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed.");
      expect(await viaBlock.resource("agyn_api_token.ci")).toMatchObject({
        id: thirdId,
        description: "ci v2",
        token_prefix: third.slice(0, 8),
        token: null,
      });

      // Destroy (from the imported state) revokes it. After import only the prefix is known, so the
      // self-revoke guard compares prefixes: destroy with a provider token whose prefix differs.
      let destroyer = providerToken;
      while (destroyer.slice(0, 8) === third.slice(0, 8)) {
        destroyer = mint(gateway, imported, { subject: `life-${protocol}`, description: "another personal token" });
      }
      const destroyed = await imported.destroy({ TF_VAR_agyn_api_token: destroyer });
      expectSuccess(destroyed, "destroy");
      expect(destroyed.stdout).toContain("Destroy complete! Resources: 1 destroyed.");
      await expectRejected(gateway, third);
      expect((await listedTokens(gateway, providerToken)).has(thirdId)).toBe(false);
      expect(await identityOf(gateway, providerToken)).toBe(owner);
      expect(work.humanRunCount + imported.humanRunCount + viaBlock.humanRunCount).toBeGreaterThanOrEqual(10);
    });
  });
});
