// examples/cdktf, as a user runs it: compiled under strict + nodenext with libraries checked, synthesized with
// cdktf and with CDK Terrain (cdktn) with no terraform on PATH, and every synthesized stack applied with the real
// terraform against the local Gateway — installed from the filesystem mirror, since a synthesized stack has a
// backend and a pinned provider version and so needs `terraform init`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tokenPrefix } from "../../gateway/token-format";
import { ClusterRole } from "../../gen/agynio/api/users/v1/users_pb";
import { expectExit, expectRejected, identityOf, TokenWorkdir, withClient } from "../acceptance/api-token-support";
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import { compileExample, type Framework, FRAMEWORKS, packageVersion, synthesize, type Synthesized, withoutMetadata } from "./cdk-support";

let compiled: string;
beforeAll(() => {
  compiled = compileExample();
});
afterAll(() => rmSync(compiled, { recursive: true, force: true }));

/** A scratch folder per test: the synth's working directory, where the stacks' local backends keep state. */
function useScratch(): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "agyn-cdk-synth-"));
  });
  afterEach(() => rmSync(dir!, { recursive: true, force: true }));
  return () => dir!;
}

describe("examples/cdktf synthesized without terraform", () => {
  const scratch = useScratch();

  describe.each(FRAMEWORKS)("$name", (fw: Framework) => {
    let out: Synthesized;
    beforeEach(() => {
      out = synthesize(join(compiled, fw.app), scratch());
    });

    it("writes both stacks, each pinning agynio/agyn to this package's version", () => {
      expect(out.manifest.version).toBe(fw.name === "cdktf" ? "0.21.0" : "0.24.0");
      expect(Object.keys(out.stacks).sort()).toEqual(["ci-token", "service-account"]);
      for (const stack of Object.values(out.stacks)) {
        expect(stack.terraform.required_providers).toEqual({ agyn: { source: "agynio/agyn", version: packageVersion } });
        expect(stack.provider?.agyn).toEqual([{ gateway: "${var.agyn_gateway}", token: "${var.agyn_api_token}" }]);
        expect(stack.variable?.agyn_api_token).toMatchObject({ type: "string", sensitive: true });
      }
    });

    it("ci-token: a rotating CI token replaced create-before-destroy, the caller, and the secret as a sensitive output", () => {
      const stack = out.stacks["ci-token"];
      expect(withoutMetadata(stack.resource)).toEqual({
        agyn_api_token: {
          ci: {
            description: "ci pipeline (cdk stack)",
            expires_in: "2160h",
            rotate_before: "360h",
            lifecycle: { create_before_destroy: true },
          },
        },
      });
      expect(withoutMetadata(stack.data)).toEqual({ agyn_user: { me: {} } });
      expect(stack.output?.ci_token).toEqual({ value: "${agyn_api_token.ci.token}", sensitive: true });
      expect(stack.output?.caller?.value).toEqual({
        identity_id: "${data.agyn_user.me.identity_id}",
        username: "${data.agyn_user.me.username}",
      });
    });

    it("service-account: an agyn_user for unattended automation", () => {
      expect(withoutMetadata(out.stacks["service-account"].resource)).toEqual({
        agyn_user: { deployer: { oidc_subject: "svc:ci-deployer", name: "CI deployer", cluster_role: "none" } },
      });
    });
  });

  it("cdktf and cdktn synthesize the same configuration", () => {
    const [cdktf, cdktn] = FRAMEWORKS.map((fw) => synthesize(join(compiled, fw.app), scratch(), join(scratch(), fw.name)));
    for (const name of Object.keys(cdktf.stacks)) {
      expect(withoutMetadata(cdktn.stacks[name])).toEqual(withoutMetadata(cdktf.stacks[name]));
    }
  });
});

describeWithTerraform("examples/cdktf applied", (tf) => {
  const scratch = useScratch();
  // cdktf on both protocols; cdktn's configuration equals cdktf's (above), so protocol 6 is enough for it.
  const cases = FRAMEWORKS.flatMap((fw) => (fw.name === "cdktf" ? protocols : [6]).map((protocol) => ({ fw, protocol })));

  describe.each(cases)("$fw.name, protocol $protocol", ({ fw, protocol }) => {
    const gateway = useTestGateway();
    let works: TokenWorkdir[] = [];
    afterEach(() => {
      try {
        for (const w of works) w.expectNoSecretLeaks();
      } finally {
        for (const w of works) w.cleanup();
        works = [];
      }
    });

    /** An initialized work directory holding one synthesized stack. */
    async function stackWorkdir(out: Synthesized, stack: string): Promise<TokenWorkdir> {
      const work = new TokenWorkdir(
        tf,
        { AGYN_PROVIDER_PROTOCOL: String(protocol), TF_VAR_agyn_gateway: gateway.url },
        { providerInstallation: "filesystem_mirror" },
      );
      works.push(work);
      work.write({ "cdk.tf.json": out.texts[stack] });
      expectSuccess(await work.init(), `terraform init (${stack})`);
      return work;
    }

    it("ci-token mints a token that authenticates as the caller; a second plan is empty; destroy revokes it", async () => {
      const out = synthesize(join(compiled, fw.app), scratch());
      const work = await stackWorkdir(out, "ci-token");
      const caller = work.secret(gateway.mintToken({ subject: `cdk-ci-${fw.name}-${protocol}`, name: "CDK Engineer" }));
      const env = { TF_VAR_agyn_api_token: caller };
      expectSuccess(await work.apply(env), "apply");

      const outputs = await work.outputs(env);
      expect(outputs.ci_token.sensitive).toBe(true);
      const token = work.secret(String(outputs.ci_token.value));
      expect(outputs.ci_token_prefix.value).toBe(tokenPrefix(token));
      const callerId = await identityOf(gateway, caller);
      expect(await identityOf(gateway, token)).toBe(callerId);
      const me = await withClient(gateway, caller, (c) => c.getMe());
      expect(await work.output("caller", env)).toEqual({ identity_id: callerId, username: me.user?.username });

      expectExit(await work.plan(env), 0, "second plan");
      expectSuccess(await work.destroy(env), "destroy");
      await expectRejected(gateway, token);
    });

    it("service-account creates the user as a cluster admin; a second plan is empty; destroy deletes it", async () => {
      const out = synthesize(join(compiled, fw.app), scratch());
      const work = await stackWorkdir(out, "service-account");
      const admin = work.secret(gateway.mintToken({ subject: `cdk-admin-${fw.name}-${protocol}`, admin: true }));
      const env = { TF_VAR_agyn_api_token: admin };
      expectSuccess(await work.apply(env), "apply");

      const account = (await work.output("service_account", env)) as { identity_id: string; username: string };
      const created = await withClient(gateway, admin, (c) => c.getUser(account.identity_id));
      expect(created.user).toMatchObject({ oidcSubject: "svc:ci-deployer", name: "CI deployer", username: account.username });
      expect(created.clusterRole).toBe(ClusterRole.UNSPECIFIED); // "none"

      expectExit(await work.plan(env), 0, "second plan");
      expectSuccess(await work.destroy(env), "destroy");
      await withClient(gateway, admin, async (c) => {
        await expect(c.getUser(account.identity_id)).rejects.toMatchObject({ code: "not_found" });
      });
    });
  });
});
