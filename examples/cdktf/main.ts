// An agyn app for cdktf (TypeScript). From the repository root: `npm run build` once, then `cdktf synth`
// (cdktf.json runs this file), or `npx tsc -p examples/cdktf && node examples/cdktf/.build/main.js`.
// Synthesizing needs no terraform. main-cdktn.ts is the same app for CDK Terrain: only the imports differ.
import { App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { apiToken, dataAgynUser, provider, user } from "terraform-provider-agyn/cdktf";

/** The provider, configured from variables: pass the token as TF_VAR_agyn_api_token, never in a file. */
function agynProvider(scope: Construct): void {
  const gateway = new TerraformVariable(scope, "agyn_gateway", {
    type: "string",
    description: "Base URL of the agyn Gateway.",
  });
  const token = new TerraformVariable(scope, "agyn_api_token", {
    type: "string",
    sensitive: true,
    description: "The agyn API token to deploy with.",
  });
  new provider.AgynProvider(scope, "agyn", { gateway: gateway.stringValue, token: token.stringValue });
}

/** A CI token of the caller, rotated by replacement. Any agyn user can deploy this stack. */
class CiTokenStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    agynProvider(this);
    const me = new dataAgynUser.DataAgynUser(this, "me", {});
    const ci = new apiToken.ApiToken(this, "ci", {
      description: "ci pipeline (cdk stack)",
      expiresIn: "2160h", // 90 days from creation
      rotateBefore: "360h", // a plan in the last 15 days replaces it
      lifecycle: { createBeforeDestroy: true }, // the new token exists before the old one is revoked
    });
    new TerraformOutput(this, "caller", { value: { identity_id: me.identityId, username: me.username } });
    new TerraformOutput(this, "ci_token_id", { value: ci.id });
    new TerraformOutput(this, "ci_token_prefix", { value: ci.tokenPrefix });
    // Generated classes do not mark `token` sensitive (Terraform enforces it at plan): outputs must say so.
    new TerraformOutput(this, "ci_token", { value: ci.token, sensitive: true });
  }
}

/** A service account for unattended automation. Needs a cluster admin's token. */
class ServiceAccountStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    agynProvider(this);
    const deployer = new user.User(this, "deployer", {
      oidcSubject: "svc:ci-deployer", // any unique string for a service account
      name: "CI deployer",
      clusterRole: "none",
    });
    new TerraformOutput(this, "service_account", {
      value: { identity_id: deployer.identityId, username: deployer.username },
    });
  }
}

const app = new App();
new CiTokenStack(app, "ci-token");
new ServiceAccountStack(app, "service-account");
app.synth();
