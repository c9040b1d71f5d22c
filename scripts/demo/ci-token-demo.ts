// The main job, end to end on a local Gateway: mint a CI token with `terraform apply`, prove it works,
// revoke it with `terraform destroy`, prove it is rejected. Secrets are shown only as their 8-char prefix.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGatewayClient, GatewayError } from "../../gateway/client";
import { API_TOKEN_SECRET_SHAPE, tokenPrefix } from "../../gateway/token-format";
import { redactSecrets, registerSecretPattern } from "../../provider/logging/secret-redaction";
import { wantsColour } from "./terminal-colour";

const root = resolve(__dirname, "..");
registerSecretPattern(API_TOKEN_SECRET_SHAPE);
const colour = wantsColour(process.stdout, process.env);
const say = (text: string) => console.log(colour ? `\n\x1b[1m▶ ${text}\x1b[0m` : `\n▶ ${text}`);
/** Terraform colours its output unless told not to, terminal or not. */
const terraformColour = colour ? [] : ["-no-color"];
const ok = (text: string) => console.log(`  ✔ ${text}`);

function findTerraform(): string | undefined {
  const fromEnv = process.env.TERRAFORM;
  if (fromEnv) return fromEnv;
  for (const name of ["terraform", "tofu"]) {
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

function startGateway(dbPath: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(join(root, "bin/agyn-local-gateway"), ["serve", "--db", dbPath, "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (url) => resolvePromise({ url: url.trim(), process: child }));
    child.once("exit", (code) => reject(new Error(`local Gateway exited (${code}) before it was ready`)));
  });
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; capture?: boolean }) {
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: "utf8",
    stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit",
  });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed with exit code ${r.status}`);
  return r.stdout ?? "";
}

async function main(): Promise<number> {
  const terraform = findTerraform();
  if (!terraform) {
    console.error("This demo needs Terraform (>= 0.14) or OpenTofu on PATH, or TERRAFORM=/path/to/terraform.\n" +
      "Get Terraform from https://developer.hashicorp.com/terraform/install or OpenTofu from https://opentofu.org/docs/intro/install/.");
    return 1;
  }
  const work = mkdtempSync(join(tmpdir(), "agyn-demo-"));
  let gateway: ChildProcess | undefined;
  try {
    say("Starting the local agyn Gateway on a fresh database");
    const started = await startGateway(join(work, "gateway.db"));
    gateway = started.process;
    const url = started.url;
    ok(`Gateway listening at ${url}`);

    say("Minting a personal token, as the Console would (agyn-local-gateway mint-token)");
    const personal = run(join(root, "bin/agyn-local-gateway"),
      ["mint-token", "--db", join(work, "gateway.db"), "--subject", "demo|platform-engineer", "--name", "Demo Engineer", "--description", "personal token (demo)"],
      { capture: true }).trim();
    ok(`personal token ${tokenPrefix(personal)}… (only its prefix is ever shown)`);

    const cliConfig = join(work, "dev.tfrc");
    writeFileSync(cliConfig, `provider_installation {\n  dev_overrides {\n    "agynio/agyn" = "${join(root, "bin")}"\n  }\n  direct {}\n}\n`);
    const stack = join(work, "ci-token");
    cpSync(join(root, "examples/ci-token"), stack, { recursive: true });
    const env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_VAR_agyn_gateway: url,
      TF_VAR_agyn_api_token: personal, // through the environment: Terraform logs its command line, not this
    };
    say(`terraform apply in examples/ci-token (Terraform at ${terraform}, provider from ${join(root, "bin")})`);
    run(terraform, ["apply", "-auto-approve", "-input=false", ...terraformColour], { cwd: stack, env });

    const outputs = JSON.parse(run(terraform, ["output", "-json"], { cwd: stack, env, capture: true })) as Record<string, { value: unknown }>;
    const ciToken = String(outputs.ci_token.value);
    const me = outputs.me.value as { identity_id: string; username: string };

    say("Checking the minted CI token against the Gateway");
    const asCi = createGatewayClient({ baseUrl: url, token: ciToken, userAgent: "agyn-demo", redact: redactSecrets });
    const seenByCi = await asCi.getMe();
    if (seenByCi.user?.identityId !== me.identity_id) throw new Error("GetMe with the CI token returned another identity");
    ok(`GetMe with the CI token ${tokenPrefix(ciToken)}… returns ${seenByCi.user?.username} (${me.identity_id}), the same user`);
    const asPersonal = createGatewayClient({ baseUrl: url, token: personal, userAgent: "agyn-demo", redact: redactSecrets });
    const listed = (await asPersonal.listApiTokens()).find((t) => t.id === outputs.ci_token_id.value);
    if (!listed) throw new Error("the CI token is not in ListAPITokens");
    ok(`ListAPITokens shows it: "${listed.name}", prefix ${listed.tokenPrefix}`);

    asPersonal.close();

    say("terraform destroy revokes the CI token");
    run(terraform, ["destroy", "-auto-approve", "-input=false", ...terraformColour], { cwd: stack, env });
    // The same client as before the destroy: if the Gateway closed its kept-alive socket meanwhile (idle past
    // its keep-alive timeout), the reset is absorbed by the client's read retries.
    try {
      await asCi.getMe();
      throw new Error("the CI token still authenticates after destroy");
    } catch (err) {
      if (!(err instanceof GatewayError) || err.code !== "unauthenticated") throw err;
      ok(`the CI token is now rejected: ${err.message}`);
    } finally {
      asCi.close();
    }
    say("Demo complete: a CI token was minted with terraform apply, used, and revoked with terraform destroy.");
    return 0;
  } finally {
    gateway?.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`\n✗ demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
