// The provider's own identity, with the real terraform (issue 10): replacing the token it authenticates with
// is refused at plan — it used to plan -/+ and fail the apply after create_before_destroy had minted the new
// token, leaving a deposed object — and a removed block lets go of it without revoking; destroying or
// replacing the user it authenticates as is refused at plan unless allow_self_delete = true, and taking its own
// cluster admin role away unless allow_self_demote = true.
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import {
  expectExit,
  expectRejected,
  flat,
  identityOf,
  installTokenAudit,
  mint,
  tokenConfig,
  tokenResource,
  type TokenWorkdir,
  useTokenWorkdir,
  withClient,
} from "./api-token-support";

describeWithTerraform("guards of the provider's own identity", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    it("refuses at plan to replace its own token; a removed block lets go of it without revoking", async () => {
      const personal = mint(gateway, work, { subject: `own-replace-${protocol}` });
      const config = (description: string) => tokenConfig(gateway.url, tokenResource("ci", `description = "${description}"`, { createBeforeDestroy: true }));
      work.write({ "main.tf": config("ci") });
      expectSuccess(await work.apply({ TF_VAR_agyn_api_token: personal }), "apply");
      const { token: minted, id } = await work.minted("ci");
      const asMinted = { TF_VAR_agyn_api_token: minted };

      const audit = installTokenAudit(gateway.dbPath);
      const before = audit.events().length;
      try {
        work.write({ "main.tf": config("ci renamed") });
        const plan = await work.plan(asMinted);
        expectExit(plan, 1, "plan of the replacement");
        expect(flat(plan.stderr)).toContain("Error: Refusing to replace the provider's own token");
        expect(flat(plan.stderr)).toContain(`Token ${id} is the token this provider authenticates with`);
        expect(flat(plan.stderr)).toContain("terraform state rm");
        const apply = await work.apply(asMinted);
        expectExit(apply, 1, "apply of the replacement");
        // Nothing was minted, so nothing can be left deposed.
        expect(audit.events().slice(before)).toEqual([]);
        expect((await work.resource("agyn_api_token.ci")).id).toBe(id);
      } finally {
        audit.close();
      }

      // The way out that revokes nothing.
      work.write({ "main.tf": tokenConfig(gateway.url, "removed {\n  from = agyn_api_token.ci\n  lifecycle {\n    destroy = false\n  }\n}\n") });
      expectSuccess(await work.apply(asMinted), "apply of the removed block");
      expect(await work.findResource("agyn_api_token.ci")).toBeUndefined();
      expect(await identityOf(gateway, minted)).toBe(await identityOf(gateway, personal));
    });

    it("refuses at plan to take the cluster admin role from the user it authenticates as, unless allow_self_demote = true", async () => {
      const subject = `own-admin-${protocol}`;
      const adminToken = mint(gateway, work, { subject, name: "Own Admin", admin: true });
      const env = { TF_VAR_agyn_api_token: adminToken };
      const identity = await identityOf(gateway, adminToken);
      const roleNow = async () => (await withClient(gateway, adminToken, (c) => c.getMe())).clusterRole;
      const adminRole = await roleNow();
      const config = (role: string, extra = "") => tokenConfig(gateway.url, `
import {
  to = agyn_user.me
  id = "${identity}"
}
resource "agyn_user" "me" {
  oidc_subject = "${subject}"
  name         = "Own Admin"
  cluster_role = "${role}"
  ${extra}
}
`);
      work.write({ "main.tf": config("admin") });
      expectSuccess(await work.apply(env), "import of the provider's own user");

      work.write({ "main.tf": config("none") });
      const refused = await work.apply(env);
      expectExit(refused, 1, "apply removing its own admin role");
      expect(flat(refused.stderr)).toContain("Error: Refusing to remove the cluster admin role from the user the provider authenticates as");
      expect(flat(refused.stderr)).toContain("allow_self_demote = true");
      expect(flat(refused.stderr)).toContain("cluster_role");
      expect(await roleNow()).toBe(adminRole);

      work.write({ "main.tf": config("none", "allow_self_demote = true") });
      expectSuccess(await work.apply(env), "apply with allow_self_demote");
      expect(await roleNow()).not.toBe(adminRole);
    });

    it("refuses at plan to destroy the user it authenticates as, unless allow_self_delete = true", async () => {
      const subject = `own-user-${protocol}`;
      const adminToken = mint(gateway, work, { subject, name: "Own User", admin: true });
      const env = { TF_VAR_agyn_api_token: adminToken };
      const identity = await identityOf(gateway, adminToken);
      const config = (extra = "") => tokenConfig(gateway.url, `
import {
  to = agyn_user.me
  id = "${identity}"
}
resource "agyn_user" "me" {
  oidc_subject = "${subject}"
  name         = "Own User"
  cluster_role = "admin"
  ${extra}
}
`);
      work.write({ "main.tf": config() });
      expectSuccess(await work.apply(env), "import of the provider's own user");

      const destroy = await work.destroy(env);
      expectExit(destroy, 1, "destroy");
      expect(flat(destroy.stderr)).toContain("Error: Refusing to delete the user the provider authenticates as");
      expect(flat(destroy.stderr)).toContain("allow_self_delete = true");
      expect(await identityOf(gateway, adminToken)).toBe(identity);

      work.write({ "main.tf": config().replace(`oidc_subject = "${subject}"`, `oidc_subject = "${subject}-new"`) });
      const renamed = await work.plan(env);
      expectExit(renamed, 1, "plan of a new oidc_subject");
      expect(flat(renamed.stderr)).toContain("Error: Refusing to replace the user the provider authenticates as");

      work.write({ "main.tf": config("allow_self_delete = true") });
      const opted = await work.apply(env);
      expectSuccess(opted, "apply allow_self_delete");
      expect(opted.stdout).toContain("0 added, 1 changed, 0 destroyed");
      expectSuccess(await work.destroy(env), "destroy with allow_self_delete");
      await expectRejected(gateway, adminToken);
      await withClient(gateway, gateway.mintToken({ subject: `own-user-checker-${protocol}`, admin: true }), async (c) => {
        expect((await c.listAllUsers()).some((u) => u.oidcSubject === subject)).toBe(false);
      });
    });
  });
});
