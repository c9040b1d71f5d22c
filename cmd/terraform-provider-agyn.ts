// Entry point of bin/terraform-provider-agyn: assembles the plugin framework (provider/) with the agyn
// provider (resources/) and dispatches the command line: serve Terraform, serve a debugger, print the schema,
// the version or the usage.
import "../provider/server/stdout-guard";
import { ProviderCore } from "../provider/core/provider-core";
import { launchedByTerraform, reportFailedLaunch } from "../provider/server/handshake";
import { createLogger } from "../provider/logging/logger";
import { serveDebugger, serveTerraform } from "../provider/server/serve";
import { agynProvider } from "../resources/agyn-provider";
import { PROVIDER_VERSION } from "../resources/provider-identity";
import { providersSchemaJson } from "../schema/terraform-json";
import { quoted } from "../schema/diagnostics";
import { redactSecrets, registerSecretPattern } from "../provider/logging/secret-redaction";

const USAGE = `Usage: terraform-provider-agyn [command]

The agyn provider for Terraform and OpenTofu. Terraform starts it without a command; you can run:
  terraform-provider-agyn schema     print the provider schema as \`terraform providers schema -json\` does
  terraform-provider-agyn --debug    serve for a debugger; prints the TF_REATTACH_PROVIDERS value to use
  terraform-provider-agyn --version  print the provider version
  terraform-provider-agyn install    install this provider where Terraform finds it (--help for more)
  terraform-provider-agyn --help     print this help
`;

/** go-plugin's words for a plugin started by hand, which users may search for. */
const NOT_FOR_HUMANS = `This binary is a plugin. These are not meant to be executed directly.
Please execute the program that consumes these plugins, which will load any plugins automatically.

`;

async function main(argv: string[]): Promise<number> {
  // Before anything can print: whatever reaches stderr passes the one redaction rule.
  for (const shape of agynProvider().secretShapes) registerSecretPattern(shape);
  const command = argv[0];
  if (command === "--version" || command === "version") {
    process.stdout.write(`terraform-provider-agyn ${PROVIDER_VERSION}\n`);
    return 0;
  }
  if (command === "schema") {
    const provider = agynProvider();
    const core = new ProviderCore(provider, createLogger({ level: "off" }));
    process.stdout.write(JSON.stringify(providersSchemaJson(provider.address, core.schemas())) + "\n");
    return 0;
  }
  if (command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === "--debug" || command === "debug") return serveDebugger(agynProvider());
  if (command === "install") return (await import("../release/install-command")).runInstallCommand(argv.slice(1));
  if (command !== undefined && command !== "serve") {
    process.stderr.write(`unknown command ${redactSecrets(quoted(command))}\n\n${USAGE}`);
    return 2;
  }
  if (!launchedByTerraform(process.env)) {
    process.stderr.write(NOT_FOR_HUMANS + USAGE);
    return 1;
  }
  return serveTerraform(agynProvider());
}

main(process.argv.slice(2)).then(
  // exitCode rather than exit(): stdout to a pipe is asynchronous and must drain (e.g. `schema`).
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    reportFailedLaunch(redactSecrets(`terraform-provider-agyn failed to start: ${err instanceof Error ? err.message : String(err)}`));
    // Not exit() at once: the line on stdout (a pipe, asynchronous on macOS) must reach Terraform first.
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 1000).unref();
  },
);
