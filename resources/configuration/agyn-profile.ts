// The agyn CLI's profile files, read so Terraform uses the same login as the CLI:
// ~/.agyn/config.yaml (currentProfile, profiles.<name>.gatewayUrl / caFile) and ~/.agyn/credentials
// (YAML: <profile>: {token}). Both are user-supplied files, so they are validated before use.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { quoted } from "../../schema/diagnostics";
import { agynCliFiles } from "./agyn-cli-files";

const configFile = z.object({
  currentProfile: z.string().optional(),
  profiles: z.record(z.string(), z.object({
    gatewayUrl: z.string().optional(),
    caFile: z.string().optional(),
  }).passthrough().nullable()).optional(),
}).passthrough();

const credentialsFile = z.record(z.string(), z.object({ token: z.string().optional() }).passthrough().nullable());

export interface AgynProfile {
  name: string;
  gatewayUrl?: string;
  caFile?: string;
  token?: string;
  /** Where it came from, for messages (never the token). */
  source: string;
}

export class ProfileError extends Error {}

/**
 * Loads the named profile (or the CLI's current one). Returns undefined when there are no CLI files at all
 * and no profile was asked for; throws ProfileError when a requested profile cannot be used.
 */
export function loadAgynProfile(requested: string | undefined, env: NodeJS.ProcessEnv): AgynProfile | undefined {
  const { dir, config: configPath, credentials: credentialsPath } = agynCliFiles(env);
  const config = readYaml(configPath, configFile);
  const credentials = readYaml(credentialsPath, credentialsFile);
  if (!config && !credentials) {
    if (requested) throw new ProfileError(`profile ${quoted(requested)} was requested but ${configPath} does not exist`);
    return undefined;
  }
  const name = requested ?? config?.currentProfile;
  if (!name) return undefined;
  const profile = config?.profiles?.[name] ?? undefined;
  const token = credentials?.[name]?.token;
  if (!profile && token === undefined) {
    if (requested) throw new ProfileError(`profile ${quoted(name)} is not defined in ${configPath} or ${credentialsPath}`);
    return undefined;
  }
  return { name, gatewayUrl: profile?.gatewayUrl, caFile: profile?.caFile, token, source: `profile ${quoted(name)} (${dir})` };
}

function readYaml<T>(path: string, shape: z.ZodType<T>): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ProfileError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    // logLevel "error": errors still throw, but warnings (which quote the line, maybe a token) are not
    // printed to stderr, which Terraform copies into its log.
    data = parse(text, { logLevel: "error" }) ?? {};
  } catch (err) {
    // The YAML parser quotes the offending line, which in the credentials file may hold a token.
    throw new ProfileError(`${path} is not valid YAML (line ${lineOf(err)})`);
  }
  const result = shape.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ProfileError(`${path} is not in the agyn CLI format: ${issue.path.join(".") || "(top level)"}: ${issue.message}`);
  }
  return result.data;
}

function lineOf(err: unknown): string {
  const pos = (err as { linePos?: { line: number }[] }).linePos;
  return pos?.[0]?.line ? String(pos[0].line) : "unknown";
}
