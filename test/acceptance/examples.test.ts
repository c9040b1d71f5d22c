// Every example in examples/ is applied, re-planned (no changes) and destroyed with the real terraform.
import { cpSync } from "node:fs";
import { join } from "node:path";
import { ClusterRole } from "../../gen/agynio/api/users/v1/users_pb";
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols, repoRoot, TerraformWorkdir } from "../support/terraform";
import { wireGatewayClient } from "../support/wire-gateway-client";

describeWithTerraform("examples", (tf) => {
  const gateway = useTestGateway();

  const copyExample = (work: TerraformWorkdir, name: string) =>
    cpSync(join(repoRoot, "examples", name), work.dir, { recursive: true });

  async function expectRejected(token: string) {
    const client = wireGatewayClient({ baseUrl: gateway.url, token });
    await expect(client.getMe()).rejects.toMatchObject({ code: "unauthenticated" });
    client.close();
  }

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TerraformWorkdir;
    beforeEach(() => {
      work = new TerraformWorkdir(tf, { AGYN_PROVIDER_PROTOCOL: String(protocol), TF_VAR_agyn_gateway: gateway.url });
    });
    afterEach(() => work.cleanup());

    it("ci-token mints a working token for the caller and revokes it on destroy", async () => {
      copyExample(work, "ci-token");
      const env = { TF_VAR_agyn_api_token: gateway.mintToken({ subject: `ex-ci-${protocol}`, name: "CI Owner" }) };
      expectSuccess(await work.apply(env), "apply");
      const out = await work.outputs(env);
      const token = String(out.ci_token.value);
      expect(out.ci_token.sensitive).toBe(true);
      const asCi = wireGatewayClient({ baseUrl: gateway.url, token });
      expect((await asCi.getMe()).user?.meta?.id).toBe((out.me.value as { identity_id: string }).identity_id);
      asCi.close();
      expect((await work.plan(env)).code).toBe(0);
      expectSuccess(await work.destroy(env), "destroy");
      await expectRejected(token);
    });

    it("rotation creates a 30-day token and is stable until its window", async () => {
      copyExample(work, "rotation");
      const env = { TF_VAR_agyn_api_token: gateway.mintToken({ subject: `ex-rot-${protocol}` }) };
      expectSuccess(await work.apply(env), "apply");
      const expiresAt = Date.parse(String((await work.outputs(env)).deploy_token_expires_at.value));
      expect(Math.abs(expiresAt - (Date.now() + 720 * 3600_000))).toBeLessThan(5 * 60_000);
      expect((await work.plan(env)).code).toBe(0);
      const inWindow = new Date(expiresAt - 24 * 3600_000).toISOString();
      const due = await work.plan({ ...env, TF_ACC: "1", AGYN_PROVIDER_TEST_NOW: inWindow });
      expect(due.code).toBe(2);
      expect(due.stdout).toContain("must be replaced");
      expectSuccess(await work.destroy(env), "destroy");
    });

    it("service-account mints tokens owned by the service user", async () => {
      copyExample(work, "service-account");
      const env = { TF_VAR_service_account_token: gateway.mintToken({ subject: `svc-nightly-${protocol}`, name: "Nightly service" }) };
      expectSuccess(await work.apply(env), "apply");
      const out = await work.outputs(env);
      const token = String(out.nightly_token.value);
      const asNightly = wireGatewayClient({ baseUrl: gateway.url, token });
      const me = await asNightly.getMe();
      expect(me.user?.oidcSubject).toBe(`svc-nightly-${protocol}`);
      expect(me.user?.meta?.id).toBe(out.owner_identity_id.value);
      asNightly.close();
      expectSuccess(await work.destroy(env), "destroy");
      await expectRejected(token);
    });

    it("users creates a service account and an admin automation account, and looks a person up by username", async () => {
      copyExample(work, "users");
      gateway.mintToken({ subject: `ex-rm-${protocol}`, name: `Release Manager ${protocol}` });
      const adminToken = gateway.mintToken({ subject: `ex-admin-${protocol}`, admin: true });
      const env = { TF_VAR_agyn_api_token: adminToken, TF_VAR_release_manager: `release-manager-${protocol}` };
      expectSuccess(await work.apply(env), "apply");
      const out = await work.outputs(env);
      const bot = out.release_bot.value as { identity_id: string; username: string };
      expect(bot.username).toBe("release-bot");
      expect(out.release_manager.value).toMatchObject({ name: `Release Manager ${protocol}` });
      const admin = wireGatewayClient({ baseUrl: gateway.url, token: adminToken });
      try {
        const users = await admin.listAllUsers();
        expect(users.find((u) => u.meta?.id === bot.identity_id)?.email).toBe("release-bot@example.com");
        const provisioner = users.find((u) => u.username === "user-provisioner");
        expect((await admin.getUser(provisioner!.meta!.id)).clusterRole).toBe(ClusterRole.ADMIN);
        expect((await work.plan(env)).code).toBe(0);
        expectSuccess(await work.destroy(env), "destroy");
        await expect(admin.getUser(bot.identity_id)).rejects.toMatchObject({ code: "not_found" });
      } finally {
        admin.close();
      }
    });
  });
});

