// Terraform starts a provider process per walk of a command (schemas, validate, plan, …). The provider's schema
// never changes within a version, so it tells Terraform (get_provider_schema_optional, Terraform >= 1.6) to use
// the schema it already read: only the first process of a command is asked for it. Counted in the provider's own
// trace log, on both protocols.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../support/local-gateway";
import { describeWithTerraform, expectSuccess, protocols } from "../support/terraform";
import { expectExit, mint, tokenConfig, tokenResource, useTokenWorkdir, type TokenWorkdir } from "./api-token-support";

describeWithTerraform("the provider schema is read once per command", (tf) => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => {
    await gateway?.close();
  });

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));
    const schemaRpc = protocol === 5 ? "GetSchema" : "GetProviderSchema";

    /** Provider processes started and schema requests served during one command, from its trace log. */
    function countsIn(logFile: string): { processes: number; schemaRequests: number } {
      const log = readFileSync(logFile, "utf8").split("\n");
      return {
        processes: log.filter((l) => /\[DEBUG\] provider: starting plugin: path=.*terraform-provider-agyn/.test(l)).length,
        schemaRequests: log.filter((l) => l.includes("received request") && new RegExp(`\\brpc=${schemaRpc}\\b`).test(l)).length,
      };
    }

    it(`asks ${schemaRpc} of the first provider process only`, async () => {
      const env = { TF_VAR_agyn_api_token: mint(gateway, work, { subject: `schema-calls-${protocol}` }) };
      work.write({ "main.tf": tokenConfig(gateway.url, tokenResource("ci", 'description = "schema calls"')) });
      expectSuccess(await work.apply(env), "apply");
      const logFile = join(work.dir, "plan.log");
      expectExit(await work.plan({ ...env, TF_LOG: "trace", TF_LOG_PATH: logFile }), 0, "no-change plan");
      const { processes, schemaRequests } = countsIn(logFile);
      // A plan starts several processes (schema, validate, plan); without the capability each one was asked.
      expect(processes).toBeGreaterThanOrEqual(2);
      expect(schemaRequests).toBe(1);
      expectSuccess(await work.destroy(env), "destroy");
    });
  });
});
