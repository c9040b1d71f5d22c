// A CreateAPIToken the Gateway carried out but whose answer was lost, when even the check that follows fails
// (the Gateway's ListAPITokens answers 503): the apply fails, the resource is kept as a tainted placeholder, and
// the token the Gateway made (whose secret nobody has) must be revoked by whatever destroys the placeholder next —
// the replacement of a plain apply, the replacement of create_before_destroy, or terraform destroy — with the real
// terraform, so that Terraform's own handling of tainted objects and private state is what is tested.
import { FaultProxy } from "../support/fault-proxy";
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, protocols } from "../support/terraform";
import {
  expectExit, flat, installTokenAudit, listedTokens, mint, tokenConfig, tokenResource, type TokenWorkdir, useTokenWorkdir,
} from "./api-token-support";

const NAME = "lost-create";

describeWithTerraform("a create whose answer and check were both lost", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    /** The tokens named NAME that the owner has on the Gateway (looked at directly, past the proxy). */
    const lostCreateTokens = async (owner: string) => [...(await listedTokens(gateway, owner))].filter(([, name]) => name === NAME).map(([id]) => id);

    it.each([
      ["the next apply's replacement", "apply", false],
      ["the next apply's replacement, created before destroying", "apply", true],
      ["terraform destroy", "destroy", false],
    ] as const)("%s revokes the token the lost create made", async (_, next, createBeforeDestroy) => {
      const proxy = await FaultProxy.start(gateway.url);
      const audit = installTokenAudit(gateway.dbPath);
      try {
        const owner = mint(gateway, work, { subject: `lost-create-${protocol}-${next}-${createBeforeDestroy}` });
        const env = { TF_VAR_agyn_api_token: owner };
        work.write({
          "main.tf": tokenConfig(proxy.url, tokenResource("ci", `description = "${NAME}"`, { createBeforeDestroy }), { max_retries: "0", request_timeout: "2s" }),
        });

        proxy.script("CreateAPIToken", "act-then-drop");
        proxy.setPlan({ rates: { unavailable: 1 }, methods: ["ListAPITokens"] });
        const failed = await work.apply(env);
        expectExit(failed, 1, "apply whose create and check are lost");
        expect(flat(failed.stderr)).toContain("API token creation failed; a token may have been created");
        const orphans = await lostCreateTokens(owner);
        expect(orphans).toHaveLength(1);
        const placeholder = await work.findResource("agyn_api_token.ci");
        expect(placeholder?.values.id).toMatch(/^lost-create:\S+\/\S+$/);
        expect(placeholder?.values.token).toBeNull();

        proxy.setPlan({ rates: {} });
        const cleanup = next === "apply" ? await work.apply(env) : await work.destroy(env);
        expectExit(cleanup, 0, next);
        const revoked = audit.events().filter((e) => e.op === "revoke").map((e) => e.id);
        expect(revoked).toContain(orphans[0]);
        const live = await lostCreateTokens(owner);
        if (next === "apply") {
          expect(live).toEqual([await work.output("ci_id")]);
          work.secret((await work.output("ci_token")) as string);
        } else {
          expect(live).toEqual([]);
        }
      } finally {
        audit.close();
        await proxy.close();
      }
    }, 120_000);
  });
});
