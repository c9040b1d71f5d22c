// Fail early, say it once (issue 10), with the real terraform: a plan that creates tokens with missing or
// rejected credentials fails at plan — one diagnostic, not one per resource — while terraform validate still
// needs no credentials; a profile/Gateway mismatch is reported once; an HTML page at the Gateway URL says to
// check the URL; an expires_in past Go's range fails validate at the attribute; a provider that cannot start says why
// in Terraform's own error.
import { mkdirSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, protocols } from "../support/terraform";
import { expectExit, flat, installTokenAudit, mint, tokenConfig, type TokenWorkdir, useTokenWorkdir } from "./api-token-support";

const FIVE_TOKENS = Array.from({ length: 5 }, (_, i) => `
resource "agyn_api_token" "t${i}" {
  description = "early-${i}"
}`).join("\n");

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describeWithTerraform("fail early, say it once", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    it("a rejected token fails the plan of five new tokens once, and creates nothing; validate needs no credentials", async () => {
      const valid = mint(gateway, work, { subject: `early-${protocol}` });
      const rejected = valid.slice(0, -1) + (valid.endsWith("a") ? "b" : "a");
      work.write({ "main.tf": tokenConfig(gateway.url, FIVE_TOKENS) });
      expectExit(await work.run(["validate", "-no-color"]), 0, "validate without credentials");
      const audit = installTokenAudit(gateway.dbPath);
      const before = audit.events().length;
      try {
        const plan = await work.plan({ TF_VAR_agyn_api_token: rejected });
        expectExit(plan, 1, "plan");
        expect(occurrences(plan.stderr, "Error: agyn Gateway rejected the token")).toBe(1);
        expect(flat(plan.stderr)).toContain("GetMe failed (unauthenticated): invalid api token");
        expect(plan.stdout + plan.stderr).not.toContain(rejected.slice(5, 25));
        const apply = await work.apply({ TF_VAR_agyn_api_token: rejected });
        expectExit(apply, 1, "apply");
        expect(audit.events().slice(before)).toEqual([]);
      } finally {
        audit.close();
      }
    });

    it("no token anywhere: the plan fails once, at the provider", async () => {
      work.write({ "main.tf": tokenConfig(gateway.url, FIVE_TOKENS) });
      const plan = await work.plan({ TF_VAR_agyn_api_token: "" });
      expectExit(plan, 1, "plan");
      expect(occurrences(plan.stderr, "Error: No agyn API token configured")).toBe(1);
    });

    it("a profile's token with another Gateway is reported once, not once per resource", async () => {
      const token = mint(gateway, work, { subject: `profile-${protocol}` });
      mkdirSync(join(work.dir, ".agyn"), { recursive: true });
      writeFileSync(join(work.dir, ".agyn/config.yaml"), "currentProfile: work\nprofiles:\n  work:\n    gatewayUrl: https://gateway.example.com\n");
      writeFileSync(join(work.dir, ".agyn/credentials"), `work:\n  token: ${token}\n`);
      work.write({
        "main.tf": `
terraform {
  required_providers {
    agyn = { source = "agynio/agyn" }
  }
}
provider "agyn" {
  gateway = "${gateway.url}"
}
${FIVE_TOKENS}
`,
      });
      const plan = await work.plan();
      expectExit(plan, 1, "plan");
      expect(occurrences(plan.stderr, "Error: Profile token used with another Gateway")).toBe(1);
      expect(plan.stdout + plan.stderr).not.toContain(token.slice(5, 25));
    });

    it("an HTML page at the Gateway URL: the plan fails once and says to check the URL", async () => {
      const page = http.createServer((req, res) => {
        req.resume();
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end("<!doctype html><title>Welcome</title><h1>It works</h1>");
      });
      await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
      try {
        const token = mint(gateway, work, { subject: `html-${protocol}` });
        work.write({ "main.tf": tokenConfig(`http://127.0.0.1:${(page.address() as AddressInfo).port}`, FIVE_TOKENS) });
        const plan = await work.plan({ TF_VAR_agyn_api_token: token });
        expectExit(plan, 1, "plan");
        expect(occurrences(plan.stderr, "Error: agyn Gateway error")).toBe(1);
        expect(flat(plan.stderr)).toContain("check the gateway URL");
      } finally {
        page.closeAllConnections();
        await new Promise<void>((resolve) => page.close(() => resolve()));
      }
    });

    it("a provider that cannot start (a wrong AGYN_PROVIDER_PROTOCOL): Terraform's error quotes the reason", async () => {
      work.write({ "main.tf": tokenConfig(gateway.url, FIVE_TOKENS) });
      const plan = await work.plan({ TF_VAR_agyn_api_token: mint(gateway, work, { subject: `unstarted-${protocol}` }), AGYN_PROVIDER_PROTOCOL: "4" });
      expectExit(plan, 1, "plan");
      // Without TF_LOG: stderr of the provider is not shown, only the line go-plugin read from its stdout.
      expect(flat(plan.stderr)).toContain('terraform-provider-agyn: AGYN_PROVIDER_PROTOCOL must be 5 or 6, not "4"');
    });

    it("an expires_in past Go's range fails validate at the attribute", async () => {
      work.write({ "main.tf": tokenConfig(gateway.url, `
resource "agyn_api_token" "forever" {
  description = "forever"
  expires_in  = "2562048h"
}`) });
      const validate = await work.run(["validate", "-no-color"]);
      expectExit(validate, 1, "validate");
      expect(flat(validate.stderr)).toContain("longer than the longest duration there is");
      expect(flat(validate.stderr)).toContain('expires_in = "2562048h"');
    });
  });
});
