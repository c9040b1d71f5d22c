// Serving a provider definition: for Terraform (handshake on stdout, AutoMTLS) or for a debugger
// (plaintext, prints TF_REATTACH_PROVIDERS). The process lives until Shutdown, SIGTERM or orphaning.
import { ProviderCore } from "../core/provider-core";
import type { ProviderDefinition } from "../definition";
import { createLogger, levelFromEnvironment, type Logger } from "../logging/logger";
import { redactSecrets, registerSecretPattern } from "../logging/secret-redaction";
import { handshakeLine, negotiateProtocol, type ProtocolVersion, reportFailedLaunch } from "./handshake";
import { startPluginServer } from "./plugin-server";

/** Serves Terraform; resolves only with an exit code when the launch cannot go ahead. */
export async function serveTerraform<S>(definition: ProviderDefinition<S>): Promise<number> {
  const log = createLogger({ level: levelFromEnvironment(process.env) });
  for (const shape of definition.secretShapes) registerSecretPattern(shape);
  const negotiated = negotiateProtocol(process.env, definition.name);
  if (!negotiated.version) {
    reportFailedLaunch(redactSecrets(`${executableName(definition)}: ${negotiated.problem}`));
    return 1;
  }
  // Terraform cancels through Stop/StopProvider; the terminal's Ctrl-C also reaches us and must not kill us.
  process.on("SIGINT", () => log.debug("ignoring SIGINT; Terraform cancels through the Stop RPC"));
  // Terraform starts a process per command walk, so once configured it serves one burst of calls and exits.
  // Imported then, not at start-up: node:v8 alone costs milliseconds of every launch. Tuning must never fail a call.
  const onConfigured = () =>
    void import("../startup/turbofan-delay")
      .then(({ delayTurbofanForCalls }) => delayTurbofanForCalls(log))
      .catch((err: unknown) => log.debug("V8 tiering left at its defaults", { error: err instanceof Error ? err.message : String(err) }));
  const server = await serve(definition, negotiated.version, process.env.PLUGIN_CLIENT_CERT, log, onConfigured);
  process.stdout.write(handshakeLine(negotiated.version, server.socketPath, server.certBase64));
  guardAgainstOrphaning(server.shutdown, log);
  return new Promise<number>(() => {}); // serve until Shutdown, SIGTERM or orphaning
}

/** Serves a debugger-launched process that Terraform reattaches to. */
export async function serveDebugger<S>(definition: ProviderDefinition<S>): Promise<number> {
  const log = createLogger({ level: levelFromEnvironment(process.env, "info") });
  for (const shape of definition.secretShapes) registerSecretPattern(shape);
  const negotiated = negotiateProtocol({ ...process.env, PLUGIN_PROTOCOL_VERSIONS: "5,6" }, definition.name);
  if (!negotiated.version) {
    process.stderr.write(redactSecrets(`${negotiated.problem}\n`));
    return 1;
  }
  // Reattached providers are dialled without AutoMTLS, so debug mode serves plaintext. It serves command after
  // command, so V8's tiering keeps its defaults (no onConfigured).
  const server = await serve(definition, negotiated.version, undefined, log);
  const reattach = {
    [definition.address]: {
      Protocol: "grpc",
      ProtocolVersion: negotiated.version,
      Pid: process.pid,
      Test: true,
      Addr: { Network: "unix", String: server.socketPath },
    },
  };
  process.stdout.write(
    `${executableName(definition)} ${definition.version} is serving protocol ${negotiated.version} for a debugger.\n` +
      "Set this in the shell that runs terraform (Ctrl-C here stops the provider):\n\n" +
      `\texport TF_REATTACH_PROVIDERS='${JSON.stringify(reattach)}'\n\n`,
  );
  process.on("SIGINT", () => void server.shutdown().then(() => process.exit(0)));
  return new Promise<number>(() => {});
}

async function serve<S>(
  definition: ProviderDefinition<S>,
  protocol: ProtocolVersion,
  clientCertPem: string | undefined,
  log: Logger,
  onConfigured?: () => void,
) {
  const core = new ProviderCore(definition, log, onConfigured);
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

/** terraform-provider-<name>, as Terraform's installers name the executable. */
export function executableName(definition: { readonly name: string }): string {
  return `terraform-provider-${definition.name}`;
}
