// resource "agyn_api_token" guards with the real terraform, protocol 6 and forced protocol 5: the provider
// refuses to revoke its own token (by hash when state holds the secret, by prefix after import) unless
// allow_self_revoke = true; a token owned by another identity is never dropped from state; import errors.
import { randomUUID } from "node:crypto";
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import {
  expectExit,
  expectRejected,
  flat,
  identityOf,
  listedTokens,
  mint,
  tokenConfig,
  tokenResource,
  type TokenWorkdir,
  withClient,
  useTokenWorkdir,
} from "./api-token-support";

describeWithTerraform("resource agyn_api_token guards", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    const stateList = async (env: Record<string, string>) => {
      const r = await work.run(["state", "list"], env);
      expectSuccess(r, "state list");
      return r.stdout.trim().split("\n").filter(Boolean);
    };

    it("refuses to revoke the provider's own token (state holds it) unless allow_self_revoke", async () => {
      const personal = mint(gateway, work, { subject: `self-${protocol}` });
      const config = (extra = "") => tokenConfig(gateway.url, tokenResource("ci", `description = "ci"\n${extra}`));
      work.write({ "main.tf": config() });
      expectSuccess(await work.apply({ TF_VAR_agyn_api_token: personal }), "apply");
      const { token: minted, id } = await work.minted("ci");

      // The provider now authenticates with the very token the resource manages.
      const asMinted = { TF_VAR_agyn_api_token: minted };
      const refused = await work.destroy(asMinted);
      expectExit(refused, 1);
      expect(flat(refused.stderr)).toContain("Error: Refusing to revoke the provider's own token");
      expect(flat(refused.stderr)).toContain(`Token ${id} is the token this provider authenticates with`);
      expect(flat(refused.stderr)).toContain("allow_self_revoke = true");
      expect(await stateList(asMinted)).toEqual(["agyn_api_token.ci"]);
      expect(await identityOf(gateway, minted)).toBe(await identityOf(gateway, personal));

      // Opting in is an in-place change (the token has no expiry: nothing else may become unknown), after
      // which the same destroy proceeds and revokes the very token it ran with.
      work.write({ "main.tf": config("allow_self_revoke = true") });
      const allow = await work.apply(asMinted);
      expectSuccess(allow, "apply allow_self_revoke");
      expect(allow.stdout).toContain("Resources: 0 added, 1 changed, 0 destroyed.");
      const destroyed = await work.destroy(asMinted);
      expectSuccess(destroyed, "destroy with allow_self_revoke");
      expect(destroyed.stdout).toContain("Destroy complete! Resources: 1 destroyed.");
      await expectRejected(gateway, minted);
      expect((await listedTokens(gateway, personal)).has(id)).toBe(false);
    });

    it("refuses to revoke an imported token whose prefix matches the provider's token", async () => {
      const personal = mint(gateway, work, { subject: `self-import-${protocol}`, description: "bootstrap" });
      const env = { TF_VAR_agyn_api_token: personal };
      const listed = await listedTokens(gateway, personal);
      expect(listed.size).toBe(1);
      const [[personalId, name]] = [...listed];
      expect(name).toBe("bootstrap");
      const config = (extra = "") => tokenConfig(gateway.url, tokenResource("self", `description = "bootstrap"\n${extra}`));
      work.write({ "main.tf": config() });
      expectSuccess(await work.importId("agyn_api_token.self", personalId, env), "import");
      expect(await work.resource("agyn_api_token.self")).toMatchObject({ id: personalId, token: null, token_prefix: personal.slice(0, 8) });

      const refused = await work.destroy(env);
      expectExit(refused, 1);
      expect(flat(refused.stderr)).toContain("Error: Refusing to revoke what may be the provider's own token");
      expect(flat(refused.stderr)).toContain(`its prefix ${personal.slice(0, 8)} matches the token this provider authenticates with`);
      expect(await stateList(env)).toEqual(["agyn_api_token.self"]);
      expect(await identityOf(gateway, personal)).toMatch(/^[0-9a-f-]{36}$/);

      work.write({ "main.tf": config("allow_self_revoke = true") });
      const allow = await work.apply(env);
      expectSuccess(allow, "apply allow_self_revoke");
      expect(allow.stdout).toContain("Resources: 0 added, 1 changed, 0 destroyed.");
      // Only the setting changes: no "(known after apply)" for the null secret of an imported token.
      expect(allow.stdout).not.toContain("known after apply");
      const destroyed = await work.destroy(env);
      expectSuccess(destroyed, "destroy with allow_self_revoke");
      await expectRejected(gateway, personal);
    });

    it("keeps another identity's token in state and refuses to read or revoke it", async () => {
      const alice = mint(gateway, work, { subject: `owner-a-${protocol}`, name: "Alice" });
      const bob = mint(gateway, work, { subject: `owner-b-${protocol}`, name: "Bob" });
      const asAlice = { TF_VAR_agyn_api_token: alice };
      const asBob = { TF_VAR_agyn_api_token: bob };
      work.write({ "main.tf": tokenConfig(gateway.url, tokenResource("ci", `description = "alice ci"`)) });
      expectSuccess(await work.apply(asAlice), "apply as A");
      const { token: minted, id } = await work.minted("ci");
      const aliceId = await identityOf(gateway, alice);
      const bobId = await identityOf(gateway, bob);

      const plan = await work.plan(asBob);
      expectExit(plan, 1);
      expect(flat(plan.stderr)).toContain("Error: API token belongs to another identity");
      expect(flat(plan.stderr)).toContain(`belongs to identity ${aliceId}`);
      expect(flat(plan.stderr)).toContain(`(identity ${bobId})`);
      expect(await stateList(asBob)).toEqual(["agyn_api_token.ci"]);

      const refresh = await work.apply(asBob, ["-refresh-only"]);
      expectExit(refresh, 1);
      expect(flat(refresh.stderr)).toContain("API token belongs to another identity");
      expect(await stateList(asBob)).toEqual(["agyn_api_token.ci"]);

      // Destroy without the refresh reaches Delete, which refuses too (the Gateway says not_found to Bob).
      const destroy = await work.run(["destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false"], asBob);
      expectExit(destroy, 1);
      expect(flat(destroy.stderr)).toContain("API token belongs to another identity");
      expect(flat(destroy.stderr)).toContain("revoke it");
      expect(await stateList(asBob)).toEqual(["agyn_api_token.ci"]);
      expect(await identityOf(gateway, minted)).toBe(aliceId);

      // Back as the owner: nothing to do to the token. (The failed destroy already removed the root outputs
      // from state — Terraform does that first — so one apply puts them back.)
      const back = await work.apply(asAlice);
      expectSuccess(back, "apply as A again");
      expect(back.stdout).toContain("Resources: 0 added, 0 changed, 0 destroyed.");
      expect(String(await work.output("ci_id"))).toBe(id);
      expectExit(await work.plan(asAlice), 0);
      expect((await work.resource("agyn_api_token.ci")).id).toBe(id);
      expectSuccess(await work.destroy(asAlice), "destroy as A");
      await expectRejected(gateway, minted);
    });

    it("explains import errors: malformed id, unknown id, someone else's token", async () => {
      const mine = mint(gateway, work, { subject: `importer-${protocol}` });
      const theirs = mint(gateway, work, { subject: `import-victim-${protocol}`, description: "theirs" });
      const env = { TF_VAR_agyn_api_token: mine };
      const [theirId] = [...(await listedTokens(gateway, theirs)).keys()];
      work.write({ "main.tf": tokenConfig(gateway.url, tokenResource("ci", `description = "theirs"`)) });

      const malformed = await work.importId("agyn_api_token.ci", "not-a-uuid", env);
      expectExit(malformed, 1);
      expect(flat(malformed.stderr)).toContain("Error: Invalid import id");
      expect(flat(malformed.stderr)).toContain(`"not-a-uuid" is not an API token id`);

      const unknownId = randomUUID();
      const unknown = await work.importId("agyn_api_token.ci", unknownId, env);
      expectExit(unknown, 1);
      expect(flat(unknown.stderr)).toContain("Error: API token not found");
      expect(flat(unknown.stderr)).toContain(`No API token with id ${unknownId}`);

      const foreign = await work.importId("agyn_api_token.ci", theirId, env);
      expectExit(foreign, 1);
      expect(flat(foreign.stderr)).toContain("Error: API token not found");
      expect(flat(foreign.stderr)).toContain(`No API token with id ${theirId}`);
      expect(flat(foreign.stderr)).toContain("a token can only be imported by its owner");
      expect(flat(foreign.stderr)).toContain(`identity ${await identityOf(gateway, mine)}`);

      expect(await work.findResource("agyn_api_token.ci")).toBeUndefined();
      await withClient(gateway, theirs, async (c) => expect((await c.getMe()).user?.oidcSubject).toBe(`import-victim-${protocol}`));
    });
  });
});
