// The cdktn class for ephemeral agyn_api_token (bindings/cdktn, generated from the schema): the example
// written as a CDK Terrain stack synthesizes to the configuration Terraform expects, and terraform validate
// accepts it. (cdktf 0.21 has no ephemeral resources, so there is no cdktf class to test.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktn";
// The compiled bindings (`npm run build`), as the package ships them: the generated sources are compiled
// with their own tsconfig, not the repository's.
import { dataAgynUser, ephemeralAgynApiToken, provider } from "../../dist/bindings/cdktn";
import { describeWithTerraform, expectSuccess, TerraformWorkdir } from "../support/terraform";
import { type TerraformJson, withoutMetadata } from "./cdk-support";

/** What a project using ephemeral resources must declare (cdktf.json's `targetVersions`, or App context). */
const EPHEMERAL_TARGETS = { targetVersions: { terraform: ">=1.10.0", opentofu: ">=1.11.0" } };

/** Synthesizes the stack into `dir`; returns its cdk.tf.json text. */
function synthesizeRunTokenStack(dir: string, context: Record<string, unknown> = EPHEMERAL_TARGETS): string {
  const app = new App({ outdir: dir, context });
  const stack = new TerraformStack(app, "run-token");
  const gateway = new TerraformVariable(stack, "agyn_gateway", { type: "string" });
  const token = new TerraformVariable(stack, "agyn_api_token", { type: "string", sensitive: true });
  new provider.AgynProvider(stack, "agyn", { gateway: gateway.stringValue, token: token.stringValue });
  const run = new ephemeralAgynApiToken.EphemeralAgynApiToken(stack, "run", { description: "terraform run", expiresIn: "1h" });
  const runProvider = new provider.AgynProvider(stack, "agyn_run", { alias: "run", gateway: gateway.stringValue, token: run.token });
  const me = new dataAgynUser.DataAgynUser(stack, "run_me", { provider: runProvider });
  new TerraformOutput(stack, "run_identity", { value: me.identityId });
  app.synth();
  return readFileSync(join(dir, "stacks", "run-token", "cdk.tf.json"), "utf8");
}

describe("cdktn ephemeral agyn_api_token", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "agyn-cdktn-ephemeral-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("synthesizes an ephemeral block, and a provider configured from its token", () => {
    const stack = JSON.parse(synthesizeRunTokenStack(dir)) as TerraformJson & { ephemeral?: Record<string, Record<string, unknown>> };
    expect(withoutMetadata(stack.ephemeral)).toEqual({ agyn_api_token: { run: { description: "terraform run", expires_in: "1h" } } });
    expect(stack.provider?.agyn).toContainEqual({ alias: "run", gateway: "${var.agyn_gateway}", token: "${ephemeral.agyn_api_token.run.token}" });
    expect(withoutMetadata(stack.data)).toEqual({ agyn_user: { run_me: { provider: "agyn.run" } } });
  });

  it("is refused at synth unless the project targets Terraform 1.10 / OpenTofu 1.11 or later (what the README says)", () => {
    expect(() => synthesizeRunTokenStack(dir, {})).toThrow(/ephemeral resources requires terraform >=1\.10\.0/);
  });
});

describeWithTerraform("cdktn ephemeral agyn_api_token validated", (tf) => {
  it("is a configuration terraform validate accepts", async () => {
    const work = new TerraformWorkdir(tf);
    const dir = mkdtempSync(join(tmpdir(), "agyn-cdktn-ephemeral-"));
    try {
      work.write({ "cdk.tf.json": synthesizeRunTokenStack(dir) });
      expectSuccess(await work.run(["validate", "-no-color"]), "terraform validate");
    } finally {
      work.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
