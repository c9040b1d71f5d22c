// go-plugin's side of the launch: the magic cookie, protocol negotiation and the single stdout line.
import { quoted } from "../../schema/diagnostics";

export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
export const SUPPORTED_PROTOCOLS = [6, 5] as const;
export type ProtocolVersion = (typeof SUPPORTED_PROTOCOLS)[number];

export function launchedByTerraform(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/**
 * Says why a launch by Terraform ends before the handshake, where the user sees it. Terraform shows a provider's
 * stderr only under TF_LOG; of stdout, go-plugin quotes a line that is not a handshake in the error it reports
 * ("Unrecognized remote plugin message: …"). So the reason goes to both, on stdout as one line. `message` must
 * already be redacted.
 */
export function reportFailedLaunch(message: string, env: NodeJS.ProcessEnv = process.env): void {
  process.stderr.write(`[ERROR] ${message}\n`);
  if (launchedByTerraform(env)) process.stdout.write(`${message.replace(/\s+/g, " ").trim()}\n`);
}

/**
 * The highest version both sides speak. Terraform 0.12–0.14 offer only 5, later ones "5,6" in random order.
 * `<NAME>_PROVIDER_PROTOCOL=5|6` (AGYN_PROVIDER_PROTOCOL for the agyn provider) restricts our side, so either
 * protocol can be tested with one Terraform.
 */
export function negotiateProtocol(env: NodeJS.ProcessEnv, providerName: string): { version?: ProtocolVersion; problem?: string } {
  let ours: readonly ProtocolVersion[] = SUPPORTED_PROTOCOLS;
  const variable = forcedProtocolVariable(providerName);
  const forced = env[variable]?.trim();
  if (forced) {
    if (forced !== "5" && forced !== "6") return { problem: `${variable} must be 5 or 6, not ${quoted(forced)}` };
    ours = [Number(forced) as ProtocolVersion];
  }
  const offered = new Set(
    // Only digits count: Number("") is 0, which would report an empty offer as "offers [0]".
    (env.PLUGIN_PROTOCOL_VERSIONS ?? "").split(",").map((v) => v.trim()).filter((v) => /^\d+$/.test(v)).map(Number),
  );
  const version = ours.find((v) => offered.has(v));
  if (version === undefined) {
    return { problem: `no common plugin protocol: Terraform offers [${[...offered].join(", ")}], the provider speaks [${ours.join(", ")}]` };
  }
  return { version };
}

export function forcedProtocolVariable(providerName: string): string {
  return `${providerName.toUpperCase()}_PROVIDER_PROTOCOL`;
}

/** `1|<app protocol>|unix|<socket>|grpc|<cert>`: core protocol 1, never a seventh field (old clients split on 6). */
export function handshakeLine(version: ProtocolVersion, socketPath: string, certBase64: string): string {
  return `1|${version}|unix|${socketPath}|grpc|${certBase64}\n`;
}
