// Where the agyn CLI keeps its profile files, and whether there are any: a light module (no YAML, no zod), so a
// Configure without CLI files never loads the libraries that parse them.
import { accessSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface AgynCliFiles {
  readonly dir: string;
  /** config.yaml: currentProfile, profiles.<name>.gatewayUrl / caFile. */
  readonly config: string;
  /** credentials: <profile>: {token}. */
  readonly credentials: string;
}

export function agynCliFiles(env: NodeJS.ProcessEnv): AgynCliFiles {
  const dir = join(env.HOME || homedir(), ".agyn");
  return { dir, config: join(dir, "config.yaml"), credentials: join(dir, "credentials") };
}

/**
 * False only when neither file exists. Anything else (present, unreadable, a directory in the way) counts as
 * "may exist", so the profile loader gets to read it and explain what is wrong.
 */
export function agynCliFilesMayExist(env: NodeJS.ProcessEnv): boolean {
  const { config, credentials } = agynCliFiles(env);
  return [config, credentials].some((path) => {
    try {
      accessSync(path);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code !== "ENOENT";
    }
  });
}
