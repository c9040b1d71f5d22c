// Entry point of bin/terraform-provider-agyn: serve Terraform, serve a debugger, or print the schema.
import "./stdout-guard";
import { ProviderCore } from "./core";
import { NOT_LAUNCHED_BY_TERRAFORM, handshakeLine, launchedByTerraform, negotiateProtocol, type ProtocolVersion } from "./handshake";
import { createLogger, levelFromEnvironment, type Logger } from "./logger";
import { registerSecretPattern } from "./secret-redaction";
import { startPluginServer } from "./server";
import { PROVIDER_ADDRESS, PROVIDER_VERSION } from "./version";
import { agynProvider, agynSecretPatterns } from "../resources/agyn-provider";
import { providersSchemaJson } from "../schema/terraform-json";

async function main(argv: string[]): Promise<number> {
  for (const p of agynSecretPatterns) registerSecretPattern(p);
  const command = argv[0];
  if (command === "--version" || command === "version") {
    process.stdout.write(`terraform-provider-agyn ${PROVIDER_VERSION}\n`);
    return 0;
  }
  if (command === "schema") {
    const core = new ProviderCore(agynProvider(), createLogger({ level: "off" }));
    process.stdout.write(JSON.stringify(providersSchemaJson(PROVIDER_ADDRESS, core.schemas())) + "\n");
    return 0;
  }
  if (command === "--debug" || command === "debug") return serveForDebugger();
  if (command === "install") return (await import("../release/install-command")).runInstallCommand(argv.slice(1));
  if (command !== undefined && command !== "serve") {
    process.stderr.write(`unknown command "${command}"\n\n${NOT_LAUNCHED_BY_TERRAFORM}`);
    return 2;
  }
  if (!launchedByTerraform(process.env)) {
    process.stderr.write(NOT_LAUNCHED_BY_TERRAFORM);
    return 1;
  }
  return serveForTerraform();
}

async function serveForTerraform(): Promise<number> {
  const log = createLogger({ level: levelFromEnvironment(process.env) });
  const negotiated = negotiateProtocol(process.env);
  if (!negotiated.version) {
    process.stderr.write(`[ERROR] terraform-provider-agyn: ${negotiated.problem}\n`);
    return 1;
  }
  // Terraform cancels through Stop/StopProvider; the terminal's Ctrl-C also reaches us and must not kill us.
  process.on("SIGINT", () => log.debug("ignoring SIGINT; Terraform cancels through the Stop RPC"));
  const server = await serve(negotiated.version, process.env.PLUGIN_CLIENT_CERT, log);
  process.stdout.write(handshakeLine(negotiated.version, server.socketPath, server.certBase64));
  guardAgainstOrphaning(server.shutdown, log);
  return new Promise<number>(() => {}); // serve until Shutdown, SIGTERM or orphaning
}

async function serveForDebugger(): Promise<number> {
  const log = createLogger({ level: levelFromEnvironment(process.env, "info") });
  const negotiated = negotiateProtocol({ ...process.env, PLUGIN_PROTOCOL_VERSIONS: "5,6" });
  if (!negotiated.version) {
    process.stderr.write(`${negotiated.problem}\n`);
    return 1;
  }
  // Reattached providers are dialled without AutoMTLS, so debug mode serves plaintext.
  const server = await serve(negotiated.version, undefined, log);
  const reattach = {
    [PROVIDER_ADDRESS]: {
      Protocol: "grpc",
      ProtocolVersion: negotiated.version,
      Pid: process.pid,
      Test: true,
      Addr: { Network: "unix", String: server.socketPath },
    },
  };
  process.stdout.write(
    `terraform-provider-agyn ${PROVIDER_VERSION} is serving protocol ${negotiated.version} for a debugger.\n` +
      "Set this in the shell that runs terraform (Ctrl-C here stops the provider):\n\n" +
      `\texport TF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\n`,
  );
  process.on("SIGINT", () => void server.shutdown().then(() => process.exit(0)));
  return new Promise<number>(() => {});
}

async function serve(protocol: ProtocolVersion, clientCertPem: string | undefined, log: Logger) {
  const core = new ProviderCore(agynProvider(), log);
  const server = await startPluginServer({
    core,
    protocol,
    clientCertPem,
    log,
    onShutdown: () => void server.shutdown().then(() => process.exit(0)),
  });
  process.on("SIGTERM", () => void server.shutdown().then(() => process.exit(0)));
  return server;
}

/** If Terraform dies without Shutdown (e.g. SIGKILL), our parent changes; exit rather than linger. */
function guardAgainstOrphaning(shutdown: () => Promise<void>, log: Logger): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      log.warn("Terraform went away; exiting");
      void shutdown().then(() => process.exit(0));
    }
  }, 1000).unref();
}

main(process.argv.slice(2)).then(
  // exitCode rather than exit(): stdout to a pipe is asynchronous and must drain (e.g. `schema`).
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`[ERROR] terraform-provider-agyn failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
